"""Tidy cells + publisher profile -> equations for the table checks (row_sum, hierarchy, ratio).

Each function returns `Equation`s (expectations.equations); none decides pass/fail itself, that is the
Great Expectations suite's job. Rules whose inputs are missing come back undecided.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from expectations.equations import Equation, Operand, Place, build_equation
from expectations.intervals import Interval, cell_intervals, interval_sum
from extractors.numbers import format_number
from normalise.labels import normalise_label, words
from normalise.profile import LEVEL_CITY, LEVEL_OTHERS, LEVEL_PROVINCE, LEVEL_REGION, Profile, Relation

# Header words that mark a column whose values do not add up across rows.
NON_ADDITIVE_WORDS = frozenset(
    {
        "per",
        "rate",
        "ratio",
        "share",
        "proportion",
        "percentage",
        "percent",
        "growth",
        "average",
        "mean",
        "rank",
        "ranking",
        "density",
        "yoy",
        "index",
        "year",
        "median",
        "change",
    }
)
# Leaf headers that announce a total over their sibling columns ("Patents / Total").
TOTAL_LEAF_LABELS = frozenset({"total", "subtotal", "sum", "total number", "overall"})


@dataclass(frozen=True)
class CellValue:
    """The bits of a tidy cell a rule needs."""

    cell_id: str
    label: str
    column: str
    raw: str
    value: float | None
    interval: Interval | None
    box: list[float] | None

    @property
    def operand(self) -> Operand:
        return Operand(self.cell_id, self.value, self.interval, (tuple(self.box),) if self.box else ())


class TableView:
    """One table's cells indexed by (row, column), with the profile's kinds attached."""

    def __init__(self, cells: pd.DataFrame, profile: Profile | None, intervals: dict[str, Interval]):
        self.cells = cells
        self.profile = profile
        self.table_id = str(cells["table_id"].iloc[0])
        self.columns = cells.drop_duplicates("col_index").set_index("col_index")[["column", "column_id"]]
        self._by_pos: dict[tuple[int, int], CellValue] = {}
        for row in cells.to_dict("records"):  # plain dicts: iterrows builds a Series per row
            box = None if pd.isna(row["x0"]) else [int(row["page"]), row["x0"], row["top"], row["x1"], row["bottom"]]
            self._by_pos[(int(row["row_index"]), int(row["col_index"]))] = CellValue(
                cell_id=row["cell_id"],
                label=row["row_label"],
                column=row["column"],
                raw=str(row["raw"]),
                value=None if pd.isna(row["value"]) else float(row["value"]),
                interval=intervals.get(row["cell_id"]),
                box=box,
            )
        rows = cells.drop_duplicates("row_index").sort_values("row_index")
        self.rows = rows[["row_index", "row_label", "region", "region_level", "parent_region", "page"]]

    def kind(self, col: int) -> str:
        column_id = self.columns.loc[col, "column_id"]
        if column_id and self.profile is not None:
            return self.profile.column_by_id(column_id).kind
        return "unknown"

    def col_of(self, column_id: str) -> int | None:
        matches = self.columns.index[self.columns["column_id"] == column_id].tolist()
        return matches[0] if len(matches) == 1 else None

    def cell(self, row: int, col: int) -> CellValue | None:
        return self._by_pos.get((row, col))

    def row_quote(self, row: int) -> str:
        label = self.rows.loc[self.rows["row_index"] == row, "row_label"].iloc[0]
        values = [self._by_pos[(row, c)].raw for c in self.columns.index if (row, c) in self._by_pos]
        return " | ".join([label, *values])

    def is_additive(self, col: int) -> bool:
        kind = self.kind(col)
        if kind in ("count", "measure"):
            return True
        if kind != "unknown":
            return False
        header_words = set(words(self.columns.loc[col, "column"]))
        if header_words & NON_ADDITIVE_WORDS:
            return False
        col_cells = self.cells[self.cells["col_index"] == col]
        numeric = col_cells[col_cells["parse_status"] == "ok"]
        return len(numeric) > 0 and not numeric["percent"].any()


def _sum_equation(
    view: TableView,
    check: str,
    rule: str,
    rule_key: str,
    row_label: str,
    total: CellValue,
    parts: list[CellValue | None],
    part_names: list[str],
    page: int,
    quote: str,
) -> Equation:
    missing = [name for name, part in zip(part_names, parts) if part is None or part.interval is None]
    present = [p for p in parts if p is not None]
    expected = None if missing else interval_sum([p.interval for p in present])
    expected_value = None if missing else sum(p.value for p in present)
    terms = " + ".join(part_names)
    if missing:
        message = f"undecided: {', '.join(missing)} missing, cannot recompute {total.raw!r} = {terms}"
    else:
        message = (
            f"{row_label} / {total.column}: printed {total.raw.strip()}, but {terms} = "
            f"{format_number(expected_value)} (difference {format_number(total.value - expected_value)})"
        )
    return build_equation(
        check,
        f"{view.table_id}:{rule_key}",
        rule,
        total.operand,
        [p.operand for p in present],
        expected,
        Place(table_id=view.table_id, row_label=row_label, column=total.column, page=page),
        expected_value=expected_value,
        message=message,
        quote=quote,
        undecided_reason=message if missing else "",
        formula={"type": "sum", "total": total.cell_id, "parts": [p.cell_id for p in present]},
    )


def sibling_total_relations(view: TableView) -> list[Relation]:
    """Undeclared but printed relations: a "... / Total" column over its sibling columns."""
    relations = []
    paths = view.columns["column"].to_dict()
    for col, path in paths.items():
        parent, _, leaf = path.rpartition(" / ")
        if not parent or normalise_label(leaf) not in TOTAL_LEAF_LABELS:
            continue
        siblings = [c for c, p in paths.items() if c != col and p.rpartition(" / ")[0] == parent]
        if len(siblings) >= 2:
            relations.append(
                Relation(
                    id=f"total-of-{parent}",
                    type="sum",
                    label=f"{path} = sum of {parent} columns",
                    total=str(col),
                    parts=tuple(str(c) for c in siblings),
                )
            )
    return relations


def row_sum_equations(view: TableView) -> list[Equation]:
    equations = []
    profile_relations = [r for r in (view.profile.relations if view.profile else ()) if r.type == "sum"]
    resolved: list[tuple[Relation, int, list[int]]] = []
    for rel in profile_relations:
        total_col = view.col_of(rel.total)
        part_cols = [view.col_of(p) for p in rel.parts]
        if total_col is not None and all(c is not None for c in part_cols):
            resolved.append((rel, total_col, part_cols))
    for rel in sibling_total_relations(view):
        resolved.append((rel, int(rel.total), [int(p) for p in rel.parts]))
    for rel, total_col, part_cols in resolved:
        for _, row in view.rows.iterrows():
            r = int(row["row_index"])
            total = view.cell(r, total_col)
            if total is None or total.interval is None:
                continue  # nothing stated in this row
            parts = [view.cell(r, c) for c in part_cols]
            names = [view.columns.loc[c, "column"].rpartition(" / ")[2] for c in part_cols]
            equations.append(
                _sum_equation(
                    view,
                    "row_sum",
                    rel.label,
                    f"{row['row_label']}:{rel.id}",
                    row["row_label"],
                    total,
                    parts,
                    names,
                    int(row["page"]),
                    view.row_quote(r),
                )
            )
    return equations


def _region_rows(view: TableView) -> dict[str, int]:
    """Canonical region name -> row index (first occurrence)."""
    found: dict[str, int] = {}
    for _, row in view.rows.iterrows():
        if row["region_level"] in (LEVEL_PROVINCE, LEVEL_REGION, LEVEL_CITY, LEVEL_OTHERS):
            found.setdefault(row["region"], int(row["row_index"]))
    return found


def _hierarchy_children(view: TableView, present: dict[str, int]) -> list[tuple[str, list[str], bool, str]]:
    """(parent, required children, add Others, what the children are) for each parent row printed."""
    profile = view.profile
    plans = []
    cities_listed = any(c in present for c in profile.cities)
    areas_listed = [a.name for a in profile.areas if a.name in present]
    for area in profile.areas:
        if area.name in present and any(c in present for c in area.cities):
            plans.append((area.name, list(area.cities), False, "its cities"))
    if profile.province in present:
        all_areas = [a.name for a in profile.areas]
        if areas_listed and (len(areas_listed) == len(all_areas) or not cities_listed):
            plans.append((profile.province, all_areas, True, "its regions"))
        elif cities_listed:
            plans.append((profile.province, list(profile.cities), True, "its cities"))
    return plans


def hierarchy_equations(view: TableView) -> list[Equation]:
    if view.profile is None:
        return []
    present = _region_rows(view)
    plans = _hierarchy_children(view, present)
    if not plans:
        return []
    others_row = present.get(view.profile.others)
    equations = []
    for col in view.columns.index:
        if not view.is_additive(col):
            continue
        for parent, children, add_others, children_kind in plans:
            parent_row = present[parent]
            total = view.cell(parent_row, col)
            if total is None or total.interval is None:
                continue
            parts = [view.cell(present[c], col) if c in present else None for c in children]
            names = list(children)
            if add_others and others_row is not None:
                other = view.cell(others_row, col)
                if other is not None and (other.interval is not None or not view.profile.others_optional):
                    parts.append(other)
                    names.append(view.profile.others)
            rule = f"{parent} = sum of {children_kind}" + (f" + {view.profile.others}" if add_others else "")
            key = f"{parent}:{view.columns.loc[col, 'column_id'] or f'c{col}'}"
            equations.append(
                _sum_equation(
                    view,
                    "hierarchy",
                    rule,
                    key,
                    total.label,
                    total,
                    parts,
                    names,
                    int(view.rows.loc[view.rows["row_index"] == parent_row, "page"].iloc[0]),
                    view.row_quote(parent_row),
                )
            )
    return equations


def ratio_equations(view: TableView) -> list[Equation]:
    if view.profile is None:
        return []
    equations = []
    for rel in (r for r in view.profile.relations if r.type == "ratio"):
        cols = [view.col_of(rel.ratio), view.col_of(rel.numerator), view.col_of(rel.denominator)]
        if any(c is None for c in cols):
            continue
        ratio_col, num_col, den_col = cols
        for _, row in view.rows.iterrows():
            r = int(row["row_index"])
            stated, num, den = view.cell(r, ratio_col), view.cell(r, num_col), view.cell(r, den_col)
            if stated is None or stated.interval is None:
                continue
            expected = expected_value = None
            reason = ""
            if num is None or num.interval is None or den is None or den.interval is None:
                reason = f"undecided: numerator or denominator missing for {row['row_label']}"
            else:
                quotient = num.interval.divide(den.interval)
                if quotient is None:
                    reason = f"undecided: denominator {den.raw!r} may be zero"
                else:
                    expected = quotient.scale(rel.scale)
                    expected_value = num.value / den.value * rel.scale
            message = reason or (
                f"{row['row_label']} / {stated.column}: printed {stated.raw.strip()}, but {num.raw.strip()} / "
                f"{den.raw.strip()}{' x ' + format_number(rel.scale) if rel.scale != 1 else ''} = {expected_value:.4f}"
            )
            equations.append(
                build_equation(
                    "ratio",
                    f"{view.table_id}:{row['row_label']}:{rel.id}",
                    rel.label,
                    stated.operand,
                    [num.operand if num else None, den.operand if den else None],
                    expected,
                    Place(
                        table_id=view.table_id, row_label=row["row_label"], column=stated.column, page=int(row["page"])
                    ),
                    expected_value=expected_value,
                    message=message,
                    quote=view.row_quote(r),
                    undecided_reason=reason,
                    formula={
                        "type": "ratio",
                        "ratio": stated.cell_id,
                        "num": num.cell_id if num else "",
                        "den": den.cell_id if den else "",
                        "scale": rel.scale,
                    },
                )
            )
    return equations


def table_equations(
    cells: pd.DataFrame, profile: Profile | None, intervals: dict[str, Interval] | None = None
) -> list[Equation]:
    """All row_sum, hierarchy and ratio equations of every table in the tidy cells. `intervals` are the
    cells' rounding intervals (`cell_intervals`), passed in when the caller already has them."""
    if intervals is None:
        intervals = cell_intervals(cells, profile)
    equations: list[Equation] = []
    for _, table_cells in cells.groupby("table_id", sort=False):
        view = TableView(table_cells, profile, intervals)
        equations += row_sum_equations(view)
        equations += hierarchy_equations(view)
        equations += ratio_equations(view)
    return equations
