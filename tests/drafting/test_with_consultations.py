"""Drafting with the consultations app answering its hooks: calls for input beside a
paragraph, and the dispositions annex in exports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from roundtable.consultations import services as consultations
from roundtable.drafting.export import gather, render
from tests.drafting.test_exports import docx_text

pytestmark = pytest.mark.django_db


def test_call_for_input_on_a_paragraph(personas, draft):
    call = consultations.call_create(
        actor=personas.secretariat,
        process=personas.process,
        title="Comments on the working definition",
        description="Tell us what the definition misses.",
        opens_at=timezone.now() - dt.timedelta(days=1),
        closes_at=timezone.now() + dt.timedelta(days=10),
        languages=["en", "fr"],
        target_label="drafting.paragraph",
        target_id=draft.second.pk,
        publish=True,
    )
    base = f"/p/{personas.process.slug}/drafts/{draft.document.pk}/"
    page = Client().get(f"{base}paragraphs/{draft.second.pk}/").content.decode()
    assert "Comments on the working definition" in page
    annotated = Client().get(base + "?view=annotated").content.decode()
    assert annotated.count("Comments on the working definition") == 1  # beside paragraph 2 only
    data = gather(draft.document, revision=None, person=personas.secretariat, annotated=False)
    titles = [annex.title for annex in data.annexes]
    assert titles == [f"Disposition of comments: {call.title}"]
    assert f"Disposition of comments: {call.title}" in docx_text(render(data, "docx"))
