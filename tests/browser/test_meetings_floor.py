"""In Chromium: the chair runs the floor of a plenary, two members in their own browsers ask
for it and see it change live; an observer is refused in the page and the API."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from roundtable.meetings import services
from roundtable.meetings.models import FloorRequest, FloorStatus, SessionKind
from tests.browser.helpers import log_in
from tests.factories import make_personas
from tests.meetings.conftest import add_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plenary(settings):
    # Poll every second so the test sees changes quickly; the default is two.
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "MEETINGS_FLOOR_POLL_SECONDS": 1}
    personas = make_personas()
    add_member(personas, "Gustavo Government", "gustavo@example.net", "government", "weog")
    start = timezone.now() - dt.timedelta(minutes=20)
    session = services.session_create(
        actor=personas.secretariat,
        process=personas.process,
        title="Plenary on the definition",
        kind=SessionKind.PLENARY,
        start=start,
        end=start + dt.timedelta(hours=3),
        time_zone="UTC",
        room_name="Room XVII",
    )
    services.agenda_item_add(actor=personas.secretariat, session=session, title="Definition")
    return personas, session, f"/p/{personas.process.slug}/meetings/{session.pk}/floor/"


def test_the_floor_live_with_the_chair_two_members_and_an_observer(new_context, plenary):
    personas, session, url = plenary
    mina = new_context().new_page()
    log_in(mina, "member@example.net")
    mina.goto(url)
    expect(mina.get_by_text("The session is not open yet.")).to_be_visible()

    chair = new_context().new_page()
    log_in(chair, "chair@example.net")
    chair.goto(url)
    chair.get_by_role("button", name="Open the session").click()
    expect(chair.get_by_text("The session is open.")).to_be_visible()

    # Mina's page was not reloaded: polling brings the button.
    expect(mina.get_by_role("button", name="Ask for the floor")).to_be_visible()
    mina.get_by_role("button", name="Ask for the floor").click()
    expect(mina.get_by_text("You are number 1 in the queue.")).to_be_visible()

    gustavo = new_context().new_page()
    log_in(gustavo, "gustavo@example.net")
    gustavo.goto(url)
    gustavo.get_by_role("button", name="Ask for the floor").click()
    expect(gustavo.get_by_text("You are number 2 in the queue.")).to_be_visible()
    # Under the Chatham House Rule, members see others by stakeholder group only.
    queue = gustavo.locator("ol.queue")
    expect(queue).to_contain_text("A participant (Civil society)")
    expect(queue).not_to_contain_text("Mina Member")

    # The chair, who gives the floor, sees names; the queue arrived without a reload.
    chair_queue = chair.locator("ol.queue")
    expect(chair_queue).to_contain_text("Mina Member (Open Networks Trust)")
    expect(chair_queue).to_contain_text("Gustavo Government")
    chair.get_by_label("Time limit for the next speaker (minutes)").fill("2")
    chair.get_by_role("button", name="Give the floor Mina Member (Open Networks Trust)").click()
    expect(chair.locator("#current-speaker")).to_have_text("Mina Member (Open Networks Trust)")
    expect(chair.locator(".now-speaking .clock")).to_contain_text("/ 2:00")

    expect(mina.locator("#floor-live").get_by_text("You have the floor.")).to_be_visible()
    # Screen readers hear it once, from a live region outside the polled block.
    expect(mina.locator("#floor-announcer")).to_have_text("You have the floor.")
    expect(gustavo.locator("#current-speaker")).to_have_text("A participant (Civil society)")
    expect(gustavo.locator("#floor-announcer")).to_have_text(
        "Now speaking: A participant (Civil society)"
    )
    expect(gustavo.get_by_text("You are number 1 in the queue.")).to_be_visible()

    # Giving the floor to the next speaker ends the current turn.
    chair.get_by_role("button", name=re.compile(r"^Give the floor Gustavo Government")).click()
    expect(mina.get_by_role("button", name="Ask for the floor")).to_be_visible()
    expect(gustavo.locator("#floor-live").get_by_text("You have the floor.")).to_be_visible()
    gustavo.get_by_role("button", name="Yield the floor").click()
    expect(chair.locator("#current-speaker")).to_have_text("Nobody has the floor.")
    assert FloorRequest.objects.filter(status=FloorStatus.DONE).count() == 2

    # The balance panel counts both turns, by stakeholder group.
    panel = mina.locator("section", has=mina.get_by_role("heading", name="Balance in the room"))
    expect(panel.locator("tr", has_text="Government")).to_contain_text("1")
    expect(panel).to_contain_text("2 turns")

    observer_context = new_context()
    observer = observer_context.new_page()
    log_in(observer, "observer@example.net")
    observer.goto(url)
    expect(
        observer.get_by_text("Observers attend plenary sessions without the right to speak.")
    ).to_be_visible()
    expect(observer.get_by_role("button", name="Ask for the floor")).to_have_count(0)
    token = next(c["value"] for c in observer_context.cookies() if c["name"] == "csrftoken")
    headers = {"X-CSRFToken": token, "Referer": observer.url}
    forced = observer.request.post(url + "request/", headers=headers)
    assert forced.status == 403
    assert "without the right to speak" in forced.text()
    api = observer.request.post(
        f"/api/processes/{personas.process.slug}/sessions/{session.pk}/floor",
        headers={**headers, "Content-Type": "application/json"},
        data="{}",
    )
    assert api.status == 403
    assert api.json() == {
        "message": "Observers attend plenary sessions without the right to speak."
    }
    assert not FloorRequest.objects.filter(person=personas.observer).exists()

    chair.get_by_role("button", name="Close the session").click()
    expect(mina.locator("#floor-live").get_by_text("The session is closed.")).to_be_visible()
    expect(mina.locator("#floor-announcer")).to_have_text("The session is closed.")


def test_the_floor_works_without_javascript(new_context, plenary):
    personas, session, url = plenary
    services.session_open(actor=personas.chair, session=session)
    member = new_context(java_script_enabled=False).new_page()
    log_in(member, "member@example.net")
    member.goto(url)
    member.get_by_role("button", name="Ask for the floor").click()
    expect(member.get_by_text("You are in the queue for the floor.")).to_be_visible()
    expect(member.get_by_text("You are number 1 in the queue.")).to_be_visible()

    chair = new_context(java_script_enabled=False).new_page()
    log_in(chair, "chair@example.net")
    chair.goto(url)
    chair.get_by_role("button", name=re.compile(r"^Give the floor Mina Member")).click()
    expect(chair.locator("#current-speaker")).to_have_text("Mina Member (Open Networks Trust)")

    member.get_by_role("link", name="Reload").click()
    expect(member.locator("#floor-live").get_by_text("You have the floor.")).to_be_visible()
    member.get_by_role("button", name="Yield the floor").click()
    expect(member.get_by_text("Nobody has the floor.")).to_be_visible()
