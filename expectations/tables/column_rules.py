"""Relations between the columns of one row (checks row_sum, ratio, row_compare), as equations.

    row_sum:     a declared sum (total = parts), and any "... / Total" column over its sibling columns
    ratio:       ratio = numerator / denominator x scale
    row_compare: left <= right, left >= right, left = right (declared `compare` relations)

A relation with `when` (months or quarters) is checked only in editions of those periods; when the
edition's period is not known it is undecided. A relation is checked in every table that prints all of
its columns.
"""

from __future__ import annotations

from expectations.equations import Equation, Place, build_equation
from expectations.tables.table_view import CellValue, TableView, sum_equation, within_equation
from extractors.numbers import format_number
from normalise.labels import normalise_label
from normalise.profile import Relation

# Leaf headers that announce a total over their sibling columns ("Patents / Total").
TOTAL_LEAF_LABELS = frozenset({"total", "subtotal", "sum", "total number", "overall"})


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


def _declared(view: TableView, kind: str) -> list[Relation]:
    return [r for r in (view.profile.relations if view.profile else ()) if r.type == kind]


def _condition_undecided(view: TableView, check: str, rel: Relation, row, stated: CellValue) -> Equation:
    reason = f"undecided: {rel.label} holds only in {rel.condition_text()}, and the edition's period is not known"
    return build_equation(
        check,
        f"{view.table_id}:{row['row_label']}:{rel.id}",
        rel.label,
        stated.operand,
        [],
        None,
        Place(table_id=view.table_id, row_label=row["row_label"], column=stated.column, page=int(row["page"])),
        message=reason,
        quote=view.row_quote(int(row["row_index"])),
        undecided_reason=reason,
    )


def _rule_label(rel: Relation) -> str:
    return rel.label + (f" (in {rel.condition_text()})" if rel.conditional else "")


def row_sum_equations(view: TableView) -> list[Equation]:
    equations = []
    resolved: list[tuple[Relation, int, list[int]]] = []
    for rel in _declared(view, "sum"):
        total_col = view.col_of(rel.total)
        part_cols = [view.col_of(p) for p in rel.parts]
        if total_col is not None and all(c is not None for c in part_cols) and rel.applies(view.period) is not False:
            resolved.append((rel, total_col, part_cols))
    for rel in sibling_total_relations(view):
        resolved.append((rel, int(rel.total), [int(p) for p in rel.parts]))
    for rel, total_col, part_cols in resolved:
        for _, row in view.rows.iterrows():
            r = int(row["row_index"])
            total = view.cell(r, total_col)
            if total is None or total.interval is None:
                continue  # nothing stated in this row
            if rel.applies(view.period) is None:
                equations.append(_condition_undecided(view, "row_sum", rel, row, total))
                continue
            parts = [view.cell(r, c) for c in part_cols]
            names = [view.columns.loc[c, "column"].rpartition(" / ")[2] for c in part_cols]
            equations.append(
                sum_equation(
                    view,
                    "row_sum",
                    _rule_label(rel),
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


def ratio_equations(view: TableView) -> list[Equation]:
    equations = []
    for rel in _declared(view, "ratio"):
        cols = [view.col_of(rel.ratio), view.col_of(rel.numerator), view.col_of(rel.denominator)]
        if any(c is None for c in cols) or rel.applies(view.period) is False:
            continue
        ratio_col, num_col, den_col = cols
        for _, row in view.rows.iterrows():
            r = int(row["row_index"])
            stated, num, den = view.cell(r, ratio_col), view.cell(r, num_col), view.cell(r, den_col)
            if stated is None or stated.interval is None:
                continue
            if rel.applies(view.period) is None:
                equations.append(_condition_undecided(view, "ratio", rel, row, stated))
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
                    _rule_label(rel),
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


def compare_equations(view: TableView) -> list[Equation]:
    """Declared comparisons between two columns of a row: `<=` / `>=` as "the smaller side within the
    larger" (the smaller side is the stated value), `=` as left = right."""
    equations = []
    for rel in _declared(view, "compare"):
        left_col, right_col = view.col_of(rel.left), view.col_of(rel.right)
        if left_col is None or right_col is None or rel.applies(view.period) is False:
            continue
        small_col, large_col = (right_col, left_col) if rel.op == ">=" else (left_col, right_col)
        for _, row in view.rows.iterrows():
            r = int(row["row_index"])
            stated_col = left_col if rel.op == "=" else small_col
            stated = view.cell(r, stated_col)
            if stated is None or stated.interval is None:
                continue
            if rel.applies(view.period) is None:
                equations.append(_condition_undecided(view, "row_compare", rel, row, stated))
                continue
            key, label = f"{row['row_label']}:{rel.id}", _rule_label(rel)
            page, quote = int(row["page"]), view.row_quote(r)
            if rel.op == "=":
                other = view.cell(r, right_col)
                name = view.columns.loc[right_col, "column"].rpartition(" / ")[2]
                row_label = row["row_label"]
                equations.append(
                    sum_equation(view, "row_compare", label, key, row_label, stated, [other], [name], page, quote)
                )
            else:
                large = view.cell(r, large_col)
                name = view.columns.loc[large_col, "column"].rpartition(" / ")[2]
                equations.append(within_equation(view, "row_compare", label, key, stated, large, name, page, quote))
    return equations
