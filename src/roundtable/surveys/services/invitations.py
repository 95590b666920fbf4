"""Invitations by e-mail and reminders to those who have not answered."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from roundtable.audit.services import audit_record
from roundtable.core.mail import mail_queue, mail_render
from roundtable.people.models import Person
from roundtable.people.tokens import secret_hash
from roundtable.processes.models import Role
from roundtable.processes.selectors import current_memberships

from .. import conf, policy
from ..models import (
    Survey,
    SurveyInvitation,
    SurveyStatus,
)
from ._common import _require

# --- Invitations ---------------------------------------------------------------------


def invitation_token(invitation: SurveyInvitation) -> str:
    """The invitation's secret link token, derived again from its nonce and the site's key."""
    return salted_hmac(
        "roundtable.surveys.invitation", invitation.nonce, algorithm="sha256"
    ).hexdigest()


def answer_url(survey: Survey, key: str) -> str:
    return settings.SITE_URL + reverse(
        "surveys:answer", kwargs={"slug": survey.process.slug, "pk": survey.pk, "key": key}
    )


def _invitation_mail(invitation: SurveyInvitation, *, template: str, actor: Any = None) -> None:
    survey = invitation.survey
    subject, text, html = mail_render(
        template=f"surveys/email/{template}",
        context={
            "survey": survey,
            "process": survey.process,
            "inviter": actor,
            "url": answer_url(survey, invitation_token(invitation)),
            "closes_on": survey.closes_on,
            "min_cell": survey.min_cell,
        },
        language=invitation.language or settings.LANGUAGE_CODE,
    )
    mail_queue(
        to=invitation.email, subject=subject, text=text, html=html, kind=f"survey.{template}"
    )


def invitation_new(
    *, survey: Survey, email: str, person: Person | None, sent_at: dt.datetime
) -> SurveyInvitation:
    """One invitation row with a fresh nonce (its caller sends the e-mail)."""
    invitation = SurveyInvitation(
        survey=survey,
        person=person,
        email=email,
        language=person.preferred_language if person else settings.LANGUAGE_CODE,
        nonce=secrets.token_hex(16),
        sent_at=sent_at,
    )
    invitation.token_hash = secret_hash(invitation_token(invitation))
    invitation.save()
    return invitation


@dataclass
class InvitationsSent:
    created: int
    already_invited: int


ROLE_GROUPS = {
    "members": (Role.MEMBER,),
    "participants": (Role.CHAIR, Role.SECRETARIAT, Role.MEMBER, Role.OBSERVER),
}


@transaction.atomic
def invitations_send(
    *,
    actor: Person,
    survey: Survey,
    audience: str = "",
    emails: Iterable[str] = (),
) -> InvitationsSent:
    """Invite a process's members (or all participants) and/or listed addresses.

    Each address is invited once per survey; the e-mail goes out with the
    commit. Only while the survey is open.
    """
    _require(policy.can_manage_surveys(actor, survey.process))
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError(_("Invitations can only be sent while the survey is open."))
    if audience and audience not in ROLE_GROUPS:
        raise ValidationError(
            {"audience": [_("“%(value)s” is not a valid choice.") % {"value": audience}]}
        )
    wanted: dict[str, Person | None] = {}
    if audience:
        memberships = current_memberships(process=survey.process).filter(
            role__in=ROLE_GROUPS[audience]
        )
        for membership in memberships:
            wanted[membership.person.email.lower()] = membership.person
    bad = []
    for raw in emails:
        email = (raw or "").strip().lower()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            bad.append(email)
            continue
        wanted.setdefault(email, None)
    if bad:
        raise ValidationError(
            {
                "emails": [
                    _("Not valid e-mail addresses: %(emails)s") % {"emails": ", ".join(bad[:10])}
                ]
            }
        )
    if not wanted:
        raise ValidationError(
            {"emails": [_("Choose whom to invite: members, all participants, or addresses.")]}
        )
    limit = conf.max_invitations_per_request()
    if len(wanted) > limit:
        raise ValidationError(
            {"emails": [_("At most %(limit)d invitations at once.") % {"limit": limit}]}
        )
    existing = set(
        survey.invitations.filter(email__in=list(wanted)).values_list("email", flat=True)
    )
    people = {p.email.lower(): p for p in Person.objects.filter(email__in=list(wanted))}
    now = timezone.now()
    created = 0
    for email, person in wanted.items():
        if email in existing:
            continue
        invitation = invitation_new(
            survey=survey, email=email, person=person or people.get(email), sent_at=now
        )
        _invitation_mail(invitation, template="invitation", actor=actor)
        created += 1
    audit_record(
        actor=actor,
        action="survey.invitations_sent",
        obj=survey,
        process=survey.process,
        data={"sent": created, "already_invited": len(existing), "audience": audience},
    )
    return InvitationsSent(created, len(existing))


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind those who have not answered; idempotent, each reminder sent once.

    A first reminder goes ``SURVEY_REMINDER_AFTER_DAYS`` after the invitation;
    another ``SURVEY_REMINDER_BEFORE_CLOSE_DAYS`` before the closing date,
    at most ``SURVEY_MAX_REMINDERS`` in all. Each invitation is claimed with
    a conditional update in the transaction that queues its e-mail, so two
    workers never send the same reminder.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    after = dt.timedelta(days=conf.reminder_after_days())
    before_close = dt.timedelta(days=conf.reminder_before_close_days())
    most = conf.max_reminders()
    sent = 0
    candidates = SurveyInvitation.objects.filter(
        survey__status=SurveyStatus.OPEN,
        used=False,
        reminders_sent__lt=most,
        sent_at__lte=now - after,
    ).select_related("survey", "survey__process")
    for invitation in candidates.iterator():
        survey = invitation.survey
        if survey.closes_on is not None and survey.closes_on < today:
            continue
        due = False
        if invitation.reminders_sent == 0:
            due = True
        elif survey.closes_on is not None and survey.closes_on - today <= before_close:
            # A second reminder near the close, if the last one was before that window.
            window_start = survey.closes_on - before_close
            last = invitation.last_reminded_at
            due = last is None or timezone.localdate(last) < window_start
        if not due:
            continue
        with transaction.atomic():
            claimed = SurveyInvitation.objects.filter(
                pk=invitation.pk, used=False, reminders_sent=invitation.reminders_sent
            ).update(reminders_sent=F("reminders_sent") + 1, last_reminded_at=now)
            if not claimed:
                continue
            _invitation_mail(invitation, template="reminder")
        sent += 1
    return sent
