"""Minutes: statements (recorded or imported from a transcript), outcomes, actions, publication.

Statements name their speaker in the database (speaking time and the
stakeholder-group label need it); the audit log and every surface do not.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from roundtable.audit.services import audit_record
from roundtable.people.models import Person
from roundtable.processes.models import Membership

from .. import conf, policy
from ..models import (
    PRESENT,
    ActionItem,
    AgendaItem,
    Attendance,
    Registration,
    Session,
    SessionInvitation,
    Statement,
    StatementSource,
)
from ..selectors import Speakers, minutes, possible_speakers
from ..transcripts import normalise_name, parse_transcript
from ._common import clean_text, locked, mail_person, require


def _editable(session: Session) -> None:
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled; it has no minutes."))
    if session.minutes_published:
        raise ValidationError(
            _("The minutes are published. Withdraw the publication to change them.")
        )


def _check_item(session: Session, agenda_item: AgendaItem | None) -> None:
    if agenda_item is not None and agenda_item.session_id != session.pk:
        raise ValidationError({"agenda_item": [_("Choose an item of this session's agenda.")]})


def _check_room_for(session: Session, adding: int) -> None:
    if session.statements.count() + adding > conf.max_statements():
        raise ValidationError(
            ngettext(
                "A session's minutes hold at most %(limit)d statement.",
                "A session's minutes hold at most %(limit)d statements.",
                conf.max_statements(),
            )
            % {"limit": conf.max_statements()}
        )


def _next_position(session: Session) -> int:
    last = session.statements.aggregate(models.Max("position"))["position__max"]
    return (last or 0) + 1


@transaction.atomic
def statement_add(
    *,
    actor: Person,
    session: Session,
    speaker: Person,
    text: str,
    agenda_item: AgendaItem | None = None,
) -> Statement:
    require(policy.can_record_minutes(actor, session))
    session = locked(session)
    _editable(session)
    _check_item(session, agenda_item)
    errors: dict[str, list[str]] = {}
    if speaker is None or speaker.pk not in {p.pk for p in possible_speakers(session=session)}:
        errors["speaker"] = [_("Choose someone who may speak in this session.")]
    try:
        text = clean_text(text, field="text", limit=conf.max_statement_chars(), required=True)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    _check_room_for(session, 1)
    group = Speakers.for_record(session).categories(speaker.pk).stakeholder_group
    statement = Statement.objects.create(
        session=session,
        agenda_item=agenda_item,
        speaker=speaker,
        stakeholder_group=group,
        text=text,
        position=_next_position(session),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="statement.recorded",
        obj=statement,
        process=session.process,
        data={"session": session.pk},
    )
    return statement


@transaction.atomic
def statement_update(
    *,
    actor: Person,
    statement: Statement,
    text: str,
    agenda_item: AgendaItem | None = None,
) -> Statement:
    require(policy.can_record_minutes(actor, statement.session))
    session = locked(statement.session)
    _editable(session)
    _check_item(session, agenda_item)
    statement.text = clean_text(text, field="text", limit=conf.max_statement_chars(), required=True)
    statement.agenda_item = agenda_item
    statement.save(update_fields=["text", "agenda_item"])
    audit_record(
        actor=actor,
        action="statement.corrected",
        obj=statement,
        process=session.process,
        data={"session": session.pk},
    )
    return statement


@transaction.atomic
def statement_delete(*, actor: Person, statement: Statement) -> None:
    require(policy.can_record_minutes(actor, statement.session))
    session = locked(statement.session)
    _editable(session)
    audit_record(
        actor=actor,
        action="statement.deleted",
        obj=statement,
        process=session.process,
        data={"session": session.pk},
    )
    statement.delete()


# --- Transcripts ------------------------------------------------------------------------------


def decode_transcript(content: bytes | str) -> str:
    """The text of an uploaded transcript, judged by its content (not its name)."""
    if isinstance(content, str):
        text = content
        size = len(content.encode("utf-8"))
    else:
        size = len(content)
        text = None
    if size > conf.max_transcript_bytes():
        raise ValidationError(
            {
                "transcript": [
                    _("The transcript is too large (%(size)d KB; the limit is %(limit)d KB).")
                    % {"size": size // 1024, "limit": conf.max_transcript_bytes() // 1024}
                ]
            }
        )
    if text is None:
        utf16 = content.startswith((b"\xff\xfe", b"\xfe\xff"))
        encoding = "utf-16" if utf16 else "utf-8-sig"
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            raise ValidationError(
                {
                    "transcript": [
                        _(
                            "This file is not plain text in UTF-8. Save the transcript as "
                            "plain text (.txt, UTF-8) and try again."
                        )
                    ]
                }
            ) from None
    if any(ord(c) < 32 and c not in "\t\n\r\f\v" for c in text[:100_000]):
        raise ValidationError(
            {"transcript": [_("This file is not plain text. Upload a .txt transcript.")]}
        )
    return text


def _speaker_index(session: Session) -> tuple[dict[str, Person], set[str]]:
    index: dict[str, Person] = {}
    ambiguous: set[str] = set()
    for person in possible_speakers(session=session):
        key = normalise_name(person.name)
        if key in index and index[key].pk != person.pk:
            ambiguous.add(key)
        index[key] = person
    return index, ambiguous


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    return shown + ("…" if len(numbers) > 10 else "")


@transaction.atomic
def transcript_import(
    *,
    actor: Person,
    session: Session,
    content: bytes | str,
    agenda_item: AgendaItem | None = None,
) -> list[Statement]:
    """Add one statement per ``Speaker: text`` entry. Any problem refuses the whole file:
    unknown speakers are listed with their line numbers, and nothing is written."""
    require(policy.can_record_minutes(actor, session))
    session = locked(session)
    _editable(session)
    _check_item(session, agenda_item)
    text = decode_transcript(content)
    line_count = text.count("\n") + 1
    if line_count > conf.max_transcript_lines():
        raise ValidationError(
            {
                "transcript": [
                    ngettext(
                        "The transcript has %(count)d lines; the limit is %(limit)d.",
                        "The transcript has %(count)d lines; the limit is %(limit)d.",
                        line_count,
                    )
                    % {"count": line_count, "limit": conf.max_transcript_lines()}
                ]
            }
        )
    parsed = parse_transcript(text)
    messages: list[str] = []
    for problem in parsed.problems:
        if problem.kind == "no_speaker":
            messages.append(
                _("Line %(line)d does not start with “Speaker:” and follows no statement.")
                % {"line": problem.line}
            )
        else:
            messages.append(
                _("Line %(line)d: “%(speaker)s” says nothing.")
                % {"line": problem.line, "speaker": problem.content}
            )
    index, ambiguous = _speaker_index(session)
    unknown: dict[str, list[int]] = defaultdict(list)
    unclear: dict[str, list[int]] = defaultdict(list)
    for entry in parsed.entries:
        key = normalise_name(entry.speaker)
        if key in ambiguous:
            unclear[entry.speaker].append(entry.line)
        elif key not in index:
            unknown[entry.speaker].append(entry.line)
        elif len(entry.text) > conf.max_statement_chars():
            messages.append(
                ngettext(
                    "Line %(line)d: the statement is longer than %(limit)d character.",
                    "Line %(line)d: the statement is longer than %(limit)d characters.",
                    conf.max_statement_chars(),
                )
                % {"line": entry.line, "limit": conf.max_statement_chars()}
            )
    for name, lines in unknown.items():
        messages.append(
            ngettext(
                "Unknown speaker “%(name)s” (line %(lines)s): check the spelling, or that "
                "this person may speak in this session.",
                "Unknown speaker “%(name)s” (lines %(lines)s): check the spelling, or that "
                "this person may speak in this session.",
                len(lines),
            )
            % {"name": name, "lines": _lines(lines)}
        )
    for name, lines in unclear.items():
        messages.append(
            _("“%(name)s” (lines %(lines)s) could be more than one person; use a fuller name.")
            % {"name": name, "lines": _lines(lines)}
        )
    if not parsed.entries and not messages:
        messages.append(_("The transcript has no “Speaker: text” lines."))
    if messages:
        raise ValidationError({"transcript": messages[:50]})
    _check_room_for(session, len(parsed.entries))
    speakers = Speakers.for_record(session)
    position = _next_position(session)
    statements = []
    for offset, entry in enumerate(parsed.entries):
        person = index[normalise_name(entry.speaker)]
        statements.append(
            Statement(
                session=session,
                agenda_item=agenda_item,
                speaker=person,
                stakeholder_group=speakers.categories(person.pk).stakeholder_group,
                text=entry.text,
                position=position + offset,
                source=StatementSource.TRANSCRIPT,
                created_by=actor,
            )
        )
    Statement.objects.bulk_create(statements)
    audit_record(
        actor=actor,
        action="minutes.transcript_imported",
        obj=session,
        process=session.process,
        data={"statements": len(statements)},
    )
    return statements


# --- Outcomes and actions ---------------------------------------------------------------------


@transaction.atomic
def agenda_item_set_outcome(*, actor: Person, item: AgendaItem, outcome: str) -> AgendaItem:
    require(policy.can_record_minutes(actor, item.session))
    session = locked(item.session)
    _editable(session)
    item.outcome = clean_text(outcome, field="outcome", limit=conf.max_statement_chars())
    item.save(update_fields=["outcome"])
    audit_record(
        actor=actor,
        action="agenda_item.outcome_recorded",
        obj=item,
        process=session.process,
        data={"session": session.pk},
    )
    return item


@transaction.atomic
def action_item_add(
    *,
    actor: Person,
    agenda_item: AgendaItem,
    text: str,
    owner: Person | None = None,
    due_date: dt.date | None = None,
) -> ActionItem:
    require(policy.can_record_minutes(actor, agenda_item.session))
    session = locked(agenda_item.session)
    _editable(session)
    errors: dict[str, list[str]] = {}
    try:
        text = clean_text(text, field="text", limit=500, required=True)
    except ValidationError as error:
        errors.update(error.message_dict)
    if (
        owner is not None
        and not Membership.objects.filter(process_id=session.process_id, person=owner).exists()
    ):
        errors["owner"] = [_("The owner must take part in this process.")]
    if errors:
        raise ValidationError(errors)
    if agenda_item.actions.count() >= conf.max_action_items():
        raise ValidationError(
            ngettext(
                "An agenda item has at most %(limit)d action.",
                "An agenda item has at most %(limit)d actions.",
                conf.max_action_items(),
            )
            % {"limit": conf.max_action_items()}
        )
    action = ActionItem.objects.create(
        agenda_item=agenda_item, text=text, owner=owner, due_date=due_date
    )
    audit_record(
        actor=actor,
        action="action_item.added",
        obj=action,
        process=session.process,
        data={"session": session.pk, "due_date": due_date.isoformat() if due_date else None},
    )
    return action


@transaction.atomic
def action_item_set_done(*, actor: Person, action: ActionItem, done: bool) -> ActionItem:
    """Progress on an action is tracked after publication too."""
    session = action.agenda_item.session
    require(policy.can_record_minutes(actor, session))
    action.done_at = timezone.now() if done else None
    action.save(update_fields=["done_at"])
    audit_record(
        actor=actor,
        action="action_item.done" if done else "action_item.reopened",
        obj=action,
        process=session.process,
    )
    return action


@transaction.atomic
def action_item_remove(*, actor: Person, action: ActionItem) -> None:
    require(policy.can_record_minutes(actor, action.agenda_item.session))
    session = locked(action.agenda_item.session)
    _editable(session)
    audit_record(actor=actor, action="action_item.removed", obj=action, process=session.process)
    action.delete()


# --- Publication ------------------------------------------------------------------------------


def minutes_recipients(*, session: Session) -> list[Any]:
    """Those invited, registered or present, who may read the published minutes."""
    ids = set(SessionInvitation.objects.filter(session=session).values_list("person_id", flat=True))
    ids |= set(
        Registration.objects.filter(session=session, cancelled_at__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    ids |= set(
        Attendance.objects.filter(session=session, status__in=PRESENT).values_list(
            "person_id", flat=True
        )
    )
    people = Person.objects.filter(pk__in=ids, is_active=True).order_by("pk")
    return [person for person in people if policy.can_view_record(person, session)]


@transaction.atomic
def minutes_publish(*, actor: Person, session: Session) -> Session:
    require(policy.can_publish_minutes(actor, session))
    session = locked(session)
    _editable(session)
    if session.started_at is None and session.end > timezone.now():
        raise ValidationError(_("Minutes can be published once the session has been held."))
    has_content = (
        session.statements.exists()
        or session.agenda_items.exclude(outcome="").exists()
        or ActionItem.objects.filter(agenda_item__session=session).exists()
    )
    if not has_content:
        raise ValidationError(
            _("There is nothing to publish yet: record statements, outcomes or actions first.")
        )
    session.minutes_published_at = timezone.now()
    session.minutes_published_by = actor
    session.save(update_fields=["minutes_published_at", "minutes_published_by"])
    audit_record(actor=actor, action="minutes.published", obj=session, process=session.process)
    items = minutes(session=session, speakers=Speakers.for_record(session))
    for person in minutes_recipients(session=session):
        mail_person(
            person=person,
            template="meetings/email/minutes",
            context={
                "session": session,
                "process": session.process,
                "items": items,
                "session_url": _absolute(session),
            },
            kind="meeting.minutes",
        )
    return session


def _absolute(session: Session) -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL + reverse(
        "meetings:minutes", kwargs={"slug": session.process.slug, "session_id": session.pk}
    )


@transaction.atomic
def minutes_withdraw(*, actor: Person, session: Session) -> Session:
    """Take published minutes back to draft (for a correction); audited."""
    require(policy.can_publish_minutes(actor, session))
    session = locked(session)
    if not session.minutes_published:
        raise ValidationError(_("The minutes are not published."))
    session.minutes_published_at = None
    session.minutes_published_by = None
    session.save(update_fields=["minutes_published_at", "minutes_published_by"])
    audit_record(actor=actor, action="minutes.withdrawn", obj=session, process=session.process)
    return session
