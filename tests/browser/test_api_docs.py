"""The interactive API documentation works offline, under the site's strict CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_api_docs_render_from_local_files(page, live_server):
    errors: list[str] = []
    outside: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.goto("/api/docs")
    expect(page.get_by_text("/api/processes/{slug}/balance")).to_be_visible()
    assert outside == []
    assert [e for e in errors if "Content Security Policy" in e] == []
