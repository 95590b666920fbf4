"""Public self-sign-up with e-mail verification, without revealing who is registered."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.test import Client

from roundtable.people import services
from roundtable.people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Rania Haddad",
    "email": "Rania@Example.net",
    "password": "olive trees in spring",
    "language": "ar",
}


def verify_link(mailbox, address: str) -> str:
    [message] = mailbox.to(address)
    return re.search(r"http://testserver(/accounts/verify/\S+/)", mailbox.text(message)).group(1)


def test_sign_up_sends_a_verification_link_in_the_chosen_language(mailbox, run_tasks):
    person = services.person_sign_up(**GOOD)
    assert person.email == "rania@example.net" and not person.is_active
    assert person.preferred_language == "ar"
    run_tasks()
    client = Client()
    response = client.get(verify_link(mailbox, "rania@example.net"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_active
    assert client.get("/accounts/profile/").status_code == 200  # logged in


def test_unverified_account_cannot_log_in():
    services.person_sign_up(**GOOD)
    assert not Client().login(username="rania@example.net", password=GOOD["password"])


def test_existing_address_is_not_revealed_and_its_owner_is_told(client, mailbox, run_tasks):
    PersonFactory(email="rania@example.net", name="Rania Existing")
    response = client.post(
        "/accounts/signup/",
        {
            "name": "Impostor",
            "email": "rania@example.net",
            "password": "olive trees in spring",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 200
    assert "We sent a message to rania@example.net" in response.content.decode()
    assert Person.objects.filter(email="rania@example.net").count() == 1
    run_tasks()
    [message] = mailbox.to("rania@example.net")
    assert "already have one" in mailbox.text(message)
    assert "/accounts/verify/" not in mailbox.text(message)


def test_signing_up_again_before_verifying_sends_a_fresh_link(mailbox, run_tasks):
    services.person_sign_up(**GOOD)
    services.person_sign_up(**{**GOOD, "name": "Rania H."})
    assert Person.objects.get(email="rania@example.net").name == "Rania H."
    run_tasks()
    assert len(mailbox.to("rania@example.net")) == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"name": " "}, "name"), ({"email": "nope"}, "email"), ({"password": "123"}, "password")],
)
def test_bad_sign_up_input_changes_nothing(overrides, field, mailbox, run_tasks):
    with pytest.raises(ValidationError) as error:
        services.person_sign_up(**{**GOOD, **overrides})
    assert field in error.value.message_dict
    assert not Person.objects.exists()
    run_tasks()
    assert mailbox.messages == []


def test_forged_or_expired_links_are_refused(settings):
    person = services.person_sign_up(**GOOD)
    forged = signing.dumps({"person": person.pk, "email": person.email}, salt="another-salt")
    assert Client().get(f"/accounts/verify/{forged}/").status_code == 400
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "SIGN_UP_LINK_VALID_DAYS": -1}
    token = signing.dumps({"person": person.pk, "email": person.email}, salt=services.SIGN_UP_SALT)
    with pytest.raises(ValidationError, match="expired"):
        services.person_verify_email(token=token)
    person.refresh_from_db()
    assert not person.is_active


def test_sign_up_can_be_switched_off(settings, client):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "ALLOW_SIGN_UP": False}
    assert client.get("/accounts/signup/").status_code == 404
