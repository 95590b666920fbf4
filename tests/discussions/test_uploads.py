"""Discussions pass their kinds and limits to the shared checker (tests/core/test_uploads.py).

A message takes documents, text and images; the limits are the DISCUSSIONS_*
settings. The mail gateway's side is in test_mailgate.py.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from roundtable.core.uploads import ALL_KINDS, PPTX, XLSX, ZIP_KINDS
from roundtable.discussions.models import Attachment, Message
from roundtable.discussions.uploads import check_attachments
from tests.core.samples import MIB, SAMPLES, sample, with_entries, zip_bomb, zipped
from tests.discussions.helpers import set_rules, start_thread


def refusal(files: list[tuple[str, bytes]]) -> str:
    with pytest.raises(ValidationError) as caught:
        check_attachments(files)
    [message] = caught.value.message_dict["attachments"]
    return message


def test_documents_text_and_images_are_accepted(settings):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "DISCUSSIONS_MAX_ATTACHMENTS": len(SAMPLES)}
    files = [sample(key) for key in sorted(SAMPLES)]
    checked = check_attachments(files)
    assert [item.kind.key for item in checked] == sorted(SAMPLES)
    assert {item.kind for item in checked} == set(ALL_KINDS)
    assert [item.filename for item in checked] == [name for name, _data in files]
    assert all(item.content == data for item, (_name, data) in zip(checked, files, strict=True))


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("report.pdf", b"MZ\x90\x00" + bytes(200), "content is not a .pdf file"),
        ("notes.txt", b"<!DOCTYPE html><script>x</script>", "not plain text"),
        ("image.txt", b"<svg onload=alert(1)>", "not plain text"),
        ("photos.zip", zipped({"1.jpg": b"\xff\xd8\xff"}), "zip archive, not a document"),
        ("data.bin", b"\x00\x01binary", "not one of the accepted kinds"),
    ],
)
def test_types_come_from_the_bytes(name, content, words):
    message = refusal([(name, content)])
    assert message.startswith(f"“{name}”:") and words in message


def test_limits_are_settings(settings):
    settings.ROUNDTABLE = {
        **settings.ROUNDTABLE,
        "DISCUSSIONS_MAX_ATTACHMENTS": 1,
        "DISCUSSIONS_MAX_ATTACHMENT_BYTES": 10,
    }
    assert refusal([("a.txt", b"a"), ("b.txt", b"b")]) == "You can attach at most 1 file."
    assert refusal([("a.txt", b"a" * 11)]) == "“a.txt”: the file is larger than 10 B."
    [checked] = check_attachments([("../../etc/passwd.txt", b"hello")])
    assert checked.filename == "passwd.txt"
    assert checked.content_type == "text/plain; charset=utf-8"


@pytest.mark.parametrize("kind", ZIP_KINDS, ids=lambda kind: kind.key)
def test_a_zip_bomb_of_every_kind_is_refused_with_the_default_limits(kind):
    message = refusal([(f"bomb{kind.extension}", zip_bomb(kind.key))])
    assert f"“bomb{kind.extension}”" in message and "zip bomb" in message


def test_the_zip_limits_are_settings(settings):
    # Random bytes do not compress (only the budget is at stake); zeros do (the ratio is).
    photo = random.Random(8).randbytes(3 * MIB)
    document = with_entries(sample("xlsx")[1], {"xl/media/photo.bin": photo})
    assert check_attachments([("figures.xlsx", document)])[0].kind is XLSX
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "DISCUSSIONS_MAX_UNZIPPED_BYTES": 2 * MIB}
    assert "zip bomb" in refusal([("figures.xlsx", document)])
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "DISCUSSIONS_MAX_ZIP_ENTRIES": 5}
    assert "more than 5 parts" in refusal([("figures.xlsx", document)])

    padded = with_entries(sample("pptx")[1], {"ppt/media/padding.bin": bytes(2 * MIB)})
    settings.ROUNDTABLE = {
        key: value for key, value in settings.ROUNDTABLE.items() if "ZIP" not in key
    } | {"DISCUSSIONS_MAX_UNZIPPED_BYTES": 60 * MIB, "DISCUSSIONS_MAX_ZIP_RATIO": 10_000}
    assert check_attachments([("slides.pptx", padded)])[0].kind is PPTX
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "DISCUSSIONS_MAX_ZIP_RATIO": 50}
    assert "zip bomb" in refusal([("slides.pptx", padded)])


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def files_in(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.django_db
def test_a_docx_zip_bomb_posted_as_an_attachment_is_refused(personas, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    set_rules(personas.process)
    thread = start_thread(personas)
    client.force_login(personas.member)
    url = f"/p/{personas.process.slug}/discussions/t/{thread.pk}/"
    bomb = SimpleUploadedFile("draft.docx", zip_bomb("docx"), content_type=DOCX_TYPE)
    response = client.post(url, {"body": "Our draft, attached.", "attachments": [bomb]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "draft.docx" in page and "zip bomb" in page
    assert not Message.objects.filter(body="Our draft, attached.").exists()
    assert Attachment.objects.count() == 0 and files_in(tmp_path / "media") == []
    # The real document, sent the same way, is posted.
    real = SimpleUploadedFile("draft.docx", sample("docx")[1], content_type=DOCX_TYPE)
    response = client.post(url, {"body": "Our draft, attached.", "attachments": [real]})
    assert response.status_code == 302
    [attachment] = Attachment.objects.all()
    assert attachment.content_type == DOCX_TYPE and attachment.filename == "draft.docx"
    assert len(files_in(tmp_path / "media")) == 1
