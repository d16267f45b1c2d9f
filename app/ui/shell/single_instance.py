"""One LeadDesk per database: a second launch brings the running window to the front and exits.

The first instance holds a ``QLockFile`` in the data folder and listens on a ``QLocalServer``;
both are named after a hash of the database path, so LeadDesk on another database file is
another instance. A lock left by a crashed instance (its process is gone) is taken over silently.
"""

import hashlib
import os
import time
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from app.paths import data_dir

RAISE_MESSAGE = b"raise\n"
CONNECT_TIMEOUT_MS = 1000
# The first instance may still be starting (lock taken, server not yet listening): retry a bit.
CONNECT_ATTEMPTS = 5


def instance_key(db_path: Path) -> str:
    """A short stable name for "LeadDesk on this database file", safe as a file/socket name."""
    resolved = os.path.normcase(str(Path(db_path).expanduser().resolve()))
    digest = hashlib.sha256(f"{data_dir()}|{resolved}".encode()).hexdigest()[:16]
    return f"leaddesk-{digest}"


class SingleInstance(QObject):
    """Owns the per-database lock and server of the running instance.

    Signals:
        raise_requested(): another launch on the same database asked for our window.
    """

    raise_requested = Signal()

    def __init__(self, db_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.key = instance_key(db_path)
        self._lock = QLockFile(str(data_dir() / f"{self.key}.lock"))
        # 0 = never stale by age: a lock is only stale when its process is gone (checked by Qt).
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """Become the instance for this database; False if another live instance already is."""
        if not self._lock.tryLock(0):
            if self._lock.error() != QLockFile.LockError.LockFailedError or not self._take_over_stale_lock():
                return False
        self._listen()
        return True

    def _take_over_stale_lock(self) -> bool:
        # tryLock already discards the lock of a process that is gone (Qt checks the pid and its
        # name); what is left is an unreadable lock file, e.g. half-written during a power cut.
        pid, _host, _app = self._lock.getLockInfo()  # pid 0: the file could not be read
        return pid <= 0 and self._lock.removeStaleLockFile() and self._lock.tryLock(0)

    def _listen(self) -> None:
        # A crashed instance leaves its socket file behind on Unix; listen() would fail on it.
        QLocalServer.removeServer(self.key)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_server_new_connection)
        self._server.listen(self.key)

    @Slot()
    def _on_server_new_connection(self) -> None:
        while self._server is not None and (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(self._on_socket_ready_read)
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    @Slot()
    def _on_socket_ready_read(self) -> None:
        self._read(self.sender())

    def _read(self, socket: QLocalSocket) -> None:
        if RAISE_MESSAGE.strip() in bytes(socket.readAll().data()):
            self.raise_requested.emit()

    def notify_running_instance(self) -> bool:
        """Ask the instance holding the lock to raise its window; True if it got the message."""
        for _attempt in range(CONNECT_ATTEMPTS):
            socket = QLocalSocket()
            socket.connectToServer(self.key)
            if socket.waitForConnected(CONNECT_TIMEOUT_MS):
                socket.write(RAISE_MESSAGE)
                sent = socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
                socket.disconnectFromServer()
                return sent
            time.sleep(0.1)
        return False

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

