"""Plain-language messages for storage failures, for the UI (which never imports app.db).

Use it wherever a save can fail: ``message = user_message(exc)``; a ``None`` means the exception
is not a storage failure (a bug) and should go to the crash dialog instead.
"""

from app.db.errors import user_message

__all__ = ["user_message"]
