"""Checking uploaded files by their content, and naming them safely.

Accepted: PDF, DOCX, ODT and plain text (UTF-8). The type is read from the
bytes, never from the name or the browser's Content-Type. DOCX and ODT are
zip archives: their entries are listed and decompressed under a budget, so a
zip bomb is refused before it can fill the disk or the memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import unicodedata
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from .conf import limit

CHUNK = 64 * 1024
# Below this size an entry's compression ratio is not worth checking.
RATIO_FLOOR_BYTES = 1024 * 1024

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class Kind:
    key: str
    extension: str
    content_type: str


PDF = Kind("pdf", ".pdf", "application/pdf")
DOCX = Kind(
    "docx",
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
ODT = Kind("odt", ".odt", "application/vnd.oasis.opendocument.text")
TXT = Kind("txt", ".txt", "text/plain; charset=utf-8")
KINDS = {kind.extension: kind for kind in (PDF, DOCX, ODT, TXT)}


@dataclass(frozen=True)
class CheckedFile:
    kind: Kind
    filename: str
    size: int
    sha256: str


def _kind_names() -> str:
    return _("PDF, Word (DOCX), OpenDocument text (ODT) or plain text (UTF-8)")


def _refuse(name: str, message: str) -> ValidationError:
    return ValidationError({"attachments": [f"“{name}”: {message}"]})


def _read_head_and_hash(handle: IO[bytes], max_bytes: int, name: str) -> tuple[bytes, int, str]:
    handle.seek(0)
    digest = hashlib.sha256()
    size = 0
    head = b""
    while True:
        chunk = handle.read(CHUNK)
        if not chunk:
            break
        if not head:
            head = chunk[:16]
        size += len(chunk)
        if size > max_bytes:
            raise _refuse(
                name,
                _("the file is larger than %(limit)s.") % {"limit": human_size(max_bytes)},
            )
        digest.update(chunk)
    handle.seek(0)
    return head, size, digest.hexdigest()


def human_size(size: int) -> str:
    """1048576 -> '1 MB' (the unit in the limits people are told about)."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            value = size / factor
            return (
                f"{value:.0f} {unit}" if value >= 10 else f"{value:.1f} {unit}".replace(".0 ", " ")
            )
    return f"{size} B"


def _check_zip(handle: IO[bytes], name: str, archive_size: int) -> Kind:
    """A DOCX or ODT whose entries fit the budget, or a clear refusal."""
    damaged = _("the file is damaged or encrypted and cannot be opened.")
    max_total = limit("CONSULTATION_MAX_UNZIPPED_BYTES")
    max_ratio = limit("CONSULTATION_MAX_ZIP_RATIO")
    max_entries = limit("CONSULTATION_MAX_ZIP_ENTRIES")
    bomb = _("the file expands to far more than its size (a “zip bomb”), so it was refused.")
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _refuse(name, damaged) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > max_entries:
            raise _refuse(
                name,
                _("the archive has more than %(count)d parts, so it was refused.")
                % {"count": max_entries},
            )
        names = {entry.filename for entry in entries}
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            kind = DOCX
        elif entries and entries[0].filename == "mimetype" and "content.xml" in names:
            try:
                mimetype = archive.read(entries[0]).strip()
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, OSError):
                raise _refuse(name, damaged) from None
            if mimetype != ODT_MIMETYPE:
                raise _refuse(
                    name,
                    _("this OpenDocument file is not a text document; accepted: %(kinds)s.")
                    % {"kinds": _kind_names()},
                )
            kind = ODT
        else:
            raise _refuse(
                name,
                _("this is a zip archive, not a document; accepted: %(kinds)s.")
                % {"kinds": _kind_names()},
            )
        declared = sum(entry.file_size for entry in entries)
        if declared > max_total:
            raise _refuse(name, bomb)
        for entry in entries:
            if entry.flag_bits & 0x1:
                raise _refuse(name, damaged)
            if entry.file_size > RATIO_FLOOR_BYTES and entry.file_size > max_ratio * max(
                entry.compress_size, 1
            ):
                raise _refuse(name, bomb)
        if declared > RATIO_FLOOR_BYTES and declared > max_ratio * max(archive_size, 1):
            raise _refuse(name, bomb)
        # Declared sizes can lie: decompress every entry under the same budget.
        # zipfile stops at the declared size and then checks the CRC, so a
        # lying header ends in BadZipFile rather than in an endless stream.
        budget = max_total
        for entry in entries:
            try:
                with archive.open(entry) as member:
                    while True:
                        chunk = member.read(CHUNK)
                        if not chunk:
                            break
                        budget -= len(chunk)
                        if budget < 0:
                            raise _refuse(name, bomb)
            except ValidationError:
                raise
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, OSError):
                raise _refuse(name, damaged) from None
    handle.seek(0)
    return kind


def _check_text(handle: IO[bytes], name: str) -> Kind:
    handle.seek(0)
    data = handle.read()
    handle.seek(0)
    if b"\x00" in data:
        raise _refuse(
            name, _("this is not one of the accepted kinds: %(kinds)s.") % {"kinds": _kind_names()}
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(
            name,
            _(
                "this text file is not in UTF-8 (or is not text at all). Save it as UTF-8, "
                "or send a PDF, DOCX or ODT instead."
            ),
        ) from None
    return TXT


def detect_kind(handle: IO[bytes], name: str, size: int, head: bytes) -> Kind:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _check_zip(handle, name, size)
    claimed = KINDS.get(_extension(name))
    if claimed is not None and claimed is not TXT:
        # Named like a document, but the bytes say otherwise (an executable, say).
        try:
            _check_text(handle, name)
        except ValidationError:
            raise _refuse(
                name,
                _(
                    "the name ends in %(extension)s but the content is not a %(extension)s "
                    "file. Files are checked by their content; accepted: %(kinds)s."
                )
                % {"extension": _extension(name), "kinds": _kind_names()},
            ) from None
    return _check_text(handle, name)


def _extension(name: str) -> str:
    match = re.search(r"(\.[A-Za-z0-9]{1,8})$", name or "")
    return match.group(1).lower() if match else ""


_UNSAFE = re.compile(r"[^\w\s().,\-]+", re.UNICODE)


def sanitise_filename(name: str, extension: str, *, max_stem: int = 100) -> str:
    """A display name safe in any header or file system, with the checked extension.

    Path parts, control and formatting characters (bidi overrides included)
    and anything outside letters, digits, spaces and ``().,-_`` are removed;
    letters of any script are kept, so an Arabic or Chinese name stays legible.
    """
    name = unicodedata.normalize("NFKC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    stem = name
    if _extension(stem):
        stem = stem[: -len(_extension(stem))]
    stem = _UNSAFE.sub("_", stem)
    stem = re.sub(r"\s+", " ", stem).strip(" ._-")
    stem = stem[:max_stem].strip(" ._-")
    return f"{stem or 'attachment'}{extension}"


def check_upload(handle: IO[bytes], name: str, *, max_bytes: int) -> CheckedFile:
    """Check one upload; return what it is, or raise a ValidationError that names it."""
    display = sanitise_filename(name, _extension(name) or "")
    head, size, sha256 = _read_head_and_hash(handle, max_bytes, display)
    if size == 0:
        raise _refuse(display, _("the file is empty."))
    kind = detect_kind(handle, display, size, head)
    return CheckedFile(
        kind=kind, filename=sanitise_filename(name, kind.extension), size=size, sha256=sha256
    )


def store(handle: IO[bytes], checked: CheckedFile, *, folder: str) -> str:
    """Save through the storage API under a random name; the stored name is returned."""
    handle.seek(0)
    return default_storage.save(
        f"{folder}/{uuid.uuid4().hex}{checked.kind.extension}", File(handle)
    )


def discard(names: list[str]) -> None:
    """Remove files saved by a write that then failed, so nothing is left half-stored."""
    for stored in names:
        with contextlib.suppress(OSError):
            default_storage.delete(stored)
