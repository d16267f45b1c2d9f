"""Shared texts are typed once: no screen module repeats a text ``app/ui/common/messages.py`` defines.

(The services keep their own sentences: they cannot import the screens' module.)"""

import ast
from pathlib import Path

from app.ui.common import messages

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = ROOT / "app" / "ui" / "common" / "messages.py"


def _texts() -> set[str]:
    return {value for name, value in vars(messages).items() if name.isupper() and isinstance(value, str)}


def test_no_module_types_a_shared_message_again():
    texts = _texts()
    offenders = [f"{path.relative_to(ROOT)}: {node.value!r}" for path in sorted((ROOT / "app" / "ui").rglob("*.py"))
                 if path != MESSAGES for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(node, ast.Constant) and node.value in texts]
    assert offenders == []


def test_messages_are_sentences_a_rep_can_read():
    assert all(text.strip() == text and text for text in _texts())
