"""A session's agenda: items linked to clusters, issues and documents."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from roundtable.agenda.models import Cluster, PolicyIssue
from roundtable.audit.services import audit_record
from roundtable.people.models import Person
from roundtable.processes.models import Process

from .. import conf, policy
from ..models import (
    AgendaItem,
    Session,
)
from ._common import locked, require

# Agenda -----------------------------------------------------------------------------------


def _resolve(model: type[models.Model], value: Any, process: Process, field: str) -> Any:
    if value in (None, ""):
        return None
    obj = value if isinstance(value, model) else model.objects.filter(pk=value).first()
    if obj is None or obj.process_id != process.pk:
        raise ValidationError({field: [_("Choose one from this process.")]})
    return obj


def resolve_document(value: Any, process: Process) -> tuple[ContentType, int] | None:
    """A document reference: a model instance, or ``("app_label.model", id)``.

    Only the models named in the MEETINGS_DOCUMENT_MODELS setting are
    accepted, and only documents of the same process.
    """
    if value in (None, "", ()):
        return None
    label, obj = None, None
    if isinstance(value, models.Model):
        label, obj = value._meta.label_lower, value
    else:
        try:
            label, pk = value
            label = str(label).lower()
            model = apps.get_model(label) if label in conf.document_models() else None
        except (ValueError, TypeError, LookupError):
            model = None
        obj = model.objects.filter(pk=pk).first() if model is not None else None
    if label not in conf.document_models() or obj is None:
        raise ValidationError({"document": [_("That document does not exist.")]})
    if getattr(obj, "process_id", process.pk) != process.pk:
        raise ValidationError({"document": [_("Choose a document of this process.")]})
    return ContentType.objects.get_for_model(obj), obj.pk


def _item_fields(item: AgendaItem, session: Session, changes: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    process = session.process
    if "title" in changes:
        title = " ".join((changes["title"] or "").split())
        if not title:
            errors["title"] = [_("Give the agenda item a title.")]
        item.title = title[:300]
    if "description" in changes:
        item.description = (changes["description"] or "").strip()[
            : settings.ROUNDTABLE["MAX_TEXT_CHARS"]
        ]
    if "planned_minutes" in changes:
        minutes = changes["planned_minutes"]
        if minutes is not None and not 0 < int(minutes) <= 24 * 60:
            errors["planned_minutes"] = [_("Give the planned time in minutes, up to a day.")]
        item.planned_minutes = minutes
    try:
        if "cluster" in changes:
            item.cluster = _resolve(Cluster, changes["cluster"], process, "cluster")
        if "policy_issue" in changes:
            item.policy_issue = _resolve(
                PolicyIssue, changes["policy_issue"], process, "policy_issue"
            )
        if "document" in changes:
            reference = resolve_document(changes["document"], process)
            item.document_type, item.document_id = reference if reference else (None, None)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agenda_item_add(*, actor: Person, session: Session, title: str, **fields: Any) -> AgendaItem:
    require(policy.can_edit_session(actor, session))
    session = locked(session)
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled; its agenda can no longer change."))
    count = session.agenda_items.count()
    if count >= conf.max_agenda_items():
        raise ValidationError(
            ngettext(
                "An agenda has at most %(limit)d item.",
                "An agenda has at most %(limit)d items.",
                conf.max_agenda_items(),
            )
            % {"limit": conf.max_agenda_items()}
        )
    unknown = set(fields) - {
        "description",
        "planned_minutes",
        "cluster",
        "policy_issue",
        "document",
    }
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    last = session.agenda_items.aggregate(models.Max("position"))["position__max"]
    item = AgendaItem(session=session, position=(last or 0) + 1 if count else 1)
    _item_fields(item, session, {"title": title, **fields})
    item.save()
    Session.objects.filter(pk=session.pk).update(updated_at=timezone.now())
    audit_record(
        actor=actor,
        action="agenda_item.added",
        obj=item,
        process=session.process,
        data={"session": session.pk},
    )
    return item


@transaction.atomic
def agenda_item_update(*, actor: Person, item: AgendaItem, **changes: Any) -> AgendaItem:
    session = item.session
    require(policy.can_edit_session(actor, session))
    unknown = set(changes) - {
        "title",
        "description",
        "planned_minutes",
        "cluster",
        "policy_issue",
        "document",
    }
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    _item_fields(item, session, changes)
    item.save()
    Session.objects.filter(pk=session.pk).update(updated_at=timezone.now())
    audit_record(
        actor=actor,
        action="agenda_item.updated",
        obj=item,
        process=session.process,
        data={"session": session.pk, "fields": sorted(changes)},
    )
    return item


@transaction.atomic
def agenda_item_remove(*, actor: Person, item: AgendaItem) -> None:
    session = item.session
    require(policy.can_edit_session(actor, session))
    if item.statements.exists() or item.floor_requests.exists() or item.actions.exists():
        raise ValidationError(
            _("This item has been discussed (statements, speaking turns or actions); keep it.")
        )
    audit_record(
        actor=actor,
        action="agenda_item.removed",
        obj=item,
        process=session.process,
        data={"session": session.pk, "title": item.title},
    )
    item.delete()
    Session.objects.filter(pk=session.pk).update(updated_at=timezone.now())


@transaction.atomic
def agenda_item_move(*, actor: Person, item: AgendaItem, direction: int) -> None:
    """Swap the item with its neighbour above (-1) or below (+1)."""
    session = item.session
    require(policy.can_edit_session(actor, session))
    items = list(session.agenda_items.select_for_update().order_by("position", "pk"))
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    other = index + (1 if direction > 0 else -1)
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, candidate in enumerate(items, start=1):
        if candidate.position != position:
            AgendaItem.objects.filter(pk=candidate.pk).update(position=position)
    audit_record(
        actor=actor,
        action="agenda_item.moved",
        obj=item,
        process=session.process,
        data={"session": session.pk, "direction": direction},
    )
