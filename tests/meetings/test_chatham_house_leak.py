"""A Chatham House plenary with distinctive speakers leaks them nowhere.

Two members with names and organisations found nowhere else speak, are
given the floor, have statements recorded by hand and from a transcript,
own an action, and the minutes are published and mailed. Then every surface
that leaves the system is fetched, as the public, a logged-in outsider and
an observer (and, for the published record, as the chair, secretariat and a
member too), and searched for the speakers' names, e-mail addresses and
organisations: pages (titles and attributes included), fragments, API JSON,
exports and their file names, calendar feeds, the process search, and every
e-mail the SMTP server received.

Where names legitimately appear (the live floor seen by the chair and
secretariat while the session runs; the secretariat's draft) is checked too,
so the test would see a name if one escaped.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.test import Client
from django.utils import timezone

from roundtable.meetings import services
from roundtable.meetings.models import SessionKind
from roundtable.meetings.navigation import home_panels
from tests.meetings.conftest import add_member, schedule

pytestmark = pytest.mark.django_db

SPEAKERS = [
    ("Zephyrine Quillfeather", "zephyrine.q@lantern.example", "Obsidian Lantern Foundation"),
    ("Bartholomew Nightjar-Okafor", "b.nightjar@corvid.example", "Corvid Telecom Holdings"),
]
FORBIDDEN = [
    "Zephyrine",
    "Quillfeather",
    "Bartholomew",
    "Nightjar",
    "Okafor",
    "zephyrine.q",
    "b.nightjar",
    "lantern.example",
    "corvid.example",
    "Obsidian Lantern",
    "Corvid Telecom",
]


def unfold(text: str) -> str:
    """iCalendar folds long lines (RFC 5545 3.1); a name split across two would hide."""
    return text.replace("\r\n ", "").replace("\r\n\t", "")


def leaks(text: str) -> list[str]:
    folded = unfold(text).casefold()
    return [word for word in FORBIDDEN if word.casefold() in folded]


def logged_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def surface_text(response) -> str:
    """Everything a response carries: status line, headers (file names), body (PDF as text)."""
    headers = "\n".join(f"{key}: {value}" for key, value in response.items())
    if response.get("Content-Type", "").startswith("application/pdf"):
        body = pdf_text(response.content)
    else:
        body = response.content.decode("utf-8")
    return f"{response.status_code}\n{headers}\n{body}"


def no_person_ids(value) -> None:
    """API JSON never carries a person id for a speaker."""
    if isinstance(value, dict):
        assert "person_id" not in value and "person" not in value, value
        for item in value.values():
            no_person_ids(item)
    elif isinstance(value, list):
        for item in value:
            no_person_ids(item)


@pytest.fixture
def held(personas, run_tasks, mailbox):
    """The whole life of the plenary, up to published minutes and delivered mail."""
    speakers = [
        add_member(personas, name, email, group_slug, region_slug, org)
        for (name, email, org), (group_slug, region_slug) in zip(
            SPEAKERS, [("civil-society", "africa"), ("private-sector", "weog")], strict=True
        )
    ]
    session = schedule(
        personas,
        SessionKind.PLENARY,
        title="Plenary on stewardship",
        start=timezone.now() - dt.timedelta(minutes=30),
        format="hybrid",
        online_url="https://meet.example.org/plenary-2",
        description="The working definition, under the Chatham House Rule.",
    )
    item = services.agenda_item_add(
        actor=personas.secretariat, session=session, title="Working definition"
    )
    services.invitations_send(actor=personas.secretariat, session=session)
    services.session_open(actor=personas.chair, session=session)
    requests = [
        services.floor_request_create(person=person, session=session) for person in speakers
    ]
    # Where names belong: the chair's live floor names the queue.
    client = logged_in(personas.chair)
    live = client.get(f"/p/{personas.process.slug}/meetings/{session.pk}/floor/live/")
    assert "Zephyrine Quillfeather" in live.content.decode()
    for request in requests:
        services.floor_grant(actor=personas.chair, request=request)
    services.floor_end_turn(actor=personas.chair, session=session)
    services.statement_add(
        actor=personas.secretariat,
        session=session,
        speaker=speakers[0],
        agenda_item=item,
        text="The lighthouse protocol should guide stewardship.",
    )
    services.transcript_import(
        actor=personas.secretariat,
        session=session,
        agenda_item=item,
        content="Bartholomew Nightjar-Okafor: Markets will adopt the lighthouse protocol.\n",
    )
    # And the secretariat's draft names them, before publication.
    draft = logged_in(personas.secretariat).get(
        f"/p/{personas.process.slug}/meetings/{session.pk}/minutes/edit/"
    )
    assert "Bartholomew Nightjar-Okafor" in draft.content.decode()
    services.agenda_item_set_outcome(
        actor=personas.secretariat, item=item, outcome="Broad support for the lighthouse protocol."
    )
    services.action_item_add(
        actor=personas.secretariat,
        agenda_item=item,
        text="Draft the lighthouse paragraph",
        owner=speakers[0],
    )
    services.session_close(actor=personas.chair, session=session)
    services.minutes_publish(actor=personas.secretariat, session=session)
    run_tasks()
    assert len(mailbox.messages) > 8
    return personas, session, speakers


def public_urls(personas, session) -> list[str]:
    slug = personas.process.slug
    base = f"/p/{slug}/meetings/{session.pk}"
    api = f"/api/processes/{slug}/sessions/{session.pk}"
    urls = [
        f"/p/{slug}/meetings/",
        f"/p/{slug}/meetings/calendar.ics",
        base + "/",
        base + "/floor/",
        base + "/floor/live/",
        base + "/attendance/",
        base + "/report/",
        base + "/report.csv",
        base + "/minutes/",
        base + "/minutes.txt",
        base + "/minutes.pdf",
        base + "/event.ics",
        f"/api/processes/{slug}/sessions",
        api,
        api + "/attendance",
        api + "/floor",
        api + "/speaking-report",
        api + "/statements",
        api + "/minutes",
        api + "/registration",
    ]
    for query in ["lighthouse", "protocol", "stewardship", "Zephyrine", "Obsidian", "Nightjar"]:
        urls.append(f"/p/{slug}/search/?q={query}")
    return urls


def check_surfaces(client: Client, urls: list[str], who: str) -> int:
    fetched = 0
    for url in urls:
        response = client.get(url)
        if response.status_code == 302:
            continue  # to the login page
        text = surface_text(response)
        if "/search/?q=" in url:
            # The page repeats the query in its search box; a name typed there finds nothing.
            query = url.rsplit("=", 1)[1]
            for echo in (f'value="{query}"', f"?q={query}", f"%3Fq%3D{query}"):
                text = text.replace(echo, "")
            if leaks(query):
                assert "0 results" in text, (who, url)
        assert not leaks(text), f"{who} {url} reveals {leaks(text)}"
        if response.get("Content-Type", "").startswith("application/json"):
            no_person_ids(json.loads(response.content))
        fetched += response.status_code == 200
    return fetched


def test_no_public_surface_reveals_a_speaker(held):
    personas, session, _speakers = held
    urls = public_urls(personas, session)
    # The substance is public: the search finds what was said, labelled by group only.
    search = Client().get(f"/p/{personas.process.slug}/search/?q=lighthouse").content.decode()
    assert "A participant (Civil society): The lighthouse protocol" in search
    assert "A participant (Private sector): Markets will adopt" in search
    for role in ("anonymous", "public", "observer"):
        client = Client() if role == "anonymous" else logged_in(getattr(personas, role))
        fetched = check_surfaces(client, urls, role)
        assert fetched >= 20, (role, fetched)
    # The meetings panel of the process home page.
    from django.test import RequestFactory

    request = RequestFactory().get(f"/p/{personas.process.slug}/")
    request.user = personas.public
    assert not leaks("".join(home_panels(request, personas.process)))


def test_the_published_record_names_nobody_even_to_the_room(held):
    personas, session, _speakers = held
    slug = personas.process.slug
    base = f"/p/{slug}/meetings/{session.pk}"
    api = f"/api/processes/{slug}/sessions/{session.pk}"
    record = [
        base + "/floor/live/",
        base + "/report/",
        base + "/report.csv",
        base + "/minutes/",
        base + "/minutes.txt",
        base + "/minutes.pdf",
        api + "/floor",
        api + "/speaking-report",
        api + "/statements",
        api + "/minutes",
        f"/p/{slug}/search/?q=lighthouse",
        f"/p/{slug}/audit/",
    ]
    for role in ("chair", "secretariat", "member"):
        check_surfaces(logged_in(getattr(personas, role)), record, role)
    minutes = Client().get(base + "/minutes/").content.decode()
    assert "A participant (Civil society)" in minutes
    assert "Broad support for the lighthouse protocol." in minutes


def test_feeds_reveal_no_speaker(held):
    personas, _session, speakers = held
    for person in (personas.observer, personas.public, personas.member, speakers[0]):
        _feed, secret = services.calendar_feed_create(person=person)
        response = Client().get(f"/meetings/calendar/{secret}.ics")
        assert response.status_code == 200
        assert not leaks(surface_text(response)), person


def test_no_email_reveals_a_speaker(held, mailbox):
    _personas, _session, _speakers = held
    speaker_addresses = {email for _name, email, _org in SPEAKERS}
    subjects = set()
    for message in mailbox.messages:
        recipient = str(message["To"])
        subjects.add(str(message["Subject"]).split(":")[0])
        parts = [f"{key}: {value}" for key, value in message.items() if key != "To"]
        for part in message.walk():
            payload = part.get_payload(decode=True)
            if payload:
                parts.append(payload.decode(part.get_content_charset() or "utf-8"))
        text = unfold("\n".join(parts))
        if recipient in speaker_addresses:
            # A speaker's own invitation names them as its attendee, and nobody else.
            assert text.count(recipient) == text.count(f"mailto:{recipient}") <= 1
            text = text.replace(recipient, "")
        assert not leaks(text), (recipient, message["Subject"], leaks(text))
    assert subjects == {"Invitation", "Minutes published"}
    assert len(mailbox.to(SPEAKERS[0][1])) == 2
