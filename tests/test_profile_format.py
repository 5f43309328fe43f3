"""Profile format 2: validated when loaded (one line naming the file and the key), `whitepaper profile check`
and `profile draft`, format-1 files read the same, profiles found in user folders, recognised by phrases or
by content with the evidence recorded."""

import textwrap

import pytest
import yaml

from extractors.config import ConfigError
from flows.cli import EXIT_BAD_INPUT, EXIT_OK, main
from normalise.periods import Period
from normalise.profile import PUBLISHERS_DIR, load_profile, profile_from_dict
from normalise.profiles import PROFILES_ENV, available_profiles, choose, profile_dirs
from tests.conftest import ROOT
from tests.nationalgen import PROVINCES

JIANGSU = PUBLISHERS_DIR / "jiangsu-ipr.yaml"
MINIMAL = """\
format: 2
id: tiny
hierarchy:
  root:
    name: Land
    children: [North, South]
tables:
  - id: all
    columns:
      - {id: people, match: ["people"]}
"""


def write(tmp_path, text: str, name: str = "p.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def check_lines(capsys, *paths) -> tuple[int, list[str], list[str]]:
    code = main(["profile", "check", *map(str, paths)])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def test_profile_check_accepts_the_shipped_profiles(capsys):
    files = [JIANGSU, PUBLISHERS_DIR / "cnipa.yaml", ROOT / "tests" / "fixtures" / "xland-profile.yaml"]
    code, out, err = check_lines(capsys, *files)
    assert code == EXIT_OK and err == []
    assert out[0] == (
        f'{JIANGSU}: ok (profile jiangsu-ipr: 18 members on 3 levels, 0 "of which", 1 table families, '
        "10 columns, 2 relations, 1 period patterns)"
    )
    assert '53 members on 3 levels, 16 "of which", 3 table families' in out[1]


def test_profile_check_unknown_key_and_bad_kind_exit_2_with_one_line_each(tmp_path, capsys):
    unknown = write(
        tmp_path, MINIMAL.replace("children: [North, South]", "children: [North, South]\n    optinal: true")
    )
    cout = write(tmp_path, MINIMAL.replace('match: ["people"]}', 'match: ["people"], kind: cout}'), "cout.yaml")
    code, out, err = check_lines(capsys, unknown, cout)
    assert code == EXIT_BAD_INPUT and out == []
    assert err == [
        f"whitepaper: {unknown}: hierarchy.root.optinal: unknown key (did you mean 'optional'?)",
        f"whitepaper: {cout}: tables[0].columns[0].kind: 'cout' is not allowed here (expected 'count', "
        "'measure', 'ratio', 'share', 'growth_rate', 'cumulative' or 'label')",
    ]


@pytest.mark.parametrize(
    "change, message",
    [
        (
            (
                "tables:",
                "tables:\n  - id: all\n    columns: [{id: a}]\n  - id: other\n    title: x\n"
                "    columns: [{id: c}]\n  - id: old",
            ),
            "tables[0].title: family 'all' matches every table, so the families after it never apply",
        ),
        (
            (
                '{id: people, match: ["people"]}',
                "{id: people}\n    relations: [{id: r, type: sum, total: people, parts: [ghost]}]",
            ),
            "tables[0].relations[0]: relation r names unknown columns ['ghost']",
        ),
        (
            ('{id: people, match: ["people"]}', "{id: people}\n      - {id: g, kind: growth_rate, of: ghost}"),
            "tables[0].columns[1].of: names unknown column 'ghost' (family 'all')",
        ),
        (
            ('{id: people, match: ["people"]}', "{id: people, of: people}"),
            "tables[0].columns[0]: column 'people': 'of' and 'against' belong to growth_rate columns",
        ),
        (
            ("children: [North, South]", "children: [North, {name: South, aliases: [North]}]"),
            "hierarchy: the label 'North' names two members, 'North' and 'South'",
        ),
        (
            ("children: [North, South]", "children: [{name: North, children: [{name: Town, children: [Street]}]}]"),
            "hierarchy.root.children[0].children[0].children[0].level: member 'Street' is 3 levels below the root "
            "but hierarchy.levels names 3; give it a level",
        ),
        (("id: tiny", "id: tiny\nperiod: {patterns: ['(\\d{4})']}"), "period.patterns[0].pattern: '(\\\\d{4})' has no"),
        (("id: tiny", "id: tiny\nperiod: {patterns: ['(?P<year>[']}"), "is not a regular expression"),
        (
            ("id: tiny", "id: tiny\nprose: {metrics: [{id: m, phrases: [x], column_id: ghost}]}"),
            "prose.metrics[0].column_id: names unknown column 'ghost'",
        ),
        (
            (
                "id: tiny",
                "id: tiny\nprose: {metrics: [{id: m, phrases: [x]}], "
                "rates: [{id: r, phrases: [y], numerator: m, denominator: z}]}",
            ),
            "prose.rates[0].denominator: rate r names undeclared metric 'z'",
        ),
        (("format: 2", "format: 3"), "format: 3 is not allowed here (expected 2)"),
        (
            ("  - id: all", "  - id: all\n    relations: [{id: r, type: compare, left: people, right: people}]"),
            "needs 'op'",
        ),
        (
            (
                "  - id: all",
                "  - id: all\n    relations: [{id: r, type: compare, left: people, op: '<', right: people}]",
            ),
            "'<' is not allowed here",
        ),
    ],
)
def test_impossible_profiles_are_one_line_naming_the_file_and_key(tmp_path, change, message):
    path = write(tmp_path, MINIMAL.replace(*change))
    with pytest.raises(ConfigError) as caught:
        load_profile(path)
    line = str(caught.value)
    assert "\n" not in line and line.startswith(f"{path}: ")
    assert message in line, line


def test_a_format_1_profile_reads_as_its_format_2_rewrite():
    old = profile_from_dict(yaml.safe_load((ROOT / "tests" / "fixtures" / "jiangsu-ipr-v1.yaml").read_text()), "v1")
    new = load_profile(JIANGSU)
    labels = [label for r in new.hierarchy.regions.values() for label in (r.name, *r.aliases)]
    labels += ["Nanjing City", "Suzhou Municipality", "of which: high-tech zones", "Paris", "Huaian"]
    assert [old.match_region(x) for x in labels] == [new.match_region(x) for x in labels]
    headers = [c.label for c in new.columns] + ["Valid Invention Patent Quantity / Enterprises", "Trademarks"]
    assert [old.match_column(h)[0] and old.match_column(h)[0].id for h in headers] == [
        new.match_column(h)[0] and new.match_column(h)[0].id for h in headers
    ]
    assert old.relations == new.relations and old.prose == new.prose
    assert old.read_period("White Paper ... of Jiangsu in 2023") == (Period(2023), "year")
    # The one declaration format 1 could not make: the IC registrations are cumulative.
    assert (old.column_by_id("ic_layout_registrations").kind, new.column_by_id("ic_layout_registrations").kind) == (
        "count",
        "cumulative",
    )


def test_user_folders_come_first_and_replace_a_package_profile_of_the_same_id(tmp_path, monkeypatch):
    mine = tmp_path / "mine"
    mine.mkdir()
    write(mine, MINIMAL, "tiny.yaml")
    write(mine, JIANGSU.read_text().replace("name: Intellectual Property Office", "name: My copy of"), "js.yaml")
    found = {p.id: p for p in available_profiles(profile_dirs([mine]))}
    assert {"tiny", "jiangsu-ipr", "cnipa"} <= set(found)
    assert found["jiangsu-ipr"].name.startswith("My copy of")
    monkeypatch.setenv(PROFILES_ENV, str(mine))
    assert profile_dirs() == [mine, PUBLISHERS_DIR]
    # By content: 3 members named (min_labels), in half of the table's labels or more (min_label_share).
    assert choose("Statistics of Land", [["North", "South", "Land", "a", "b", "c", "d"]]).profile is None
    assert choose("Statistics of Land", [["North", "South", "Land", "a", "b", "c"]]).profile.id == "tiny"
    assert choose("Statistics of Land", [["North", "South", "a"]]).profile is None


def test_a_broken_profile_in_a_user_folder_or_a_missing_folder_is_one_line(tmp_path, capsys):
    write(tmp_path, MINIMAL.replace("format: 2", "format: 2\ncolour: red"), "bad.yaml")
    pdf = ROOT / "raw" / "jiangsu-ipr-2023.pdf"
    code = main(["run", str(pdf), "--out", str(tmp_path / "out"), "--profiles", str(tmp_path)])
    err = capsys.readouterr().err.splitlines()
    assert code == EXIT_BAD_INPUT and err == [
        f"whitepaper: {tmp_path / 'bad.yaml'}: colour: unknown key (did you mean 'columns'?)"
    ]
    code = main(["run", str(pdf), "--out", str(tmp_path / "out"), "--profile", str(tmp_path / "none.yaml")])
    err = capsys.readouterr().err.splitlines()
    assert (
        code == EXIT_BAD_INPUT
        and len(err) == 1
        and err[0].startswith(f"whitepaper: {tmp_path / 'none.yaml'}: cannot read")
    )
    assert not (tmp_path / "out" / "jiangsu-ipr-2023").exists()


def test_recognition_by_content_records_its_evidence():
    national = [["Total", *PROVINCES[:12], "Shenzhen", "Hong Kong"]]
    choice = choose("Statistics bulletin", national)
    assert (choice.profile.id, choice.how) == ("cnipa", "content")
    assert choice.evidence == "cnipa names 15 members in 15 of 15 row labels"
    record = choice.to_json()
    assert record["note"] == "" and {c["id"] for c in record["candidates"]} >= {"cnipa", "jiangsu-ipr"}
    # Jiangsu's cities name its own profile, though the national one knows Nanjing and Jiangsu.
    js = choose("Statistics bulletin", [["Nanjing", "Wuxi", "Suzhou", "Jiangsu", "Others"]])
    assert (js.profile.id, js.how) == ("jiangsu-ipr", "content")
    none = choose("Annual report of a bakery", [["Bread", "Cakes", "Total"]])
    assert none.profile is None and none.how == "none"
    assert none.note.startswith("no publisher profile matched (no recognition phrase in the first pages; closest: ")
    assert choose("Patent Statistics Monthly, March 2016").profile.id == "cnipa"


@pytest.fixture(scope="module")
def draft_of_2023(tmp_path_factory):
    out = tmp_path_factory.mktemp("draft") / "draft.yaml"
    code = main(["profile", "draft", str(ROOT / "raw" / "jiangsu-ipr-2023.pdf"), "--out", str(out)])
    return code, out


def test_profile_draft_of_the_2023_paper_is_a_profile_check_accepts(draft_of_2023, capsys):
    code, out = draft_of_2023
    capsys.readouterr()
    assert code == EXIT_OK
    code, lines, err = check_lines(capsys, out)
    assert code == EXIT_OK and err == [] and ": ok (profile jiangsu-ipr-2023: 18 members on 2 levels" in lines[0]
    draft = load_profile(out)
    assert (draft.root, draft.hierarchy.root.aliases) == ("Jiangsu", ("Entire province",))
    assert draft.read_period(
        "White Paper of Development and Protection\nof Intellectual Property of Jiangsu in 2023"
    ) == (Period(2023), "year")
    assert draft.recognise == ("White Paper of Development and Protection of Intellectual Property of Jiangsu",)
    assert draft.hierarchy.region("Others").optional and draft.hierarchy.region("Others").level == "others"
    kinds = {c.id: c.kind for c in draft.columns}
    assert kinds["invention_patent_ownership_per_10_000"] == "ratio"
    assert kinds["total_population_in_ten_thousand_people"] == "measure"
    assert kinds["cumulative_registrations_of_layout"] == "cumulative"
    assert kinds["enterprises"] == "count" and kinds["region"] == "label"
    text = out.read_text()
    assert text.startswith("# Draft publisher profile written by `whitepaper profile draft`")


def test_profile_draft_of_a_file_that_is_no_pdf_is_one_line(tmp_path, capsys):
    fake = tmp_path / "fake.pdf"
    fake.write_text("<html>not a pdf</html>")
    code = main(["profile", "draft", str(fake)])
    assert code == EXIT_BAD_INPUT
    assert capsys.readouterr().err.splitlines() == [f"whitepaper: {fake}: not a PDF (no %PDF- header)"]


def test_the_smallest_profiles_of_the_docs_load_and_check_a_table(tmp_path):
    """docs/profiles.md: a publisher in four lines of YAML, and in eight with a phrase and a column."""
    from expectations.validation import validate_document
    from normalise.tidy import cells_frame, table_ids
    from tests.grids import table_from_grid

    text = (ROOT / "docs" / "profiles.md").read_text(encoding="utf-8")
    section = text[text.index("## Adding a publisher") : text.index("## Top level")]
    blocks = [b.split("```", 1)[0] for b in section.split("```yaml\n")[1:]]
    assert [len(b.strip().splitlines()) for b in blocks] == [4, 8]
    rows = [["Northshire", "120"], ["Southshire", "80"], ["Westshire", "41"], ["Land", "240"]]
    table = table_from_grid([["County", "Farms"]], rows, title="Farms by county")
    for block in blocks:
        profile = load_profile(write(tmp_path, block, f"{len(block)}.yaml"))
        assert choose("Farm census", [[r[0] for r in rows]], [tmp_path]).profile.id == "land-stats"
        cells = cells_frame("d", [table], table_ids([table]), profile)
        found = validate_document(cells, profile).findings
        assert list(zip(found["check"], found["row_label"], found["stated"], found["expected"]))[:1] == [
            ("hierarchy", "Land", 240, 241)
        ]
        (tmp_path / f"{len(block)}.yaml").unlink()


@pytest.mark.parametrize(
    "text, period, series",
    [
        ("Patent Statistics Monthly\nJanuary 2015", Period(2015, 1), "monthly"),
        ("Patent Statistics Monthly\nMar. 2012\nCNIPA", Period(2012, 3), "monthly"),
        ("Patent Statistics Monthly 2012-03", Period(2012, 3), "monthly"),
        ("Intellectual Property Statistical Yearbook 2022\nPublished in March 2023", Period(2022), "yearbook"),
        ("2019 Intellectual Property Statistical Yearbook", Period(2019), "yearbook"),
    ],
)
def test_the_national_office_periods_are_read_from_the_title_pages(text, period, series):
    assert load_profile(PUBLISHERS_DIR / "cnipa.yaml").read_period(text) == (period, series)


def test_quarters_and_the_year_printed_most_often(tmp_path):
    quarterly = MINIMAL.replace("id: tiny", "id: tiny\nperiod: {patterns: ['Q(?P<quarter>[1-4])\\s+(?P<year>\\d{4})']}")
    profile = load_profile(write(tmp_path, quarterly))
    assert profile.read_period("Quarterly report Q3 2021") == (Period(2021, quarter=3), "quarter")
    assert (Period(2021, quarter=3).key, Period(2016, 3).key, Period(2023).key) == ("2021-Q3", "2016-03", "2023")
    assert Period.from_key("2016-03").years_earlier(1) == Period(2015, 3)
    from normalise.document import edition_period

    assert edition_period("Report 2020, figures of 2021 and 2021", profile) == (Period(2021), "year")


def test_a_format_1_area_with_an_undocumented_key_is_refused_not_ignored():
    data = yaml.safe_load((ROOT / "tests" / "fixtures" / "jiangsu-ipr-v1.yaml").read_text())
    data["regions"]["areas"][1]["optional"] = True
    with pytest.raises(ConfigError, match=r"^v1: regions\.areas\[1\]\.optional: unknown key in a format-1 profile$"):
        profile_from_dict(data, "v1")
