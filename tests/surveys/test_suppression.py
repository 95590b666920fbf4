"""Small-cell and complementary suppression, checked by hand and by an independent attacker.

The attacker is a linear program (scipy's HiGHS) written here from the
published figures alone; for every protected cell it computes the smallest
and largest value those figures allow. A cell whose value they fix exactly
would be disclosed. The suppression module uses a different method (cycles
of a residual network), so the two check each other.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from roundtable.surveys.suppression import protect


def attacker_bounds(
    counts, missing, answered, sizes, missing_size, hidden, hidden_groups, additive, cell
):
    """(min, max) of ``cell`` given only what is published."""
    options, groups = counts.shape
    variables = [(o, g) for o in range(options) for g in range(groups)] + [
        (o, groups) for o in range(options)
    ]
    index = {v: i for i, v in enumerate(variables)}
    n = len(variables)
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    bounds = []
    for o, g in variables:
        if g < groups and not hidden[o, g]:
            value = int(counts[o, g])
            bounds.append((value, value))  # shown
        else:
            bounds.append((0, None))
    row_totals = counts.sum(axis=1) + missing
    for o in range(options):
        row = np.zeros(n)
        for g in range(groups + 1):
            row[index[(o, g)]] = 1
        a_eq.append(row)
        b_eq.append(int(row_totals[o]))
    for g in range(groups):
        column = np.zeros(n)
        for o in range(options):
            column[index[(o, g)]] = 1
        if hidden_groups[g]:
            # Only the group's size in the whole survey is known.
            if additive:
                a_ub.append(column)
                b_ub.append(int(sizes[g]))
            for o in range(options):
                limit = np.zeros(n)
                limit[index[(o, g)]] = 1
                a_ub.append(limit)
                b_ub.append(int(sizes[g]))
        elif additive:
            a_eq.append(column)
            b_eq.append(int(answered[g]))
        else:
            a_ub.append(-column)  # each respondent chose at least one option
            b_ub.append(-int(answered[g]))
            for o in range(options):
                limit = np.zeros(n)
                limit[index[(o, g)]] = 1
                a_ub.append(limit)
                b_ub.append(int(answered[g]))  # and each option at most once
    column = np.zeros(n)
    for o in range(options):
        column[index[(o, groups)]] = 1
        limit = np.zeros(n)
        limit[index[(o, groups)]] = 1
        a_ub.append(limit)
        b_ub.append(missing_size)
    if additive:
        a_ub.append(column)
        b_ub.append(missing_size)
    objective = np.zeros(n)
    objective[index[cell]] = 1
    kwargs = {
        "A_eq": np.array(a_eq),
        "b_eq": np.array(b_eq),
        "A_ub": np.array(a_ub) if a_ub else None,
        "b_ub": np.array(b_ub) if b_ub else None,
        "bounds": bounds,
        "method": "highs",
    }
    low = linprog(objective, **kwargs)
    high = linprog(-objective, **kwargs)
    assert low.success and high.success, (low.message, high.message)
    return low.fun, -high.fun


def fixed(bounds) -> bool:
    low, high = bounds
    return np.ceil(low - 1e-7) >= np.floor(high + 1e-7)


def test_a_single_small_cell_takes_a_rectangle_with_it():
    counts = np.array([[5, 1, 7], [6, 4, 8]])
    result = protect(counts, missing=np.zeros(2), group_answered=counts.sum(axis=0), k=3)
    # The 1 is hidden; alone it could be computed from its row or column total,
    # so the smallest cells that close a rectangle are hidden with it.
    assert result.hidden.tolist() == [[True, True, False], [True, True, False]]
    assert result.protected.tolist() == [[False, True, False], [False, False, False]]
    assert not result.hidden_groups.any() and not result.withheld


def test_a_small_group_is_hidden_whole_with_a_complement():
    counts = np.array([[4, 5, 1], [6, 3, 1]])
    result = protect(
        counts,
        missing=np.zeros(2),
        group_answered=counts.sum(axis=0),
        group_sizes=counts.sum(axis=0),
        k=3,
    )
    assert result.hidden_groups.tolist() == [False, False, True]
    # Hidden alone, the small group's cells would be row total minus the others:
    # one more cell is hidden in each row, in the same column so that the column
    # total gives nothing away either: four cells in all.
    assert result.hidden[:, 2].all()
    assert result.hidden.sum(axis=1).tolist() == [2, 2]
    assert result.hidden.sum() == 4


def test_respondents_without_a_group_already_protect_a_row():
    counts = np.array([[5, 1], [6, 4]])
    missing = np.array([2, 0])
    result = protect(
        counts,
        missing=missing,
        group_answered=counts.sum(axis=0),
        group_sizes=counts.sum(axis=0),
        missing_size=2,
        k=3,
    )
    # Row 0 has the hidden 1 and the unknown split of the 2 without a group, but the
    # column of the 1 has a known total: a complement is still needed there.
    assert result.hidden[0, 1]
    assert result.hidden[:, 1].sum() >= 2


def test_nothing_hidden_when_every_cell_is_large_or_zero():
    counts = np.array([[5, 0, 7], [6, 4, 8]])
    result = protect(counts, missing=np.zeros(2), group_answered=counts.sum(axis=0), k=3)
    assert not result.hidden.any()


def test_an_empty_group_is_no_secret():
    counts = np.array([[5, 0, 7], [6, 0, 8]])
    result = protect(
        counts,
        missing=np.zeros(2),
        group_answered=counts.sum(axis=0),
        group_sizes=np.array([11, 0, 15]),
        k=3,
    )
    assert result.hidden_groups.tolist() == [False, True, False]
    assert not result.withheld
    assert result.hidden[:, [0, 2]].sum() == 0


@st.composite
def tables(draw):
    options = draw(st.integers(2, 5))
    groups = draw(st.integers(2, 5))
    additive = draw(st.booleans())
    counts = np.array(
        draw(
            st.lists(
                st.lists(st.integers(0, 9), min_size=groups, max_size=groups),
                min_size=options,
                max_size=options,
            )
        )
    )
    missing = np.array(draw(st.lists(st.integers(0, 2), min_size=options, max_size=options)))
    if additive:
        answered = counts.sum(axis=0)
        missing_size = int(missing.sum()) + draw(st.integers(0, 2))
    else:
        answered = np.array(
            [
                draw(st.integers(int(column.max()), int(max(column.sum(), column.max()))))
                for column in counts.T
            ]
        )
        missing_size = int(missing.max()) + draw(st.integers(0, 2))
    sizes = answered + np.array(draw(st.lists(st.integers(0, 2), min_size=groups, max_size=groups)))
    k = draw(st.integers(2, 5))
    return counts, missing, answered, sizes, missing_size, k, additive


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_no_protected_cell_can_be_worked_out(table):
    counts, missing, answered, sizes, missing_size, k, additive = table
    result = protect(
        counts,
        missing=missing,
        group_answered=answered,
        group_sizes=sizes,
        missing_size=missing_size,
        k=k,
        additive=additive,
    )
    options, groups = counts.shape
    row_totals = counts.sum(axis=1) + missing
    # The primary rules always hold.
    for o in range(options):
        for g in range(groups):
            if 0 < counts[o, g] < k or answered[g] < k:
                assert result.hidden[o, g]
    assert (result.hidden_groups == (answered < k)).all() or result.withheld
    everything = np.ones_like(result.hidden)
    for o in range(options):
        for g in range(groups):
            if not result.protected[o, g] or row_totals[o] == 0:
                continue
            if fixed(
                attacker_bounds(
                    counts,
                    missing,
                    answered,
                    sizes,
                    missing_size,
                    everything,
                    np.ones(groups, bool),
                    additive,
                    (o, g),
                )
            ):
                continue  # the published margins fix it whatever is hidden
            bounds = attacker_bounds(
                counts,
                missing,
                answered,
                sizes,
                missing_size,
                result.hidden,
                result.hidden_groups,
                additive,
                (o, g),
            )
            assert bounds[0] <= counts[o, g] <= bounds[1] + 1e-7
            assert not fixed(bounds), (o, g, bounds, result.hidden.astype(int).tolist())


@settings(max_examples=100, deadline=None)
@given(tables())
def test_suppression_hides_as_little_as_it_must(table):
    """Whatever is not hidden is shown exactly; no table is withheld when it need not be."""
    counts, missing, answered, sizes, missing_size, k, additive = table
    result = protect(
        counts,
        missing=missing,
        group_answered=answered,
        group_sizes=sizes,
        missing_size=missing_size,
        k=k,
        additive=additive,
    )
    if not (((counts > 0) & (counts < k)).any() or (answered < k).any()):
        assert not result.hidden.any()
    assert not result.withheld


@pytest.mark.parametrize("additive", [True, False])
def test_what_the_overall_table_already_says_is_not_protected(additive):
    # One group and no one outside it: the breakdown repeats the overall counts,
    # which are published anyway. Small cells are still hidden, but there is no
    # secret left in them to protect, and the breakdown is not withheld.
    counts = np.array([[1], [5]])
    result = protect(
        counts,
        missing=np.zeros(2),
        group_answered=np.array([6]),
        group_sizes=np.array([6]),
        k=3,
        additive=additive,
    )
    assert result.hidden[0, 0]
    assert not result.protected.any()
    assert not result.withheld
