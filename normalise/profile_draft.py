"""A starting profile written from one document (`whitepaper profile draft PDF`), for a user to finish.

    draft_profile(extract, doc_id) -> Draft(data, notes): a format-2 mapping that `profile check` accepts
    render_draft(draft, source) -> YAML text with a header saying what was guessed

What is guessed, and how:
- recognition phrase: the title (the title page's first lines up to the one with the year), without its
  period words; period pattern: the title's first "Month YYYY", "Qn YYYY" or "YYYY", anchored on the two
  words before it;
- hierarchy: each table's suspected total row (a row whose numbers are the sum of the other rows in most
  numeric columns, else one whose label says total, else the one with the largest numbers) is the root, the
  others' totals its aliases; every other distinct row label is a member one level below the root
  ("Others"-like labels a remainder; "of which" rows left to the prefixes);
- one table family per distinct title (period words removed), its columns with kinds guessed from header
  words (growth, share, per, cumulative) and printed values (integers: count, decimals: measure); year
  headers become one pattern column.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import yaml

from extractors.numbers import parse_number
from normalise.hierarchy import LEVEL_OTHERS
from normalise.labels import normalise_label, slug, words
from normalise.periods import MONTHS, YEAR_RE, without_period_words
from normalise.profile_model import ADDITIVE_KINDS, DEFAULT_STRIP_SUFFIXES
from normalise.tidy import column_unit, label_column

DRAFT_LEVELS = ["total", "member"]
OF_WHICH_PREFIXES = ["of which", "including", "among them", "thereof"]
TOTAL_WORDS = frozenset({"total", "entire", "whole", "all", "sum", "overall", "nationwide", "national"})
OTHERS_WORDS = frozenset({"other", "others", "unclassified", "unknown"})
YEAR_HEADER = r"^(19|20)\d\d$"
KIND_WORDS = (  # header words -> kind, first match wins
    ({"growth", "yoy", "increase", "change"}, "growth_rate"),
    ({"share", "proportion", "percentage", "percent"}, "share"),
    ({"per", "ratio", "rate", "average", "density", "mean"}, "ratio"),
    ({"cumulative", "accumulated", "since"}, "cumulative"),
)
# A row is the total when its value equals the sum of the other rows within this share, in most columns.
TOTAL_SUM_TOLERANCE = 0.005
MAX_TITLE_WORDS = 8  # of a table title, in its family's title pattern
MAX_TITLE_LINES = 4  # of the title page, looking for the line with the year
MAX_ID_CHARS = 40
MIN_PHRASE_WORDS = 3
ANCHOR_WORDS = 2  # words before the period that anchor the period pattern


@dataclass
class Draft:
    data: dict
    notes: list[str] = field(default_factory=list)


def _variants(label: str) -> set[str]:
    key = normalise_label(label)
    return {key, key.replace("'", "")}


def title_of(head_text: str) -> str:
    """The title: the first lines of the title page up to the one that prints a year."""
    lines = [" ".join(line.split()) for line in head_text.splitlines() if line.strip()]
    for end, line in enumerate(lines[:MAX_TITLE_LINES]):
        if YEAR_RE.search(line):
            return " ".join(lines[: end + 1])
    return next((line for line in lines if len(words(line)) >= MIN_PHRASE_WORDS), "")


def recognition_phrase(title: str) -> str:
    cleaned = " ".join(without_period_words(title).split()).strip(" ,.;:-")
    return re.sub(r"(\s+(in|of|for|the))+$", "", cleaned, flags=re.IGNORECASE)


def period_pattern(text: str) -> tuple[str, str] | None:
    """(pattern, what it reads) for the first period printed in `text`, anchored on the words before it."""
    months = "|".join(m.capitalize() for m in MONTHS)
    shapes = (
        (rf"\b({months})\s+((?:19|20)\d\d)\b", rf"(?P<month>{months})\s+(?P<year>(?:19|20)\d\d)"),
        (r"\b(Q[1-4])\s+((?:19|20)\d\d)\b", r"Q(?P<quarter>[1-4])\s+(?P<year>(?:19|20)\d\d)"),
        (r"\b((?:19|20)\d\d)\b", r"(?P<year>(?:19|20)\d\d)"),
    )
    for find, group in shapes:
        match = re.search(find, text, flags=re.IGNORECASE)
        if match is None:
            continue
        line_before = text[: match.start()].splitlines()[-1] if match.start() else ""
        before = re.findall(r"[A-Za-z]+", line_before)[-ANCHOR_WORDS:]
        return "".join(rf"{re.escape(w)}\s+" for w in before) + group, match.group(0)
    return None


def _label(table, row: int) -> str:
    label_col = label_column(table)
    cells = table.body[row]
    return " ".join(cells[label_col].split()) if label_col < len(cells) else ""


def _numbers(row: list[str], label_col: int) -> list[float | None]:
    values = []
    for c, raw in enumerate(row):
        if c != label_col:
            number = parse_number(raw)
            values.append(number.value if number.status == "ok" else None)
    return values


def suspected_total(table) -> tuple[int, str] | None:
    """(body row, why) of the row that is the sum of the others in most numeric columns, else of the row
    whose label says total, else of the row with the largest number in most numeric columns."""
    label_col = label_column(table)
    rows = [_numbers(row, label_col) for row in table.body]
    for r, values in enumerate(rows):
        agree = checked = 0
        for c, value in enumerate(values):
            others = [v[c] if c < len(v) else None for k, v in enumerate(rows) if k != r]
            if value is None or not others or any(o is None for o in others):
                continue
            checked += 1
            agree += abs(value - sum(others)) <= TOTAL_SUM_TOLERANCE * max(abs(value), 1.0)
        if checked and agree > checked / 2:
            return r, f"its numbers are the sum of the other rows in {agree} of {checked} columns"
    for r in range(len(table.body)):
        if set(words(_label(table, r))) & TOTAL_WORDS:
            return r, f"its label {_label(table, r)!r} says total"
    n_cols = max((len(v) for v in rows), default=0)
    largest: Counter = Counter()
    for c in range(n_cols):
        column = [(v[c], r) for r, v in enumerate(rows) if c < len(v) and v[c] is not None]
        if column:
            largest[max(column)[1]] += 1
    if largest:
        r, count = largest.most_common(1)[0]
        if count > n_cols / 2:
            return r, f"it has the largest number in {count} of {n_cols} columns"
    return None


def _kind(header: str, values: list[str]) -> str:
    header_words = set(words(header)) | ({"percent"} if "%" in header else set())
    for cue, kind in KIND_WORDS:
        if header_words & cue:
            return kind
    numbers = [parse_number(v) for v in values if v.strip()]
    return "measure" if any(n.status == "ok" and n.decimals for n in numbers) else "count"


def _unique_id(base: str, taken: set[str]) -> str:
    base = slug(base).replace("-", "_")
    if len(base) > MAX_ID_CHARS:
        base = base[:MAX_ID_CHARS].rpartition("_")[0] or base[:MAX_ID_CHARS]
    base = base.strip("_") or "column"
    candidate, k = base, 2
    while candidate in taken:
        candidate, k = f"{base}_{k}", k + 1
    taken.add(candidate)
    return candidate


def _family(table, taken_families: set[str]) -> dict:
    label_col = label_column(table)
    title = " ".join(without_period_words(table.title).split())
    title_words = re.findall(r"[A-Za-z0-9]+", title)[:MAX_TITLE_WORDS]
    family: dict = {"id": _unique_id(title or f"table p{table.page_first}", taken_families)}
    if title_words:
        family["title"] = [r"\W+".join(re.escape(w) for w in title_words)]
    columns, ids, years = [], set(), False
    for c, header in enumerate(table.header_paths):
        leaf = header.rpartition(" / ")[2].strip() or header
        values = [row[c] for row in table.body if c < len(row)]
        if c == label_col:
            columns.append({"id": _unique_id(leaf or "label", ids), "match": [leaf or "label"], "kind": "label"})
        elif re.match(YEAR_HEADER, leaf):
            if not years:
                columns.append({"id": _unique_id("year", ids), "patterns": [YEAR_HEADER], "kind": _kind("", values)})
                years = True
        else:
            column = {"id": _unique_id(leaf, ids), "label": header, "match": [leaf], "kind": _kind(header, values)}
            unit = column_unit(header, "", table.unit)
            if unit and column["kind"] in ADDITIVE_KINDS:
                column["unit"] = unit
            columns.append(column)
    family["columns"] = columns
    return family


def _member(label: str) -> dict | str:
    if set(words(label)) & OTHERS_WORDS:
        return {"name": label, "level": LEVEL_OTHERS, "optional": True, "blank_adds_nothing": True}
    return label


def _hierarchy(extract, notes: list[str]) -> dict:
    totals: dict[str, str] = {}  # suspected total label -> why (first table first)
    for table in extract.tables:
        found = suspected_total(table)
        if found is not None and _label(table, found[0]):
            totals.setdefault(_label(table, found[0]), f"{found[1]} (table {table.title!r})")
    if totals:
        root, *aliases = totals
        notes.extend(f"root {name!r}: {why}" for name, why in totals.items())
    else:
        root, aliases = "Total", []
        notes.append("root 'Total': a placeholder (no row is the sum of the others, says total or is the largest)")
    seen = set().union(*(_variants(name) for name in (totals or [root])))
    members: list = []
    for table in extract.tables:
        for r in range(len(table.body)):
            label = _label(table, r)
            if not words(label) or _variants(label) & seen or parse_number(label).status == "ok":
                continue
            if any(normalise_label(label).startswith(p) for p in OF_WHICH_PREFIXES):
                continue
            seen |= _variants(label)
            members.append(_member(label))
    root_member: dict = {"name": root}
    if aliases:
        root_member["aliases"] = aliases
    root_member["children"] = members
    return {
        "levels": DRAFT_LEVELS,
        "root": root_member,
        "of_which_prefixes": OF_WHICH_PREFIXES,
        "strip_suffixes": list(DEFAULT_STRIP_SUFFIXES),
    }


def draft_profile(extract, doc_id: str) -> Draft:
    notes: list[str] = []
    title = title_of(extract.head_text)
    data: dict = {"format": 2, "id": slug(doc_id) or "draft", "name": title or doc_id}
    phrase = recognition_phrase(title)
    if len(words(phrase)) >= MIN_PHRASE_WORDS:
        data["recognise"] = {"phrases": [phrase]}
    found_period = period_pattern(title or extract.head_text)
    if found_period is not None:
        data["period"] = {"patterns": [found_period[0]]}
        notes.append(f"period pattern reads {found_period[1]!r} in the title")
    data["hierarchy"] = _hierarchy(extract, notes)
    families: list[dict] = []
    taken: set[str] = set()
    for table in extract.tables:
        family = _family(table, taken)
        if not any(f.get("title") == family.get("title") for f in families):
            families.append(family)
    # A family without a title pattern matches every table: at most one, and last.
    data["tables"] = [f for f in families if "title" in f] + [f for f in families if "title" not in f][:1]
    return Draft(data, notes)


HEADER = """\
# Draft publisher profile written by `whitepaper profile draft` from {source}.
# Guessed, to check and finish (every key: docs/profiles.md):
{notes}
# - members: every row label, one level below the root; group them (children), mark "of which" members
#   (part_of: true), members some tables leave out (optional: true) and aliases;
# - column kinds from header words and printed values; add relations (sum, ratio, compare);
# - `whitepaper profile check` this file, then `whitepaper run --profile` it (or put it in --profiles DIR).
"""


def render_draft(draft: Draft, source: str) -> str:
    notes = "\n".join(f"# - {note}" for note in draft.notes)
    body = yaml.safe_dump(draft.data, sort_keys=False, allow_unicode=True, width=110)
    return HEADER.format(source=source, notes=notes) + body
