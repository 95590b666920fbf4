"""Uploads are checked by content: type, size, zip bombs, text encoding, and safe names."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from roundtable.consultations.uploads import DOCX, ODT, PDF, TXT, check_upload, sanitise_filename
from tests.consultations.conftest import docx_bytes, odt_bytes

MAX = 1024 * 1024


def check(data: bytes, name: str, max_bytes: int = MAX):
    return check_upload(io.BytesIO(data), name, max_bytes=max_bytes)


def refusal(data: bytes, name: str, max_bytes: int = MAX) -> str:
    with pytest.raises(ValidationError) as caught:
        check(data, name, max_bytes)
    return " ".join(caught.value.message_dict["attachments"])


def test_accepted_kinds_are_recognised_by_content():
    assert check(b"%PDF-1.7\n...%%EOF", "report.pdf").kind is PDF
    assert check(docx_bytes(), "report.docx").kind is DOCX
    assert check(odt_bytes(), "report.odt").kind is ODT
    assert check("Текст на русском и العربية".encode(), "notes.txt").kind is TXT


def test_the_name_follows_the_content_not_the_other_way_round():
    """A real PDF named .docx is stored as .pdf; a text file named .txt keeps its name."""
    assert check(b"%PDF-1.4 x", "oops.docx").filename == "oops.pdf"
    assert check(b"plain words", "notes").filename == "notes.txt"


def test_an_executable_named_pdf_is_refused():
    message = refusal(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200), "cv.pdf")
    assert ".pdf" in message and "content" in message


def test_an_elf_binary_named_txt_is_refused():
    assert "accepted kinds" in refusal(b"\x7fELF\x02\x01\x01\x00" + bytes(64), "readme.txt")


def test_text_must_be_utf8_without_nul():
    assert "UTF-8" in refusal("café".encode("latin-1"), "notes.txt")
    assert "accepted kinds" in refusal(b"abc\x00def", "notes.txt")


def test_empty_and_oversize_files_are_refused():
    assert "empty" in refusal(b"", "empty.pdf")
    assert "larger than" in refusal(b"%PDF-" + b"x" * 2000, "big.pdf", max_bytes=1000)


def test_a_plain_zip_is_not_a_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photos/1.jpg", b"\xff\xd8")
    assert "zip archive" in refusal(buffer.getvalue(), "document.docx")


def test_a_docx_zip_bomb_is_refused(settings):
    """A DOCX whose parts expand hugely is refused before it is decompressed."""
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "CONSULTATION_MAX_UNZIPPED_BYTES": 5 * MAX}
    bomb = docx_bytes({"word/media/padding.bin": bytes(20 * MAX)})
    assert len(bomb) < 100_000
    assert "zip bomb" in refusal(bomb, "innocent.docx")


def test_a_high_ratio_part_is_refused_even_under_the_total(settings):
    settings.ROUNDTABLE = {
        **settings.ROUNDTABLE,
        "CONSULTATION_MAX_UNZIPPED_BYTES": 50 * MAX,
        "CONSULTATION_MAX_ZIP_RATIO": 50,
    }
    bomb = docx_bytes({"word/media/padding.bin": bytes(4 * MAX)})
    assert "zip bomb" in refusal(bomb, "ratio.docx")


def test_a_zip_whose_headers_lie_about_sizes_is_refused():
    """Declared sizes are not trusted: the CRC and the real length are checked while reading."""
    data = bytearray(docx_bytes({"word/extra.xml": b"A" * 5000}))
    # Corrupt the compressed stream of the last entry: decompression must fail cleanly.
    index = data.rfind(b"word/extra.xml", 0, len(data) // 2) + len("word/extra.xml")
    for offset in range(index + 5, index + 25):
        data[offset] ^= 0xFF
    message = refusal(bytes(data), "lying.docx")
    assert "damaged" in message or "zip bomb" in message


def test_too_many_zip_entries_are_refused(settings):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "CONSULTATION_MAX_ZIP_ENTRIES": 10}
    extra = {f"word/part{n}.xml": b"<x/>" for n in range(20)}
    assert "parts" in refusal(docx_bytes(extra), "many.docx")


def test_an_encrypted_docx_is_refused():
    data = bytearray(docx_bytes())
    # Set the "encrypted" flag on every local and central header.
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            data[start + flag_offset] |= 0x1
            start += 4
    assert "encrypted" in refusal(bytes(data), "secret.docx")


def test_an_odt_spreadsheet_is_not_a_text_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    assert "not a text document" in refusal(buffer.getvalue(), "sheet.odt")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd.txt"),
        ("C:\\Users\\me\\report final.pdf", "report final.pdf"),
        ("évaluation du projet.pdf", "évaluation du projet.pdf"),
        ("تقرير اللجنة.pdf", "تقرير اللجنة.pdf"),
        ("报告.pdf", "报告.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.pdf"),
        ('<b onclick="x">hi</b>.pdf', "b.pdf"),
        ('a<b>c"d.pdf', "a_b_c_d.pdf"),
        ("...", "attachment.pdf"),
        ("", "attachment.pdf"),
    ],
)
def test_filenames_are_sanitised(name, expected):
    extension = ".txt" if expected.endswith(".txt") else ".pdf"
    assert sanitise_filename(name, extension) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_sanitised_names_are_always_safe(name):
    result = sanitise_filename(name, ".pdf")
    assert result.endswith(".pdf")
    assert "/" not in result and "\\" not in result
    assert not result.startswith(".")
    assert len(result) <= 104
    assert all(ord(ch) >= 32 for ch in result)
    assert '"' not in result and "<" not in result and "\u202e" not in result


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["a.pdf", "a.docx", "a.odt", "a.txt", "a"]))
def test_any_bytes_are_either_accepted_as_a_kind_or_refused_clearly(data, name):
    try:
        checked = check(data, name)
    except ValidationError as error:
        assert error.message_dict["attachments"]
    else:
        assert checked.kind in (PDF, DOCX, ODT, TXT)
        if checked.kind is TXT:
            assert b"\x00" not in data
            data.decode("utf-8")
        if checked.kind is PDF:
            assert data.startswith(b"%PDF-")
