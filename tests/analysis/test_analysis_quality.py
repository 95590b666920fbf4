"""Quality of campaign grouping against the synthetic corpus's ground truth."""

from __future__ import annotations

import numpy as np
import pytest

from bench.corpus import generate, pair_scores
from roundtable.analysis import find_campaigns, find_themes


def _labels(n, campaigns):
    labels = -1 - np.arange(n)
    for c in campaigns:
        labels[c.members] = c.id
    return labels


def test_pair_scores_by_hand():
    assert pair_scores([1, 1, 2, 2], [5, 5, 6, 6]) == (1.0, 1.0, 1.0)
    precision, recall, f1 = pair_scores([1, 1, 1, 2], [1, 1, 2, 2])
    assert (precision, recall) == (0.5, 1 / 3)
    assert f1 == pytest.approx(0.4)
    assert pair_scores([1, 2, 3], [1, 2, 3]) == (1.0, 1.0, 1.0)


@pytest.mark.parametrize("languages", [("en",), ("en", "ru", "ar", "zh")])
def test_campaign_grouping_f1_on_generated_corpus(languages):
    corpus = generate(6000, seed=7, languages=languages)
    campaigns = find_campaigns(corpus.texts)
    precision, _, f1 = pair_scores(corpus.campaign, _labels(len(corpus), campaigns))
    assert precision >= 0.999
    assert f1 >= 0.99


def test_additions_match_what_copies_added():
    corpus = generate(6000, seed=8)
    campaigns = find_campaigns(corpus.texts)
    found = {r: text for c in campaigns for r, text in c.additions.items()}
    truth = {r: text for r, text in enumerate(corpus.added) if text}
    hits = sum(1 for r in found if r in truth)
    assert hits / len(found) >= 0.97  # what we quote was added
    assert hits / len(truth) >= 0.97  # what was added is quoted
    exact = sum(1 for r in found if r in truth and found[r] == truth[r].replace("\n", " "))
    assert exact / hits >= 0.9  # and quoted in the commenter's own words


def test_themes_follow_the_topics():
    from sklearn.metrics import adjusted_rand_score

    corpus = generate(4000, seed=9, topics=6)
    themes = find_themes(corpus.texts)
    labels = np.full(len(corpus), -1)
    for t in themes:
        labels[t.members] = t.id
    assert 4 <= len(themes) <= 10
    assert adjusted_rand_score(corpus.topic, labels) >= 0.8
