"""What every drafting write shares: permission checks, revisions, new versions, stale edits."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.processes.models import Membership, Role
from roundtable.processes.roles import membership_of

from .. import text as drafting_text
from ..models import (
    Document,
    DocumentRevision,
    Paragraph,
    ParagraphStatus,
    ParagraphVersion,
    SilenceProcedure,
    SilenceStatus,
)


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("You are not allowed to do this."))


class StaleVersion(ValidationError):
    """An edit or amendment written against a version that is no longer current.

    Carries both versions so a page or the API can show what changed meanwhile.
    """

    def __init__(self, *, paragraph: Paragraph, base: ParagraphVersion | None, current: Any):
        self.paragraph = paragraph
        self.base = base
        self.current = current
        message = _(
            "This paragraph changed while you were working on it: you started from version "
            "%(base)s, and it is now at version %(current)s. Nothing was saved. Read the "
            "changes below, then apply yours to the current text."
        ) % {
            "base": base.number if base is not None else "?",
            "current": current.number if current is not None else "?",
        }
        super().__init__({"base_version": [message]})

    @property
    def diff_html(self) -> str:
        return drafting_text.diff_html(
            self.base.text if self.base else "", self.current.text if self.current else ""
        )

    @property
    def diff_text(self) -> str:
        return drafting_text.diff_text(
            self.base.text if self.base else "", self.current.text if self.current else ""
        )


def lock_document(document: Document) -> Document:
    """Re-read the document under a row lock; every drafting write goes through here."""
    locked = (
        Document.objects.select_for_update(of=("self",))
        .select_related("process")
        .get(pk=document.pk)
    )
    document.__dict__.update(
        {
            "revision": locked.revision,
            "status": locked.status,
            "final_revision": locked.final_revision,
        }
    )
    return locked


def lock_paragraph(paragraph: Paragraph) -> Paragraph:
    return (
        Paragraph.objects.select_for_update(of=("self",))
        .select_related("current_version", "document__process", "section")
        .get(pk=paragraph.pk)
    )


def require_drafting(document: Document) -> None:
    if document.is_final:
        raise ValidationError(
            _("This document is final. The chair must reopen it before anything changes.")
        )


def open_revision(*, document: Document, actor: Any, summary: str) -> int:
    """Start a new numbered revision of a (locked) document and return its number."""
    now = timezone.now()
    document.revision += 1
    document.updated_at = now
    document.save(update_fields=["revision", "updated_at"])
    DocumentRevision.objects.create(
        document=document,
        number=document.revision,
        summary=summary[:300],
        author=actor if getattr(actor, "pk", None) else None,
        created_at=now,
    )
    return document.revision


def check_base(paragraph: Paragraph, base_version: int | None) -> None:
    """Refuse an edit written against an older version (optimistic locking)."""
    if base_version is None:
        raise ValidationError(
            {"base_version": [_("Say which version of the paragraph you started from.")]}
        )
    if int(base_version) != paragraph.version_number:
        base = ParagraphVersion.objects.filter(paragraph=paragraph, number=base_version).first()
        raise StaleVersion(paragraph=paragraph, base=base, current=paragraph.current_version)


def require_live(paragraph: Paragraph) -> None:
    if paragraph.is_removed:
        raise ValidationError(_("This paragraph was removed from the document."))


def open_silence_on(paragraph: Paragraph) -> SilenceProcedure | None:
    return (
        SilenceProcedure.objects.filter(status=SilenceStatus.OPEN)
        .filter(paragraph=paragraph)
        .first()
        or SilenceProcedure.objects.filter(
            status=SilenceStatus.OPEN, section_id=paragraph.section_id
        ).first()
    )


def require_no_silence(paragraph: Paragraph) -> None:
    procedure = open_silence_on(paragraph)
    if procedure is not None:
        raise ValidationError(
            _(
                "This text is under a silence procedure until %(deadline)s. Object to it, or "
                "ask the chair to cancel it, before changing it."
            )
            % {"deadline": timezone.localtime(procedure.deadline).strftime("%Y-%m-%d %H:%M")}
        )


def state_of(version: ParagraphVersion | None) -> dict[str, Any]:
    """A version's content as plain data, to copy into the next version."""
    if version is None:
        return {
            "text": "",
            "status": ParagraphStatus.OPEN,
            "is_recommendation": False,
            "alternatives": [],
            "brackets": [],
            "ad_referendum": [],
            "note": "",
            "divergence_recorded": False,
            "origins": [],
        }
    return {
        "text": version.text,
        "status": version.status,
        "is_recommendation": version.is_recommendation,
        "alternatives": copy.deepcopy(version.alternatives or []),
        "brackets": copy.deepcopy(version.brackets or []),
        "ad_referendum": copy.deepcopy(version.ad_referendum or []),
        "note": version.note,
        "divergence_recorded": version.divergence_recorded,
        "origins": copy.deepcopy(version.origins or []),
    }


def option_label(index: int) -> str:
    """A, B, ... Z, AA, AB ..."""
    label = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        label = chr(65 + remainder) + label
    return label


def new_version(
    *,
    paragraph: Paragraph,
    revision: int,
    actor: Any,
    change: str,
    reason: str = "",
    amendment: Any = None,
    credit: int = 0,
    **changes: Any,
) -> ParagraphVersion:
    """Write the paragraph's next version: the current state with ``changes`` applied.

    New words in ``text`` (and in alternatives) are credited to ``credit`` (an
    amendment id, 0 for direct drafting); words kept keep their origin. A
    change to the wording clears a recorded divergence: the chair's finding was
    about other words.
    """
    previous = paragraph.current_version
    state = state_of(previous)
    old_text = state["text"]
    old_alternatives = {alt["label"]: alt for alt in state["alternatives"]}
    state.update(changes)
    # Origins given with the text (an adopted option keeps its credit) are kept as they are.
    given = "origins" in changes and _fits(state["origins"], state["text"])
    if state["text"] != old_text and not given:
        state["origins"] = drafting_text.inherit_origins(
            drafting_text.plain_words(old_text),
            state["origins"],
            drafting_text.plain_words(state["text"]),
            credit,
        )
    for alternative in state["alternatives"]:
        before = old_alternatives.get(alternative["label"])
        if before is None and _fits(alternative.get("origins"), alternative["text"]):
            continue  # an option made from existing text brings its credit along
        if before is None or before.get("text") != alternative["text"]:
            alternative["origins"] = drafting_text.inherit_origins(
                drafting_text.plain_words(before["text"]) if before else [],
                before.get("origins", []) if before else [],
                drafting_text.plain_words(alternative["text"]),
                alternative.get("amendment") or credit,
            )
    wording_changed = state["text"] != old_text or [
        (a["label"], a["text"]) for a in state["alternatives"]
    ] != [(a["label"], a["text"]) for a in old_alternatives.values()]
    if wording_changed and "divergence_recorded" not in changes:
        state["divergence_recorded"] = False
        state["note"] = changes.get("note", "")
    version = ParagraphVersion.objects.create(
        paragraph=paragraph,
        number=paragraph.version_number + 1,
        document_revision=revision,
        change=change,
        reason=reason,
        author=actor if getattr(actor, "pk", None) else None,
        amendment=amendment,
        created_at=timezone.now(),
        **state,
    )
    paragraph.current_version = version
    paragraph.version_number = version.number
    paragraph.status = version.status
    paragraph.is_recommendation = version.is_recommendation
    paragraph.save(
        update_fields=["current_version", "version_number", "status", "is_recommendation"]
    )
    return version


def _fits(origins: Any, text: str) -> bool:
    return bool(origins) and len(drafting_text.expand_origins(origins)) == len(
        drafting_text.plain_words(text)
    )


def current_member(person: Any, document: Document) -> Membership:
    membership = membership_of(person, document.process)
    if membership is None or membership.role != Role.MEMBER:
        raise PermissionDenied(_("Only members can do this."))
    return membership


def next_position_after(section_id: int, after: Paragraph | None, *, at_end: bool = False) -> int:
    """Make room after ``after`` (or at the start, or at the end) of the section."""
    if at_end:
        last = Paragraph.objects.filter(section_id=section_id).order_by("-position").first()
        return last.position + 1 if last is not None else 0
    position = after.position + 1 if after is not None else 0
    Paragraph.objects.filter(section_id=section_id, position__gte=position).update(
        position=F("position") + 1
    )
    return position
