"""Drafting in the process menu, and a panel of documents on the process home page."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from roundtable.core.hooks import NavItem

from . import policy, selectors


def nav_items(person: Any, process: Any) -> list[NavItem]:
    if not policy.can_view_drafts(person, process):
        return []
    return [
        NavItem(
            "drafting",
            _("Drafts"),
            reverse("drafting:documents", kwargs={"slug": process.slug}),
            50,
        )
    ]


def home_panels(request: Any, process: Any) -> list[str]:
    if not policy.can_view_drafts(request.user, process):
        return []
    documents = list(selectors.readable_documents(process=process, person=request.user)[:10])
    if not documents:
        return []
    rows = []
    for document in documents:
        statuses = document.paragraphs.filter(removed_revision__isnull=True).values_list(
            "status", flat=True
        )
        rows.append(
            (document, selectors.count_statuses([(status, 0, False) for status in statuses]))
        )
    return [
        render_to_string(
            "drafting/_home_panel.html", {"process": process, "rows": rows}, request=request
        )
    ]
