"""Prose checks as equations: `fact_equations(facts, cells, profile) -> list[Equation]`.

The facts frame (extractors.prose.facts) already ties the numbers of one statement together (`role`,
`ref`, `group`). Each check below turns those ties into rule instances of the reconciliation
contract (expectations.equations): the stated value as printed (an interval from its precision)
against the value recomputed from the other numbers. Check names and meanings are declared in
`expectations/rules/facts.yaml`.

When a statement is exhaustive: a parts-sum equality is asserted only when the breakdown is
evidently complete: every listed part carries a share and the shares add to 100 within
`exhaustive_share_slack` percentage points, or one part is a remainder ("other ...", "the rest").
Otherwise a listed breakdown only promises that no part exceeds the whole, and that the parts
together do not exceed it when the parts are evidently disjoint (each part's counted noun is the
total's noun, or the parts carry shares); when they may overlap ("272 demonstration enterprises:
100 "little giants", 71 champions, 115 listed companies") an excess is undecided, not an error.
"""

from __future__ import annotations

import pandas as pd

from expectations.equations import Equation
from expectations.prose.breakdowns import breakdown_equations
from expectations.prose.changes import change_equations, prose_growth_equations, rate_equations
from expectations.prose.metrics import prose_vocabulary
from expectations.prose.prose_terms import (  # noqa: F401 (the check names are part of this module's API)
    CHECK_GROWTH,
    CHECK_PART_LE_WHOLE,
    CHECK_PARTS_SUM,
    CHECK_PARTS_WITHIN,
    CHECK_RATE,
    CHECK_SHARE,
    CHECK_SHARES_SUM,
    CHECK_TABLE,
    FACT_CHECKS,
    FactRuleSettings,
    Facts,
)
from expectations.prose.prose_vs_tables import prose_table_equations
from normalise.profile import Profile


def fact_equations(
    facts_df: pd.DataFrame,
    cells_df: pd.DataFrame | None,
    profile: Profile,
    settings: FactRuleSettings = FactRuleSettings(),
) -> list[Equation]:
    """Every prose-prose and prose-table rule instance for one document's facts."""
    if facts_df is None or facts_df.empty:
        return []
    facts = Facts(facts_df)
    vocabulary = prose_vocabulary(profile)
    return (
        breakdown_equations(facts, settings)
        + change_equations(facts)
        + prose_growth_equations(facts)
        + rate_equations(facts, vocabulary)
        + prose_table_equations(facts, cells_df, profile, vocabulary)
    )
