"""Checking attachments by their content, not their name or declared type.

The consultations app was to provide the shared upload checker; it is not on
main yet, so this app carries its own (same rules: a short list of document
and image formats recognised from their bytes, size and count limits from
settings). Once a shared checker lands, this module should call it.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from . import conf


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    content: bytes


# (magic bytes, content type, extension)
_SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
]

_ZIP_KINDS = {
    "word/document.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "xl/workbook.xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
}

_ODF = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}


def sniff(content: bytes) -> tuple[str, str] | None:
    """(content type, usual extension) recognised from the bytes, or None."""
    for magic, content_type, extension in _SIGNATURES:
        if content.startswith(magic):
            return content_type, extension
    if content.startswith(b"RIFF") and content[8:12] == b"WEBP":
        return "image/webp", "webp"
    if content.startswith(b"PK\x03\x04"):
        return _sniff_zip(content)
    if _is_plain_text(content):
        return "text/plain", "txt"
    return None


def _sniff_zip(content: bytes) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").strip()
                if mimetype in _ODF:
                    return mimetype.decode(), _ODF[mimetype]
                return None
            if "[Content_Types].xml" in names:
                for marker, kind in _ZIP_KINDS.items():
                    if marker in names:
                        return kind
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    return None


def _is_plain_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    # Markup is not plain text: an HTML or SVG file could carry script.
    head = text[:1024].lstrip().lower()
    return not head.startswith(("<!doctype", "<html", "<svg", "<?xml", "<script"))


_UNSAFE_NAME = re.compile(r"[^\w.\- ]+", re.UNICODE)


def safe_filename(name: str, extension: str) -> str:
    """A display name without paths or odd characters, ending in the real type's extension."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = _UNSAFE_NAME.sub("_", stem).strip(" ._")[:100] or "attachment"
    return f"{stem}.{extension}"


def check_attachments(files: list[tuple[str, bytes]]) -> list[CheckedFile]:
    """Check a message's files; raises a ValidationError naming the first bad one."""
    limit = conf.max_attachments()
    if len(files) > limit:
        raise ValidationError(
            {
                "attachments": [
                    _("A message can carry at most %(count)d attachments; this one has %(given)d.")
                    % {"count": limit, "given": len(files)}
                ]
            }
        )
    max_bytes = conf.max_attachment_bytes()
    checked = []
    for name, content in files:
        if len(content) > max_bytes:
            raise ValidationError(
                {
                    "attachments": [
                        _("“%(name)s” is %(size)s; the limit is %(limit)s per file.")
                        % {
                            "name": name,
                            "size": filesizeformat(len(content)),
                            "limit": filesizeformat(max_bytes),
                        }
                    ]
                }
            )
        if not content:
            raise ValidationError({"attachments": [_("“%(name)s” is empty.") % {"name": name}]})
        kind = sniff(content)
        if kind is None:
            raise ValidationError(
                {
                    "attachments": [
                        _(
                            "“%(name)s” is not a file type we accept. Send PDF, OpenDocument, "
                            "Word, Excel or PowerPoint documents, plain text, or PNG, JPEG, "
                            "GIF or WebP images."
                        )
                        % {"name": name}
                    ]
                }
            )
        content_type, extension = kind
        checked.append(CheckedFile(safe_filename(name, extension), content_type, content))
    return checked
