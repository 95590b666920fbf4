"""Minutes: statements, transcript import (bad input refused whole), outcomes, publication."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from roundtable.meetings import services
from roundtable.meetings.models import SessionKind, Statement
from roundtable.processes.models import AttributionRule
from tests.meetings.conftest import schedule

pytestmark = pytest.mark.django_db


def editor(personas, session) -> str:
    return f"/p/{personas.process.slug}/meetings/{session.pk}/minutes/"


def secretariat_client(personas) -> Client:
    client = Client()
    client.force_login(personas.secretariat)
    return client


def test_transcript_upload_adds_one_statement_per_speaker_line(live_plenary):
    personas, session = live_plenary.personas, live_plenary.session
    transcript = (
        b"Mina Member: Civil society supports the definition.\n"
        b"It must include human rights.\n"
        b"gustavo   GOVERNMENT: Governments agree in principle.\n"
        b"Charlotte Chair: Thank you. We move on.\n"
    )
    response = secretariat_client(personas).post(
        editor(personas, session) + "import/",
        {"transcript-transcript": SimpleUploadedFile("notes.txt", transcript, "text/plain")},
    )
    assert response.status_code == 302
    statements = list(Statement.objects.order_by("position"))
    assert [(s.speaker.name, s.text, s.source) for s in statements] == [
        (
            "Mina Member",
            "Civil society supports the definition. It must include human rights.",
            "transcript",
        ),
        ("Gustavo Government", "Governments agree in principle.", "transcript"),
        ("Charlotte Chair", "Thank you. We move on.", "transcript"),
    ]
    assert statements[0].stakeholder_group.slug == "civil-society"


def test_unknown_speakers_are_listed_and_nothing_is_imported(live_plenary):
    personas, session = live_plenary.personas, live_plenary.session
    transcript = (
        "Preamble without a speaker\n"
        "Mina Member: Fine.\n"
        "Minna Membre: A typo.\n"
        "Oscar Observer: Observers may not speak in a plenary.\n"
        "Minna Membre: Again.\n"
    )
    with pytest.raises(ValidationError) as caught:
        services.transcript_import(actor=personas.secretariat, session=session, content=transcript)
    assert caught.value.message_dict["transcript"] == [
        "Line 1 does not start with “Speaker:” and follows no statement.",
        "Unknown speaker “Minna Membre” (lines 3, 5): check the spelling, or that this person "
        "may speak in this session.",
        "Unknown speaker “Oscar Observer” (line 4): check the spelling, or that this person "
        "may speak in this session.",
    ]
    assert not Statement.objects.exists()
    # The page shows the same list on the form, with a 400.
    response = secretariat_client(personas).post(
        editor(personas, session) + "import/", {"transcript-text": transcript}
    )
    assert response.status_code == 400
    assert "Unknown speaker “Minna Membre” (lines 3, 5)" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n\xe2\xe3\xcf\xd3 binary", "This file is not plain text in UTF-8."),
        (b"PK\x03\x04\x14\x00\x06\x00", "This file is not plain text. Upload a .txt transcript."),
        (
            b"\xff\xfeM\x00i\x00n\x00a\x00 \x00M\x00e\x00m\x00b\x00e\x00r\x00:\x00 \x00H\x00i\x00",
            None,
        ),
    ],
)
def test_uploads_are_judged_by_their_content(live_plenary, content, message):
    personas, session = live_plenary.personas, live_plenary.session
    if message is None:  # UTF-16 with a byte-order mark is text too
        [statement] = services.transcript_import(
            actor=personas.secretariat, session=session, content=content
        )
        assert statement.text == "Hi"
        return
    with pytest.raises(ValidationError) as caught:
        services.transcript_import(actor=personas.secretariat, session=session, content=content)
    assert caught.value.messages[0].startswith(message)


def test_transcript_size_and_line_limits_are_settings(live_plenary, settings):
    personas, session = live_plenary.personas, live_plenary.session
    settings.ROUNDTABLE = {
        **settings.ROUNDTABLE,
        "MEETINGS_MAX_TRANSCRIPT_LINES": 3,
        "MEETINGS_MAX_TRANSCRIPT_BYTES": 10_000,
    }
    with pytest.raises(ValidationError, match="has 4 lines; the limit is 3"):
        services.transcript_import(
            actor=personas.secretariat, session=session, content="Mina Member: a\nb\nc\nd"
        )
    with pytest.raises(ValidationError, match="too large"):
        services.transcript_import(
            actor=personas.secretariat, session=session, content="Mina Member: " + "x" * 20_000
        )


def test_two_people_with_one_name_must_be_told_apart(live_plenary):
    from tests.meetings.conftest import add_member

    personas, session = live_plenary.personas, live_plenary.session
    add_member(personas, "Mina Member", "other.mina@example.net", "academia", "weog")
    with pytest.raises(ValidationError, match="could be more than one person"):
        services.transcript_import(
            actor=personas.secretariat, session=session, content="Mina Member: Hello."
        )


def test_publication_sends_attributed_minutes_and_locks_them(live_plenary, mailbox, run_tasks):
    personas, session = live_plenary.personas, live_plenary.session
    with pytest.raises(ValidationError, match="nothing to publish"):
        services.minutes_publish(actor=personas.secretariat, session=session)
    item = session.agenda_items.get()
    statement = services.statement_add(
        actor=personas.secretariat,
        session=session,
        speaker=personas.member,
        text="Civil society supports the definition.",
        agenda_item=item,
    )
    services.agenda_item_set_outcome(
        actor=personas.secretariat, item=item, outcome="The definition was agreed."
    )
    services.action_item_add(
        actor=personas.secretariat,
        agenda_item=item,
        text="Circulate the agreed text",
        owner=personas.secretariat,
        due_date=dt.date(2031, 1, 15),
    )
    services.floor_request_create(person=personas.member, session=session)  # she is present
    services.session_close(actor=personas.chair, session=session)
    services.minutes_publish(actor=personas.secretariat, session=session)
    run_tasks()
    [message] = mailbox.to("member@example.net")
    assert message["Subject"] == "Minutes published: plenary test"
    text = mailbox.text(message)
    assert "A participant (Civil society): Civil society supports the definition." in text
    assert "Outcome: The definition was agreed." in text
    # An office owns an action as the office, under the Chatham House Rule too.
    assert "- Circulate the agreed text (the secretariat)" in text
    assert "Mina Member" not in text and "Open Networks Trust" not in text
    with pytest.raises(ValidationError, match="Withdraw the publication"):
        services.statement_update(actor=personas.secretariat, statement=statement, text="Edited")
    services.minutes_withdraw(actor=personas.secretariat, session=session)
    services.statement_update(actor=personas.secretariat, statement=statement, text="Edited")


def test_attributed_minutes_name_the_speaker(personas):
    session = schedule(
        personas,
        SessionKind.CONSULTATION,
        start=timezone.now() - dt.timedelta(hours=1),
        attribution_rule=AttributionRule.ATTRIBUTED,
    )
    services.registration_create(
        person=personas.public,
        session=session,
        stakeholder_group="academia",
        organisation_name="Institute of Open Questions",
    )
    services.session_open(actor=personas.chair, session=session)
    services.session_close(actor=personas.chair, session=session)
    services.statement_add(
        actor=personas.secretariat, session=session, speaker=personas.public, text="A question."
    )
    services.minutes_publish(actor=personas.secretariat, session=session)
    page = Client().get(editor(personas, session)).content.decode()
    assert "Pat Public (Institute of Open Questions)" in page


def test_closed_session_minutes_are_for_members_only(personas):
    session = schedule(personas, SessionKind.CLOSED, start=timezone.now() - dt.timedelta(hours=4))
    services.statement_add(
        actor=personas.secretariat, session=session, speaker=personas.member, text="Private view."
    )
    services.minutes_publish(actor=personas.secretariat, session=session)
    url = editor(personas, session)
    member = Client()
    member.force_login(personas.member)
    assert "Private view." in member.get(url).content.decode()
    observer = Client()
    observer.force_login(personas.observer)
    assert observer.get(url).status_code == 403
    assert Client().get(url).status_code == 403
    assert (
        "Private view."
        not in Client().get(f"/p/{personas.process.slug}/search/?q=Private").content.decode()
    )


def test_the_draft_names_speakers_to_the_secretariat_only(live_plenary):
    personas, session = live_plenary.personas, live_plenary.session
    services.statement_add(
        actor=personas.secretariat, session=session, speaker=personas.member, text="Draft words."
    )
    secretariat = secretariat_client(personas).get(editor(personas, session) + "edit/")
    assert "Mina Member (Open Networks Trust)" in secretariat.content.decode()
    chair = Client()
    chair.force_login(personas.chair)
    draft = chair.get(editor(personas, session)).content.decode()
    assert "Draft: not published" in draft
    assert "A participant (Civil society)" in draft and "Mina Member" not in draft.split("<main")[1]
