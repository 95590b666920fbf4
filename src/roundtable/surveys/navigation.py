from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from roundtable.core.hooks import NavItem
from roundtable.processes.models import Process

from . import policy, selectors


def nav_items(person: Any, process: Process) -> list[NavItem]:
    if not policy.can_view_surveys(person, process):
        return []
    return [
        NavItem("surveys", _("Surveys"), reverse("surveys:list", kwargs={"slug": process.slug}), 70)
    ]


def home_panels(request: Any, process: Process) -> list[str]:
    """A reminder on the process home page for someone with a survey to answer."""
    waiting = selectors.waiting_invitations(person=request.user, process=process)
    if not waiting:
        return []
    return [
        render_to_string(
            "surveys/_home_panel.html", {"process": process, "waiting": waiting}, request=request
        )
    ]
