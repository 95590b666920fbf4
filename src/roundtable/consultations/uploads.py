"""The files consultations accept, and their limits.

Submissions and working papers take PDF, DOCX, ODT and plain text (UTF-8).
The checking itself (content sniffing, zip-bomb limits, safe names) is
``roundtable.core.uploads``; the limits are this app's settings (``conf.py``).
"""

from __future__ import annotations

from typing import IO

from roundtable.core import uploads
from roundtable.core.uploads import DOCX, ODT, PDF, TXT, CheckedFile

from .conf import limit

ACCEPTED = (PDF, DOCX, ODT, TXT)


def limits(*, max_bytes: int) -> uploads.Limits:
    return uploads.Limits(
        max_bytes=max_bytes,
        max_unzipped_bytes=limit("CONSULTATION_MAX_UNZIPPED_BYTES"),
        max_zip_ratio=limit("CONSULTATION_MAX_ZIP_RATIO"),
        max_zip_entries=limit("CONSULTATION_MAX_ZIP_ENTRIES"),
    )


def check_upload(
    handle: IO[bytes], name: str, *, max_bytes: int, field: str = "attachments"
) -> CheckedFile:
    """Check one uploaded file; return what it is, or raise a ValidationError that names it."""
    return uploads.check_upload(
        handle, name, kinds=ACCEPTED, limits=limits(max_bytes=max_bytes), field=field
    )
