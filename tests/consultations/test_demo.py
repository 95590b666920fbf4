"""The demo's consultations: an open and a closed call, a campaign, dispositions, papers."""

from __future__ import annotations

import pytest

from roundtable.consultations import demo
from roundtable.consultations.models import Call, Disposition, Submission, WorkingPaper
from roundtable.core.models import OutboundMessage
from roundtable.processes.demo import load_process

pytestmark = pytest.mark.django_db


def test_the_demo_loads_twice_and_tells_the_story(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    context = load_process()
    demo.load(context)
    counts = (Call.objects.count(), Submission.objects.count(), Disposition.objects.count(),
              WorkingPaper.objects.count())  # fmt: skip
    demo.load(load_process())
    assert (Call.objects.count(), Submission.objects.count(), Disposition.objects.count(),
            WorkingPaper.objects.count()) == counts  # fmt: skip
    closed = Call.objects.get(title=demo.CLOSED_TITLE)
    opened = Call.objects.get(title=demo.OPEN_TITLE)
    assert (closed.state, opened.state) == ("closed", "open")
    assert closed.received_count == closed.submissions.count() >= 15
    languages = set(closed.submissions.values_list("language", flat=True))
    assert {"en", "fr", "es", "ar", "ru", "zh-hans"} <= languages
    [campaign] = closed.analysis.result["campaigns"]
    assert campaign["size"] == len(demo.CAMPAIGN_ADDITIONS) and campaign["additions"]
    assert Disposition.objects.filter(campaign_representative__isnull=False).count() == len(
        demo.CAMPAIGN_ADDITIONS
    )
    assert set(Disposition.objects.values_list("reaction", flat=True)) >= {"accepts", "objects"}
    assert set(closed.submissions.values_list("status", flat=True)) >= {
        "approved", "rejected", "withdrawn",
    }  # fmt: skip
    assert opened.submissions.filter(status="pending").exists()
    symbols = sorted(p.symbol for p in WorkingPaper.objects.filter(published_at__isnull=False))
    assert symbols == ["WGIS/WP/1", "WGIS/WP/2", "WGIS/WP/3"]
    # Fictional recipients: nothing is left for the worker to send.
    assert not OutboundMessage.objects.filter(
        kind__startswith="consultation.", sent_at__isnull=True
    ).exists()
