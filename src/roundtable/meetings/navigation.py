from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from roundtable.core.hooks import NavItem
from roundtable.processes.models import Process

from . import policy, selectors


def nav_items(person: Any, process: Process) -> list[NavItem]:
    if not policy.can_view_sessions(person, process):
        return []
    return [
        NavItem(
            "meetings",
            _("Meetings"),
            reverse("meetings:sessions", kwargs={"slug": process.slug}),
            30,
        )
    ]


def home_panels(request: Any, process: Process) -> list[str]:
    if not policy.can_view_sessions(request.user, process):
        return []
    return [
        render_to_string(
            "meetings/_home_panel.html",
            {"process": process, "sessions": selectors.upcoming_for_panel(process=process)},
            request=request,
        )
    ]
