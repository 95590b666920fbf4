"""What the discussions give other apps (see docs/developing.md, "Hooks")."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from roundtable.core.hooks import SearchHit
from roundtable.processes.models import Process

from . import selectors


def search(*, process: Process, query: str, person: Any) -> list[SearchHit]:
    """Published messages the person may read; authors named as the policy allows them."""
    return [
        SearchHit(
            kind=_("Message"),
            title=f"{hit.message.thread.title} · {hit.author.label}",
            url=hit.message.get_absolute_url(),
            snippet=hit.snippet,
            when=hit.message.published_at,
        )
        for hit in selectors.search_messages(process=process, query=query, person=person)
    ]


def cluster_attention(*, process: Process) -> dict[int, dict[str, float]]:
    """Published messages per cluster, for agenda's agenda-share report."""
    return {
        cluster_id: {"messages": float(count)}
        for cluster_id, count in selectors.cluster_message_counts(process=process).items()
    }


def document_sidebar(*, document: Any, person: Any) -> list[str]:
    """Threads about a draft document, and a way to start one, for its page."""
    from django.template.loader import render_to_string
    from django.urls import reverse

    from . import policy

    process = document.process
    if not policy.can_read_discussions(person, process):
        return []
    threads = [
        t for t in selectors.threads_about(obj=document)[:20] if policy.can_read_thread(person, t)
    ]
    start_url = None
    if policy.can_start_thread(person, process):
        start_url = (
            reverse("discussions:thread_new", kwargs={"slug": process.slug})
            + f"?about={document._meta.label_lower}:{document.pk}"
        )
    if not threads and start_url is None:
        return []
    return [
        render_to_string(
            "discussions/_document_sidebar.html",
            {"threads": threads, "start_url": start_url},
        )
    ]
