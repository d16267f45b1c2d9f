"""Tags: the coloured labels a rep puts on leads. Putting a tag on a lead lives in ``leads``."""

import re
from dataclasses import dataclass

from app.db.connection import database
from app.db.models import Tag
from app.services.validation import LIST_SEPARATOR, ValidationError

DEFAULT_COLOR = "#5b8def"
# A small palette the tag editor offers; any #rrggbb colour is accepted.
PALETTE = ("#5b8def", "#2fa36b", "#e0a526", "#e5534b", "#9b6ee8", "#1fb3c4", "#e46fb0", "#7d8590")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class TagInfo:
    id: int
    name: str
    color: str


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("A tag needs a name.")
    if LIST_SEPARATOR in name:  # it separates a lead's tags in exported files
        raise ValidationError(f"A tag name can't contain “{LIST_SEPARATOR}”.")
    return name


def _clean_color(color: str) -> str:
    if not _COLOR.match(color or ""):
        raise ValidationError("A tag colour must look like #5b8def.")
    return color.lower()


def list_tags() -> list[TagInfo]:
    return [TagInfo(t.id, t.name, t.color) for t in Tag.select().order_by(Tag.name)]


def find_tag(name: str) -> TagInfo | None:
    """The tag with this name, ignoring case and extra spaces."""
    tag = Tag.get_or_none(Tag.name == " ".join((name or "").split()))  # the column is NOCASE
    return TagInfo(tag.id, tag.name, tag.color) if tag else None


def create_tag(name: str, color: str = DEFAULT_COLOR) -> TagInfo:
    name, color = _clean_name(name), _clean_color(color)
    with database.atomic():
        if Tag.select().where(Tag.name == name).exists():
            raise ValidationError(f"A tag named “{name}” already exists.")
        tag_id = Tag.insert(name=name, color=color).execute()
    return TagInfo(tag_id, name, color)


def rename_tag(tag_id: int, name: str) -> bool:
    name = _clean_name(name)
    with database.atomic():
        clash = Tag.get_or_none((Tag.name == name) & (Tag.id != tag_id))
        if clash is not None:
            raise ValidationError(f"A tag named “{name}” already exists.")
        # BINARY so a change of case alone ("hot" -> "Hot") still counts.
        changed = Tag.update(name=name).where((Tag.id == tag_id) & (Tag.name.collate("BINARY") != name))
        return bool(changed.execute())


def recolor_tag(tag_id: int, color: str) -> bool:
    color = _clean_color(color)
    with database.atomic():
        return bool(Tag.update(color=color).where((Tag.id == tag_id) & (Tag.color != color)).execute())
