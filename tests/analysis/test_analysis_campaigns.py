"""Campaign detection: exact and near-duplicate copies, verified, with additions."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roundtable.analysis import Campaign, find_campaigns
from roundtable.analysis.campaigns import distinct_texts, intersections

LETTERS = [
    (
        "I am writing to urge the working group to protect an open and neutral internet. "
        "Internet service providers must not block, throttle or prioritise lawful content. "
        "Small businesses and schools depend on equal access to online services. "
        "Strong rules are the only way to keep competition fair for new companies. "
        "Please keep the existing protections and enforce them with real penalties. "
        "The internet belongs to its users and not to a handful of gatekeepers."
    ),
    (
        "As a member of the technical community I ask you to fund rural broadband. "
        "Villages far from cities still wait for affordable connections. "
        "Public money should build open access networks that any provider can use. "
        "Spectrum for community networks must be cheap and easy to license. "
        "Measure progress every year and publish the data for everyone to check. "
        "Without this the digital divide will keep growing in our region."
    ),
    (
        "Nous demandons au groupe de travail de défendre la protection des données personnelles. "
        "Les plateformes collectent beaucoup trop d'informations sur les utilisateurs. "
        "Le consentement doit être libre, éclairé et facile à retirer à tout moment. "
        "Les autorités de contrôle ont besoin de moyens suffisants pour agir. "
        "Les transferts de données vers l'étranger doivent rester encadrés."
    ),
    (
        "Мы призываем рабочую группу защитить свободу выражения мнений в интернете. "
        "Блокировки сайтов без решения суда недопустимы в демократическом обществе. "
        "Пользователи должны знать, почему их материалы были удалены платформой. "
        "Государства должны публиковать все запросы на удаление контента."
    ),
    (
        "ندعو فريق العمل إلى تعزيز الأمن السيبراني في البلدان النامية. "
        "تحتاج الحكومات إلى فرق استجابة وطنية مدربة ومجهزة بشكل جيد. "
        "يجب أن يشارك القطاع الخاص المعلومات عن التهديدات بسرعة وبشفافية. "
        "ينبغي أن يكون بناء القدرات أولوية في كل برامج التعاون الدولي."
    ),
    (
        "我们呼吁工作组重视发展中国家的能力建设问题。"
        "许多地区仍然缺乏负担得起的宽带接入和数字技能培训。"
        "国际合作应当支持本地内容和本地语言的发展。"
        "各利益相关方应当平等参与互联网治理的讨论。"
    ),
]

WORDS = [
    *[
        "access",
        "rights",
        "network",
        "privacy",
        "policy",
        "data",
        "users",
        "online",
        "security",
        "open",
        "community",
    ],
    *[
        "government",
        "business",
        "school",
        "rural",
        "digital",
        "public",
        "content",
        "platform",
        "service",
        "local",
    ],
    *[
        "language",
        "trust",
        "forum",
        "report",
        "cost",
        "market",
        "law",
        "court",
        "speech",
        "children",
        "health",
        "energy",
    ],
]


def _campaign_of(campaigns: list[Campaign], index: int) -> int | None:
    for c in campaigns:
        if index in c.members:
            return c.id
    return None


def _typo(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    i = rng.randrange(len(words))
    word = words[i]
    if len(word) > 3:
        j = rng.randrange(1, len(word) - 1)
        word = (
            word[:j] + word[j + 1] + word[j] + word[j + 2 :]
            if rng.random() < 0.5
            else (word[:j] + word[j + 1 :])
        )
    words[i] = word
    return " ".join(words)


def _background(seed: int, count: int) -> list[str]:
    """Unrelated comments: random sentences over a shared topical vocabulary."""
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40))) + "." for _ in range(count)
    ]


def test_nothing_for_zero_or_one_text():
    assert find_campaigns([]) == []
    assert find_campaigns(["Only one comment here."]) == []
    assert find_campaigns(["", "   ", "..."]) == []


def test_exact_duplicates_after_normalisation():
    texts = ["Keep the internet open!", "keep the INTERNET   open", "Keep, the internet, open."]
    (campaign,) = find_campaigns(texts)
    assert campaign.members == [0, 1, 2]
    assert campaign.exact_copies == 3
    assert campaign.similarity.min == 1.0
    assert campaign.additions == {}


def test_short_different_answers_stay_apart():
    texts = ["Yes.", "No.", "I agree.", "I disagree.", "Yes!"]
    (campaign,) = find_campaigns(texts)
    assert campaign.members == [0, 4]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    letter=st.sampled_from(LETTERS),
    greeting=st.lists(st.sampled_from(WORDS), min_size=2, max_size=12),
    typos=st.integers(min_value=0, max_value=3),
    where=st.sampled_from(["start", "end"]),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_greeting_or_typo_keeps_a_copy_in_its_campaign(letter, greeting, typos, where, seed):
    rng = random.Random(seed)
    personal = " ".join(greeting).capitalize() + "."
    copy = letter
    for _ in range(typos):
        copy = _typo(rng, copy)
    copy = f"{personal}\n{copy}" if where == "start" else f"{copy} {personal}"
    texts = [*_background(seed, 30), letter, letter, copy]
    campaigns = find_campaigns(texts)
    base = _campaign_of(campaigns, 30)
    assert base is not None
    assert _campaign_of(campaigns, 32) == base
    # Nothing from the background joins it.
    assert all(_campaign_of(campaigns, i) != base for i in range(30))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=100_000), count=st.integers(2, 60))
def test_unrelated_texts_never_merge(seed, count):
    texts = list(dict.fromkeys(_background(seed, count)))  # no exact repeats
    assert find_campaigns(texts, seed=seed % 7) == []


def test_variations_of_mass_campaigns_are_grouped():
    rng = random.Random(3)
    texts, truth = [], []
    for c, letter in enumerate(LETTERS):
        sentences = [s for s in letter.replace("。", "。|").replace(". ", ".|").split("|") if s]
        for _ in range(12):
            kept = list(sentences)
            if rng.random() < 0.5 and len(kept) > 4:
                del kept[rng.randrange(1, len(kept))]  # a sentence dropped
            if rng.random() < 0.5:
                i, j = rng.sample(range(len(kept)), 2)
                kept[i], kept[j] = kept[j], kept[i]  # sentences reordered
            sep = "" if c == 5 else " "
            texts.append(sep.join(kept))
            truth.append(c)
    texts += _background(11, 40)
    truth += list(range(100, 140))
    campaigns = find_campaigns(texts)
    got = {i: c.id for c in campaigns for i in c.members}
    for i, t in enumerate(truth):
        for j in range(i):
            assert (t == truth[j]) == (got.get(i, -i - 1) == got.get(j, -j - 1)), (i, j)


def test_additions_quote_the_personal_lines():
    letter = LETTERS[0]
    texts = [
        letter,
        letter,
        letter,
        "Dear Chair, I run a small bakery in Lagos.\n" + letter,
        letter + " My daughter studies online every evening.",
        letter.replace("fair", "fiar"),  # a typo adds nothing
    ]
    (campaign,) = find_campaigns(texts)
    assert campaign.representative in (0, 1, 2)
    assert campaign.exact_copies == 3
    assert campaign.additions == {
        3: "Dear Chair, I run a small bakery in Lagos.",
        4: "My daughter studies online every evening.",
    }
    assert 0.5 < campaign.similarity.min < 1.0


def test_additions_in_arabic_and_chinese():
    ar, zh = LETTERS[4], LETTERS[5]
    texts = [
        ar,
        ar,
        ar + " أنا معلمة في مدرسة ريفية صغيرة.",
        zh,
        zh,
        "我是一名乡村教师，每天都用网络上课。" + zh,
    ]
    campaigns = find_campaigns(texts)
    additions = {k: v for c in campaigns for k, v in c.additions.items()}
    assert additions == {
        2: "أنا معلمة في مدرسة ريفية صغيرة.",
        5: "我是一名乡村教师，每天都用网络上课。",
    }


def test_representative_is_the_central_text():
    letter = LETTERS[1]
    variants = [letter + f" Extra line number {w} about {w} things." for w in WORDS[:4]]
    texts = [*variants, letter]
    (campaign,) = find_campaigns(texts)
    assert campaign.representative == 4


def test_deterministic_for_a_seed():
    texts = [*_background(5, 50), LETTERS[0], _typo(random.Random(1), LETTERS[0])]
    first = find_campaigns(texts, seed=3)
    assert first == find_campaigns(texts, seed=3)
    assert [c.members for c in first] == [[50, 51]]


def test_intersections_are_exact():
    rng = np.random.default_rng(0)
    sets = [
        np.unique(rng.integers(0, 200, rng.integers(0, 60))).astype(np.uint32) for _ in range(30)
    ]
    indptr = np.concatenate([[0], np.cumsum([len(s) for s in sets])])
    data = np.concatenate(sets)
    a = rng.integers(0, 30, 100)
    b = rng.integers(0, 30, 100)
    got = intersections(indptr, data, a, b, batch=7)
    want = [len(np.intersect1d(sets[i], sets[j])) for i, j in zip(a, b, strict=True)]
    assert got.tolist() == want


def test_distinct_texts_maps_every_row():
    texts = ["A b c d.", "a B c d", "x y z", "", "x y z"]
    d = distinct_texts(texts)
    assert d.doc_of_row.tolist() == [0, 0, 1, -1, 1]
    assert d.count.tolist() == [2, 2]
    assert d.first_row.tolist() == [0, 2]
