"""A throwaway PostgreSQL cluster for the tests, from Debian's ``postgresql`` package.

The cluster lives in a temporary directory, listens on a unix socket in that directory only
(``listen_addresses=''``: the suite blocks network sockets, unix ones are allowed) and is run as the
``postgres`` user when the tests run as root (CI does; PostgreSQL refuses to run as root).
"""

import glob
import os
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

PORT = 5432


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL's bin directory, or None when the package is absent."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(candidates[-1]).parent if candidates else None


@dataclass
class PgCluster:
    """A running cluster: its socket directory and superuser credentials."""

    bindir: Path
    root: Path
    superuser: str
    password: str

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    def url(self, dbname: str = "postgres", user: str | None = None) -> str:
        """A libpq URL over the unix socket (no password: callers pass it separately)."""
        return f"postgresql://{quote(user or self.superuser)}@/{dbname}?host={quote(str(self.root))}&port={PORT}"

    def connect(self, dbname: str = "postgres", **kwargs):
        import psycopg

        return psycopg.connect(self.url(dbname), password=self.password, **kwargs)

    def create_database(self, name: str) -> str:
        """Create an empty database; returns its URL."""
        with self.connect(autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        _run_as_owner([str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "stop"], check=False)
        shutil.rmtree(self.root, ignore_errors=True)


def _as_owner(argv: list[str]) -> list[str]:
    # PostgreSQL will not run as root; CI does, so drop to the package's postgres user.
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _run_as_owner(argv: list[str], check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(_as_owner(argv), check=check, capture_output=True, text=True)


def start_cluster() -> PgCluster:
    """initdb + pg_ctl start in a fresh temp directory (raises RuntimeError with the server's log)."""
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)")
    # A short path: a unix socket's path must fit in 107 bytes.
    root = Path(tempfile.mkdtemp(prefix="ldpg-", dir="/tmp"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    os.chmod(root, 0o700)
    password = secrets.token_hex(16)
    pwfile = root / "pw"
    pwfile.write_text(password)
    if os.geteuid() == 0:
        shutil.chown(pwfile, "postgres", "postgres")
    cluster = PgCluster(bindir, root, "postgres", password)
    try:
        _run_as_owner([str(bindir / "initdb"), "-D", str(cluster.datadir), "-U", "postgres", "--pwfile", str(pwfile),
                       "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        pwfile.unlink()
        options = f"-c listen_addresses='' -c unix_socket_directories={root} -p {PORT} -c fsync=off " \
                  "-c synchronous_commit=off -c full_page_writes=off"
        _run_as_owner([str(bindir / "pg_ctl"), "-D", str(cluster.datadir), "-l", str(root / "log"), "-w",
                       "-o", options, "start"])
    except subprocess.CalledProcessError as exc:
        log = (root / "log").read_text() if (root / "log").exists() else ""
        cluster.stop()
        raise RuntimeError(f"could not start PostgreSQL: {exc.stderr}\n{log}") from exc
    return cluster
