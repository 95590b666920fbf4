"""Working papers: submitted, numbered in a series, published with language versions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from roundtable.agenda.models import PolicyIssue
from roundtable.audit.models import AuditEntry
from roundtable.consultations import services
from roundtable.consultations.models import WorkingPaper
from tests.consultations.conftest import odt_bytes, pdf_file

pytestmark = pytest.mark.django_db


def submit_paper(personas, person=None, title="Spam and developing countries", **extra):
    return services.paper_submit(
        actor=person or personas.member,
        process=personas.process,
        title=title,
        authors="Mina Member",
        language="en",
        abstract="Why spam costs more in the South.",
        file=extra.pop("file", pdf_file()),
        **extra,
    )


def test_symbols_are_numbered_in_series_and_never_change(personas):
    series = services.series_create(
        actor=personas.secretariat, process=personas.process, prefix="WG/WP", title="Working papers"
    )
    other = services.series_create(
        actor=personas.secretariat, process=personas.process, prefix="WG/BP", title="Background"
    )
    first, second = submit_paper(personas), submit_paper(personas, title="Second")
    services.paper_update(actor=personas.secretariat, paper=first, series=series)
    services.paper_update(actor=personas.secretariat, paper=second, series=series.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.symbol, second.symbol) == ("WG/WP/1", "WG/WP/2")
    with pytest.raises(ValidationError) as caught:
        services.paper_update(actor=personas.secretariat, paper=first, series=other)
    assert "never changes" in caught.value.message_dict["series"][0]
    with pytest.raises(ValidationError):
        services.series_create(
            actor=personas.secretariat, process=personas.process, prefix="wg/wp", title="Dup"
        )
    with pytest.raises(ValidationError):
        services.series_create(
            actor=personas.secretariat, process=personas.process, prefix="../x y", title="Bad"
        )


def test_publishing_needs_a_symbol_and_shows_language_versions_side_by_side(personas):
    issue = PolicyIssue.objects.create(process=personas.process, title="Spam")
    paper = submit_paper(personas)
    with pytest.raises(ValidationError) as caught:
        services.paper_publish(actor=personas.secretariat, paper=paper)
    assert "symbol" in caught.value.messages[0]
    series = services.series_create(
        actor=personas.secretariat, process=personas.process, prefix="WGT/WP", title="Papers"
    )
    services.paper_update(
        actor=personas.secretariat,
        paper=paper,
        series=series,
        status="for_comment",
        issues=[issue.pk],
    )
    services.paper_add_version(
        actor=personas.secretariat,
        paper=paper,
        language="fr",
        title="Le spam et les pays en développement",
        file=SimpleUploadedFile("fr.odt", odt_bytes()),
    )
    services.paper_add_version(
        actor=personas.secretariat,
        paper=paper,
        language="ar",
        title="البريد المزعج والبلدان النامية",
        file=SimpleUploadedFile("ar.txt", "نص الورقة".encode()),
    )
    # Not in the library until published.
    assert "Spam and developing countries" not in Client().get("/p/wgt/papers/").content.decode()
    services.paper_publish(actor=personas.secretariat, paper=paper)
    html = Client().get("/p/wgt/papers/").content.decode()
    assert "WGT/WP/1" in html
    assert "Le spam et les pays en développement" in html
    assert "البريد المزعج والبلدان النامية" in html
    assert "for comment" in html and "Spam</span>" in html
    assert AuditEntry.objects.filter(action="paper.published").count() == 1
    version = paper.versions.get(language="fr")
    response = Client().get(f"/p/wgt/papers/{paper.pk}/files/{version.pk}/")
    assert response["Content-Disposition"] == 'attachment; filename="WGT-WP-1-fr.odt"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_unpublished_papers_are_seen_by_their_submitter_and_the_secretariat_only(personas):
    paper = submit_paper(personas)
    version = paper.versions.get()
    url = f"/p/wgt/papers/{paper.pk}/files/{version.pk}/"
    assert Client().get(url).status_code == 404
    member = Client()
    member.force_login(personas.member)
    assert member.get(url).status_code == 200
    observer = Client()
    observer.force_login(personas.observer)
    assert observer.get(f"/p/wgt/papers/{paper.pk}/").status_code == 404


def test_bad_papers_are_refused(personas):
    with pytest.raises(ValidationError) as caught:
        submit_paper(personas, file=SimpleUploadedFile("x.pdf", b"MZ\x00\x00" + bytes(100)))
    assert "content is not a .pdf" in caught.value.message_dict["attachments"][0]
    with pytest.raises(ValidationError):
        submit_paper(personas, title="  ")
    with pytest.raises(PermissionDenied):
        submit_paper(personas, person=personas.anonymous)
    assert WorkingPaper.objects.count() == 0


def test_the_whole_flow_on_the_pages(personas):
    member = Client()
    member.force_login(personas.member)
    response = member.post(
        "/p/wgt/papers/submit/",
        {
            "title": "Remote participation",
            "authors": "Mina Member",
            "abstract": "",
            "language": "en",
            "file": pdf_file("remote.pdf"),
        },
    )
    assert response.status_code == 302
    paper = WorkingPaper.objects.get()
    secretariat = Client()
    secretariat.force_login(personas.secretariat)
    secretariat.post("/p/wgt/papers/series/", {"prefix": "WGT/WP", "title": "Working papers"})
    series = personas.process.paper_series.get()
    secretariat.post(
        f"/p/wgt/papers/{paper.pk}/manage/",
        {"series": str(series.pk), "status": "final", "publish": "1"},
    )
    paper.refresh_from_db()
    assert paper.symbol == "WGT/WP/1" and paper.published_at and paper.status == "final"
    assert "WGT/WP/1" in Client().get("/p/wgt/papers/").content.decode()
