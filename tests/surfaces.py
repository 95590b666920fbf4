"""What the role × action surface tests share: a client per role and what counts as allowed."""

from __future__ import annotations

from django.test import Client


def client_for(personas, role: str) -> Client:
    """A test client logged in as ``role`` of the personas (none for "anonymous")."""
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(personas, role))
    return client


def allowed(status: int) -> bool:
    """Success or redirect means allowed; 400/401/403/404 mean refused; anything else fails."""
    assert status in (200, 201, 302, 400, 401, 403, 404), status
    return status in (200, 201, 302)
