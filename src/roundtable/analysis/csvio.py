"""Reading comments from a CSV file, with clear messages for bad input.

Every problem is reported with the line it starts on: bytes that are not
UTF-8, a row with the wrong number of fields, an empty or oversized text, an
empty or repeated id, a missing column, a file without rows. With
``skip_bad_rows`` the bad rows are left out and listed instead (malformed
quoting, which leaves the rest of the file unreadable, always stops).
"""

from __future__ import annotations

import codecs
import csv
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MAX_CHARS = 200_000
_SURROGATES = re.compile("[\udc80-\udcff]")


class InputError(Exception):
    """A problem with the input that the user can fix; ``line`` is 1-based."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class Rows:
    """The usable rows of a CSV file."""

    ids: list[str]
    texts: list[str]
    groups: list[str] | None
    lines: list[int]  # the line each row starts on
    skipped: list[tuple[int, str]] = field(default_factory=list)
    ids_are_lines: bool = False


def _lines(text: str) -> Iterator[str]:
    """Lines of ``text`` with their endings (only \\n ends a line; \\r\\n is kept whole)."""
    start = 0
    find = text.find
    while True:
        end = find("\n", start)
        if end < 0:
            if start < len(text):
                yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def _decode(data: bytes, name: str, skip_bad_rows: bool) -> tuple[str, bool]:
    """The text of the file; ``True`` when undecodable bytes were escaped (skip mode)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError as err:
        if not skip_bad_rows:
            line = data.count(b"\n", 0, err.start) + 1
            column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
            bad = data[err.start : err.end]
            raise InputError(
                f"bytes that are not valid UTF-8 ({bad!r} at byte {column} of the line); "
                f"save {name} as UTF-8, or leave such rows out with --skip-bad-rows",
                line,
            ) from None
        return data.decode("utf-8", errors="surrogateescape"), True


def _read_rows_slow(
    data: bytes,
    name: str,
    *,
    id_column: str | None = "id",
    text_column: str = "text",
    group_column: str | None = None,
    skip_bad_rows: bool = False,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Rows:
    """Row by row with the csv module: exact line numbers for every problem."""
    text, escaped = _decode(data, name, skip_bad_rows)
    del data
    csv.field_size_limit(sys.maxsize)
    reader = csv.reader(_lines(text), strict=True)
    try:
        header = next(reader)
    except csv.Error as err:
        raise InputError(f"the header line is not valid CSV: {err}", 1) from None
    header = [h.strip() for h in header]
    columns = {h: i for i, h in reversed(list(enumerate(header)))}
    shown = ", ".join(repr(h) for h in header)

    def column(wanted: str, option: str) -> int:
        if wanted not in columns:
            raise InputError(
                f"no column named {wanted!r}; the columns are: {shown} (choose one with {option})",
                1,
            )
        return columns[wanted]

    text_at = column(text_column, "--text-column")
    ids_are_lines = False
    if id_column is None:
        id_at = columns.get("id")
        ids_are_lines = id_at is None
    else:
        id_at = column(id_column, "--id-column")
    group_at = column(group_column, "--group-column") if group_column else None
    width = len(header)

    ids: list[str] = []
    texts: list[str] = []
    groups: list[str] | None = [] if group_at is not None else None
    lines: list[int] = []
    skipped: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            raise InputError(f"malformed CSV ({err}); check the quoting", start) from None
        line = reader.line_num
        if not row:
            continue  # a blank line
        problem = None
        if len(row) != width:
            problem = f"expected {width} fields as in the header, found {len(row)}"
        elif escaped and any(_SURROGATES.search(value) for value in row):
            problem = "bytes that are not valid UTF-8"
        else:
            body = row[text_at]
            if not body.strip():
                problem = f"the text (column {text_column!r}) is empty"
            elif len(body) > max_chars:
                problem = (
                    f"the text is {len(body):,} characters long; the limit is {max_chars:,} "
                    "(raise it with --max-chars)"
                )
            elif not ids_are_lines:
                row_id = row[id_at].strip()  # type: ignore[index]
                if not row_id:
                    problem = f"the id (column {header[id_at]!r}) is empty"  # type: ignore[index]
                elif row_id in seen:
                    problem = f"the id {row_id!r} is already used on line {seen[row_id]}"
        if problem:
            if not skip_bad_rows:
                raise InputError(problem + " (leave such rows out with --skip-bad-rows)", start)
            skipped.append((start, problem))
            continue
        row_id = str(start) if ids_are_lines else row[id_at].strip()  # type: ignore[index]
        seen[row_id] = start
        ids.append(row_id)
        texts.append(row[text_at])
        lines.append(start)
        if groups is not None:
            groups.append(row[group_at].strip())  # type: ignore[index]
    if not texts:
        if skipped:
            raise InputError(f"{name} has no usable rows ({len(skipped):,} skipped)")
        raise InputError(f"{name} has a header line but no rows")
    return Rows(ids, texts, groups, lines, skipped, ids_are_lines)


def read_rows(
    path: str | Path,
    *,
    id_column: str | None = "id",
    text_column: str = "text",
    group_column: str | None = None,
    skip_bad_rows: bool = False,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Rows:
    """Read ``path``; raise ``InputError`` naming the line of the first problem.

    ``id_column=None`` means "use the ``id`` column if there is one, otherwise
    the line numbers"; a named id column must exist.

    A well-formed file is split by a vectorised parser (numpy over the bytes:
    quote parity by cumulative sum, then separators and line ends outside
    quotes), several times faster than the csv module on a million rows. At
    the first sign of anything unusual (ragged rows, stray quotes, bad bytes,
    empty or long texts, repeated ids) the file is read again row by row with
    the csv module, which finds and names the problem line.
    """
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {name}: {err.strerror or err}") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if len(data) < 1 << 16 and not data.strip():
        raise InputError(f"{name} is empty: expected a header line and rows")
    options = {
        "id_column": id_column,
        "text_column": text_column,
        "group_column": group_column,
        "skip_bad_rows": skip_bad_rows,
        "max_chars": max_chars,
    }
    try:
        rows = _read_rows_fast(data, name, **options)
    except InputError:
        raise
    except Exception:  # anything unexpected: the careful reader decides
        rows = None
    if rows is None:
        rows = _read_rows_slow(data, name, **options)
    return rows


def _read_rows_fast(
    data: bytes,
    name: str,
    *,
    id_column: str | None,
    text_column: str,
    group_column: str | None,
    skip_bad_rows: bool,
    max_chars: int,
) -> Rows | None:
    """The vectorised reader; ``None`` when the file needs the careful one."""
    import numpy as np

    if not data:
        raise InputError(f"{name} is empty: expected a header line and rows")
    b = np.frombuffer(data, dtype=np.uint8)
    n = len(b)
    quote, comma, newline = ord('"'), ord(","), ord("\n")
    qpos, newlines, commas = _positions(b, (quote, newline, comma))
    if len(qpos) % 2:
        return None  # an open quote at the end: let the csv module say where
    # Outside quotes when an even number of quotes come before.
    sep = commas[(np.searchsorted(qpos, commas) & 1) == 0]
    end = newlines[(np.searchsorted(qpos, newlines) & 1) == 0]
    del commas
    if len(end) == 0 or end[-1] != n - 1:
        end = np.append(end, n)
    start = np.concatenate([[0], end[:-1] + 1])
    # Drop blank lines (nothing, or a lone carriage return).
    length = end - start
    blank = (length == 0) | ((length == 1) & (b[np.minimum(start, n - 1)] == ord("\r")))
    start, end = start[~blank], end[~blank]
    if len(start) < 2:
        return None  # header only, or nothing: the careful reader words it
    header_bytes = data[start[0] : end[0]]
    header = [h.strip() for h in next(csv.reader([header_bytes.decode("utf-8")]))]
    width = len(header)
    first_sep = np.searchsorted(sep, start)
    count = np.searchsorted(sep, end) - first_sep
    if not np.all(count == width - 1):
        return None
    columns = {h: i for i, h in reversed(list(enumerate(header)))}
    for wanted in (text_column, id_column, group_column):
        if wanted and wanted not in columns:
            return None
    ids_are_lines = id_column is None and "id" not in columns
    id_at = None if ids_are_lines else columns[id_column or "id"]
    text_at = columns[text_column]
    group_at = columns[group_column] if group_column else None
    start, end, first_sep = start[1:], end[1:], first_sep[1:]
    rec_end = end - (b[np.maximum(end - 1, 0)] == ord("\r"))

    def values(at: int) -> list[str]:
        """Column ``at`` of every row, unquoted and decoded field by field
        (a field that is not UTF-8 raises ``UnicodeDecodeError``)."""
        lo = start if at == 0 else sep[first_sep + at - 1] + 1
        hi = rec_end if at == width - 1 else sep[first_sep + at]
        quotes = np.searchsorted(qpos, hi) - np.searchsorted(qpos, lo)
        quoted = (
            (quotes > 0)
            & (b[np.minimum(lo, n - 1)] == quote)
            & (b[np.maximum(hi - 1, 0)] == quote)
            & (hi - lo >= 2)
        )
        if np.any((quotes > 0) & ~quoted):
            raise _Unusual
        inner = quoted & (quotes > 2)
        lo = lo + quoted
        hi = hi - quoted
        out = [data[x:y].decode() for x, y in zip(lo.tolist(), hi.tolist(), strict=True)]
        for i in np.flatnonzero(inner).tolist():
            value = out[i]
            if value.replace('""', "").count('"'):
                raise _Unusual
            out[i] = value.replace('""', '"')
        return out

    try:
        texts = values(text_at)
        ids = None if id_at is None else [v.strip() for v in values(id_at)]
        groups = None if group_at is None else [v.strip() for v in values(group_at)]
        # The other columns are read only to check that they are UTF-8 (every
        # byte outside the fields is an ASCII comma, quote or line end).
        for other in sorted(set(range(width)) - {text_at, id_at, group_at}):
            values(other)
    except (_Unusual, UnicodeDecodeError):
        return None
    if max(map(len, texts)) > max_chars or any(not t or t.isspace() for t in texts):
        return None
    if ids is not None and (len(set(ids)) != len(ids) or not all(ids)):
        return None
    lines = (np.searchsorted(newlines, start) + 1).tolist()
    if ids is None:
        ids = [str(line) for line in lines]
    return Rows(ids, texts, groups, lines, [], ids_are_lines)


def _positions(b, wanted: tuple[int, ...], block: int = 1 << 22) -> list:
    """The positions of each of the byte values ``wanted`` in ``b``, found
    block by block: no temporary array the size of the file."""
    import numpy as np

    found: list[list] = [[] for _ in wanted]
    for start in range(0, len(b), block):
        part = b[start : start + block]
        for out, value in zip(found, wanted, strict=True):
            out.append(np.flatnonzero(part == value) + start)
    return [np.concatenate(parts) if parts else np.zeros(0, np.int64) for parts in found]


class _Unusual(Exception):
    """The fast reader met something the csv module must judge."""
