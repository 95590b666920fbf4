"""Exports: CSV, XLSX, HTML and PDF say the same as the results page, with the same suppression."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from roundtable.surveys import services
from roundtable.surveys.models import Response
from tests.surveys.conftest import complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def results_url(personas, open_survey):
    groups = ["government"] * 4 + ["civil_society"] * 3 + ["academia"]
    Response.objects.bulk_create(
        [
            Response(
                survey=open_survey,
                answers=complete(stakeholder_group=g, mark_purpose=str(2 + i % 4)),
            )
            for i, g in enumerate(groups)
        ]
    )
    return f"/p/{personas.process.slug}/surveys/{open_survey.pk}/results"


@pytest.fixture
def secretariat(personas):
    client = Client()
    client.force_login(personas.secretariat)
    return client


def test_csv(secretariat, results_url):
    response = secretariat.get(f"{results_url}.csv?by=stakeholder_group")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="survey-' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    group = [r for r in rows if r["question"] == "stakeholder_group" and not r["group"]]
    assert [(r["answer"], r["count"]) for r in group][:4] == [
        ("government", "4"),
        ("private_sector", "0"),
        ("civil_society", "3"),
        ("academia", "1"),
    ]
    academia = [r for r in rows if r["question"] == "mark_purpose" and r["group"] == "academia"]
    assert academia and all(r["suppressed"] == "yes" and r["count"] == "" for r in academia)


def test_xlsx(secretariat, results_url):
    response = secretariat.get(f"{results_url}.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Results", "Scorecard"]
    header = [cell.value for cell in book["Results"][1]]
    assert header[:5] == ["Question", "Question text", "Type", "Answered", "Skipped"]


def test_html_and_pdf_reports(secretariat, results_url):
    html = secretariat.get(f"{results_url}.html?by=stakeholder_group").content.decode()
    assert html.startswith("<!doctype html>") and "<svg" in html and "Scorecard" in html
    response = secretariat.get(f"{results_url}.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Assessment" in text
    assert "8 responses." in text
    assert "Scorecard" in text


def test_nothing_to_export_below_k(personas, draft_survey, secretariat):
    services.survey_open(actor=personas.secretariat, survey=draft_survey)
    Response.objects.create(survey=draft_survey, answers=complete())
    url = f"/p/{personas.process.slug}/surveys/{draft_survey.pk}/results"
    assert secretariat.get(f"{url}.csv").status_code == 404
    assert (
        "Results appear once at least 3 responses are in."
        in secretariat.get(f"{url}/").content.decode()
    )
    api = secretariat.get(
        f"/api/processes/{personas.process.slug}/surveys/{draft_survey.pk}/results"
    ).json()
    assert api["available"] is False


def test_api_results(personas, secretariat, results_url, open_survey):
    data = secretariat.get(
        f"/api/processes/{personas.process.slug}/surveys/{open_survey.pk}/results?by=stakeholder_group"
    ).json()
    assert data["available"] and data["respondents"] == 8 and data["min_cell"] == 3
    purpose = next(q for q in data["questions"] if q["name"] == "mark_purpose")
    assert set(purpose["options"][0]) == {"value", "label", "count", "percent", "by"}
    assert purpose["by_answered"]["academia"] is None
    assert {d["key"] for d in data["scorecard"]} >= {"mark_purpose", "factor_equity"}
    bad = secretariat.get(
        f"/api/processes/{personas.process.slug}/surveys/{open_survey.pk}/results?by=change"
    )
    assert bad.status_code == 400
