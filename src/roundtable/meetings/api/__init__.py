"""The meetings API: sessions, agendas, registration, attendance, the floor, minutes, observers.

Speakers appear only as ``speaker`` objects made by the attribution
function: ``{"label", "name", "organisation", "stakeholder_group",
"anonymous"}``. Under the Chatham House Rule ``name`` and ``organisation``
are null (the keys stay, so nothing hints at what was hidden) and no person
id is given. Names appear only on the live floor for the chair and
secretariat, and in the secretariat's draft of the minutes.
"""

from typing import Any

from . import floor, minutes, sessions
from .common import router

__all__ = ["floor", "minutes", "register", "router", "sessions"]


def register(api: Any) -> None:
    api.add_router("/", router)
