"""Attachments are judged by content; reply tokens resist forgery and case-folding."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from roundtable.discussions.tokens import (
    TokenError,
    parse_reply_address,
    parse_unsubscribe_token,
    reply_address,
    unsubscribe_token,
)
from roundtable.discussions.uploads import check_attachments, safe_filename, sniff


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7 ...", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n....", "image/png"),
        (b"\xff\xd8\xff\xe0....", "image/jpeg"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        ("Plain text, ‫عربي‬, 中文".encode(), "text/plain"),
        (
            zipped(
                {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}
            ),
            "application/vnd.oasis.opendocument.text",
        ),
        (
            zipped({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (zipped({"evil.exe": b"MZ"}), None),
        (b"MZ\x90\x00", None),
        (b"<!DOCTYPE html><script>x</script>", None),
        (b"<svg onload=alert(1)>", None),
        (b"\x00\x01binary", None),
    ],
)
def test_types_come_from_the_bytes(content, expected):
    kind = sniff(content)
    assert (kind[0] if kind else None) == expected


def test_limits_are_settings(settings):
    settings.ROUNDTABLE = {
        **settings.ROUNDTABLE,
        "DISCUSSIONS_MAX_ATTACHMENTS": 1,
        "DISCUSSIONS_MAX_ATTACHMENT_BYTES": 10,
    }
    with pytest.raises(ValidationError, match="at most 1 attachments"):
        check_attachments([("a.txt", b"a"), ("b.txt", b"b")])
    with pytest.raises(ValidationError, match="the limit is 10"):
        check_attachments([("a.txt", b"a" * 11)])
    [checked] = check_attachments([("../../etc/passwd.txt", b"hello")])
    assert checked.filename == "passwd.txt"


def test_safe_filename_uses_the_real_extension():
    assert safe_filename("report.pdf.exe", "pdf") == "report.pdf.pdf"
    assert safe_filename("C:\\Users\\x\\note.txt", "txt") == "note.txt"
    assert safe_filename("", "png") == "attachment.png"


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
