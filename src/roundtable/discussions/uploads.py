"""The files a message may carry, from the web form or the mail gateway, and their limits.

Documents (PDF, OpenDocument, Word, Excel, PowerPoint), plain text and
images (PNG, JPEG, GIF, WebP). The checking itself (content sniffing,
zip-bomb limits, safe names) is ``roundtable.core.uploads``; the limits are
this app's settings (``conf.py``).
"""

from __future__ import annotations

from roundtable.core import uploads
from roundtable.core.uploads import (
    DOCX,
    GIF,
    JPEG,
    ODP,
    ODS,
    ODT,
    PDF,
    PNG,
    PPTX,
    TXT,
    WEBP,
    XLSX,
    CheckedFile,
)

from . import conf

ACCEPTED = (PDF, ODT, ODS, ODP, DOCX, XLSX, PPTX, TXT, PNG, JPEG, GIF, WEBP)

__all__ = ["ACCEPTED", "CheckedFile", "check_attachments", "limits"]


def limits() -> uploads.Limits:
    return uploads.Limits(
        max_bytes=conf.max_attachment_bytes(),
        max_unzipped_bytes=conf.max_unzipped_bytes(),
        max_zip_ratio=conf.max_zip_ratio(),
        max_zip_entries=conf.max_zip_entries(),
    )


def check_attachments(files: list[tuple[str, bytes]]) -> list[CheckedFile]:
    """Check a message's files (name, bytes); raises a ValidationError naming the first bad one."""
    uploads.check_count(len(files), maximum=conf.max_attachments())
    current = limits()
    return [
        uploads.check_bytes(content, name, kinds=ACCEPTED, limits=current)
        for name, content in files
    ]
