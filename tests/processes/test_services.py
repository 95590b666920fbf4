"""Services for invitations, memberships, declarations and targets."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from roundtable.audit.models import AuditEntry
from roundtable.audit.selectors import audit_chain_verify
from roundtable.people.models import Person
from roundtable.processes import services
from roundtable.processes.models import (
    CompositionTarget,
    DeclarationOfInterests,
    Invitation,
    Membership,
    Role,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def invite(personas, **overrides):
    fields = {
        "actor": personas.secretariat,
        "process": personas.process,
        "email": "New.Member@Example.net",
        "name": "Nora New",
        "role": Role.MEMBER,
        "stakeholder_group": "academia",
        "region": "asia-pacific",
        "development_status": "developing",
        "organisation_name": "Institute of Policy",
    }
    fields.update(overrides)
    return services.invitation_create(**fields)


def accept_link(mailbox, address: str) -> str:
    [message] = mailbox.to(address)
    match = re.search(r"/invitations/([^/\s]+)/", mailbox.text(message))
    assert match, mailbox.text(message)
    return match.group(1)


# --- Invitations -------------------------------------------------------------


def test_invitation_is_stored_audited_and_mailed_over_smtp(personas, mailbox, run_tasks):
    invitation, secret = invite(personas)
    assert invitation.email == "new.member@example.net"
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.token_hash != secret  # only the hash is stored
    assert AuditEntry.objects.filter(
        action="invitation.created", object_id=str(invitation.pk)
    ).exists()
    assert mailbox.messages == []  # queued, not sent inside the request
    run_tasks()
    [message] = mailbox.to("new.member@example.net")
    assert "Working Group on Testing" in message["Subject"]
    assert secret in mailbox.text(message)
    assert "Sam Secretariat" in mailbox.text(message)
    assert mailbox.html(message)  # multipart: a plain and an HTML part


def test_invitation_mail_uses_an_existing_persons_language(personas, mailbox, run_tasks):
    PersonFactory(email="francophone@example.net", preferred_language="fr")
    invite(personas, email="francophone@example.net")
    run_tasks()
    [message] = mailbox.to("francophone@example.net")
    assert "Invitation à" in message["Subject"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": "two@@example.net"}, "email"),
        ({"stakeholder_group": "astrologers"}, "stakeholder_group"),
        ({"region": "atlantis"}, "region"),
        ({"stakeholder_group": None}, "stakeholder_group"),
        ({"region": ""}, "region"),
        ({"role": "emperor"}, "role"),
        ({"development_status": "sideways"}, "development_status"),
    ],
)
def test_bad_invitation_input_is_refused_and_nothing_is_written(
    personas, overrides, field, mailbox, run_tasks
):
    before = (Invitation.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as error:
        invite(personas, **overrides)
    assert field in error.value.message_dict
    assert error.value.message_dict[field][0]  # a sentence, not a code
    assert (Invitation.objects.count(), AuditEntry.objects.count()) == before
    run_tasks()
    assert mailbox.messages == []


def test_observers_need_no_categories(personas):
    invitation, _ = invite(personas, role=Role.OBSERVER, stakeholder_group=None, region=None)
    assert invitation.role == Role.OBSERVER


def test_cannot_invite_someone_who_already_has_a_role(personas):
    with pytest.raises(ValidationError, match="already has a role"):
        invite(personas, email="MEMBER@example.net")


def test_cannot_invite_twice_while_pending(personas):
    invite(personas)
    with pytest.raises(ValidationError, match="pending invitation"):
        invite(personas)


@pytest.mark.parametrize("role", ["chair", "member", "observer", "public", "anonymous"])
def test_only_the_secretariat_invites(personas, role):
    with pytest.raises(PermissionDenied):
        invite(personas, actor=getattr(personas, role))
    assert not Invitation.objects.exists()


def test_accepting_creates_account_and_membership(personas):
    invitation, secret = invite(personas)
    membership = services.invitation_accept(
        secret=secret, name="Nora New", password="a long pass phrase 42"
    )
    person = membership.person
    assert person.email == "new.member@example.net"
    assert person.check_password("a long pass phrase 42")
    assert membership.role == Role.MEMBER
    assert membership.stakeholder_group.slug == "academia"
    assert membership.region.slug == "asia-pacific"
    assert membership.development_status == "developing"
    assert membership.organisation.name == "Institute of Policy"
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == person
    assert AuditEntry.objects.filter(action="invitation.accepted", actor=person).exists()
    assert audit_chain_verify().ok


def test_reused_invitation_is_refused(personas):
    _, secret = invite(personas)
    services.invitation_accept(secret=secret, name="Nora", password="a long pass phrase 42")
    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_accept(secret=secret, name="Nora", password="a long pass phrase 42")
    assert Membership.objects.filter(person__email="new.member@example.net").count() == 1


def test_expired_invitation_is_refused(personas):
    invitation, secret = invite(personas)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(secret=secret, name="Nora", password="a long pass phrase 42")
    assert not Person.objects.filter(email="new.member@example.net").exists()


def test_withdrawn_invitation_is_refused(personas):
    invitation, secret = invite(personas)
    services.invitation_revoke(actor=personas.secretariat, invitation=invitation)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.invitation_accept(secret=secret, name="Nora", password="a long pass phrase 42")


def test_unknown_token_is_refused():
    with pytest.raises(ValidationError, match="not valid"):
        services.invitation_accept(secret="made-up", name="X", password="a long pass phrase 42")


def test_weak_password_leaves_nothing_behind(personas):
    invitation, secret = invite(personas)
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(secret=secret, name="Nora", password="123")
    assert "password" in error.value.message_dict
    assert not Person.objects.filter(email="new.member@example.net").exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_existing_account_must_log_in_to_accept(personas):
    existing = PersonFactory(email="new.member@example.net")
    _, secret = invite(personas)
    with pytest.raises(ValidationError, match="Log in"):
        services.invitation_accept(secret=secret, name="Someone", password="a long pass phrase 42")
    membership = services.invitation_accept(secret=secret, person=existing)
    assert membership.person == existing


def test_logged_in_as_someone_else_cannot_accept(personas):
    _, secret = invite(personas)
    with pytest.raises(ValidationError, match="logged in as"):
        services.invitation_accept(secret=secret, person=personas.public)


# --- Memberships --------------------------------------------------------------


def test_role_change_is_audited_with_before_and_after(personas):
    membership = personas.memberships.observer
    membership.stakeholder_group_id = None
    services.membership_change_role(
        actor=personas.secretariat, membership=membership, role=Role.OBSERVER
    )
    assert not AuditEntry.objects.filter(
        action="membership.role_changed"
    ).exists()  # no change, no entry
    member = personas.memberships.member
    services.membership_change_role(
        actor=personas.secretariat, membership=member, role=Role.OBSERVER
    )
    entry = AuditEntry.objects.get(action="membership.role_changed")
    assert entry.data == {"person": personas.member.pk, "before": "member", "after": "observer"}
    assert entry.actor == personas.secretariat


def test_promoting_to_member_needs_categories(personas):
    with pytest.raises(ValidationError, match="stakeholder group"):
        services.membership_change_role(
            actor=personas.secretariat, membership=personas.memberships.observer, role=Role.MEMBER
        )
    personas.memberships.observer.refresh_from_db()
    assert personas.memberships.observer.role == Role.OBSERVER


def test_last_secretariat_member_cannot_step_down(personas):
    with pytest.raises(ValidationError, match="at least one secretariat"):
        services.membership_change_role(
            actor=personas.secretariat,
            membership=personas.memberships.secretariat,
            role=Role.OBSERVER,
        )


def test_second_membership_in_one_process_is_refused(personas):
    with pytest.raises(ValidationError, match="already has a role"):
        services.membership_create(
            actor=personas.secretariat,
            process=personas.process,
            person=personas.member,
            role=Role.OBSERVER,
        )
    assert Membership.objects.filter(person=personas.member).count() == 1


def test_categories_change_is_audited(personas):
    services.membership_update_categories(
        actor=personas.secretariat,
        membership=personas.memberships.member,
        stakeholder_group="academia",
        region="weog",
        development_status="developed",
    )
    entry = AuditEntry.objects.get(action="membership.categories_changed")
    assert entry.data["before"]["stakeholder_group"] == "civil-society"
    assert entry.data["after"] == {
        "stakeholder_group": "academia",
        "region": "weog",
        "development_status": "developed",
    }


def test_unknown_region_on_change_is_refused(personas):
    with pytest.raises(ValidationError, match="Unknown region"):
        services.membership_update_categories(
            actor=personas.secretariat,
            membership=personas.memberships.member,
            stakeholder_group="academia",
            region="moon",
        )


# --- Declarations of interests -------------------------------------------------


def test_member_publishes_dated_declarations_and_keeps_history(personas):
    services.declaration_publish(
        actor=personas.member, membership=personas.memberships.member, text="Board of X."
    )
    services.declaration_publish(
        actor=personas.member, membership=personas.memberships.member, text="Board of Y."
    )
    texts = list(DeclarationOfInterests.objects.values_list("text", flat=True))
    assert texts == ["Board of Y.", "Board of X."]


def test_nobody_declares_for_someone_else(personas):
    with pytest.raises(PermissionDenied):
        services.declaration_publish(
            actor=personas.secretariat, membership=personas.memberships.member, text="Imposed."
        )


@pytest.mark.parametrize("text", ["", "   ", "x" * 10_001])
def test_empty_or_oversized_declaration_is_refused(personas, text):
    with pytest.raises(ValidationError):
        services.declaration_publish(
            actor=personas.member, membership=personas.memberships.member, text=text
        )
    assert not DeclarationOfInterests.objects.exists()


# --- Targets --------------------------------------------------------------------


def test_target_set_update_and_remove(personas):
    target = services.composition_target_set(
        actor=personas.secretariat,
        process=personas.process,
        dimension="stakeholder_group",
        category="government",
        max_percent=30,
    )
    assert target.max_percent == 30
    again = services.composition_target_set(
        actor=personas.secretariat,
        process=personas.process,
        dimension="stakeholder_group",
        category="government",
        max_percent=40,
    )
    assert again.pk == target.pk and again.max_percent == 40
    removed = services.composition_target_set(
        actor=personas.secretariat,
        process=personas.process,
        dimension="stakeholder_group",
        category="government",
    )
    assert removed is None and not CompositionTarget.objects.exists()
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("composition_target.set") == 2 and "composition_target.removed" in actions


@pytest.mark.parametrize(
    "limits",
    [
        {"min_percent": 101},
        {"min_percent": 50, "max_percent": 40},
        {"min_count": 5, "max_count": 2},
        {"min_count": -1},
    ],
)
def test_nonsense_targets_are_refused(personas, limits):
    with pytest.raises(ValidationError):
        services.composition_target_set(
            actor=personas.secretariat,
            process=personas.process,
            dimension="region",
            category="africa",
            **limits,
        )
    assert not CompositionTarget.objects.exists()


def test_target_for_unknown_category_is_refused(personas):
    with pytest.raises(ValidationError, match="Unknown stakeholder group"):
        services.composition_target_set(
            actor=personas.secretariat,
            process=personas.process,
            dimension="stakeholder_group",
            category="wizards",
            min_count=1,
        )
