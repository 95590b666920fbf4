"""Pages for documents and sections: the list, the document (clean or annotated), edits."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roundtable.agenda.models import Cluster
from roundtable.core.forms import apply_validation_error
from roundtable.core.hooks import collect
from roundtable.processes.views import process_for

from .. import policy, selectors, services
from ..export import annotate_lines
from ..forms import DocumentForm, ParagraphForm, ReasonForm, SectionForm
from ..models import AmendmentStatus, DocumentRevision
from .common import document_for, flash_errors, int_or_none, require, section_for


def document_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_view_drafts(request.user, process))
    documents = list(selectors.readable_documents(process=process, person=request.user))
    rows = []
    for document in documents:
        statuses = list(
            document.paragraphs.filter(removed_revision__isnull=True).values_list(
                "status", flat=True
            )
        )
        counts = selectors.count_statuses([(s, 0, False) for s in statuses])
        rows.append(
            {
                "document": document,
                "counts": counts,
                "open_amendments": document.amendments.filter(status=AmendmentStatus.OPEN).count(),
            }
        )
    return render(
        request,
        "drafting/document_list.html",
        {
            "process": process,
            "rows": rows,
            "can_create": policy.can_create_document(request.user, process),
            "nav_current": "drafting",
        },
    )


def document_new(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_create_document(request.user, process))
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_create(
                actor=request.user, process=process, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The document was created. Add its first section."))
            return redirect("drafting:section_new", slug=slug, document_id=document.pk)
    return render(
        request,
        "drafting/form.html",
        {
            "process": process,
            "form": form,
            "title": _("New document"),
            "submit": _("Create the document"),
            "nav_current": "drafting",
        },
        status=400 if form.errors else 200,
    )


def document_detail(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    document = document_for(request, slug, document_id)
    annotated = request.GET.get("view") == "annotated"
    revision = int_or_none(request.GET.get("revision"))
    if revision is not None and not 1 <= revision <= document.revision:
        revision = None
    view = selectors.document_view(
        document,
        revision=revision,
        person=request.user,
        annotated=annotated,
        sidebar=annotated and revision is None,
    )
    annotate_lines(view)
    user = request.user
    return render(
        request,
        "drafting/document.html",
        {
            "process": document.process,
            "document": document,
            "view": view,
            "annotated": annotated,
            "revisions": document.revisions.all()[:200],
            "open_amendments": document.amendments.filter(status=AmendmentStatus.OPEN).count(),
            "open_silences": selectors.open_silences(document),
            # Other apps' blocks about the whole document (e.g. its discussions).
            "related": [
                html
                for answer in collect("document_sidebar", document=document, person=user)
                for html in answer
            ],
            "can": {
                "edit": policy.can_edit_document(user, document),
                "amend": policy.can_propose_amendment(user, document),
                "call": policy.can_call_consensus(user, document),
                "silence": policy.can_start_silence(user, document),
                "final": policy.can_mark_final(user, document),
                "minority": policy.can_write_minority_statement(user, document),
            },
            "reopen_form": ReasonForm() if document.is_final else None,
            "nav_current": "drafting",
        },
    )


def document_edit(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    document = document_for(request, slug, document_id)
    require(policy.can_edit_document(request.user, document))
    form = DocumentForm(
        request.POST or None,
        initial={
            "title": document.title,
            "kind": document.kind,
            "visibility": document.visibility,
            "summary": document.summary,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(actor=request.user, document=document, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The document was saved."))
            return redirect(document)
    return render(
        request,
        "drafting/form.html",
        {
            "process": document.process,
            "document": document,
            "form": form,
            "title": _("Edit the document"),
            "submit": _("Save"),
            "nav_current": "drafting",
        },
        status=400 if form.errors else 200,
    )


@require_POST
def document_final(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    document = document_for(request, slug, document_id)
    require(policy.can_mark_final(request.user, document))
    try:
        if request.POST.get("action") == "reopen":
            services.document_reopen(
                actor=request.user, document=document, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The document is open for drafting again."))
        else:
            services.document_mark_final(actor=request.user, document=document)
            messages.success(request, _("The document is final."))
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(document)


def revisions(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    document = document_for(request, slug, document_id)
    entries = DocumentRevision.objects.filter(document=document).order_by("-number")[:1000]
    namer = selectors.Namer(document.process)
    return render(
        request,
        "drafting/revisions.html",
        {
            "process": document.process,
            "document": document,
            "entries": [(entry, namer.person(entry.author_id)) for entry in entries],
            "nav_current": "drafting",
        },
    )


def authorship(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    document = document_for(request, slug, document_id)
    require(policy.can_view_authorship(request.user, document))
    revision = int_or_none(request.GET.get("revision"))
    balance = selectors.authorship_balance(document, revision=revision)
    return render(
        request,
        "drafting/authorship.html",
        {
            "process": document.process,
            "document": document,
            "balance": balance,
            "group_rows": _pair(balance.by_group, balance.agreed_by_group),
            "region_rows": _pair(balance.by_region, balance.agreed_by_region),
            "nav_current": "drafting",
        },
    )


def _pair(rows: list, agreed: list) -> list[tuple]:
    by_slug = {row.slug: row for row in agreed}
    return [(row, by_slug.get(row.slug)) for row in rows]


# --- Sections ------------------------------------------------------------------------------------


def _clusters(document):
    return Cluster.objects.filter(process=document.process)


def section_new(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    document = document_for(request, slug, document_id)
    require(policy.can_edit_document(request.user, document))
    form = SectionForm(request.POST or None, clusters=_clusters(document))
    if request.method == "POST" and form.is_valid():
        try:
            section = services.section_create(
                actor=request.user, document=document, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The section was added."))
            return redirect(
                "drafting:paragraph_new", slug=slug, document_id=document.pk, section_id=section.pk
            )
    return render(
        request,
        "drafting/form.html",
        {
            "process": document.process,
            "document": document,
            "form": form,
            "title": _("New section"),
            "submit": _("Add the section"),
            "nav_current": "drafting",
        },
        status=400 if form.errors else 200,
    )


def section_edit(
    request: HttpRequest, slug: str, document_id: int, section_id: int
) -> HttpResponse:
    document = document_for(request, slug, document_id)
    section = section_for(document, section_id)
    require(policy.can_edit_document(request.user, document))
    form = SectionForm(
        request.POST or None,
        clusters=_clusters(document),
        initial={"title": section.title, "cluster": section.cluster_id},
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                services.section_remove(actor=request.user, section=section)
                messages.success(request, _("The section was removed."))
                return redirect(document)
            if form.is_valid():
                services.section_update(actor=request.user, section=section, **form.cleaned_data)
                messages.success(request, _("The section was saved."))
                return redirect(document)
        except ValidationError as error:
            apply_validation_error(form, error)
    return render(
        request,
        "drafting/form.html",
        {
            "process": document.process,
            "document": document,
            "form": form,
            "title": _("Edit the section"),
            "submit": _("Save"),
            "remove_label": _("Remove this section"),
            "nav_current": "drafting",
        },
        status=400 if form.errors else 200,
    )


def paragraph_after_choices(section) -> list[tuple[int, str]]:
    numbers = selectors.paragraph_numbers(section.document)
    return [
        (p.pk, _("paragraph %(number)s") % {"number": numbers.get(p.pk, "?")})
        for p in section.paragraphs.filter(removed_revision__isnull=True).order_by("position", "pk")
    ]


def paragraph_new(
    request: HttpRequest, slug: str, document_id: int, section_id: int
) -> HttpResponse:
    document = document_for(request, slug, document_id)
    section = section_for(document, section_id)
    require(policy.can_edit_document(request.user, document))
    choices = paragraph_after_choices(section)
    form = ParagraphForm(
        request.POST or None,
        after_choices=choices,
        initial={"after": choices[-1][0] if choices else None},
    )
    if request.method == "POST" and form.is_valid():
        after = section.paragraphs.filter(pk=form.cleaned_data["after"]).first()
        try:
            paragraph = services.paragraph_create(
                actor=request.user,
                section=section,
                text=form.cleaned_data["text"],
                is_recommendation=form.cleaned_data["is_recommendation"],
                after=after,
                at_start=after is None,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The paragraph was added."))
            if "another" in request.POST:
                return redirect(
                    "drafting:paragraph_new",
                    slug=slug,
                    document_id=document.pk,
                    section_id=section.pk,
                )
            return redirect(f"{document.get_absolute_url()}#p-{paragraph.pk}")
    return render(
        request,
        "drafting/form.html",
        {
            "process": document.process,
            "document": document,
            "form": form,
            "title": _("New paragraph in “%(section)s”") % {"section": section.title},
            "submit": _("Add the paragraph"),
            "submit_another": _("Add and write another"),
            "nav_current": "drafting",
        },
        status=400 if form.errors else 200,
    )
