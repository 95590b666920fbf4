"""An Atom feed per call: its published submissions, authors named through attribution."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from roundtable.core.text import render_markdown
from roundtable.processes.selectors import stakeholder_group_sizes

from . import selectors
from .conf import limit
from .models import Call, Submission
from .views.common import call_for


class CallFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str, call_id: int) -> Call:
        call = call_for(request, slug, call_id)
        if call is None:
            raise Http404
        return call

    def title(self, call: Call) -> str:
        return _("Submissions to “%(title)s”") % {"title": call.title}

    def subtitle(self, call: Call) -> str:
        return _("%(process)s: call for input, %(state)s") % {
            "process": call.process.name,
            "state": call.get_state_display(),
        }

    def link(self, call: Call) -> str:
        return call.get_absolute_url()

    def items(self, call: Call) -> list[Submission]:
        items = list(
            selectors.published_submissions(call).order_by("-number")[
                : limit("CONSULTATION_FEED_ITEMS")
            ]
        )
        # Named once per item, with the group sizes read once for the feed.
        sizes = stakeholder_group_sizes(process=call.process)
        for item in items:
            item.public_author = selectors.author_of(item, group_sizes=sizes)
        return items

    def item_title(self, item: Submission) -> str:
        return f"{item.reference}: {item.public_author}"

    def item_description(self, item: Submission) -> str:
        parts = [str(render_markdown(item.text))]
        for answer in item.answers.all():
            parts.append(f"<h3>{_escape(answer.question.text)}</h3>{render_markdown(answer.text)}")
        return "".join(parts)

    def item_link(self, item: Submission) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Submission) -> str:
        return f"{settings.SITE_URL}{item.get_absolute_url()}"

    def item_author_name(self, item: Submission) -> str:
        return str(item.public_author)

    def item_pubdate(self, item: Submission) -> Any:
        return item.received_at

    def item_updateddate(self, item: Submission) -> Any:
        return item.updated_at or item.received_at


def _escape(text: str) -> str:
    from django.utils.html import escape

    return escape(text)
