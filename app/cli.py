"""Command-line subcommands (`leaddesk import`, `leaddesk export`)."""


def add_commands(subparsers) -> None:
    """Register the subcommands; each sets ``run`` to a function(args) -> exit code."""
