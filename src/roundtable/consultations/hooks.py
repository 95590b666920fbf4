"""What this app offers other apps through ``roundtable.core.hooks.collect``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from roundtable.core.hooks import SearchHit

from . import policy, selectors
from .templatetags.consultations import excerpt


def search(*, process: Any, query: str, person: Any) -> list[SearchHit]:
    """Published submissions only; an anonymous author is neither shown nor searchable."""
    hits = []
    for submission in selectors.search_submissions(process=process, query=query, person=person):
        author = selectors.author_of(submission)
        hits.append(
            SearchHit(
                kind=_("Submission"),
                title=f"{submission.reference} · {author} · {submission.call.title}",
                url=submission.get_absolute_url(),
                snippet=excerpt(
                    submission.text or " ".join(a.text for a in submission.answers.all()), 240
                ),
                when=submission.received_at,
            )
        )
    return hits


def _paragraph_ids(document: Any) -> list[int]:
    from .services._common import target_model

    model = target_model("drafting.paragraph")
    if model is None:
        return []
    from django.core.exceptions import FieldError

    for path in ("document", "section__document"):
        try:
            return list(
                model._default_manager.filter(**{f"{path}__pk": document.pk}).values_list(
                    "pk", flat=True
                )
            )
        except FieldError:
            continue
    return []


def document_annexes(*, document: Any, person: Any) -> list[dict[str, Any]]:
    """A dispositions annex for each call on the document (or its paragraphs) whose report
    the person may read: every submission with its disposition, as in the public report."""
    calls = selectors.calls_on(label="drafting.document", target_ids=[document.pk], person=person)
    calls += selectors.calls_on(
        label="drafting.paragraph", target_ids=_paragraph_ids(document), person=person
    )
    annexes = []
    for call in sorted(calls, key=lambda c: (c.opens_at, c.pk)):
        if not policy.can_view_report(person, call):
            continue
        rows = []
        for row in selectors.report_rows(call):
            rows.append(
                {
                    _("Reference"): row.reference,
                    _("Author"): row.author or "—",
                    _("Comment"): row.note or excerpt(row.text, 400),
                    _("Outcome"): row.outcome_label or "—",
                    _("Response"): row.response,
                    _("Author's reaction"): row.reaction_label,
                }
            )
        annexes.append(
            {
                "title": _("Disposition of comments: %(title)s") % {"title": call.title},
                "rows": rows,
            }
        )
    return annexes


def paragraph_sidebar(*, paragraph: Any, person: Any) -> list[str]:
    """Calls for input on this paragraph, with their state and counts."""
    calls = selectors.calls_on(label="drafting.paragraph", target_ids=[paragraph.pk], person=person)
    if not calls:
        return []
    return [
        render_to_string(
            "consultations/paragraph_sidebar.html",
            {"calls": sorted(calls, key=lambda c: -c.pk)},
        )
    ]


def issue_source(*, process: Any, person: Any, source: str) -> dict[str, str] | None:
    """Texts to start a policy issue from a submission (``submission:<id>``).

    Only a published submission of this process that ``person`` may read: the
    issue will be public, so nothing unpublished is copied into it, and an
    anonymous author stays unnamed (the references cite the receipt number).
    """
    from .models import Submission

    kind, _sep, key = source.partition(":")
    if kind != "submission" or not key.isdigit():
        return None
    submission = (
        Submission.objects.select_related("call__process")
        .prefetch_related("answers__question")
        .filter(pk=int(key), call__process=process)
        .first()
    )
    if (
        submission is None
        or not submission.is_published
        or not policy.can_view_submission(person, submission)
    ):
        return None
    parts = [submission.text] if submission.text else []
    parts += [f"**{a.question.text}**\n\n{a.text}" for a in submission.answers.all() if a.text]
    description = "\n\n".join(parts)
    first_line = excerpt(description, 200).splitlines()[0] if description else ""
    # A Markdown link on the receipt number, which the issue page renders.
    receipt = f"[{submission.reference}]({settings.SITE_URL}{submission.get_absolute_url()})"
    reference = _("Submission %(reference)s to the call “%(call)s”") % {
        "reference": receipt,
        "call": submission.call.title,
    }
    return {
        "title": Truncator(first_line).chars(120),
        "description": description,
        "references": reference,
        "language": submission.language,
    }
