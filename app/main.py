"""Command line and GUI bootstrap: ``leaddesk [--db PATH]``, ``leaddesk import|export ...``."""

import argparse
import sys
from pathlib import Path

from app import APP_NAME, __version__, memory


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    """The command line; ``with_commands=False`` leaves out the subcommands (and their imports)."""
    parser = argparse.ArgumentParser(prog="leaddesk", description=f"{APP_NAME} — review your leads offline.")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--db", type=Path, help="database file (default: the user data folder)")
    parser.add_argument(
        "--smoke", action="store_true",
        help="check this installation offscreen (temporary database, sample import, search) and exit",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    if with_commands:
        from app import cli

        cli.add_commands(commands)
    return parser


def _may_name_a_command(argv: list[str]) -> bool:
    # A command is a bare word (so is an option's value: --db PATH costs the full parser); --help
    # (or its abbreviations) lists the commands. Only a launch without them, the double-click,
    # skips importing app.cli (the import and export code: ~10 ms of every launch).
    return any(not arg.startswith("-") or arg == "-h" or (len(arg) > 2 and "--help".startswith(arg))
               for arg in argv)


def main(argv: list[str] | None = None) -> int:
    if getattr(sys, "frozen", False):
        # The bundle's import reader is a spawned child: this runs it instead of the app.
        import multiprocessing

        multiprocessing.freeze_support()
    memory.return_big_buffers_to_the_os()
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(with_commands=_may_name_a_command(argv)).parse_args(argv)
    if args.command:
        return args.run(args)
    if args.smoke:
        from app.ui.shell.smoke import run_smoke

        return run_smoke()
    from app.ui.shell.application import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
