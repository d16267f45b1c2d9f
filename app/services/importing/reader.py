"""Reading lead files: decoding, delimiter and header detection, strict rows with line numbers.

A ``Source`` yields ``(line, cells)`` for every readable data row and ``Rejected`` for every row
that cannot be read, always with the physical line number where the row starts (the number a
text editor shows). Rows are read lazily, so memory stays flat whatever the file size.
"""

import codecs
import csv
import io
import os
import re
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from app.services.importing.formats import is_known_name
from app.services.importing.vocabulary import header_rank

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
SAMPLE_BYTES = 256 * 1024
HEADER_SEARCH_LINES = 30
# A quoted cell may hold line breaks (notes, addresses), but a quote left open by mistake would
# swallow the rest of the file: past this many lines the row is reported as an unterminated quote.
MAX_RECORD_LINES = 200
MAX_CELL_CHARS = 10 * 1024 * 1024
csv.field_size_limit(MAX_CELL_CHARS)

_NEWLINE = re.compile(r"\r\n|\r|\n")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def _fallback_errors(exc: UnicodeDecodeError):
    # A stray non-UTF-8 byte in a UTF-8 file (or a cp1252 gap) is read as cp1252/Latin-1 rather
    # than replaced, so no character is lost.
    bad = exc.object[exc.start:exc.end]
    text = "".join(chr(b) if b in _CP1252_UNDEFINED else bytes([b]).decode("cp1252") for b in bad)
    return text, exc.end


codecs.register_error("leaddesk_fallback", _fallback_errors)


class UnreadableFileError(ValueError):
    """The file cannot be read as a lead file at all (missing, empty, binary, no header)."""


@dataclass(frozen=True)
class Rejected:
    """A row that could not be read: where it starts, why, and its text as found in the file."""

    line: int
    reason: str
    text: str


@dataclass(frozen=True)
class SourceInfo:
    """What detection found: shown in the import dialog's preview."""

    kind: str  # "csv" or "xlsx"
    encoding: str
    delimiter: str
    header: tuple[str, ...]
    header_line: int
    sheets: tuple[str, ...] = ()
    sheet: str = ""

    @property
    def delimiter_name(self) -> str:
        return DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))


def detect_encoding(sample: bytes) -> str:
    """The encoding of a file starting with ``sample``: BOMs first, then UTF-8, else cp1252."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(sample) >= 4 and sample.count(b"\0") > len(sample) // 3:
        # UTF-16 without a BOM: one byte in two is zero, on the odd (LE) or even (BE) side.
        odd = sample[1::2].count(b"\0")
        return "utf-16-le" if odd > sample[0::2].count(b"\0") else "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        # Real UTF-8 sequences mean a UTF-8 file with a few stray bytes (read as cp1252 one by one).
        return "utf-8" if _UTF8_SEQUENCE.search(sample) else "cp1252"


def _split_cells(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _records(lines: list[str], delimiter: str) -> list[tuple[int, list[str]]]:
    """``(line index, cells)`` of each record, a quoted line break kept inside its cell.

    A record the parser refuses (a quote left open) counts as its first line alone and reading goes
    on with the next line, as ``CsvSource.rows`` does.
    """
    records, start = [], 0
    while start < len(lines):
        reader = csv.reader((line + "\n" for line in lines[start:]), delimiter=delimiter, strict=True)
        at = start
        try:
            for cells in reader:
                records.append((at, cells))
                at = start + reader.line_num
            break
        except csv.Error:
            records.append((at, _split_cells(lines[at], delimiter)))
            start = at + 1
    return records


def detect_header(lines: list[str]) -> tuple[int, str]:
    """``(index, delimiter)`` of the header among the first lines.

    Every non-blank record (not physical line: a data cell's second line is no header), read with
    every delimiter, is ranked as a header (``header_rank``: cells shaped like column names,
    unique, the record below holding values); one cell matching a known name never decides it.
    Later records lose a little, so a data row as header-like as the header (names only) does not
    win. LinkedIn exports put notes above the header; they rank low.
    """
    lines = lines[:HEADER_SEARCH_LINES]
    best = None
    for delimiter in DELIMITERS:
        records = [(index, cells) for index, cells in _records(lines, delimiter) if any(c.strip() for c in cells)]
        for position, (index, cells) in enumerate(records):
            below = records[position + 1][1] if position + 1 < len(records) else None
            score = (header_rank(cells, below, is_known_name) - 0.25 * position, len(cells), -index)
            if best is None or score > best[0]:
                best = (score, index, delimiter)
    if best is None:  # no line holds a single character of text, quotes and delimiters aside
        raise UnreadableFileError("The file is empty.")
    return best[1], best[2]


class _Lines:
    """The file's physical lines, with push-back so a broken row's later lines are read again."""

    def __init__(self, text: io.TextIOBase):
        self._text = text
        self.pending: deque[str] = deque()
        self.consumed: list[str] = []
        self.next_line = 1

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self.pending.popleft() if self.pending else next(self._text)
        if "\0" in line:
            line = line.replace("\0", "")
        self.consumed.append(line)
        self.next_line += 1
        if len(self.consumed) > MAX_RECORD_LINES:
            raise _RecordTooLong
        return line

    def start_record(self) -> int:
        self.consumed = []
        return self.next_line

    def push_back_after_first(self) -> None:
        """Forget the current record but its first line; its other lines are read again."""
        rest = self.consumed[1:]
        self.pending.extendleft(reversed(rest))
        self.next_line -= len(rest)
        self.consumed = self.consumed[:1]


class _RecordTooLong(Exception):
    pass


class Source:
    """An open lead file. Iterate ``rows()`` once; ``fraction_read()`` tells the progress."""

    info: SourceInfo

    def rows(self):
        raise NotImplementedError

    def fraction_read(self) -> float:
        raise NotImplementedError

    def estimated_rows(self) -> int:
        """A rough row count, from the file size (decides how the import builds its indexes)."""
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class CsvSource(Source):
    """A delimited text file."""

    def __init__(self, path: Path, encoding: str | None = None):
        self._size = os.path.getsize(path)
        self._file = open(path, "rb")
        try:
            sample = self._file.read(SAMPLE_BYTES)
            if not sample.strip(b"\0\r\n\t ,;|\xef\xbb\xbf\xff\xfe"):
                raise UnreadableFileError("The file is empty.")
            encoding = encoding or detect_encoding(sample)
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise UnreadableFileError(f"Unknown text encoding “{encoding}”.") from None
            text = sample.decode(encoding, errors="leaddesk_fallback")
            all_lines = _NEWLINE.split(text)
            self._estimate = int(self._size / max(1, len(sample) / max(1, len(all_lines) - 1)))
            lines = all_lines[:HEADER_SEARCH_LINES]
            header_index, delimiter = detect_header(lines)
            self._file.seek(0)
            self._text = io.TextIOWrapper(self._file, encoding=encoding, errors="leaddesk_fallback", newline="")
            self._lines = _Lines(self._text)
            for _ in range(header_index):
                next(self._lines)
            self._lines.start_record()
            header = next(csv.reader(self._lines, delimiter=delimiter))
        except (UnreadableFileError, LookupError, StopIteration, csv.Error, _RecordTooLong, UnicodeError) as exc:
            self._file.close()
            if isinstance(exc, UnreadableFileError):
                raise
            raise UnreadableFileError(f"The file could not be read as text ({exc or 'no header row'}).") from None
        header = [h.replace("\ufeff", "").strip() for h in header]
        self.info = SourceInfo("csv", encoding, delimiter, tuple(header), header_index + 1)

    def fraction_read(self) -> float:
        return min(1.0, self._file.raw.tell() / self._size) if self._size else 1.0

    def estimated_rows(self) -> int:
        return self._estimate

    def close(self) -> None:
        self._file.close()

    def rows(self):
        width = len(self.info.header)
        delimiter = self.info.delimiter
        lines = self._lines
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        while True:
            start = lines.start_record()
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, _RecordTooLong) as exc:
                reason = _error_reason(exc, len(lines.consumed))
                lines.push_back_after_first()
                yield Rejected(start, reason, lines.consumed[0] if lines.consumed else "")
                reader = csv.reader(lines, delimiter=delimiter, strict=True)
                continue
            count = len(cells)
            if count == width or (count > width and not any(cells[width:])):
                if count > width:
                    cells = cells[:width]
                if any(cells):
                    yield start, cells
                continue
            if not cells or not any(cells):
                continue  # a blank line, or one made of delimiters only
            if len(lines.consumed) > 1:
                # A quote opened and never closed made several lines look like one row.
                lines.push_back_after_first()
                yield Rejected(start, "unterminated quote", lines.consumed[0])
            elif count == 1 and width > 1 and delimiter in cells[0]:
                yield Rejected(start, "the whole row is wrapped in an extra pair of quotes", lines.consumed[0])
            else:
                yield Rejected(start, f"expected {width} cells, found {count}", lines.consumed[0])


def _error_reason(exc: Exception, lines_used: int) -> str:
    # A row that ran over several lines before failing started with a quote that never closed.
    if isinstance(exc, _RecordTooLong) or "unexpected end of data" in str(exc) or lines_used > 1:
        return "unterminated quote"
    if "field larger than field limit" in str(exc):
        return f"a cell is longer than {MAX_CELL_CHARS:,} characters"
    if "expected after" in str(exc):
        return "a quote inside a quoted cell is not doubled"
    return f"unreadable row ({exc})"


class XlsxSource(Source):
    """The first (or a chosen) sheet of an .xlsx workbook; line numbers are sheet row numbers."""

    def __init__(self, path: Path, sheet: str | None = None):
        import zipfile

        import openpyxl

        # A file object, so the workbook is recognised by its content whatever its extension.
        self._file = open(path, "rb")
        try:
            self._book = openpyxl.load_workbook(self._file, read_only=True, data_only=True)
        except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
            self._file.close()
            raise UnreadableFileError(f"The workbook could not be opened ({exc}).") from None
        names = tuple(self._book.sheetnames)
        if sheet and sheet not in names:
            self.close()
            raise UnreadableFileError(f"The workbook has no sheet named “{sheet}”.")
        self._sheet = self._book[sheet or names[0]]
        self._total = max(1, self._sheet.max_row or 1)
        self._row = 0
        first = []
        for row in self._sheet.iter_rows(values_only=True, max_row=HEADER_SEARCH_LINES):
            first.append(_cells_text(row))
        # Rank each row as a header the same way as a CSV line.
        filled = [index for index, cells in enumerate(first) if any(cells)]
        best = None
        for position, index in enumerate(filled):
            below = first[filled[position + 1]] if position + 1 < len(filled) else None
            score = (header_rank(first[index], below, is_known_name) - 0.25 * position, -index)
            if best is None or score > best[0]:
                best = (score, index)
        if best is None:
            self.close()
            raise UnreadableFileError("The sheet is empty.")
        header = list(first[best[1]])
        while header and not header[-1]:
            header.pop()
        self.info = SourceInfo("xlsx", "xlsx", "", tuple(h.strip() for h in header), best[1] + 1, names,
                               self._sheet.title)

    def fraction_read(self) -> float:
        return min(1.0, self._row / self._total)

    def estimated_rows(self) -> int:
        return self._total

    def close(self) -> None:
        self._book.close()
        self._file.close()

    def rows(self):
        width = len(self.info.header)
        for number, row in enumerate(self._sheet.iter_rows(values_only=True), start=1):
            self._row = number
            if number <= self.info.header_line:
                continue
            cells = _cells_text(row)
            if not any(cells):
                continue
            if len(cells) > width and any(cells[width:]):
                line = io.StringIO()
                csv.writer(line).writerow(cells)  # saved under a comma-separated header
                yield Rejected(number, f"expected {width} cells, found {len(cells)}", line.getvalue())
                continue
            yield number, (cells + [""] * width)[:width]


def _cells_text(row) -> list[str]:
    cells = []
    for value in row:
        if value is None:
            cells.append("")
        elif isinstance(value, float) and value.is_integer():
            cells.append(str(int(value)))
        elif hasattr(value, "isoformat"):
            cells.append(value.isoformat())
        else:
            cells.append(str(value).replace("\0", ""))
    return cells


def open_source(path, encoding: str | None = None, sheet: str | None = None) -> Source:
    """Open ``path`` for reading; raises UnreadableFileError with a one-line reason."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableFileError(f"No such file: {path.name}")
    with open(path, "rb") as probe:
        magic = probe.read(4)
    if magic == b"PK\x03\x04":
        return XlsxSource(path, sheet)
    return CsvSource(path, encoding)
