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
