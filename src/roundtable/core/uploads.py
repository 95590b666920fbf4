"""Checking uploaded files by their content, and naming them safely.

One checker for every app that takes files: the caller says which kinds it
accepts and passes its limits (each app keeps them as settings in its
``conf.py``). The kind is read from the bytes, never from the name or the
declared Content-Type. Zip-based documents (DOCX, XLSX, PPTX, ODT, ODS, ODP)
are listed and then decompressed under a budget, so a zip bomb is refused
before it can fill the disk or the memory. Text must be UTF-8 without NUL
bytes, and text a browser would take for a web page (HTML, SVG, XML) is not
plain text.

``check_upload`` reads a file handle in chunks (an uploaded file, hashed as it
is read); ``check_bytes`` does the same for bytes already in memory (the mail
gateway's attachments). Both raise a ``ValidationError`` whose message names
the file, or return a ``CheckedFile``.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import io
import lzma
import re
import struct
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

CHUNK = 64 * 1024
# Below this size an entry's compression ratio is not worth checking.
RATIO_FLOOR_BYTES = 1024 * 1024
# How much of a text file is looked at to tell markup from plain text: more than
# the 1445 bytes a browser sniffs (WHATWG MIME Sniffing, "resource header").
TEXT_HEAD_CHARS = 2048


@dataclass(frozen=True, eq=False)
class Kind:
    """A file format we can recognise from its bytes. Compared by identity."""

    key: str
    extension: str
    content_type: str
    label: Promise

    def __repr__(self) -> str:
        return f"Kind({self.key!r})"


PDF = Kind("pdf", ".pdf", "application/pdf", gettext_lazy("PDF"))
DOCX = Kind(
    "docx",
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    gettext_lazy("Word (DOCX)"),
)
XLSX = Kind(
    "xlsx",
    ".xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    gettext_lazy("Excel (XLSX)"),
)
PPTX = Kind(
    "pptx",
    ".pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    gettext_lazy("PowerPoint (PPTX)"),
)
ODT = Kind(
    "odt",
    ".odt",
    "application/vnd.oasis.opendocument.text",
    gettext_lazy("OpenDocument text (ODT)"),
)
ODS = Kind(
    "ods",
    ".ods",
    "application/vnd.oasis.opendocument.spreadsheet",
    gettext_lazy("OpenDocument spreadsheet (ODS)"),
)
ODP = Kind(
    "odp",
    ".odp",
    "application/vnd.oasis.opendocument.presentation",
    gettext_lazy("OpenDocument presentation (ODP)"),
)
TXT = Kind("txt", ".txt", "text/plain; charset=utf-8", gettext_lazy("plain text (UTF-8)"))
PNG = Kind("png", ".png", "image/png", gettext_lazy("PNG image"))
JPEG = Kind("jpeg", ".jpg", "image/jpeg", gettext_lazy("JPEG image"))
GIF = Kind("gif", ".gif", "image/gif", gettext_lazy("GIF image"))
WEBP = Kind("webp", ".webp", "image/webp", gettext_lazy("WebP image"))

ALL_KINDS = (PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, TXT, PNG, JPEG, GIF, WEBP)
ZIP_KINDS = (DOCX, XLSX, PPTX, ODT, ODS, ODP)
# Names a file may carry for each kind (".jpeg" is as common as ".jpg").
_EXTENSIONS = {kind.extension: kind for kind in ALL_KINDS} | {".jpeg": JPEG}

# Office Open XML: the package's content types plus the main part of each application.
_OOXML_PARTS = (
    ("word/document.xml", DOCX),
    ("xl/workbook.xml", XLSX),
    ("ppt/presentation.xml", PPTX),
)
# OpenDocument: the first entry, "mimetype", holds the media type, stored uncompressed.
_ODF_TYPES = {kind.content_type.encode(): kind for kind in (ODT, ODS, ODP)}

# What reading a damaged or hostile archive may raise; each means "cannot be opened".
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,  # compression or encryption method zipfile does not know
    RuntimeError,  # encrypted entry
    ValueError,  # includes UnicodeDecodeError on a mis-flagged entry name
    EOFError,
    OSError,  # includes bz2's errors
    zlib.error,
    lzma.LZMAError,
    struct.error,
    KeyError,
    IndexError,
    OverflowError,
)


@dataclass(frozen=True)
class Limits:
    """What one upload may be; every figure comes from the calling app's settings."""

    max_bytes: int
    max_unzipped_bytes: int
    max_zip_ratio: int
    max_zip_entries: int


@dataclass(frozen=True)
class CheckedFile:
    kind: Kind
    filename: str  # safe for display, headers and file systems; ends in the kind's extension
    size: int
    sha256: str
    content: bytes | None = field(default=None, repr=False)  # set by check_bytes

    @property
    def content_type(self) -> str:
        return self.kind.content_type


# --- Messages ----------------------------------------------------------------------------


def kind_names(kinds: Collection[Kind]) -> str:
    """The accepted kinds as a list people read: "PDF, Word (DOCX), plain text (UTF-8)"."""
    # Translators: between the names of file kinds in a list ("PDF, Word (DOCX)").
    return pgettext("separator between items of a list", ", ").join(
        str(kind.label) for kind in kinds
    )


def _refuse(name: str, message: str, code: str, field_name: str) -> ValidationError:
    # Translators: a file's name, then what is wrong with it (a sentence starting in lower case).
    named = _("“%(name)s”: %(problem)s") % {"name": name, "problem": message}
    return ValidationError({field_name: [ValidationError(named, code=code)]})


def human_size(size: int) -> str:
    """1048576 -> '1 MB' (the unit in the limits people are told about)."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            value = size / factor
            return (
                f"{value:.0f} {unit}" if value >= 10 else f"{value:.1f} {unit}".replace(".0 ", " ")
            )
    return f"{size} B"


# --- Checking ----------------------------------------------------------------------------


class _Check:
    """One file being checked: its display name, the accepted kinds, the limits."""

    def __init__(
        self, handle: IO[bytes], name: str, kinds: Collection[Kind], limits: Limits, field: str
    ) -> None:
        self.handle = handle
        self.name = name
        self.kinds = tuple(kinds)
        self.limits = limits
        self.field = field

    def refuse(self, message: str, code: str) -> ValidationError:
        return _refuse(self.name, message, code, self.field)

    def not_accepted(self, kind: Kind) -> ValidationError:
        return self.refuse(
            # Translators: %(kind)s is a kind of file, as "Word (DOCX)" or "PNG image".
            _("%(kind)s files are not accepted here; accepted: %(kinds)s.")
            % {"kind": kind.label, "kinds": kind_names(self.kinds)},
            "not_accepted",
        )

    def unknown(self) -> ValidationError:
        return self.refuse(
            _("this is not one of the accepted kinds: %(kinds)s.")
            % {"kinds": kind_names(self.kinds)},
            "not_accepted",
        )

    def damaged(self) -> ValidationError:
        return self.refuse(_("the file is damaged or encrypted and cannot be opened."), "damaged")

    def bomb(self) -> ValidationError:
        return self.refuse(
            _("the file expands to far more than its size (a “zip bomb”), so it was refused."),
            "zip_bomb",
        )

    # Reading -------------------------------------------------------------------------

    def read_head_and_hash(self) -> tuple[bytes, int, str]:
        self.handle.seek(0)
        digest = hashlib.sha256()
        size = 0
        head = b""
        while chunk := self.handle.read(CHUNK):
            if len(head) < 16:
                head += chunk[: 16 - len(head)]
            size += len(chunk)
            if size > self.limits.max_bytes:
                raise self.refuse(
                    _("the file is larger than %(limit)s.")
                    % {"limit": human_size(self.limits.max_bytes)},
                    "too_large",
                )
            digest.update(chunk)
        self.handle.seek(0)
        return head, size, digest.hexdigest()

    def detect(self, head: bytes, size: int) -> Kind:
        if head.startswith(b"PK\x03\x04"):
            return self.check_zip(size)
        found = _magic_kind(head)
        if found is not None:
            if found not in self.kinds:
                raise self.not_accepted(found)
            return found
        problem = _text_problem(self.handle)
        claimed = _EXTENSIONS.get(_extension(self.name))
        if problem is not None and claimed in self.kinds and claimed is not TXT:
            # Named like a document, but the bytes say otherwise (an executable, say).
            raise self.refuse(
                _(
                    "the name ends in %(extension)s but the content is not a %(extension)s "
                    "file. Files are checked by their content; accepted: %(kinds)s."
                )
                % {"extension": _extension(self.name), "kinds": kind_names(self.kinds)},
                "misnamed",
            )
        if problem == "binary" or (problem is not None and TXT not in self.kinds):
            raise self.unknown()
        if problem == "encoding":
            raise self.refuse(
                _(
                    "this text file is not in UTF-8 (or is not text at all). Save it as "
                    "UTF-8; accepted: %(kinds)s."
                )
                % {"kinds": kind_names(self.kinds)},
                "not_utf8",
            )
        if problem == "markup":
            raise self.refuse(
                _(
                    "this is a web page or other markup (HTML, SVG or XML), not plain text; "
                    "it could carry scripts, so it was refused. Accepted: %(kinds)s."
                )
                % {"kinds": kind_names(self.kinds)},
                "markup",
            )
        if TXT not in self.kinds:
            raise self.not_accepted(TXT)
        return TXT

    # Zip-based documents ---------------------------------------------------------------

    def check_zip(self, archive_size: int) -> Kind:
        """A zip-based document whose entries fit the budget, or a clear refusal."""
        limits = self.limits
        self.handle.seek(0)
        try:
            archive = zipfile.ZipFile(self.handle)
        except _ZIP_ERRORS:
            raise self.damaged() from None
        with archive:
            entries = archive.infolist()
            if len(entries) > limits.max_zip_entries:
                raise self.refuse(
                    _("the archive has more than %(count)d parts, so it was refused.")
                    % {"count": limits.max_zip_entries},
                    "too_many_parts",
                )
            kind = self.zip_kind(archive, entries)
            if kind is None:
                if not any(k in ZIP_KINDS for k in self.kinds):
                    raise self.unknown()
                raise self.refuse(
                    _("this is a zip archive, not a document; accepted: %(kinds)s.")
                    % {"kinds": kind_names(self.kinds)},
                    "not_accepted",
                )
            if kind not in self.kinds:
                raise self.not_accepted(kind)
            declared = sum(entry.file_size for entry in entries)
            if declared > limits.max_unzipped_bytes:
                raise self.bomb()
            for entry in entries:
                # 0x1: encrypted; 0x40: strong encryption.
                if entry.flag_bits & 0x41:
                    raise self.damaged()
                if entry.file_size > RATIO_FLOOR_BYTES and entry.file_size > (
                    limits.max_zip_ratio * max(entry.compress_size, 1)
                ):
                    raise self.bomb()
            if declared > RATIO_FLOOR_BYTES and declared > limits.max_zip_ratio * max(
                archive_size, 1
            ):
                raise self.bomb()
            self.decompress_under_budget(archive, entries)
        self.handle.seek(0)
        return kind

    def zip_kind(self, archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> Kind | None:
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" in names:
            for part, kind in _OOXML_PARTS:
                if part in names:
                    return kind
            return None
        if entries and entries[0].filename == "mimetype" and "content.xml" in names:
            try:
                # Read a few bytes only: the budget has not been checked yet.
                with archive.open(entries[0]) as member:
                    mimetype = member.read(100).strip()
            except _ZIP_ERRORS:
                raise self.damaged() from None
            return _ODF_TYPES.get(mimetype)
        return None

    def decompress_under_budget(
        self, archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]
    ) -> None:
        # Declared sizes can lie: decompress every entry under the same budget.
        # zipfile stops at the declared size and then checks the CRC, so a
        # lying header ends in BadZipFile rather than in an endless stream.
        budget = self.limits.max_unzipped_bytes
        for entry in entries:
            try:
                with archive.open(entry) as member:
                    while chunk := member.read(CHUNK):
                        budget -= len(chunk)
                        if budget < 0:
                            raise self.bomb()
            except _ZIP_ERRORS:
                raise self.damaged() from None


_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
)


def _magic_kind(head: bytes) -> Kind | None:
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    return None


# What a browser would take for HTML or XML, after the WHATWG MIME Sniffing
# Standard ("rules for identifying an unknown MIME type"), plus SVG and any
# doctype: a tag or comment at the start, after white space and a byte-order mark.
_MARKUP = re.compile(
    r"<!doctype|<\?xml|<svg|<!--"
    r"|<(?:html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p)[\s>/]",
    re.IGNORECASE,
)


def _text_problem(handle: IO[bytes]) -> str | None:
    """None for UTF-8 plain text, else "binary", "encoding" or "markup". Streams the file."""
    handle.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    head = ""
    try:
        first = handle.read(CHUNK)
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # "Unicode" text from Windows Notepad and older Office: the fix is to save as UTF-8.
            return "encoding"
        handle.seek(0)
        while chunk := handle.read(CHUNK):
            if b"\x00" in chunk:
                return "binary"
            text = decoder.decode(chunk)
            if len(head) < TEXT_HEAD_CHARS:
                head += text[: TEXT_HEAD_CHARS - len(head)]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "encoding"
    finally:
        handle.seek(0)
    if _MARKUP.match(head.lstrip("\ufeff \t\n\r\f")):
        return "markup"
    return None


def _extension(name: str) -> str:
    match = re.search(r"(\.[A-Za-z0-9]{1,8})$", name or "")
    return match.group(1).lower() if match else ""


def _display_name(name: str) -> str:
    """The name as sent, made safe to show (a bidi override could disguise it)."""
    return sanitise_filename(name, _extension(name))


def check_upload(
    handle: IO[bytes],
    name: str,
    *,
    kinds: Collection[Kind],
    limits: Limits,
    field: str = "attachments",
) -> CheckedFile:
    """Check one file handle (read in chunks, hashed); return what it is, or refuse it.

    The ``ValidationError`` is ``{field: [message naming the file]}``; the
    handle is left at its start.
    """
    check = _Check(handle, _display_name(name), kinds, limits, field)
    head, size, sha256 = check.read_head_and_hash()
    if size == 0:
        raise check.refuse(_("the file is empty."), "empty")
    kind = check.detect(head, size)
    handle.seek(0)
    return CheckedFile(
        kind=kind, filename=sanitise_filename(name, kind.extension), size=size, sha256=sha256
    )


def check_bytes(
    content: bytes,
    name: str,
    *,
    kinds: Collection[Kind],
    limits: Limits,
    field: str = "attachments",
) -> CheckedFile:
    """``check_upload`` for a file already in memory; the result carries the bytes."""
    checked = check_upload(io.BytesIO(content), name, kinds=kinds, limits=limits, field=field)
    return CheckedFile(
        kind=checked.kind,
        filename=checked.filename,
        size=checked.size,
        sha256=checked.sha256,
        content=content,
    )


def check_count(count: int, *, maximum: int, field: str = "attachments") -> None:
    """Refuse more than ``maximum`` files (``count`` includes files already attached)."""
    if count > maximum:
        raise ValidationError(
            {
                field: [
                    ValidationError(
                        ngettext(
                            "You can attach at most %(count)d file.",
                            "You can attach at most %(count)d files.",
                            maximum,
                        )
                        % {"count": maximum},
                        code="too_many_files",
                    )
                ]
            }
        )


# --- Names and storage -------------------------------------------------------------------

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
