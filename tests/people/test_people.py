"""Accounts, preferences, language and time zone, API tokens, password reset."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from roundtable.people import services
from roundtable.people.models import ApiToken, Person
from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db


def test_email_is_the_login_and_is_case_insensitive():
    person = Person.objects.create_user(email="Ada@Example.NET", password=PASSWORD, name="Ada")
    assert person.email == "ada@example.net"
    client = Client()
    assert client.login(username="ADA@example.net", password=PASSWORD)


def test_profile_update_validates_every_field():
    person = PersonFactory()
    with pytest.raises(ValidationError) as error:
        services.person_update_profile(
            person=person, name=" ", preferred_language="xx", time_zone="Mars/Olympus"
        )
    assert set(error.value.message_dict) == {"name", "preferred_language", "time_zone"}
    person.refresh_from_db()
    assert person.time_zone == "UTC"
    services.person_update_profile(
        person=person, name="Ada", preferred_language="ar", time_zone="Africa/Nairobi"
    )
    person.refresh_from_db()
    assert (person.name, person.preferred_language, person.time_zone) == (
        "Ada",
        "ar",
        "Africa/Nairobi",
    )


def test_pages_follow_the_persons_language_and_arabic_is_right_to_left(client):
    person = PersonFactory(preferred_language="ar")
    client.force_login(person)
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_explicit_language_choice_wins_and_is_remembered(client):
    person = PersonFactory(preferred_language="en")
    client.force_login(person)
    response = client.post("/language/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.preferred_language == "fr"
    assert '<html lang="fr" dir="ltr">' in client.get("/").content.decode()


def test_anonymous_visitor_gets_accept_language_and_can_switch(client):
    assert 'lang="es"' in client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    client.post("/language/", {"language": "zh-hans", "next": "/"})
    assert 'lang="zh-hans"' in client.get("/").content.decode()


def test_language_switch_refuses_offsite_redirects(client):
    response = client.post("/language/", {"language": "ru", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_times_are_shown_in_the_viewers_time_zone(personas, client):
    import zoneinfo

    from django.utils import formats, timezone

    from roundtable.processes.services import invitation_create

    invitation, _ = invitation_create(
        actor=personas.secretariat,
        process=personas.process,
        email="tz@example.net",
        role="observer",
    )
    shown = {}
    for zone in ("UTC", "Asia/Tokyo"):
        personas.secretariat.time_zone = zone
        personas.secretariat.save()
        client.force_login(personas.secretariat)
        html = client.get(f"/p/{personas.process.slug}/invitations/").content.decode()
        local = timezone.localtime(invitation.expires_at, zoneinfo.ZoneInfo(zone))
        shown[zone] = formats.date_format(local, "DATETIME_FORMAT")
        assert shown[zone] in html
    assert shown["UTC"] != shown["Asia/Tokyo"]


def test_api_token_secret_is_shown_once_and_only_hashed(client):
    person = PersonFactory()
    client.force_login(person)
    response = client.post("/accounts/tokens/", {"label": "my script"})
    secret = re.search(r'id="new-token">([^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get(person=person)
    assert secret.startswith("rt_") and token.token_hash != secret
    assert secret not in client.get("/accounts/tokens/").content.decode()
    assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").json()["id"] == person.pk


def test_token_limit_is_a_setting(settings):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "MAX_API_TOKENS_PER_PERSON": 1}
    person = PersonFactory()
    services.api_token_create(person=person, label="one")
    with pytest.raises(ValidationError, match="revoke one first"):
        services.api_token_create(person=person, label="two")


def test_cannot_revoke_someone_elses_token(client):
    owner, other = PersonFactory(), PersonFactory()
    token, _ = services.api_token_create(person=owner, label="mine")
    client.force_login(other)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_password_reset_mail_goes_through_the_outbox_in_the_persons_language(
    client, mailbox, run_tasks
):
    PersonFactory(email="reset@example.net", preferred_language="en")
    response = client.post("/accounts/password_reset/", {"email": "reset@example.net"})
    assert response.status_code == 302
    run_tasks()
    [message] = mailbox.to("reset@example.net")
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mailbox.text(message)).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "brand new pass phrase", "new_password2": "brand new pass phrase"},
    )
    assert done.status_code == 302
    assert Client().login(username="reset@example.net", password="brand new pass phrase")


def test_login_page_is_labelled_and_has_a_skip_link(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'href="#main"' in html and 'id="main"' in html
    assert '<label for="id_username"' in html and '<label for="id_password"' in html


def test_security_headers(client):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
