from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from roundtable.core.hooks import NavItem
from roundtable.processes.models import Process

from . import policy, selectors
from .models import CallState


def nav_items(person: Any, process: Process) -> list[NavItem]:
    slug = {"slug": process.slug}
    items = []
    if policy.can_list_calls(person, process):
        items.append(
            NavItem(
                "consultations",
                _("Consultations"),
                reverse("consultations:call_list", kwargs=slug),
                40,
            )
        )
    if policy.can_view_library(person, process):
        items.append(
            NavItem(
                "papers", _("Working papers"), reverse("consultations:library", kwargs=slug), 45
            )
        )
    return items


def home_panels(request: Any, process: Process) -> list[str]:
    if not policy.can_list_calls(request.user, process):
        return []
    groups = selectors.calls_grouped(person=request.user, process=process)
    open_calls = groups[CallState.OPEN]
    if not open_calls and not groups[CallState.SCHEDULED]:
        return []
    return [
        render_to_string(
            "consultations/home_panel.html",
            {
                "process": process,
                "open_calls": open_calls,
                "scheduled_calls": groups[CallState.SCHEDULED],
            },
            request=request,
        )
    ]
