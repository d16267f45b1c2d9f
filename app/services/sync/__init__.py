"""Team sync (no Qt): push the outbox to the PostgreSQL team server, then pull what others changed.

``server`` holds what runs against the team base (one transaction per push, a page per pull);
``replica`` what runs against the local SQLite file; ``engine.sync`` ties them together.
"""
