"""Agenda share on plain attention dicts, as the meetings, discussions and drafting
apps answer the ``cluster_attention`` hook."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roundtable.agenda.share import agenda_share, merge_attention


def test_no_answer_means_no_data():
    report = agenda_share({1: 2.0, 2: 1.0}, merge_attention([]))
    assert not report.has_data
    assert report.kinds == []
    assert [row.cluster for row in report.rows] == [1, 2]
    assert report.rows[0].priority_share == pytest.approx(2 / 3)
    assert not report.dominant_rows and not report.crowded_rows


def test_answers_are_summed_per_cluster_and_kind():
    meetings = {1: {"agenda_minutes": 90}, 2: {"agenda_minutes": 30}}
    discussions = {"1": {"messages": 4}, 2: {"messages": 6}, 99: {"messages": 1000}}
    merged = merge_attention([meetings, discussions, None, {}], clusters=[1, 2])
    assert merged == {
        1: {"agenda_minutes": 90.0, "messages": 4.0},
        2: {"agenda_minutes": 30.0, "messages": 6.0},
    }


def test_bad_numbers_in_answers_are_ignored():
    merged = merge_attention(
        [{1: {"messages": -3, "paragraphs": "x", "agenda_minutes": float("nan")}},
         {1: {"messages": True}}, {1: "not a dict"}, {1: {"messages": "2"}}]
    )  # fmt: skip
    assert merged == {1: {"messages": 2.0}}


def test_a_dominant_topic_is_flagged_and_the_crowded_out_one_too():
    """The WGIG case: infrastructure takes most of the time; development is crowded out."""
    priority = {"infra": 1.0, "use": 1.0, "wider": 1.0, "development": 1.0}
    attention = {
        "infra": {"agenda_minutes": 600, "messages": 70, "paragraphs": 30},
        "use": {"agenda_minutes": 150, "messages": 15, "paragraphs": 10},
        "wider": {"agenda_minutes": 150, "messages": 10, "paragraphs": 8},
        "development": {"agenda_minutes": 30, "messages": 5, "paragraphs": 2},
    }
    report = agenda_share(priority, attention, threshold=1.5)
    assert report.has_data
    assert report.kinds == ["agenda_minutes", "messages", "paragraphs"]
    rows = {row.cluster: row for row in report.rows}
    infra = rows["infra"]
    assert infra.attention_share["agenda_minutes"] == pytest.approx(600 / 930)
    assert set(infra.dominant_in) == {"agenda_minutes", "messages", "paragraphs", "overall"}
    assert infra.ratio > 2
    assert rows["development"].crowded_out and not rows["development"].dominant
    assert not rows["use"].dominant and not rows["use"].crowded_out
    assert [row.cluster for row in report.dominant_rows] == ["infra"]


def test_attention_in_line_with_priority_raises_no_flag():
    priority = {1: 3.0, 2: 1.0}
    attention = {1: {"messages": 30}, 2: {"messages": 10}}
    report = agenda_share(priority, attention)
    assert not report.dominant_rows and not report.crowded_rows
    assert report.rows[0].ratio == pytest.approx(1.0)


def test_only_the_kinds_with_data_are_shown_and_unknown_kinds_are_kept():
    report = agenda_share({1: 1.0, 2: 1.0}, {1: {"paragraphs": 3, "votes": 2}, 2: {}})
    assert report.kinds == ["paragraphs", "votes"]
    assert report.totals == {"paragraphs": 3, "votes": 2}


def test_attention_to_a_cluster_with_no_priority_is_dominant():
    report = agenda_share({1: 0.0, 2: 2.0}, {1: {"messages": 5}, 2: {"messages": 5}})
    rows = {row.cluster: row for row in report.rows}
    assert rows[1].dominant and rows[1].ratio is None


attention_strategy = st.dictionaries(
    st.integers(1, 6),
    st.dictionaries(
        st.sampled_from(["agenda_minutes", "messages", "paragraphs"]),
        st.floats(0, 1e6, allow_nan=False),
    ),
)


@given(st.lists(attention_strategy, max_size=4), st.lists(st.floats(0, 10), min_size=6, max_size=6))
def test_shares_of_each_kind_add_up_to_one(answers, weights):
    priority = {key: weight for key, weight in enumerate(weights, start=1)}
    report = agenda_share(priority, merge_attention(answers, clusters=priority))
    for kind in report.kinds:
        total = sum(row.attention_share[kind] for row in report.rows)
        assert math.isclose(total, 1.0, rel_tol=1e-9)
    assert report.has_data == bool(report.kinds)
    for row in report.rows:
        assert row.dominant is bool(row.dominant_in)
