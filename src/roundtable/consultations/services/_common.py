"""Helpers the consultation services share."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from roundtable.people.models import Region, StakeholderGroup
from roundtable.processes.models import Process

from ..models import TARGET_LABELS


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))


def ip_hash(ip: str) -> str:
    """A keyed hash of an IP address: enough to rate-limit, useless to anyone else."""
    if not ip:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()


def language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def resolve_group(value: StakeholderGroup | str | None, field: str = "stakeholder_group"):
    if value is None or value == "" or isinstance(value, StakeholderGroup):
        return value or None
    group = StakeholderGroup.objects.filter(slug=value).first()
    if group is None:
        raise ValidationError(
            {field: [_("Unknown stakeholder group “%(value)s”.") % {"value": value}]}
        )
    return group


def resolve_region(value: Region | str | None, field: str = "region"):
    if value is None or value == "" or isinstance(value, Region):
        return value or None
    region = Region.objects.filter(slug=value).first()
    if region is None:
        raise ValidationError({field: [_("Unknown region “%(value)s”.") % {"value": value}]})
    return region


def _process_id_of(obj: Any, depth: int = 0) -> int | None:
    """The process an object belongs to, following document/section links.

    The drafting app is built separately; a paragraph is expected to reach its
    process through ``document`` (or ``section.document``).
    """
    if obj is None or depth > 3:
        return None
    if isinstance(obj, Process):
        return obj.pk
    if getattr(obj, "process_id", None) is not None:
        return obj.process_id
    for parent in ("document", "section", "call"):
        if hasattr(obj, parent):
            found = _process_id_of(getattr(obj, parent), depth + 1)
            if found is not None:
                return found
    return None


def target_model(label: str) -> type[models.Model] | None:
    """The model a target label names, or None if that app has no such model (yet)."""
    if label not in TARGET_LABELS:
        return None
    app_label, model_name = label.split(".")
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def resolve_target(
    *, label: str, target_id: Any, process: Process, field: str = "target"
) -> tuple[ContentType, models.Model]:
    """A (content type, object) pair for a label like ``agenda.policyissue`` in ``process``."""
    model = target_model((label or "").lower())
    if model is None:
        raise ValidationError(
            {field: [_("“%(label)s” cannot be the subject of a call.") % {"label": label}]}
        )
    try:
        pk = int(target_id)
    except (TypeError, ValueError):
        raise ValidationError({field: [_("Choose what the call is about.")]}) from None
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None or _process_id_of(obj) != process.pk:
        raise ValidationError({field: [_("This item does not exist in this process.")]})
    return ContentType.objects.get_for_model(model), obj


def describe_target(obj: Any) -> str:
    """A short human label: ``Policy issue: Spam``."""
    if obj is None:
        return ""
    return f"{obj._meta.verbose_name.capitalize()}: {obj}"


def url_of(obj: Any) -> str:
    getter = getattr(obj, "get_absolute_url", None)
    if getter is None:
        return ""
    try:
        return getter()
    except Exception:
        # An app whose pages are not built yet has no reversible URL.
        return ""


PROCESS_PATHS = ("process", "document__process", "section__document__process")


def objects_in_process(model: type[models.Model], process: Process, limit: int = 500) -> list[Any]:
    """Objects of ``model`` in ``process``, trying the usual paths to the process."""
    from django.core.exceptions import FieldError

    for path in PROCESS_PATHS:
        try:
            return list(model._default_manager.filter(**{path: process})[:limit])
        except FieldError:
            continue
    return []


def target_choices(process: Process, labels: tuple[str, ...] = TARGET_LABELS) -> list[Any]:
    """Grouped choices ``label:id`` for forms: clusters, issues, and drafting once it exists."""
    groups = []
    for label in labels:
        model = target_model(label)
        if model is None:
            continue
        objects = objects_in_process(model, process)
        if objects:
            groups.append(
                (
                    str(model._meta.verbose_name_plural).capitalize(),
                    [(f"{label}:{obj.pk}", str(obj)[:120]) for obj in objects],
                )
            )
    return groups
