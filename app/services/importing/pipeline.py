"""The batches of records an import stores: read and normalised here, or on the second core.

Parsing and normalising a row costs about as much Python time as storing it, and the GIL keeps a
thread from doing both at once. So a big CSV file is read by a child process (``spawn``: safe from
the import dialog's worker thread, and in the bundle) that sends pickled batches through a pipe
while this process matches and writes the previous ones. A thread of the child sends them, so
parsing goes on while a batch waits for the writer to take it (the pipe holds 64 KB, a batch
~700 KB); its queue of ``AHEAD`` batches bounds the memory. Small files and workbooks are read in
this process (a child's start-up costs more than it saves). Both give the same batches in the same order.
"""

import multiprocessing
import pickle
import queue
import threading
from pathlib import Path

from app.services.importing.formats import Plan
from app.services.importing.fresh import Splitter
from app.services.importing.normalize import Converter
from app.services.importing.reader import CsvSource, Rejected, Source, open_source

BATCH_ROWS = 2000
# Batches the child may have read ahead of the writer.
AHEAD = 4
# Below this a file is read in this process: spawning the reader costs ~0.2 s.
PARALLEL_MIN_BYTES = 8 * 1024 * 1024
_DONE = "done"


class Batches:
    """Iterate ``(fresh rows, records, rejected, fraction read)`` batches (see ``fresh``); then ``custom_fields()``."""

    def __init__(self, source: Source, plan: Plan, splitter: Splitter):
        self._source = source
        self._converter = Converter(plan)
        self._splitter = splitter

    def __iter__(self):
        convert = self._converter.convert
        split = self._splitter.split
        records: list[dict] = []
        rejected: list[Rejected] = []
        for item in self._source.rows():
            if isinstance(item, Rejected):
                rejected.append(item)
                continue
            records.append(convert(item[1]))
            if len(records) >= BATCH_ROWS:
                yield *split(records), rejected, self._source.fraction_read()
                records, rejected = [], []
        yield *split(records), rejected, 1.0

    def custom_fields(self) -> list[str]:
        return self._converter.registered_custom_fields()

    def close(self) -> None:
        self._splitter.close()


class ParallelBatches(Batches):
    """The same batches, read and normalised by a child process."""

    def __init__(self, path: Path, source: Source, plan: Plan, now: str, database_path: str | None):
        context = multiprocessing.get_context("spawn")
        self._pipe, child_end = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_produce, args=(str(path), source.info.encoding, plan, now, database_path, child_end),
            name="leaddesk-import-reader", daemon=True,
        )
        self._process.start()
        child_end.close()
        self._custom_fields: list[str] = []

    def __iter__(self):
        while True:
            try:
                kind, payload = pickle.loads(self._pipe.recv_bytes())
            except EOFError:
                raise OSError("The file reader stopped unexpectedly.") from None
            if kind == _DONE:
                self._custom_fields = payload
                return
            if isinstance(payload, BaseException):
                raise payload
            yield payload

    def custom_fields(self) -> list[str]:
        return self._custom_fields

    def close(self) -> None:
        self._pipe.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def batches(path: Path, source: Source, plan: Plan, now: str, database_path: str | None) -> Batches:
    """The batches of ``source`` (opened on ``path``), from a child process when that pays.

    ``now``: the new leads' creation time; ``database_path``: the database whose leads rows may match,
    None when it holds none (``fresh.Splitter``).
    """
    if isinstance(source, CsvSource) and path.stat().st_size >= PARALLEL_MIN_BYTES:
        return ParallelBatches(path, source, plan, now, database_path)
    return Batches(source, plan, Splitter(now, database_path))


def _produce(path: str, encoding: str, plan: Plan, now: str, database_path: str | None, pipe) -> None:
    """The child: read ``path`` as the parent detected it and send each batch, then the custom fields."""
    outgoing: queue.Queue = queue.Queue(AHEAD)
    stopped = threading.Event()  # the parent stopped reading (cancelled, failed or killed)
    sender = threading.Thread(target=_send, args=(outgoing, pipe, stopped), name="leaddesk-import-sender")
    sender.start()
    try:
        with open_source(path, encoding) as source:
            local = Batches(source, plan, Splitter(now, database_path))
            try:
                for batch in local:
                    if stopped.is_set():
                        return
                    outgoing.put(pickle.dumps(("batch", batch), pickle.HIGHEST_PROTOCOL))
            finally:
                local.close()
            outgoing.put(pickle.dumps((_DONE, local.custom_fields()), pickle.HIGHEST_PROTOCOL))
    except Exception as exc:  # noqa: BLE001 - any failure is the parent's to report
        outgoing.put(pickle.dumps(("error", exc), pickle.HIGHEST_PROTOCOL))
    finally:
        outgoing.put(None)
        sender.join()
        pipe.close()


def _send(outgoing: queue.Queue, pipe, stopped: threading.Event) -> None:
    """The child's sender thread: each message of ``outgoing`` into the pipe, until None.

    Once the pipe is broken it sets ``stopped`` and drops the rest, so the reader is never left
    waiting on a full queue.
    """
    for message in iter(outgoing.get, None):
        if stopped.is_set():
            continue
        try:
            pipe.send_bytes(message)
        except OSError:  # BrokenPipeError: nothing to tell a parent that is gone
            stopped.set()
