"""Helpers shared by the services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .. import conf
from ..assessment import SLUG as ASSESSMENT_SLUG
from ..assessment import assessment_xlsx
from ..xlsform import Form, FormError, read_xlsform

TEMPLATES = {ASSESSMENT_SLUG: assessment_xlsx}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))


def _form_from(data: bytes, field: str = "file") -> Form:
    try:
        return read_xlsform(data, limits=conf.form_limits())
    except FormError as error:
        raise ValidationError({field: error.messages(_)}) from None


def _title(title: str | None, form: Form) -> str:
    title = " ".join((title or "").split())[:200] or form.title[:200]
    if not title:
        raise ValidationError({"title": [_("Give the survey a title.")]})
    return title
