"""Themes on small and mid-sized inputs, and the whole analysis on rows."""

from __future__ import annotations

import subprocess
import sys

import pytest

from roundtable.analysis import Theme, analyse, breakdown, find_campaigns, find_themes

# Agenda-style issue texts on four clusters, in several languages.
ISSUES = {
    "infrastructure": [
        "Administration of the root zone files and root server system",
        "Allocation of domain names and the domain name system",
        "IP addressing and the transition to IPv6 addresses",
        "Interconnection costs between networks and internet exchange points",
        "Root server operators and the stability of the domain name system",
        "Costs of international internet interconnection for developing networks",
    ],
    "use": [
        "Spam: unsolicited bulk email and its cost for users",
        "Cybercrime and cooperation between police across borders",
        "Network security and the protection of critical systems against cybercrime",
        "Spam filtering and email security for users",
        "Security of online banking against fraud and cybercrime",
    ],
    "wider": [
        "Intellectual property rights and copyright on the internet",
        "Electronic commerce and international trade rules",
        "Copyright exceptions for libraries and intellectual property licensing",
        "Consumer protection in electronic commerce and online trade",
        "Trade agreements and intellectual property enforcement",
    ],
    "development": [
        "Capacity building for developing countries in internet policy",
        "Affordable access and capacity building in least developed countries",
        "Multilingualism and local content in developing countries",
        "Training programmes and capacity building for regulators in developing regions",
        "Affordable broadband access for rural communities in developing countries",
    ],
}


def _flat():
    texts, labels = [], []
    for label, items in ISSUES.items():
        texts += items
        labels += [label] * len(items)
    return texts, labels


@pytest.mark.parametrize("n", [0, 1, 2])
def test_tiny_inputs_do_not_crash(n):
    texts = ["Spam and cybercrime hurt users", "Rural broadband is too expensive"][:n]
    themes = find_themes(texts)
    assert sum(t.size for t in themes) == n
    assert all(isinstance(t, Theme) and t.representatives for t in themes)
    if n == 2:
        # Two unrelated texts are two themes, not one.
        assert len(themes) == 2


def test_agenda_issues_cluster_by_subject():
    texts, labels = _flat()
    themes = find_themes(texts, k=4)
    assert len(themes) == 4
    # Each theme is dominated by one cluster of the WGIG's four.
    purity = sum(
        max(sum(labels[m] == lab for m in t.members) for lab in ISSUES) for t in themes
    ) / len(texts)
    # Lexically disjoint subjects (root servers, interconnection costs) share a
    # cluster only by meaning, which word statistics cannot see: most, not all.
    assert purity >= 0.7
    for t in themes:
        assert 1 <= len(t.representatives) <= 5
        assert t.terms and all(isinstance(w, str) for w in t.terms)
        assert set(t.representatives) <= set(t.members)
    assert sorted(m for t in themes for m in t.members) == list(range(len(texts)))


def test_k_is_chosen_automatically_and_sensibly():
    texts, labels = _flat()
    themes = find_themes(texts)
    assert 3 <= len(themes) <= 10
    # Finer than the four clusters, but each theme is about one of them.
    purity = sum(
        max(sum(labels[m] == lab for m in t.members) for lab in ISSUES) for t in themes
    ) / len(texts)
    assert purity >= 0.9


def test_themes_are_deterministic_for_a_seed():
    texts, _ = _flat()
    a = find_themes(texts, seed=4)
    b = find_themes(texts, seed=4)
    assert [(t.members, t.terms, t.representatives) for t in a] == [
        (t.members, t.terms, t.representatives) for t in b
    ]


def test_labels_leave_out_stop_words():
    texts = [
        "The cost of the broadband is too high for the villages",
        "Broadband in the villages costs too much",
        "Le coût du haut débit est trop élevé pour les villages",
        "The villages need cheaper broadband",
        "Spam is a plague for the email users",
        "Email users receive too much spam",
    ]
    for theme in find_themes(texts, k=2):
        assert not {"the", "is", "of", "for", "le", "du", "est", "les"} & set(theme.terms)


def test_campaigns_count_once_in_themes_but_all_members_are_kept():
    letter = "Protect net neutrality and keep the internet open for everyone"
    texts = [letter] * 20 + [
        "Spam email is a nuisance for users",
        "Users want less spam email",
        "Rural broadband access is too expensive",
        "Broadband for rural villages costs too much",
    ]
    themes = find_themes(texts)
    owner = next(t for t in themes if 0 in t.members)
    assert set(range(20)) <= set(owner.members)
    assert owner.size >= 20
    assert owner.distinct <= 3


def test_breakdown_counts_by_category():
    texts = ["Same text here please", "Same text here please", "same TEXT here please!", "Other"]
    groups = ["civil society", "government", "civil society", None]
    campaigns = find_campaigns(texts)
    assert breakdown(campaigns, groups) == [{"civil society": 2, "government": 1}]
    assert breakdown([[0, 3], [3]], groups) == [{"(none)": 1, "civil society": 1}, {"(none)": 1}]


def test_analyse_returns_the_cli_shape_with_row_ids():
    letter = "We ask the group to fund community networks in rural areas now"
    texts = [letter, letter.upper(), "Dear group, I live in a village.\n" + letter, "Spam again."]
    ids = ["a", "b", "c", "d"]
    result = analyse(ids, texts, ["academia", "academia", "government", ""])
    (campaign,) = result["campaigns"]
    assert campaign["members"] == ["a", "b", "c"]
    assert campaign["representative"] in {"a", "b"}
    assert campaign["by_group"] == {"academia": 2, "government": 1}
    assert campaign["additions"] == {"c": "Dear group, I live in a village."}
    assert {t["id"] for t in result["themes"]} == set(range(1, len(result["themes"]) + 1))
    assert sum(t["size"] for t in result["themes"]) == 4
    stats = result["stats"]
    assert stats["rows"] == 4 and stats["distinct"] == 3
    assert stats["seconds"] >= 0 and stats["peak_rss_mb"] > 0
    with pytest.raises(ValueError, match="same length"):
        analyse(["x"], ["a", "b"])


def test_the_package_never_imports_django():
    code = (
        "import sys, roundtable.analysis, roundtable.analysis.cli, roundtable.analysis.report;"
        "roundtable.analysis.find_themes(['a b c', 'd e f']);"
        "print('django' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_importing_the_package_stays_light():
    """``roundtable.analysis.balance`` is imported by web code: the package
    itself must not load numpy, scipy or scikit-learn until they are used."""
    code = (
        "import sys, roundtable.analysis;"
        "print(sorted(m for m in ('numpy', 'scipy', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
