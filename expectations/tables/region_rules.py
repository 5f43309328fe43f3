"""Tidy cells + publisher profile -> equations for the table checks (row_sum, ratio, row_compare, hierarchy,
part_le_whole).

    hierarchy:     every printed member with children = the sum of its children, for every additive column;
                   the children are the first level below it that the table prints completely, else the
                   deepest level it prints at all ("Jiangsu = sum of its regions + Others", or of its cities
                   when the regions are not all printed). An `optional` member without a row adds nothing;
                   a missing member, or a printed blank (unless `blank_adds_nothing`), makes it undecided.
    part_le_whole: every printed "of which" member (`part_of`) <= its printed parent, every additive column;
                   "of which" members are never added to any sum.

Each function returns `Equation`s (expectations.equations); none decides pass/fail itself, that is the
Great Expectations suite's job. Rules whose inputs are missing come back undecided.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from expectations.equations import Equation
from expectations.intervals import Interval, cell_intervals
from expectations.tables.column_rules import compare_equations, ratio_equations, row_sum_equations
from expectations.tables.table_view import CellValue, TableView, sum_equation, within_equation
from normalise.hierarchy import LEVEL_OF_WHICH, LEVEL_OTHERS, LEVEL_UNKNOWN, Region, RegionTree
from normalise.periods import Period
from normalise.profile import Profile

__all__ = ["TableView", "hierarchy_equations", "part_le_whole_equations", "table_equations"]


@dataclass(frozen=True)
class SumPlan:
    """A printed parent and the members its value is the sum of in this table."""

    parent: Region
    members: tuple[Region, ...]
    what: str  # "its regions + Others"


def _printed(view: TableView) -> dict[str, int]:
    """Canonical member name -> row index (first occurrence) of every row that names a member."""
    tree = view.profile.hierarchy
    found: dict[str, int] = {}
    for _, row in view.rows.iterrows():
        if row["region_level"] not in (LEVEL_UNKNOWN, LEVEL_OF_WHICH) and row["region"] in tree:
            found.setdefault(row["region"], int(row["row_index"]))
    return found


def _levels_below(tree: RegionTree, name: str) -> list[list[Region]]:
    """The member's children, then their children (a childless member stays itself), and so on."""
    frontier, out = tree.children(name), []
    while frontier:
        out.append(frontier)
        if not any(tree.children(m.name) for m in frontier):
            break
        frontier = [c for m in frontier for c in (tree.children(m.name) or [m])]
    return out


def _plural(level: str) -> str:
    if level.endswith("y") and level[-2:-1] not in "aeiou":
        return level[:-1] + "ies"
    return level + ("es" if level.endswith(("s", "x", "ch", "sh")) else "s")


def _what(members: list[Region]) -> str:
    levels = list(dict.fromkeys(m.level for m in members if m.level != LEVEL_OTHERS))
    remainders = [m.name for m in members if m.level == LEVEL_OTHERS]
    return "its " + " and ".join(_plural(level) for level in levels) + "".join(f" + {r}" for r in remainders)


def sum_plans(tree: RegionTree, printed: dict[str, int]) -> list[SumPlan]:
    """For each printed member with children (children before parents): the level below it to sum.

    A level is printed when a member first reached at that depth that is not optional has a row, complete
    when every member that is not optional has one: the first complete printed level wins, else the
    deepest printed one (whose missing members then make the rule undecided)."""
    plans = []
    for parent in tree.post_order():
        if parent.name not in printed or not parent.children:
            continue
        chosen, seen = None, set()
        for level in _levels_below(tree, parent.name):
            required = [m for m in level if not m.optional]
            new = [m for m in required if m.name not in seen]
            seen |= {m.name for m in level}
            if not any(m.name in printed for m in new):
                continue
            chosen = level
            if all(m.name in printed for m in required):
                break
        if chosen is not None:
            plans.append(SumPlan(parent, tuple(chosen), _what(chosen)))
    return plans


def _part(view: TableView, member: Region, printed: dict[str, int], col: int) -> tuple[bool, CellValue | None]:
    """(counts, cell) of one member in a sum: an optional member without a row, or a printed blank of a
    member whose blanks add nothing, does not count; a missing member counts as None (undecided)."""
    if member.name not in printed:
        return (not member.optional), None
    cell = view.cell(printed[member.name], col)
    if member.blank_adds_nothing and (cell is None or cell.interval is None):
        return False, None
    return True, cell


def hierarchy_equations(view: TableView) -> list[Equation]:
    if view.profile is None:
        return []
    printed = _printed(view)
    plans = sum_plans(view.profile.hierarchy, printed)
    equations = []
    for col in view.columns.index:
        if not view.is_additive(col):
            continue
        for plan in plans:
            parent_row = printed[plan.parent.name]
            total = view.cell(parent_row, col)
            if total is None or total.interval is None:
                continue
            parts, names = [], []
            for member in plan.members:
                counts, cell = _part(view, member, printed, col)
                if counts:
                    parts.append(cell)
                    names.append(member.name)
            equations.append(
                sum_equation(
                    view,
                    "hierarchy",
                    f"{plan.parent.name} = sum of {plan.what}",
                    f"{plan.parent.name}:{view.column_key(col)}",
                    total.label,
                    total,
                    parts,
                    names,
                    view.page_of(parent_row),
                    view.row_quote(parent_row),
                )
            )
    return equations


def part_le_whole_equations(view: TableView) -> list[Equation]:
    """Each printed "of which" member within its printed parent, in every additive column."""
    if view.profile is None:
        return []
    tree = view.profile.hierarchy
    printed = _printed(view)
    members = [tree.region(name) for name in printed if tree.region(name).part_of]
    equations = []
    for col in view.columns.index:
        if not view.is_additive(col):
            continue
        for member in members:
            part = view.cell(printed[member.name], col)
            if part is None or part.interval is None or member.parent not in printed:
                continue
            whole = view.cell(printed[member.parent], col)
            equations.append(
                within_equation(
                    view,
                    "part_le_whole",
                    f'{member.name} <= {member.parent} (an "of which" part of it)',
                    f"{member.name}:{view.column_key(col)}",
                    part,
                    whole,
                    member.parent,
                    view.page_of(printed[member.name]),
                    view.row_quote(printed[member.name]),
                )
            )
    return equations


def table_equations(
    cells: pd.DataFrame,
    profile: Profile | None,
    intervals: dict[str, Interval] | None = None,
    period: Period | None = None,
) -> list[Equation]:
    """All row_sum, hierarchy, ratio, row_compare and part_le_whole equations of every table in the tidy
    cells. `intervals` are the cells' rounding intervals (`cell_intervals`), passed in when the caller
    already has them; `period` is the edition's (for relations declared only for some periods)."""
    if intervals is None:
        intervals = cell_intervals(cells, profile)
    equations: list[Equation] = []
    for _, table_cells in cells.groupby("table_id", sort=False):
        view = TableView(table_cells, profile, intervals, period)
        equations += row_sum_equations(view)
        equations += hierarchy_equations(view)
        equations += ratio_equations(view)
        equations += compare_equations(view)
        equations += part_le_whole_equations(view)
    return equations
