"""The meetings pages, e-mails and API speak the six languages."""

from __future__ import annotations

import pytest
from django.test import Client

from roundtable.meetings import services
from roundtable.meetings.models import SessionKind
from tests.meetings.conftest import schedule

pytestmark = pytest.mark.django_db


def test_invitations_follow_each_recipients_language(personas, mailbox, run_tasks):
    personas.member.preferred_language = "fr"
    personas.member.save()
    personas.observer.preferred_language = "ar"
    personas.observer.save()
    session = schedule(personas, SessionKind.PLENARY, title="Plénière de printemps")
    services.invitations_send(actor=personas.secretariat, session=session)
    run_tasks()
    [french] = mailbox.to("member@example.net")
    assert french["Subject"] == "Invitation : Plénière de printemps"
    assert "Vous êtes invité·e à cette séance." in mailbox.text(french)
    assert "séance plénière" in mailbox.text(french)
    [arabic] = mailbox.to("observer@example.net")
    assert "أنت مدعو إلى هذه الجلسة." in mailbox.text(arabic)


@pytest.mark.parametrize(
    ("language", "heading", "button"),
    [
        ("fr", "La parole", "Demander la parole"),
        ("es", "El uso de la palabra", "Pedir la palabra"),
        ("ru", "Слово", "Попросить слова"),
        ("ar", "الكلمة", "طلب الكلمة"),
        ("zh-hans", "发言", "请求发言"),
    ],
)
def test_the_floor_in_each_language(live_plenary, language, heading, button):
    personas, session = live_plenary.personas, live_plenary.session
    personas.member.preferred_language = language
    personas.member.save()
    client = Client()
    client.force_login(personas.member)
    page = client.get(f"/p/{personas.process.slug}/meetings/{session.pk}/floor/").content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert button in page


def test_api_refusals_are_translated(live_plenary):
    personas, session = live_plenary.personas, live_plenary.session
    personas.observer.preferred_language = "es"
    personas.observer.save()
    client = Client()
    client.force_login(personas.observer)
    response = client.post(
        f"/api/processes/{personas.process.slug}/sessions/{session.pk}/floor",
        {},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["message"] == (
        "Los observadores asisten a las sesiones plenarias sin derecho a hacer uso de la palabra."
    )


def test_plural_forms(live_plenary):
    personas, session = live_plenary.personas, live_plenary.session
    client = Client()
    client.force_login(personas.chair)
    personas.chair.preferred_language = "ru"
    personas.chair.save()
    for person in (personas.member, live_plenary.second):
        services.floor_request_create(person=person, session=session)
    page = client.get(f"/p/{personas.process.slug}/meetings/{session.pk}/floor/").content.decode()
    assert "2 присутствующих с правом выступления" in page
    assert "0 выступлений" in page
