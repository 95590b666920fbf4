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
   grouping question form one more, never shown, column. Any such equation
   left with a single hidden cell would give it away, so the smallest shown
   cell of that equation is hidden too, until every equation has none or at
   least two.
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
    # A row nobody chose is known to be all zeros: there is nothing in it to protect
    # (a small group's column is still hidden whole, zeros included).
    chosen = (row_totals > 0)[:, None]
    hidden = ((counts > 0) & (counts < k)) | hidden_groups[None, :]
    protected = hidden & chosen
    if not hidden.any():
        return Protection(hidden, hidden_groups, protected)

    model = _Model(
        counts, missing, group_answered, hidden_groups, additive, row_totals, group_sizes
    )
    # Cells the published margins fix even if every cell were hidden (a group of size
    # 0, say) are no secret: there is nothing suppression could protect in them.
    everything = np.ones_like(hidden)
    for cell in model.pinned(everything, protected, group_sizes, missing_size):
        protected[cell] = False
    model.unpinned.clear()
    for _round in range(MAX_ROUNDS):
        changed = model.balance(hidden)
        pinned = model.first_pinned(hidden, protected, group_sizes, missing_size) if audit else None
        if pinned is None:
            if not changed:
                return Protection(hidden, hidden_groups, protected)
            continue
        # Rare: bounds pin a cell although every equation has two unknowns. More
        # unknowns around it: its row and (if additive) its column.
        o, g = pinned
        more = model.hide_smallest(hidden, [(o, j) for j in range(groups)])
        if additive:
            more |= model.hide_smallest(hidden, [(i, g) for i in range(options)])
        if not more:
            # Nothing left to hide around it: widen to the columns its row's hidden
            # cells are in, then to the whole table. With everything hidden no
            # protected cell is pinned (those that would be were set aside above).
            columns = [j for j in range(groups) if hidden[o, j]]
            more = model.hide_smallest(hidden, [(i, j) for i in range(options) for j in columns])
            if not more:
                more = model.hide_smallest(
                    hidden, [(i, j) for i in range(options) for j in range(groups)]
                )
        if not more:
            break
    return _withhold(counts, protected)


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
        row_totals: np.ndarray,
        group_sizes: np.ndarray | None,
    ) -> None:
        self.counts = counts
        self.missing = missing
        self.options, self.groups = counts.shape
        self.group_answered = group_answered
        self.hidden_groups = hidden_groups
        self.additive = additive
        # Cells everyone knows are zero: nobody chose the option, or the group is empty.
        self.known_zero = (row_totals == 0)[:, None] | np.zeros_like(counts, dtype=bool)
        if group_sizes is not None:
            self.known_zero |= (np.asarray(group_sizes) == 0)[None, :]
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
        return bool(hidden[o, g]) and not self.known_zero[o, g]

    def balance(self, hidden: np.ndarray) -> bool:
        """Hide cells until no equation has exactly one hidden cell (complementary suppression).

        An equation with one unknown gives that unknown away; the smallest shown
        cell of the equation is hidden with it, and so on until every equation
        has none or at least two. Returns whether anything was hidden.
        """
        changed_any = False
        changed = True
        while changed:
            changed = False
            for cells in self.equations(hidden):
                unknown = [c for c in cells if self.unknown(hidden, c)]
                if len(unknown) != 1 or unknown[0][1] == self.groups:
                    continue  # respondents without a group are no one's cell to protect
                if self.hide_smallest(hidden, cells):
                    changed = changed_any = True
        return changed_any

    def hide_smallest(self, hidden: np.ndarray, cells: list[tuple[int, int]]) -> bool:
        """Hide one shown cell of ``cells``: preferably one that closes a cycle, then the smallest.

        A cell whose other equation (its column, for a row) already has one
        unknown fixes that equation too; one whose other equation has none
        would leave a new single unknown there. Among equals, the smallest
        positive count is hidden (zeros protect nothing).
        """
        shown = [
            (o, g)
            for o, g in cells
            if g < self.groups and not hidden[o, g] and not self.known_zero[o, g]
        ]
        if not shown:
            return False
        equations = self.equations(hidden)
        unknowns = [sum(1 for c in eq if self.unknown(hidden, c)) for eq in equations]
        current = set(cells)

        def cost(cell: tuple[int, int]) -> tuple[int, int, int, tuple[int, int]]:
            others = [
                unknowns[i] for i, eq in enumerate(equations) if cell in eq and set(eq) != current
            ]
            closing = 0 if 1 in others else 2 if 0 in others else 1
            count = int(self.counts[cell])
            return (closing, count == 0, count, cell)

        hidden[min(shown, key=cost)] = True
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

    def pinned(
        self,
        hidden: np.ndarray,
        protected: np.ndarray,
        group_sizes: np.ndarray | None,
        missing_size: int | None,
        *,
        first: bool = False,
    ) -> list[tuple[int, int]]:
        """Protected cells whose value the published figures fix exactly."""
        arcs = self.arcs(hidden, group_sizes, missing_size)
        index = {arc[4]: i for i, arc in enumerate(arcs) if arc[4] is not None}
        found = []
        for o, g in zip(*np.nonzero(protected), strict=True):
            cell = (int(o), int(g))
            if cell in self.unpinned or cell not in index:
                continue
            tail, head, value, bound, _cell = arcs[index[cell]]
            skip = index[cell]
            can_rise = value < bound and _reachable(arcs, head, tail, skip)
            can_fall = value > 0 and _reachable(arcs, tail, head, skip)
            if not (can_rise or can_fall):
                found.append(cell)
                if first:
                    break
                continue
            # Hiding more cells later only adds unknowns: this stays true.
            self.unpinned.add(cell)
        return found

    def first_pinned(
        self,
        hidden: np.ndarray,
        protected: np.ndarray,
        group_sizes: np.ndarray | None,
        missing_size: int | None,
    ) -> tuple[int, int] | None:
        found = self.pinned(hidden, protected, group_sizes, missing_size, first=True)
        return found[0] if found else None


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
