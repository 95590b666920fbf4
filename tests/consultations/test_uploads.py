"""Consultations pass their own kinds and limits to the shared checker (tests/core/test_uploads.py).

Submissions and working papers take PDF, DOCX, ODT and UTF-8 text; the zip
limits are the CONSULTATION_* settings.
"""

from __future__ import annotations

import io
import random

import pytest
from django.core.exceptions import ValidationError

from roundtable.consultations.uploads import check_upload
from roundtable.core.uploads import DOCX, ODT, PDF, TXT
from tests.consultations.conftest import docx_bytes
from tests.core.samples import MIB, sample, with_entries

MAX = 1024 * 1024


def check(data: bytes, name: str, max_bytes: int = MAX):
    return check_upload(io.BytesIO(data), name, max_bytes=max_bytes)


def refusal(data: bytes, name: str, max_bytes: int = MAX) -> str:
    with pytest.raises(ValidationError) as caught:
        check(data, name, max_bytes)
    return " ".join(caught.value.message_dict["attachments"])


@pytest.mark.parametrize(
    ("key", "kind"), [("pdf", PDF), ("docx", DOCX), ("odt", ODT), ("txt", TXT)]
)
def test_documents_and_text_are_accepted(key, kind):
    name, data = sample(key)
    checked = check(data, name)
    assert checked.kind is kind and checked.filename == name


@pytest.mark.parametrize("key", ["xlsx", "pptx", "ods", "odp", "png", "jpeg", "gif", "webp"])
def test_other_kinds_are_refused_and_the_accepted_ones_named(key):
    name, data = sample(key)
    message = refusal(data, name)
    assert f"“{name}”" in message
    assert "not accepted here" in message
    assert message.endswith("PDF, Word (DOCX), OpenDocument text (ODT), plain text (UTF-8).")


def test_an_opendocument_spreadsheet_named_odt_is_refused():
    assert "OpenDocument spreadsheet (ODS) files are not accepted" in refusal(
        sample("ods")[1], "sheet.odt"
    )


def test_the_size_limit_is_the_callers():
    assert "larger than 1000 B" in refusal(b"%PDF-" + b"x" * 2000, "big.pdf", max_bytes=1000)
    assert check(b"%PDF-" + b"x" * 2000, "big.pdf", max_bytes=3000).kind is PDF


def test_the_unzipped_budget_is_a_setting(settings):
    """The same DOCX passes under the default budget and is a zip bomb under a smaller one."""
    # Random bytes do not compress, so only the budget (not the ratio) is at stake.
    document = docx_bytes({"word/media/photo.bin": random.Random(8).randbytes(3 * MAX)})
    assert check(document, "big.docx", max_bytes=5 * MAX).kind is DOCX
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "CONSULTATION_MAX_UNZIPPED_BYTES": 2 * MAX}
    assert "zip bomb" in refusal(document, "big.docx", max_bytes=5 * MAX)


def test_the_compression_ratio_is_a_setting(settings):
    document = with_entries(sample("odt")[1], {"Pictures/padding.bin": bytes(4 * MIB)})
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "CONSULTATION_MAX_ZIP_RATIO": 50}
    assert "zip bomb" in refusal(document, "ratio.odt")
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "CONSULTATION_MAX_ZIP_RATIO": 10_000}
    assert check(document, "ratio.odt").kind is ODT


def test_the_number_of_parts_is_a_setting(settings):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "CONSULTATION_MAX_ZIP_ENTRIES": 10}
    extra = {f"word/part{n}.xml": b"<x/>" for n in range(20)}
    assert "more than 10 parts" in refusal(docx_bytes(extra), "many.docx")
