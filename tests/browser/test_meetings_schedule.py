"""In Chromium: the secretariat schedules a plenary (a daylight-saving gap is refused), sets the
agenda and invites; a member registers; minutes are imported, published and read by the public."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from roundtable.meetings import services
from roundtable.meetings.models import Session
from tests.browser.helpers import log_in
from tests.factories import make_personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_schedule_invite_and_register(new_context, mailbox, run_tasks):
    personas = make_personas()
    slug = personas.process.slug
    secretariat = new_context(timezone_id="Europe/Zurich").new_page()
    log_in(secretariat, "secretariat@example.net")
    secretariat.goto(f"/p/{slug}/meetings/")
    secretariat.get_by_role("link", name="Schedule a session").click()
    secretariat.get_by_label("Title").fill("Spring plenary")
    secretariat.get_by_label("Kind of session").select_option("plenary")
    secretariat.get_by_label("Format").select_option("hybrid")
    secretariat.get_by_label("Room or place").fill("Room XVII")
    secretariat.get_by_label("Online meeting link").fill("https://meet.example.org/spring")
    secretariat.get_by_label("Starts").fill("2031-03-30T02:30")
    secretariat.get_by_label("Ends").fill("2031-03-30T05:00")
    secretariat.get_by_label("Time zone of these times").select_option("Europe/Zurich")
    secretariat.get_by_role("button", name="Schedule").click()
    expect(
        secretariat.get_by_text("2031-03-30 02:30 does not exist in Europe/Zurich")
    ).to_be_visible()
    assert not Session.objects.exists()

    secretariat.get_by_label("Starts").fill("2031-03-31T09:30")
    secretariat.get_by_label("Ends").fill("2031-03-31T12:30")
    secretariat.get_by_role("button", name="Schedule").click()
    expect(secretariat.get_by_text("The session was scheduled.")).to_be_visible()
    session = Session.objects.get()
    assert session.start == dt.datetime(2031, 3, 31, 7, 30, tzinfo=dt.UTC)  # CEST is UTC+2

    secretariat.get_by_label("Title").fill("Working definition")
    secretariat.get_by_label("Planned minutes").fill("90")
    secretariat.get_by_role("button", name="Add to the agenda").click()
    expect(secretariat.get_by_text("The item was added to the agenda.")).to_be_visible()
    secretariat.get_by_role("link", name="Spring plenary").click()
    secretariat.get_by_role("button", name="Send invitations").click()
    expect(secretariat.get_by_text("were sent to 4 people")).to_be_visible()
    run_tasks()
    [invitation] = mailbox.to("member@example.net")
    [part] = [p for p in invitation.walk() if p.get_content_type() == "text/calendar"]
    [event] = icalendar.Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    assert event.decoded("DTSTART") == session.start

    # A member in Tokyo reads the time in Tokyo, and registers to attend online.
    member = new_context().new_page()
    log_in(member, "member@example.net")
    personas.member.time_zone = "Asia/Tokyo"
    personas.member.save()
    member.goto(session.get_absolute_url())
    expect(member.get_by_text("Monday 31 March 2031, 16:30")).to_be_visible()
    expect(
        member.get_by_text("At the venue: 31 March, 09:30–12:30 (Europe/Zurich)")
    ).to_be_visible()
    member.get_by_role("link", name="Register").click()
    member.get_by_label("I will attend").select_option("remote")
    member.get_by_role("button", name="Register").click()
    expect(member.get_by_text("You are registered to attend remotely.")).to_be_visible()
    expect(member.get_by_role("link", name="Join the online meeting")).to_be_visible()


def test_transcript_import_publication_and_public_minutes(new_context):
    personas = make_personas()
    start = timezone.now() - dt.timedelta(hours=4)
    session = services.session_create(
        actor=personas.secretariat,
        process=personas.process,
        title="Autumn plenary",
        kind="plenary",
        start=start,
        end=start + dt.timedelta(hours=3),
        time_zone="UTC",
        room_name="Room XVII",
    )
    services.agenda_item_add(actor=personas.secretariat, session=session, title="Access")
    secretariat = new_context().new_page()
    log_in(secretariat, "secretariat@example.net")
    secretariat.goto(session.get_absolute_url())
    secretariat.get_by_role("link", name="Record the minutes").click()
    secretariat.get_by_label("Or paste the transcript").fill(
        "Mina Member: Access must be affordable.\nMina Membre: A typo in the name.\n"
    )
    secretariat.get_by_role("button", name="Import").click()
    expect(secretariat.get_by_text("Unknown speaker “Mina Membre” (line 2)")).to_be_visible()
    secretariat.get_by_label("Or paste the transcript").fill(
        "Mina Member: Access must be affordable.\nCharlotte Chair: Noted; we move on.\n"
    )
    secretariat.get_by_role("button", name="Import").click()
    expect(
        secretariat.get_by_text("2 statements were imported from the transcript.")
    ).to_be_visible()
    expect(secretariat.get_by_text("Mina Member (Open Networks Trust)")).to_be_visible()
    secretariat.get_by_label("Outcome").fill("Affordability goes into the report.")
    secretariat.get_by_role("button", name="Save the outcome").click()
    expect(secretariat.get_by_text("The outcome was saved.")).to_be_visible()
    secretariat.get_by_role("button", name="Publish the minutes").click()
    expect(secretariat.get_by_text("The minutes are published")).to_be_visible()

    public = new_context(locale="fr-FR").new_page()
    public.goto(session.get_absolute_url().replace(f"{session.pk}/", f"{session.pk}/minutes/"))
    main = public.locator("main")
    expect(main).to_contain_text("Access must be affordable.")
    expect(main).to_contain_text("Affordability goes into the report.")
    expect(main).not_to_contain_text("Mina Member")
