"""Observer accreditation: apply to observe a process or one plenary; the secretariat decides.

Accreditation for the process gives the observer role (a membership, through
the processes app's service); accreditation for a session admits to that
plenary only. Either way the observer appears on attendance lists.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from roundtable.audit.services import audit_record
from roundtable.people.models import Organisation, Person, StakeholderGroup
from roundtable.processes import services as process_services
from roundtable.processes.models import Process, Role

from .. import conf, policy
from ..models import ApplicationStatus, ObserverApplication, Session, SessionKind
from ._common import clean_text, mail_person, require


@transaction.atomic
def observer_apply(
    *,
    person: Person,
    process: Process,
    name: str,
    purpose: str,
    organisation_name: str = "",
    stakeholder_group: StakeholderGroup | str | None = None,
    session: Session | None = None,
) -> ObserverApplication:
    require(policy.can_apply_to_observe(person, process))
    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())[:200]
    if not name:
        errors["name"] = [_("Please give your name.")]
    try:
        purpose = clean_text(purpose, field="purpose", limit=2000, required=True)
    except ValidationError as error:
        errors.update(error.message_dict)
    group = None
    try:
        group = process_services.resolve_stakeholder_group(stakeholder_group)
    except ValidationError as error:
        errors.update(error.message_dict)
    if session is not None:
        if session.process_id != process.pk:
            errors["session"] = [_("Choose a session of this process.")]
        elif session.kind != SessionKind.PLENARY:
            errors["session"] = [
                _("Observers are accredited to plenary sessions; open consultations need none.")
            ]
        elif session.is_cancelled or session.is_over:
            errors["session"] = [_("This session is no longer open to observers.")]
    if errors:
        raise ValidationError(errors)
    # One application at a time per person: lock the person, then count.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    pending = ObserverApplication.objects.filter(person=person, status=ApplicationStatus.PENDING)
    if pending.filter(process=process, session=session).exists():
        raise ValidationError(_("You have already applied; the secretariat will answer."))
    if pending.count() >= conf.max_pending_applications():
        raise ValidationError(
            ngettext(
                "You have %(count)d application waiting for an answer; wait for it first.",
                "You have %(count)d applications waiting for an answer; wait for one first.",
                pending.count(),
            )
            % {"count": pending.count()}
        )
    if session is not None and policy.is_accredited_for_session(person, session):
        raise ValidationError(_("You are already accredited for this session."))
    application = ObserverApplication.objects.create(
        process=process,
        session=session,
        person=person,
        name=name,
        organisation_name=" ".join((organisation_name or "").split())[:200],
        stakeholder_group=group,
        purpose=purpose,
    )
    audit_record(
        actor=person,
        action="observer_application.submitted",
        obj=application,
        process=process,
        data={"session": session.pk if session else None},
    )
    return application


@transaction.atomic
def observer_decide(
    *, actor: Person, application: ObserverApplication, accredit: bool, note: str = ""
) -> ObserverApplication:
    process = application.process
    require(policy.can_decide_accreditation(actor, process))
    application = ObserverApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(_("This application has already been decided."))
    note = clean_text(note, field="note", limit=2000)
    if accredit and application.session is None:
        organisation = None
        if application.organisation_name:
            organisation, _created = Organisation.objects.get_or_create(
                name=application.organisation_name
            )
        # The observer role itself: one membership, made by the processes app.
        process_services.membership_create(
            actor=actor,
            process=process,
            person=application.person,
            role=Role.OBSERVER,
            stakeholder_group=application.stakeholder_group,
            organisation=organisation,
        )
    elif accredit and (application.session.is_cancelled or application.session.is_over):
        raise ValidationError(_("This session is over or cancelled."))
    application.status = ApplicationStatus.ACCREDITED if accredit else ApplicationStatus.DECLINED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.decision_note = note
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=actor,
        action="observer_application.accredited" if accredit else "observer_application.declined",
        obj=application,
        process=process,
        data={"session": application.session_id, "person": application.person_id},
    )
    mail_person(
        person=application.person,
        template="meetings/email/accreditation",
        context={
            "application": application,
            "process": process,
            "session": application.session,
            "accredited": accredit,
            "note": note,
        },
        kind="meeting.accreditation",
    )
    if accredit and application.session is not None:
        from .invitations import invite_person

        invite_person(session=application.session, person=application.person)
    return application
