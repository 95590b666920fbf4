"""Observer accreditation: apply, accredit or decline per process or session, attendance lists."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from roundtable.meetings import services
from roundtable.meetings.models import ApplicationStatus, ObserverApplication, SessionKind
from roundtable.processes.models import AttributionRule, Membership, Role
from tests.meetings.conftest import schedule

pytestmark = pytest.mark.django_db


def logged_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_apply_through_the_page_and_be_accredited_for_the_process(personas, mailbox, run_tasks):
    slug = personas.process.slug
    response = logged_in(personas.public).post(
        f"/p/{slug}/meetings/observers/apply/",
        {
            "name": "Pat Public",
            "organisation_name": "Digital Futures Press",
            "stakeholder_group": "civil-society",
            "purpose": "We report on Internet governance for a wide readership.",
        },
    )
    assert response.status_code == 302
    application = ObserverApplication.objects.get()
    assert (application.session, application.status) == (None, ApplicationStatus.PENDING)
    listing = logged_in(personas.secretariat).get(f"/p/{slug}/meetings/observers/")
    assert "Digital Futures Press" in listing.content.decode()
    logged_in(personas.secretariat).post(
        f"/p/{slug}/meetings/observers/{application.pk}/decide/",
        {"decision": "accredit", "note": "Welcome."},
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCREDITED
    membership = Membership.objects.get(person=personas.public, process=personas.process)
    assert membership.role == Role.OBSERVER
    assert membership.organisation.name == "Digital Futures Press"
    run_tasks()
    [message] = mailbox.to("public@example.net")
    assert message["Subject"] == "Accredited as an observer: Working Group on Testing"
    assert "Welcome." in mailbox.text(message)


def test_session_accreditation_admits_to_that_plenary_and_shows_on_its_list(
    personas, mailbox, run_tasks
):
    plenary = schedule(personas, SessionKind.PLENARY, attribution_rule=AttributionRule.ATTRIBUTED)
    application = services.observer_apply(
        person=personas.public,
        process=personas.process,
        session=plenary,
        name="Pat Public",
        organisation_name="Digital Futures Press",
        purpose="Covering the plenary.",
    )
    services.observer_decide(actor=personas.secretariat, application=application, accredit=True)
    run_tasks()
    subjects = sorted(str(m["Subject"]) for m in mailbox.to("public@example.net"))
    assert subjects == [
        "Accredited as an observer: Working Group on Testing",
        "Invitation: plenary test",
    ]
    page = Client().get(f"/p/{personas.process.slug}/meetings/{plenary.pk}/attendance/")
    html = page.content.decode()
    assert (
        "Pat Public" in html and "Digital Futures Press" in html and "accredited observer" in html
    )
    assert not Membership.objects.filter(person=personas.public).exists()


def test_decline_and_bad_applications(personas, mailbox, run_tasks):
    consultation = schedule(personas, SessionKind.CONSULTATION)
    with pytest.raises(ValidationError) as caught:
        services.observer_apply(
            person=personas.public,
            process=personas.process,
            session=consultation,
            name=" ",
            purpose="",
            stakeholder_group="astrologers",
        )
    assert caught.value.message_dict == {
        "name": ["Please give your name."],
        "purpose": ["This field cannot be empty."],
        "stakeholder_group": ["Unknown stakeholder group “astrologers”."],
        "session": ["Observers are accredited to plenary sessions; open consultations need none."],
    }
    application = services.observer_apply(
        person=personas.public, process=personas.process, name="Pat", purpose="Curious."
    )
    with pytest.raises(ValidationError, match="already applied"):
        services.observer_apply(
            person=personas.public, process=personas.process, name="Pat", purpose="Again."
        )
    services.observer_decide(
        actor=personas.secretariat, application=application, accredit=False, note="Seats are full."
    )
    with pytest.raises(ValidationError, match="already been decided"):
        services.observer_decide(actor=personas.secretariat, application=application, accredit=True)
    run_tasks()
    text = mailbox.text(mailbox.to("public@example.net")[0])
    assert "declined your application" in text and "Seats are full." in text
    assert not Membership.objects.filter(person=personas.public).exists()


def test_chatham_house_attendance_lists_stay_with_the_members(personas):
    plenary = schedule(personas, SessionKind.PLENARY)
    url = f"/p/{personas.process.slug}/meetings/{plenary.pk}/attendance/"
    member_view = logged_in(personas.member).get(url).content.decode()
    assert "Oscar Observer" in member_view and "Mina Member" in member_view
    for client in (Client(), logged_in(personas.public), logged_in(personas.observer)):
        html = client.get(url).content.decode()
        assert "Mina Member" not in html
        assert "not circulated beyond the members" in html
