"""Fixtures for the consultations tests: calls in each state, and a way to submit."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from roundtable.consultations import services
from roundtable.consultations.models import Call, Submission


@pytest.fixture(autouse=True)
def _consultation_settings(settings, tmp_path):
    """Uploads in a throwaway folder; the analysis runs as soon as it is asked."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ROUNDTABLE = {
        **settings.ROUNDTABLE,
        "CONSULTATION_ANALYSIS_INTERVAL_SECONDS": 0,
    }


def make_call(personas, **overrides: Any) -> Call:
    now = timezone.now()
    fields = {
        "title": "Call for input on spam",
        "description": "Tell us how **spam** affects you.",
        "opens_at": now - dt.timedelta(hours=1),
        "closes_at": now + dt.timedelta(days=7),
        "time_zone": "Europe/Zurich",
        "languages": ["en", "fr", "ar", "zh-hans", "ru", "es"],
        "publication": "author_choice",
        "moderation_rules": "No spam.",
        "questions": [{"text": "What should providers do?", "required": False}],
        "publish": True,
    }
    fields.update(overrides)
    return services.call_create(actor=personas.secretariat, process=personas.process, **fields)


def close_call(call: Call) -> Call:
    """Move a call's dates into the past (test set-up: time passing)."""
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(
        opens_at=now - dt.timedelta(days=10), closes_at=now - dt.timedelta(minutes=1)
    )
    call.refresh_from_db()
    return call


@pytest.fixture
def open_call(personas) -> Call:
    return make_call(personas)


@pytest.fixture
def submit(personas) -> Callable[..., Submission]:
    """Submit as a person (default: the public persona) with sensible defaults."""
    counter = {"n": 0}

    def _submit(call: Call, person: Any = None, **fields: Any) -> Submission:
        counter["n"] += 1
        person = person or personas.public
        values = {
            "name": person.name,
            "text": f"Comment number {counter['n']} about spam filtering.",
            "language": "en",
            "ip": f"10.0.0.{counter['n'] % 250}",
        }
        values.update(fields)
        submission, _secret, _created = services.submission_create(
            call=call, author=person, **values
        )
        return submission

    return _submit


def pdf_file(name: str = "paper.pdf", size: int = 2000) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n" + b"1 0 obj << >> endobj\n" * (size // 20) + b"%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Hello</w:document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    return buffer.getvalue()
