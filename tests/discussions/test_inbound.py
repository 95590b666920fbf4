"""The reply parser: quotes, signatures, HTML, MIME checks; hypothesis for the properties."""

from __future__ import annotations

import contextlib
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roundtable.discussions.inbound import (
    InvalidMail,
    automatic_reason,
    html_to_text,
    parse,
    strip_reply,
)

MARKERS = ("Reply above this line to post in the thread",)

# Lines a person writes: no quote marks, no signature dashes, no reply headers.
# Letters and digits from several scripts; no quote marks, dashes or colons.
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFXYZ0123456789éàçñüßЖизньмирعربيةمرحبا中文汉字测试"
_word = st.text(alphabet=_LETTERS, min_size=1, max_size=12)
_line = st.lists(_word, min_size=1, max_size=8).map(" ".join)
_body = (
    st.lists(_line | st.just(""), min_size=1, max_size=12)
    .map("\n".join)
    .filter(lambda text: text.strip())
)
# The machine is shared: generation speed is not what these tests are about.
relaxed = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


def normal(text: str) -> str:
    return strip_reply(text)


@relaxed
@given(body=_body)
def test_plain_text_is_kept(body):
    expected = "\n".join(line.rstrip() for line in body.split("\n")).strip()
    # Runs of blank lines shrink to one.
    assert strip_reply(body) == re.sub(r"\n{3,}", "\n\n", expected)


@relaxed
@given(body=_body, quoted=st.lists(_line, min_size=1, max_size=6))
def test_a_quoted_original_below_never_changes_the_result(body, quoted):
    header = "On Tue, 3 Mar 2026 at 10:00, Sam Secretariat <sam@example.net> wrote:"
    mail = body + "\n\n" + header + "\n" + "\n".join("> " + line for line in quoted)
    assert strip_reply(mail) == normal(body)


@relaxed
@given(body=_body, signature=st.lists(_line, min_size=1, max_size=4))
def test_a_signature_never_changes_the_result(body, signature):
    assert strip_reply(body + "\n-- \n" + "\n".join(signature)) == normal(body)


@relaxed
@given(body=_body, old=st.lists(_line, min_size=0, max_size=5))
def test_everything_below_our_marker_is_dropped(body, old):
    mail = body + "\n\n## " + MARKERS[0] + " ##\n" + "\n".join(old)
    assert strip_reply(mail, markers=MARKERS) == normal(body)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=st.text(max_size=400))
def test_never_fails_and_is_idempotent(text):
    once = strip_reply(text, markers=MARKERS)
    assert strip_reply(once, markers=MARKERS) == once


@pytest.mark.parametrize(
    "header",
    [
        "Le mar. 3 mars 2026 à 10:00, Sam <sam@example.net> a écrit :",
        "El mar, 3 mar 2026 a las 10:00, Sam (<sam@example.net>) escribió:",
        "3 марта 2026 г., в 10:00, Sam <sam@example.net> написал(а):",
        "在 2026年3月3日 10:00，Sam <sam@example.net> 写道：",
        "في الثلاثاء، 3 مارس 2026، كتب Sam <sam@example.net>:",
        "في 3 مارس 2026 Sam <sam@example.net> كتب:",
    ],
)
def test_quote_headers_in_other_languages(header):
    mail = f"Mon avis.\n\n{header}\n> ancien texte\n"
    assert strip_reply(mail) == "Mon avis."


def test_wrapped_gmail_header_and_outlook_original():
    gmail = (
        "Yes.\n\nOn Tue, 3 Mar 2026 at 10:00, Sam Secretariat <\nsam@example.net> wrote:\n\n> old\n"
    )
    assert strip_reply(gmail) == "Yes."
    outlook = (
        "Agreed.\n\n________________________________\nFrom: Sam\nSent: Tuesday\nTo: x\n\nold text"
    )
    assert strip_reply(outlook) == "Agreed."
    outlook_plain = (
        "Agreed.\n\nFrom: Sam Secretariat <sam@example.net>\nSent: Tuesday, 3 March\nSubject: x\n"
    )
    assert strip_reply(outlook_plain) == "Agreed."
    phone = "Fine by me.\n\nSent from my iPhone"
    assert strip_reply(phone) == "Fine by me."


def test_inline_answers_between_quotes_are_kept():
    mail = "> Do you agree with A?\nYes.\n> And B?\nNo, because of cost.\n"
    assert strip_reply(mail) == "Yes.\nNo, because of cost."


def test_a_line_ending_in_a_colon_that_is_not_a_header_is_kept():
    assert strip_reply("Three points:\n- one\n- two") == "Three points:\n- one\n- two"


def test_html_to_text_drops_scripts_styles_and_quotes():
    markup = (
        "<html><head><title>t</title><style>p{}</style></head><body>"
        "<p>One &amp; two</p><ul><li>a</li><li>b</li></ul><script>evil()</script>"
        "<blockquote>quoted</blockquote><div id='appendonsend'></div><p>Outlook original</p>"
    )
    assert html_to_text(markup) == "One & two\n\n- a\n- b"


@relaxed
@given(markup=st.text(max_size=300))
def test_html_to_text_never_fails(markup):
    html_to_text(markup)


def raw(body: str, **headers: str) -> bytes:
    lines = [
        f"{k.replace('_', '-')}: {v}"
        for k, v in {
            "From": "a@example.net",
            "To": "b@example.net",
            "Subject": "s",
            **headers,
        }.items()
    ]
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def test_parse_reads_ids_sender_and_text():
    mail = parse(
        raw("Hello\r\n", Message_ID="<x@y>", In_Reply_To="<p@q>", References="<r@s> <p@q>")
    )
    assert mail.from_address == "a@example.net"
    assert mail.message_id == "<x@y>"
    assert mail.in_reply_to == ["<p@q>", "<r@s>", "<p@q>"]
    assert mail.text == "Hello"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        raw("x", Content_Type='multipart/mixed; boundary="B"'),
        raw("x").replace(b"From: a@example.net", b"From: nobody"),
        b" continuation first\r\nFrom: a@example.net\r\n\r\nx",
    ],
)
def test_invalid_mime_is_refused(data):
    with pytest.raises(InvalidMail):
        parse(data)


@relaxed
@given(data=st.binary(max_size=500))
def test_parse_either_reads_or_refuses_anything(data):
    with contextlib.suppress(InvalidMail):
        parse(data)


def test_automatic_mail_is_recognised():
    from email import message_from_bytes, policy

    def reason(envelope="a@example.net", **headers):
        return automatic_reason(
            message_from_bytes(raw("x", **headers), policy=policy.default),
            envelope_from=envelope,
            own_addresses=("roundtable@localhost",),
        )

    assert reason() is None
    assert reason(Auto_Submitted="no") is None
    assert reason(Auto_Submitted="auto-replied")
    assert reason(envelope="")
    assert reason(Precedence="junk")
    assert reason(X_Autoreply="yes")
    assert reason(X_Roundtable_Loop="localhost")
    assert reason(From="MAILER-DAEMON@example.net")
    assert reason(From="Roundtable <roundtable@localhost>")
