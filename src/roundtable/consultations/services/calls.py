"""Creating, editing and announcing calls for input.

A call's rules are frozen once it opens (Consul Democracy's users complained
of rules changed mid-vote): after that only the closing date may move, and
only later.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.audit.services import audit_record
from roundtable.people.models import Person
from roundtable.processes.models import Process

from .. import policy
from ..conf import limit
from ..models import Call, CallState, Publication, Question
from ._common import language_codes, require, resolve_target

MAX_QUESTION_CHARS = 2_000
RULE_FIELDS = (
    "title",
    "description",
    "languages",
    "publication",
    "moderation_rules",
    "questions",
    "target",
    "time_zone",
)
DATE_FIELDS = ("opens_at", "closes_at")


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            {"time_zone": [_("“%(zone)s” is not a known time zone.") % {"zone": name}]}
        ) from None


def _aware(value: dt.datetime | None, zone: zoneinfo.ZoneInfo, field: str) -> dt.datetime:
    if value is None:
        raise ValidationError({field: [_("Give a date and time.")]})
    if timezone.is_naive(value):
        value = value.replace(tzinfo=zone)
    return value.astimezone(dt.UTC)


def _clean_questions(questions: list[Any] | None) -> list[tuple[str, bool]]:
    cleaned: list[tuple[str, bool]] = []
    for item in questions or []:
        if isinstance(item, dict):
            text, required = str(item.get("text") or ""), bool(item.get("required"))
        else:
            text, required = str(item or ""), False
        text = text.strip()
        if not text:
            continue
        if len(text) > MAX_QUESTION_CHARS:
            raise ValidationError(
                {
                    "questions": [
                        _("Keep each question under %(limit)d characters.")
                        % {"limit": MAX_QUESTION_CHARS}
                    ]
                }
            )
        cleaned.append((text, required))
    if len(cleaned) > limit("CONSULTATION_MAX_QUESTIONS"):
        raise ValidationError(
            {
                "questions": [
                    _("A call can ask at most %(limit)d questions.")
                    % {"limit": limit("CONSULTATION_MAX_QUESTIONS")}
                ]
            }
        )
    return cleaned


def _clean_languages(languages: list[str] | None) -> list[str]:
    known = language_codes()
    languages = [code for code in (languages or []) if code]
    unknown = [code for code in languages if code not in known]
    if unknown:
        raise ValidationError(
            {"languages": [_("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)}]}
        )
    if not languages:
        raise ValidationError({"languages": [_("Accept at least one language.")]})
    return list(dict.fromkeys(languages))


def _validate(call: Call) -> None:
    errors: dict[str, list[str]] = {}
    if not call.title.strip():
        errors["title"] = [_("Give the call a title.")]
    if not call.description.strip():
        errors["description"] = [_("Say what input is wanted and why.")]
    if len(call.description) > limit("CONSULTATION_MAX_TEXT_CHARS"):
        errors["description"] = [_("The description is too long.")]
    if call.publication not in Publication.values:
        errors["publication"] = [_("Choose how submissions are published.")]
    if call.closes_at <= call.opens_at:
        errors["closes_at"] = [_("The call must close after it opens.")]
    if errors:
        raise ValidationError(errors)


def _set_questions(call: Call, questions: list[tuple[str, bool]]) -> None:
    call.questions.all().delete()
    Question.objects.bulk_create(
        Question(call=call, position=index, text=text, required=required)
        for index, (text, required) in enumerate(questions)
    )


@transaction.atomic
def call_create(
    *,
    actor: Person,
    process: Process,
    title: str,
    description: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    time_zone: str = "UTC",
    languages: list[str] | None = None,
    publication: str = Publication.AUTHOR_CHOICE,
    moderation_rules: str = "",
    questions: list[Any] | None = None,
    target_label: str = "",
    target_id: Any = None,
    publish: bool = False,
) -> Call:
    require(policy.can_create_call(actor, process))
    zone = _zone(time_zone)
    call = Call(
        process=process,
        title=(title or "").strip()[:300],
        description=(description or "").strip(),
        opens_at=_aware(opens_at, zone, "opens_at"),
        closes_at=_aware(closes_at, zone, "closes_at"),
        time_zone=str(zone.key),
        languages=_clean_languages(languages),
        publication=publication,
        moderation_rules=(moderation_rules or "").strip(),
        created_by=actor,
    )
    if target_label:
        call.target_type, target = resolve_target(
            label=target_label, target_id=target_id, process=process
        )
        call.target_id = target.pk
    _validate(call)
    if call.closes_at <= timezone.now():
        raise ValidationError({"closes_at": [_("The closing date is already past.")]})
    cleaned_questions = _clean_questions(questions)
    call.save()
    _set_questions(call, cleaned_questions)
    audit_record(
        actor=actor,
        action="call.created",
        obj=call,
        process=process,
        data={"opens_at": call.opens_at.isoformat(), "closes_at": call.closes_at.isoformat()},
    )
    if publish:
        call = call_publish(actor=actor, call=call)
    return call


@transaction.atomic
def call_update(*, actor: Person, call: Call, **changes: Any) -> Call:
    """Change a call; once it has opened only ``closes_at`` may change, and only later."""
    require(policy.can_edit_call(actor, call))
    call = Call.objects.select_for_update().get(pk=call.pk)
    unknown = set(changes) - set(RULE_FIELDS) - set(DATE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    zone = _zone(changes.get("time_zone", call.time_zone))
    new: dict[str, Any] = {}
    for field in DATE_FIELDS:
        if field in changes:
            new[field] = _aware(changes[field], zone, field)
    if "languages" in changes:
        new["languages"] = _clean_languages(changes["languages"])
    for field in ("title", "description", "moderation_rules"):
        if field in changes:
            new[field] = (changes[field] or "").strip()
    if "publication" in changes:
        new["publication"] = changes["publication"]
    if "time_zone" in changes:
        new["time_zone"] = str(zone.key)
    questions = _clean_questions(changes["questions"]) if "questions" in changes else None
    target = changes.get("target")
    if target is not None:
        label, target_id = target
        if label:
            content_type, obj = resolve_target(
                label=label, target_id=target_id, process=call.process
            )
            new["target_type"], new["target_id"] = content_type, obj.pk
        else:
            new["target_type"], new["target_id"] = None, None

    changed = {field for field, value in new.items() if getattr(call, field) != value}
    if questions is not None:
        current = [(q.text, q.required) for q in call.questions.all()]
        if current != questions:
            changed.add("questions")
    if not changed:
        return call

    state = call.state
    if state == CallState.CLOSED:
        raise ValidationError(_("This call has closed; it can no longer be changed."))
    if call.rules_frozen:
        frozen = changed - {"closes_at"}
        if frozen:
            raise ValidationError(
                _(
                    "The call is open, so its rules are frozen. Only the closing date can "
                    "be extended."
                )
            )
        if new["closes_at"] <= call.closes_at:
            raise ValidationError(
                {
                    "closes_at": [
                        _("An open call's closing date can only be moved later (extended).")
                    ]
                }
            )
    before = {field: str(getattr(call, field)) for field in changed if field != "questions"}
    for field in changed - {"questions"}:
        setattr(call, field, new[field])
    _validate(call)
    if call.published_at is not None and call.closes_at <= timezone.now():
        raise ValidationError({"closes_at": [_("The closing date is already past.")]})
    call.save()
    if "questions" in changed:
        _set_questions(call, questions or [])
    audit_record(
        actor=actor,
        action="call.extended"
        if changed == {"closes_at"} and call.rules_frozen
        else "call.updated",
        obj=call,
        process=call.process,
        data={
            "changed": sorted(changed),
            "before": before,
            "after": {field: str(getattr(call, field)) for field in changed - {"questions"}},
        },
    )
    return call


@transaction.atomic
def call_publish(*, actor: Person, call: Call) -> Call:
    """Announce the call: its page becomes public and it opens at ``opens_at``."""
    require(policy.can_edit_call(actor, call))
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.published_at is not None:
        raise ValidationError(_("This call has already been announced."))
    if call.closes_at <= timezone.now():
        raise ValidationError({"closes_at": [_("The closing date is already past.")]})
    call.published_at = timezone.now()
    call.save(update_fields=["published_at"])
    audit_record(actor=actor, action="call.published", obj=call, process=call.process)
    return call
