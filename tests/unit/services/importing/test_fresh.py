"""A new lead's uid: a valid, unique, time-ordered UUID, so an import's uids go to the end of the uid index."""

import time
import uuid

from app.services.importing import fresh


def test_new_uids_are_version_7_uuids_ordered_by_time_and_unique(monkeypatch):
    now_ns = time.time_ns()
    first = fresh.new_uids(1000)
    monkeypatch.setattr(fresh.time, "time_ns", lambda: now_ns + 5_000_000)  # a batch 5 ms later
    later = fresh.new_uids(1000)
    parsed = [uuid.UUID(u) for u in first + later]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in parsed)
    assert [str(u) for u in parsed] == first + later  # lower-case canonical text, as stored
    assert len(set(first + later)) == 2000
    assert max(first) < min(later)
    assert abs((parsed[0].int >> 80) - now_ns // 1_000_000) < 1000  # the first 48 bits: Unix time in ms
