"""Work leaves the GUI thread one way: ``run_task`` / ``Task`` (app/ui/common/tasks.py).

The lead list's ``QueryThread``, with its second reader (``SecondReader`` in app/db/search.py: half of a big
result read on the other core), is the one documented exception in the window's process; the import's file
reader, a child process without Qt, sends its batches from a thread of its own
(app/services/importing/pipeline.py). Nothing else starts its own threads or timers-on-threads, and
nothing hides slow work behind a wait cursor.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TASKS = ROOT / "app" / "ui" / "common" / "tasks.py"
QUERY_THREAD = ROOT / "app" / "qtmodels" / "query_thread.py"
SECOND_READER = ROOT / "app" / "db" / "search.py"
READER_CHILD = ROOT / "app" / "services" / "importing" / "pipeline.py"
PATTERN = re.compile(r"threading\.(Thread|Timer)\b|\bQThread(Pool)?\b|setOverrideCursor|concurrent\.futures")


def test_only_the_task_helper_starts_threads():
    allowed = (TASKS, QUERY_THREAD, SECOND_READER, READER_CHILD)
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in sorted((ROOT / "app").rglob("*.py")) if p not in allowed
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if PATTERN.search(line)]
    assert offenders == []
