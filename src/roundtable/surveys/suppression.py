"""Small-cell and complementary suppression for one cross-tabulation. No Django.

A cross-tabulation of a question (rows: its options) by a ``select_one``
question (columns: its groups) is published together with the overall count
of every option and, through the percentages, each group's number of
respondents. The rules, as statistics offices apply them:

1. **Primary suppression**: a cell counting 1 to k-1 respondents is hidden;
   so is every cell of a group in which fewer than k respondents answered
   (its size is hidden too).
2. **Complementary suppression**: a hidden cell must not be computable from
   what is shown. An attacker knows every row total (the option's overall
   count), every shown group's total and, for a ``select_one`` question, that
   a group's cells add up to its total; respondents who did not answer the
   grouping question form one more, never shown, column. Whenever these
   equations pin down a protected cell, the smallest shown cell of the
   equation that pinned it is hidden too, and the check starts again.
3. **Audit**: an exact check then asks, for each protected cell, whether
   the published figures allow it any other value, knowing also that counts
   are never negative, that a hidden group is no larger than its size in the
   whole survey and (for ``select_multiple``) that each respondent chose at
   least one option and each option at most once. The equations form a
   network, so the answer is whether a cycle of the residual network passes
   through the cell. A pinned cell gets more complements; as a last resort
   the whole cross-tabulation is withheld.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_ROUNDS = 200


@dataclass
class Protection:
    """Which cells to hide. ``hidden[o, g]``; ``hidden_groups[g]`` hides a whole group."""

    hidden: np.ndarray
    hidden_groups: np.ndarray
    protected: np.ndarray  # cells hidden by the primary rules
    withheld: bool = False  # the whole cross-tabulation had to be withheld

    @property
    def complementary(self) -> np.ndarray:
        return self.hidden & ~self.protected


def protect(
    counts: np.ndarray,
    *,
    missing: np.ndarray,
    group_answered: np.ndarray,
    group_sizes: np.ndarray | None = None,
    missing_size: int | None = None,
    k: int = 3,
    additive: bool = True,
    audit: bool = True,
) -> Protection:
    """Decide which cells of ``counts`` (options x groups) to hide.

    ``missing[o]`` counts respondents who chose option ``o`` but did not answer
    the grouping question; ``group_answered[g]`` counts group ``g``'s
    respondents to this question; ``group_sizes[g]`` is the group's size in
    the whole survey (published by the grouping question's own table) and
    ``missing_size`` the number who did not answer the grouping question.
    ``additive`` is true for ``select_one`` questions (each respondent in one
    row), false for ``select_multiple``.
    """
    counts = np.asarray(counts, dtype=np.int64)
    options, groups = counts.shape
    missing = np.asarray(missing, dtype=np.int64).reshape(options)
    group_answered = np.asarray(group_answered, dtype=np.int64).reshape(groups)
    hidden_groups = group_answered < k
    row_totals = counts.sum(axis=1) + missing
    hidden = ((counts > 0) & (counts < k)) | hidden_groups[None, :]
    # A row nobody chose is known to be all zeros: there is nothing in it to protect.
    hidden &= (row_totals > 0)[:, None]
    protected = hidden.copy()
    if not hidden.any():
        return Protection(hidden, hidden_groups, protected)

    model = _Model(counts, missing, group_answered, hidden_groups, additive)
    for _round in range(MAX_ROUNDS):
        leak = model.first_derivable(hidden, protected)
        if leak is None:
            break
        if not model.hide_complement(hidden, leak):
            return _withhold(counts, protected)
    else:
        return _withhold(counts, protected)

    if audit:
        for _round in range(MAX_ROUNDS):
            pinned = model.first_pinned(hidden, protected, group_sizes, missing_size)
            if pinned is None:
                break
            o, g = pinned
            # More unknowns around the pinned cell: its row and (if additive) its column.
            changed = model.hide_smallest(hidden, [(o, j) for j in range(groups)])
            if additive:
                changed |= model.hide_smallest(hidden, [(i, g) for i in range(options)])
            if not changed:
                return _withhold(counts, protected)
            # Hiding more never makes a singleton equation appear, but re-check anyway.
            while (leak := model.first_derivable(hidden, protected)) is not None:
                if not model.hide_complement(hidden, leak):
                    return _withhold(counts, protected)
        else:
            return _withhold(counts, protected)
    return Protection(hidden, hidden_groups, protected)


def _withhold(counts: np.ndarray, protected: np.ndarray) -> Protection:
    return Protection(
        np.ones_like(counts, dtype=bool),
        np.ones(counts.shape[1], dtype=bool),
        protected,
        withheld=True,
    )


class _Model:
    """The equations an attacker can write from the published figures."""

    def __init__(
        self,
        counts: np.ndarray,
        missing: np.ndarray,
        group_answered: np.ndarray,
        hidden_groups: np.ndarray,
        additive: bool,
    ) -> None:
        self.counts = counts
        self.missing = missing
        self.options, self.groups = counts.shape
        self.group_answered = group_answered
        self.hidden_groups = hidden_groups
        self.additive = additive
        # The respondents without a group: an extra column, never shown.
        self.has_missing = bool(missing.sum() > 0)
        # Protected cells the audit has shown can take more than one value.
        self.unpinned: set[tuple[int, int]] = set()

    def equations(self, hidden: np.ndarray) -> list[list[tuple[int, int]]]:
        """Each equation as the list of its cells; column ``groups`` is the missing column."""
        g_missing = self.groups
        equations: list[list[tuple[int, int]]] = []
        for o in range(self.options):
            cells = [(o, g) for g in range(self.groups)]
            if self.has_missing:
                cells.append((o, g_missing))
            equations.append(cells)
        if self.additive:
            for g in range(self.groups):
                if not self.hidden_groups[g]:
                    equations.append([(o, g) for o in range(self.options)])
            # Hidden groups and the missing column together: what the shown groups leave.
            rest = [
                (o, g)
                for g in range(self.groups)
                if self.hidden_groups[g]
                for o in range(self.options)
            ]
            if self.has_missing:
                rest += [(o, g_missing) for o in range(self.options)]
            if rest:
                equations.append(rest)
        return equations

    def unknown(self, hidden: np.ndarray, cell: tuple[int, int]) -> bool:
        o, g = cell
        if g == self.groups:
            return self.has_missing
        return bool(hidden[o, g])

    def first_derivable(
        self, hidden: np.ndarray, protected: np.ndarray
    ) -> tuple[list[tuple[int, int]], tuple[int, int]] | None:
        """A protected cell that equations with one unknown left reveal, with that equation."""
        equations = self.equations(hidden)
        known: set[tuple[int, int]] = set()
        changed = True
        while changed:
            changed = False
            for cells in equations:
                unknown = [c for c in cells if self.unknown(hidden, c) and c not in known]
                if len(unknown) == 1:
                    cell = unknown[0]
                    o, g = cell
                    if g < self.groups and protected[o, g]:
                        return cells, cell
                    known.add(cell)
                    changed = True
        return None

    def hide_complement(
        self, hidden: np.ndarray, leak: tuple[list[tuple[int, int]], tuple[int, int]]
    ) -> bool:
        cells, _cell = leak
        return self.hide_smallest(hidden, cells)

    def hide_smallest(self, hidden: np.ndarray, cells: list[tuple[int, int]]) -> bool:
        """Hide the shown cell with the smallest positive count (else the smallest)."""
        shown = [(o, g) for o, g in cells if g < self.groups and not hidden[o, g]]
        if not shown:
            return False
        positive = [c for c in shown if self.counts[c] > 0]
        pool = positive or shown
        choice = min(pool, key=lambda c: (self.counts[c], c))
        hidden[choice] = True
        return True

    def arcs(
        self,
        hidden: np.ndarray,
        group_sizes: np.ndarray | None,
        missing_size: int | None,
    ) -> list[tuple[str, str, int, float, tuple[int, int] | None]]:
        """The unknowns as arcs of a flow network: (tail, head, value, upper bound, cell).

        Every equation is a node. A hidden cell is an arc from its row to its
        column; with ``additive`` (select_one) a hidden group and the missing
        column also have an arc carrying their unknown total into one node
        whose total is known. Without it (select_multiple) columns only have
        inequalities (each respondent chose at least one option), which a slack
        arc into a free node expresses; cells of hidden groups and the missing
        column end there too. The constraint matrix is then a network matrix,
        so a cell can take another value exactly when a cycle of the residual
        network passes through it.
        """
        unbounded = float("inf")
        sizes = group_sizes if group_sizes is not None else None
        arcs: list[tuple[str, str, int, float, tuple[int, int] | None]] = []
        for o, g in zip(*np.nonzero(hidden), strict=True):
            o, g = int(o), int(g)
            value = int(self.counts[o, g])
            if self.additive:
                head = f"H{g}" if self.hidden_groups[g] else f"C{g}"
                arcs.append((f"R{o}", head, value, unbounded, (o, g)))
            elif self.hidden_groups[g]:
                bound = float(sizes[g]) if sizes is not None else unbounded
                arcs.append((f"R{o}", "FREE", value, bound, (o, g)))
            else:
                arcs.append((f"R{o}", f"C{g}", value, float(self.group_answered[g]), (o, g)))
        if self.has_missing:
            for o in range(self.options):
                value = int(self.missing[o])
                if self.additive:
                    arcs.append((f"R{o}", "M", value, unbounded, (o, self.groups)))
                else:
                    bound = float(missing_size) if missing_size is not None else unbounded
                    arcs.append((f"R{o}", "FREE", value, bound, (o, self.groups)))
        if self.additive:
            for g in range(self.groups):
                if self.hidden_groups[g]:
                    total = int(self.counts[:, g].sum())
                    bound = float(sizes[g]) if sizes is not None else unbounded
                    arcs.append((f"H{g}", "REST", total, bound, None))
            if self.has_missing:
                bound = float(missing_size) if missing_size is not None else unbounded
                arcs.append(("M", "REST", int(self.missing.sum()), bound, None))
        else:
            for g in range(self.groups):
                if not self.hidden_groups[g]:
                    slack = int(self.counts[:, g].sum()) - int(self.group_answered[g])
                    arcs.append((f"C{g}", "FREE", slack, unbounded, None))
        return arcs

    def first_pinned(
        self,
        hidden: np.ndarray,
        protected: np.ndarray,
        group_sizes: np.ndarray | None,
        missing_size: int | None,
    ) -> tuple[int, int] | None:
        """A protected cell whose value the published figures fix exactly."""
        arcs = self.arcs(hidden, group_sizes, missing_size)
        index = {arc[4]: i for i, arc in enumerate(arcs) if arc[4] is not None}
        for o, g in zip(*np.nonzero(protected), strict=True):
            cell = (int(o), int(g))
            if cell in self.unpinned or cell not in index:
                continue
            tail, head, value, bound, _cell = arcs[index[cell]]
            skip = index[cell]
            can_rise = value < bound and _reachable(arcs, head, tail, skip)
            can_fall = value > 0 and _reachable(arcs, tail, head, skip)
            if not (can_rise or can_fall):
                return cell
            # Hiding more cells later only adds unknowns: this stays true.
            self.unpinned.add(cell)
        return None


def _reachable(
    arcs: list[tuple[str, str, int, float, tuple[int, int] | None]],
    start: str,
    goal: str,
    skip: int,
) -> bool:
    """Is there a path from ``start`` to ``goal`` in the residual network (without arc ``skip``)?"""
    neighbours: dict[str, list[str]] = {}
    for i, (tail, head, value, bound, _cell) in enumerate(arcs):
        if i == skip:
            continue
        if value < bound:
            neighbours.setdefault(tail, []).append(head)
        if value > 0:
            neighbours.setdefault(head, []).append(tail)
    seen = {start}
    queue = [start]
    while queue:
        node = queue.pop()
        if node == goal:
            return True
        for nxt in neighbours.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False
