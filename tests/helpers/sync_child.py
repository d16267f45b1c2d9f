"""A rep's sync that the robustness tests kill -9 mid-push.

Run as ``python tests/helpers/sync_child.py MODE DB URL ROLE`` (PGPASSWORD in the environment, the
repository on PYTHONPATH). It syncs the replica ``DB`` and stops to be killed at one point:

    open       inside the server's push transaction, the counter row locked (prints "open").
    committed  after the server committed the push, before the local outbox is acknowledged
               (prints "committed").
    snapshot   an empty replica's first sync, the whole base loaded, not committed
               (prints "snapshot").
"""

import os
import sys
import threading

from app.db.connection import open_database
from app.db.server.schema import connect_server
from app.services.sync import engine, replica


def _stop(line: str) -> None:
    print(line, flush=True)
    threading.Event().wait()  # until the parent's kill -9


def main() -> None:
    mode, db_path, url, role = sys.argv[1:5]
    open_database(db_path)
    server = connect_server(url, user=role, password=os.environ["PGPASSWORD"])
    if mode == "open":
        execute = server.execute_sql

        def execute_then_stop(sql, params=None, *args, **kwargs):
            cursor = execute(sql, params, *args, **kwargs)
            if sql.startswith("SELECT leaddesk_push"):  # returned: the push is done, not committed
                _stop("open")
            return cursor

        server.execute_sql = execute_then_stop
    elif mode == "snapshot":
        from app.services.importing.bulkload import BulkLoad

        end = BulkLoad.end

        def end_then_stop(self):  # the whole base written, the search and indexes too: the commit is next
            end(self)
            _stop("snapshot")

        BulkLoad.end = end_then_stop
    else:
        replica.apply_push = lambda *args: _stop("committed")
    engine.sync(server)


if __name__ == "__main__":
    main()
