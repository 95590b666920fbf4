"""The shared upload checker: kinds by content, zip bombs, text, markup, names, limits.

App tests (consultations, discussions) check that each app passes its own
kinds and limits; these tests check the checker itself, on real files.
"""

from __future__ import annotations

import hashlib
import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roundtable.core import uploads
from roundtable.core.uploads import (
    ALL_KINDS,
    DOCX,
    ODT,
    PDF,
    PNG,
    TXT,
    ZIP_KINDS,
    Limits,
    check_bytes,
    check_count,
    check_upload,
    kind_names,
    sanitise_filename,
)
from tests.core.samples import MIB, SAMPLES, sample, with_entries, zip_bomb, zipped

LIMITS = Limits(max_bytes=MIB, max_unzipped_bytes=60 * MIB, max_zip_ratio=100, max_zip_entries=2000)
BY_KEY = {kind.key: kind for kind in ALL_KINDS}


def refusal(data: bytes, name: str, *, kinds=ALL_KINDS, limits: Limits = LIMITS) -> ValidationError:
    """The single error the checker raises for this file (and it names the file)."""
    with pytest.raises(ValidationError) as caught:
        check_bytes(data, name, kinds=kinds, limits=limits)
    [error] = caught.value.error_dict["attachments"]
    return error


def message(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Kinds, by content -------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_every_kind_is_recognised_from_real_files(key):
    name, data = sample(key)
    checked = check_bytes(data, name, kinds=ALL_KINDS, limits=LIMITS)
    assert checked.kind is BY_KEY[key]
    assert checked.filename == name
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.content == data
    assert checked.content_type == BY_KEY[key].content_type


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_a_kind_the_caller_does_not_accept_is_refused_by_name(key):
    name, data = sample(key)
    others = tuple(kind for kind in ALL_KINDS if kind.key != key)
    error = refusal(data, name, kinds=others)
    assert error.code == "not_accepted"
    assert f"“{name}”" in message(error)
    assert str(BY_KEY[key].label) in message(error)


def test_the_name_follows_the_content():
    """A PDF named .docx is stored as .pdf; a text without extension gets .txt."""
    assert check_bytes(sample("pdf")[1], "oops.docx", kinds=ALL_KINDS, limits=LIMITS).filename == (
        "oops.pdf"
    )
    assert check_bytes(b"plain words", "notes", kinds=ALL_KINDS, limits=LIMITS).filename == (
        "notes.txt"
    )
    checked = check_bytes(sample("png")[1], "chart.jpeg", kinds=ALL_KINDS, limits=LIMITS)
    assert (checked.kind, checked.filename) == (PNG, "chart.png")


def test_an_executable_named_like_an_accepted_kind_is_refused():
    error = refusal(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\xff\xff" + bytes(200), "cv.pdf")
    assert error.code == "misnamed"
    assert ".pdf" in message(error) and "content" in message(error)
    assert "“cv.pdf”" in message(error)


def test_a_binary_named_txt_is_not_an_accepted_kind():
    error = refusal(b"\x7fELF\x02\x01\x01\x00" + bytes(64), "readme.txt")
    assert error.code == "not_accepted" and "accepted kinds" in message(error)


def test_the_accepted_kinds_are_listed_in_the_callers_order():
    error = refusal(b"\x7fELF" + bytes(64), "x.bin", kinds=(PDF, DOCX, ODT, TXT))
    assert message(error).endswith("PDF, Word (DOCX), OpenDocument text (ODT), plain text (UTF-8).")


# --- Text ---------------------------------------------------------------------------------


def test_text_must_be_utf8_without_nul():
    error = refusal("café".encode("latin-1"), "notes.txt")
    assert error.code == "not_utf8" and "UTF-8" in message(error)
    assert refusal(b"abc\x00def", "notes.txt").code == "not_accepted"


def test_utf16_text_is_told_to_be_saved_as_utf8():
    """Windows "Unicode" text has NUL bytes but is text: the advice is to save it as UTF-8."""
    for encoding in ("utf-16", "utf-16-be"):
        data = "\ufeffملاحظات الجلسة".encode(encoding)
        assert refusal(data, "notes.txt").code == "not_utf8"
    assert refusal(b"\xff\xfeM\x00", "notes.txt", kinds=(PDF,)).code == "not_accepted"


def test_text_is_decoded_across_chunks():
    """A character split between two read chunks is still UTF-8; a bad byte far in is not."""
    text = ("a" * (uploads.CHUNK - 1) + "é" + "中" * 10).encode()
    assert text[uploads.CHUNK - 1 : uploads.CHUNK + 1] == "é".encode()
    assert check_bytes(text, "long.txt", kinds=ALL_KINDS, limits=LIMITS).kind is TXT
    assert refusal(b"a" * (3 * uploads.CHUNK) + b"\xff", "long.txt").code == "not_utf8"
    assert refusal(b"a" * (3 * uploads.CHUNK) + b"\x00", "long.txt").code == "not_accepted"


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><p>hi",
        "   \n<html><body>x</body></html>",
        "\ufeff<svg onload=alert(1)>",
        '<?xml version="1.0"?><svg/>',
        "<script>alert(1)</script>",
        "<SCRIPT>alert(1)</SCRIPT>",
        '<a href="https://evil.example">x</a>',
        "<iframe src=x>",
        "<!-- comment -->",
        "<p>Paragraph</p>",
        "<b>bold</b> words",
        "<body onload=x>",
    ],
)
def test_markup_is_not_plain_text(text):
    error = refusal(text.encode(), "notes.txt")
    assert error.code == "markup" and "HTML" in message(error)


@pytest.mark.parametrize(
    "text",
    ["<3 thanks to the chair", "<- see above", "a < b and b > c", "<abbr> is not sniffed", "Plain"],
)
def test_text_that_only_contains_angle_brackets_is_plain_text(text):
    assert check_bytes(text.encode(), "notes.txt", kinds=ALL_KINDS, limits=LIMITS).kind is TXT


def test_text_when_the_caller_takes_no_text():
    assert refusal(b"Just words", "notes.txt", kinds=(PDF, PNG)).code == "not_accepted"
    assert refusal("café".encode("latin-1"), "notes.txt", kinds=(PDF,)).code == "not_accepted"


# --- Size, emptiness, streaming -----------------------------------------------------------


def test_empty_and_oversize_files_are_refused():
    assert refusal(b"", "empty.pdf").code == "empty"
    error = refusal(b"%PDF-" + b"x" * 2000, "big.pdf", limits=Limits(1000, MIB, 100, 10))
    assert error.code == "too_large" and "larger than 1000 B" in message(error)


class CountingReader(io.BytesIO):
    """A file handle that records how many bytes were read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_an_oversize_handle_is_refused_without_reading_it_all():
    handle = CountingReader(b"%PDF-" + bytes(50 * MIB))
    with pytest.raises(ValidationError):
        check_upload(handle, "big.pdf", kinds=ALL_KINDS, limits=LIMITS)
    assert handle.bytes_read <= LIMITS.max_bytes + uploads.CHUNK


def test_django_uploaded_files_are_checked_and_left_at_their_start(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    name, data = sample("docx")
    memory = SimpleUploadedFile(name, data)
    disk = TemporaryUploadedFile(name, "application/octet-stream", len(data), None)
    disk.write(data)
    with disk:
        for handle in (memory, disk):
            checked = check_upload(handle, handle.name, kinds=ALL_KINDS, limits=LIMITS)
            assert checked.kind is DOCX and checked.content is None
            assert checked.sha256 == hashlib.sha256(data).hexdigest()
            assert handle.tell() == 0


# --- Zip-based documents ------------------------------------------------------------------


def test_a_plain_zip_is_not_a_document():
    archive = zipped({"photos/1.jpg": b"\xff\xd8\xff"})
    error = refusal(archive, "document.docx")
    assert error.code == "not_accepted" and "zip archive" in message(error)
    assert refusal(archive, "photos.zip", kinds=(PDF, TXT)).code == "not_accepted"


def test_an_opendocument_of_another_kind_is_refused_by_its_kind():
    error = refusal(sample("ods")[1], "sheet.odt", kinds=(PDF, ODT))
    assert "OpenDocument spreadsheet (ODS)" in message(error)
    drawing = zipped(
        {"mimetype": b"application/vnd.oasis.opendocument.graphics", "content.xml": b"<x/>"}
    )
    assert "zip archive" in message(refusal(drawing, "drawing.odt"))


def test_an_opendocument_mimetype_must_come_first():
    misplaced = zipped({"content.xml": b"<x/>", "mimetype": ODT.content_type.encode()})
    assert refusal(misplaced, "minutes.odt").code == "not_accepted"


@pytest.mark.parametrize("kind", ZIP_KINDS, ids=lambda kind: kind.key)
def test_a_zip_bomb_of_every_zip_kind_is_refused(kind):
    """Real documents with a part of zeros expanding to 70 MiB, past the 60 MiB budget."""
    bomb = zip_bomb(kind.key)
    assert len(bomb) < 200_000
    error = refusal(bomb, f"innocent{kind.extension}")
    assert error.code == "zip_bomb" and "zip bomb" in message(error)


@pytest.mark.parametrize("kind", ZIP_KINDS, ids=lambda kind: kind.key)
def test_a_high_ratio_part_is_refused_even_under_the_total(kind):
    limits = Limits(
        max_bytes=MIB, max_unzipped_bytes=50 * MIB, max_zip_ratio=50, max_zip_entries=99
    )
    bomb = with_entries(sample(kind.key)[1], {"media/padding.bin": bytes(4 * MIB)})
    assert refusal(bomb, f"ratio{kind.extension}", limits=limits).code == "zip_bomb"
    # The same file passes a caller whose ratio limit is higher.
    generous = Limits(MIB, 50 * MIB, 10_000, 99)
    assert check_bytes(bomb, "ok", kinds=ALL_KINDS, limits=generous).kind is kind


def test_the_whole_archive_ratio_counts_too():
    """Many parts just under the per-part floor, together far larger than the file."""
    parts = {f"media/{n}.bin": bytes(uploads.RATIO_FLOOR_BYTES - 1) for n in range(4)}
    bomb = with_entries(sample("docx")[1], parts)
    limits = Limits(
        max_bytes=MIB, max_unzipped_bytes=60 * MIB, max_zip_ratio=20, max_zip_entries=99
    )
    assert refusal(bomb, "parts.docx", limits=limits).code == "zip_bomb"


def test_an_opendocument_with_a_huge_mimetype_entry_is_refused_without_reading_it():
    """The mimetype entry is read before the budget is checked: only its first bytes."""
    mimetype = ODT.content_type.encode() + b" " * (70 * MIB)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", b"<x/>")
    bomb = buffer.getvalue()
    del mimetype
    tracemalloc.start()
    try:
        error = refusal(bomb, "minutes.odt")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "zip_bomb"
    assert peak < 10 * MIB


def test_a_zip_whose_headers_lie_about_sizes_is_refused():
    """Declared sizes are not trusted: the CRC and the real length are checked while reading."""
    data = bytearray(with_entries(sample("docx")[1], {"word/extra.xml": b"A" * 5000}))
    index = data.rfind(b"word/extra.xml", 0, data.rfind(b"PK\x01\x02")) + len("word/extra.xml")
    for offset in range(index + 5, index + 25):
        data[offset] ^= 0xFF
    assert refusal(bytes(data), "lying.docx").code in {"damaged", "zip_bomb"}


def _headers_of(data: bytes, name: bytes):
    """Offsets of the local header (name at +30) and central header (name at +46) of a part."""
    for signature, name_at in ((b"PK\x03\x04", 30), (b"PK\x01\x02", 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if data[start + name_at :].startswith(name):
                yield signature, start
            start += 4


def test_a_part_declared_small_but_larger_is_refused():
    """Headers saying 10 bytes for a part that inflates to 1 MiB: reading stops, the CRC fails."""
    data = bytearray(with_entries(sample("docx")[1], {"word/big.xml": b"B" * MIB}))
    found = list(_headers_of(bytes(data), b"word/big.xml"))
    assert len(found) == 2
    for signature, start in found:
        size_at = start + (22 if signature == b"PK\x03\x04" else 24)
        data[size_at : size_at + 4] = (10).to_bytes(4, "little")
    assert refusal(bytes(data), "small.docx").code == "damaged"


def test_too_many_parts_are_refused():
    limits = Limits(
        max_bytes=MIB, max_unzipped_bytes=60 * MIB, max_zip_ratio=100, max_zip_entries=10
    )
    many = with_entries(sample("xlsx")[1], {f"xl/part{n}.xml": b"<x/>" for n in range(20)})
    error = refusal(many, "many.xlsx", limits=limits)
    assert error.code == "too_many_parts" and "10 parts" in message(error)


def _set_flag(data: bytes, bit: int) -> bytes:
    data = bytearray(data)
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            data[start + flag_offset] |= bit
            start += 4
    return bytes(data)


@pytest.mark.parametrize("key", ["docx", "odt", "pptx"])
def test_an_encrypted_document_is_refused(key):
    error = refusal(_set_flag(sample(key)[1], 0x1), f"secret.{key}")
    assert error.code == "damaged" and "encrypted" in message(error)


def test_an_unknown_compression_method_is_refused():
    data = bytearray(sample("docx")[1])
    for signature, method_offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            data[start + method_offset : start + method_offset + 2] = (99).to_bytes(2, "little")
            start += 4
    assert refusal(bytes(data), "aes.docx").code == "damaged"


def test_a_truncated_document_is_refused():
    data = sample("xlsx")[1]
    assert refusal(data[: len(data) // 2], "half.xlsx").code == "damaged"


# --- Counts, names, languages -------------------------------------------------------------


def test_count_limits_are_plural_aware():
    check_count(2, maximum=2)
    with pytest.raises(ValidationError) as caught:
        check_count(2, maximum=1)
    assert caught.value.message_dict == {"attachments": ["You can attach at most 1 file."]}
    with pytest.raises(ValidationError) as caught:
        check_count(6, maximum=5, field="files")
    assert caught.value.message_dict == {"files": ["You can attach at most 5 files."]}


def test_the_field_is_the_callers():
    with pytest.raises(ValidationError) as caught:
        check_bytes(b"", "x.pdf", kinds=ALL_KINDS, limits=LIMITS, field="file")
    assert set(caught.value.message_dict) == {"file"}


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ["bombe zip", "Word (DOCX)", "« تقرير.docx » :"]),
        ("ar", ["قنبلة"]),
        ("zh-hans", ["压缩炸弹"]),
        ("ru", ["zip-бомба"]),
        ("es", ["bomba zip"]),
    ],
)
def test_refusals_are_translated_and_name_the_file(language, words):
    with translation.override(language):
        text = message(refusal(zip_bomb("docx"), "تقرير.docx"))
        accepted = message(refusal(b"\x7fELF" + bytes(9), "x.bin", kinds=(PDF, DOCX)))
    assert "تقرير.docx" in text
    assert "zip bomb" not in text
    for word in words:
        assert word in text + accepted, (word, text, accepted)


def test_lists_of_kinds_use_each_languages_separator():
    with translation.override("zh-hans"):
        assert "、" in kind_names((PDF, DOCX))
    with translation.override("ar"):
        assert "، " in kind_names((PDF, DOCX))
    assert kind_names((PDF, DOCX)) == "PDF, Word (DOCX)"


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
        ("report.pdf.exe", "report.pdf.pdf"),
        ("...", "attachment.pdf"),
        ("", "attachment.pdf"),
    ],
)
def test_filenames_are_sanitised(name, expected):
    extension = ".txt" if expected.endswith(".txt") else ".pdf"
    assert sanitise_filename(name, extension) == expected


def test_a_refusal_shows_the_name_made_safe():
    error = refusal(b"", "../../\u202eevil\u202c.pdf")
    assert "“evil.pdf”" in message(error) and "\u202e" not in message(error)


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


# --- Any input: accepted as a kind, or refused with a ValidationError ---------------------

SMALL_LIMITS = Limits(
    max_bytes=256 * 1024, max_unzipped_bytes=2 * MIB, max_zip_ratio=100, max_zip_entries=40
)
NAMES = [name for name, _make in SAMPLES.values()] + ["a", "a.exe", "a.zip", ""]
kind_sets = st.lists(st.sampled_from(ALL_KINDS), min_size=1, unique=True)


def assert_accepted_or_refused(data: bytes, name: str, kinds: list) -> None:
    try:
        checked = check_bytes(data, name, kinds=kinds, limits=SMALL_LIMITS)
    except ValidationError as error:
        [problem] = error.error_dict["attachments"]
        assert problem.code in {
            "empty", "too_large", "not_accepted", "misnamed", "not_utf8", "markup",
            "damaged", "zip_bomb", "too_many_parts",
        }  # fmt: skip
        assert problem.messages[0].startswith("“")
        return
    kind = checked.kind
    assert kind in kinds
    assert checked.filename.endswith(kind.extension)
    assert checked.size == len(data) and checked.sha256 == hashlib.sha256(data).hexdigest()
    if kind is TXT:
        assert b"\x00" not in data
        data.decode("utf-8")
    elif kind in ZIP_KINDS:
        assert data.startswith(b"PK\x03\x04")
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.testzip() is None  # every part decompresses with its CRC
            assert sum(info.file_size for info in archive.infolist()) <= (
                SMALL_LIMITS.max_unzipped_bytes
            )
    else:
        magic = (b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
        assert data.startswith(magic) or (data.startswith(b"RIFF") and data[8:12] == b"WEBP")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from(NAMES), kind_sets)
def test_any_bytes_are_accepted_as_a_kind_or_refused_clearly(data, name, kinds):
    assert_accepted_or_refused(data, name, kinds)


@st.composite
def mutated_files(draw):
    """A real file of some kind with a few random edits: flips, cuts, insertions, overwrites.

    Zip-based files get half of their edits in the central directory at the
    end, where sizes, flags, methods and offsets live.
    """
    key = draw(st.sampled_from(sorted(SAMPLES)))
    name, original = sample(key)
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        tail = draw(st.booleans()) and original.startswith(b"PK")
        low = max(0, len(data) - 300) if tail else 0
        at = draw(st.integers(low, len(data) - 1))
        edit = draw(st.sampled_from(["flip", "cut", "insert", "overwrite", "truncate"]))
        if edit == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif edit == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif edit == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=8))
            data[at : at + len(chunk)] = chunk
        else:
            del data[at:]
    return name, bytes(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_files(), kind_sets)
def test_mutated_real_files_are_accepted_as_a_kind_or_refused_clearly(file, kinds):
    name, data = file
    assert_accepted_or_refused(data, name, kinds)


@settings(max_examples=100, deadline=None)
@given(mutated_files())
def test_handles_and_bytes_get_the_same_answer(file):
    name, data = file

    def answer(check):
        try:
            checked = check()
        except ValidationError as error:
            return error.messages
        return (checked.kind, checked.filename, checked.sha256)

    assert answer(
        lambda: check_upload(io.BytesIO(data), name, kinds=ALL_KINDS, limits=SMALL_LIMITS)
    ) == answer(lambda: check_bytes(data, name, kinds=ALL_KINDS, limits=SMALL_LIMITS))
