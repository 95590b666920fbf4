"""Reply tokens resist forgery and case-folding; unsubscribe tokens are signed."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roundtable.discussions.tokens import (
    TokenError,
    parse_reply_address,
    parse_unsubscribe_token,
    reply_address,
    unsubscribe_token,
)


@given(person=st.integers(1, 10**9), thread=st.integers(1, 10**9))
def test_reply_addresses_round_trip_fit_and_survive_lower_casing(person, thread):
    today = dt.date(2026, 3, 1)
    address = reply_address(person_id=person, thread_id=thread, today=today)
    local = address.split("@")[0]
    assert len(local) <= 64
    for variant in (address, address.lower(), address.upper()):
        token = parse_reply_address(variant, today=today)
        assert (token.person_id, token.thread_id) == (person, thread)


def test_reply_tokens_refuse_forgery_and_age():
    today = dt.date(2026, 3, 1)
    address = reply_address(person_id=7, thread_id=9, today=today)
    local, domain = address.split("@")
    swapped = local.replace("+7.9.", "+8.9.")
    with pytest.raises(TokenError) as error:
        parse_reply_address(f"{swapped}@{domain}", today=today)
    assert error.value.code == "forged"
    with pytest.raises(TokenError) as error:
        parse_reply_address(address, today=today + dt.timedelta(days=91))
    assert error.value.code == "expired"
    for bad in (
        "",
        "nobody@localhost",
        "reply+zz@localhost",
        address.replace("localhost", "other.org"),
    ):
        with pytest.raises(TokenError) as error:
            parse_reply_address(bad, today=today)
        assert error.value.code == "unknown"


def test_unsubscribe_tokens_are_signed():
    from django.core import signing

    token = unsubscribe_token(person_id=1, process_id=2, scope="cluster", target_id=3)
    assert parse_unsubscribe_token(token) == {"p": 1, "r": 2, "s": "cluster", "t": 3}
    with pytest.raises(signing.BadSignature):
        parse_unsubscribe_token(token[:-2] + "xx")
