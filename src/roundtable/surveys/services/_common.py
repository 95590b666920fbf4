"""Helpers shared by the services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from roundtable.core.uploads import XLSX, check_bytes

from .. import conf
from ..assessment import SLUG as ASSESSMENT_SLUG
from ..assessment import assessment_xlsx
from ..xlsform import Form, FormError, read_xlsform

TEMPLATES = {ASSESSMENT_SLUG: assessment_xlsx}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))


def check_workbook(data: bytes, field: str = "file", name: str = "workbook.xlsx") -> None:
    """Refuse a zip bomb or a non-workbook before openpyxl decompresses anything.

    CSV (not a zip) is left to the response reader, which names its lines.
    """
    if data[:4] != b"PK\x03\x04":
        return
    check_bytes(data, name, kinds=(XLSX,), limits=conf.workbook_limits(), field=field)


def _form_from(data: bytes, field: str = "file") -> Form:
    check_workbook(data, field)
    try:
        return read_xlsform(data, limits=conf.form_limits())
    except FormError as error:
        raise ValidationError({field: error.messages(_)}) from None


def _title(title: str | None, form: Form) -> str:
    title = " ".join((title or "").split())[:200] or form.title[:200]
    if not title:
        raise ValidationError({"title": [_("Give the survey a title.")]})
    return title
