"""The publisher profile: regions and columns are recognised from the declared data, aliases included."""

import pytest

from normalise.profile import (
    LEVEL_CITY,
    LEVEL_OF_WHICH,
    LEVEL_OTHERS,
    LEVEL_PROVINCE,
    LEVEL_REGION,
    LEVEL_UNKNOWN,
    PUBLISHERS_DIR,
    ProfileError,
    load_profile,
    profile_from_dict,
)
from normalise.profiles import choose_profile

PROFILE = load_profile(PUBLISHERS_DIR / "jiangsu-ipr.yaml")


@pytest.mark.parametrize(
    "label, name, level, parent",
    [
        ("Nanjing", "Nanjing", LEVEL_CITY, "Southern Jiangsu"),
        ("Huai'an", "Huai'an", LEVEL_CITY, "Northern Jiangsu"),
        ("Huaian", "Huai'an", LEVEL_CITY, "Northern Jiangsu"),
        ("Huai’an", "Huai'an", LEVEL_CITY, "Northern Jiangsu"),
        ("Suzhou City", "Suzhou", LEVEL_CITY, "Southern Jiangsu"),
        ("Southern  Jiangsu", "Southern Jiangsu", LEVEL_REGION, "Jiangsu"),
        ("Entire province", "Jiangsu", LEVEL_PROVINCE, ""),
        ("Jiangsu", "Jiangsu", LEVEL_PROVINCE, ""),
        ("Others", "Others", LEVEL_OTHERS, ""),
        ("Others*", "Others", LEVEL_OTHERS, ""),
    ],
)
def test_region_labels_resolve_to_the_hierarchy(label, name, level, parent):
    match = PROFILE.match_region(label)
    assert (match.name, match.level, match.parent) == (name, level, parent)


def test_unknown_and_of_which_rows_are_not_regions():
    assert PROFILE.match_region("Shanghai").level == LEVEL_UNKNOWN
    assert PROFILE.match_region("of which: Suzhou Industrial Park").level == LEVEL_OF_WHICH


@pytest.mark.parametrize(
    "header, column_id",
    [
        ("Total Population (in ten thousand people)", "population"),
        ("Total Population (10,000 persons)", "population"),
        ("Number of Valid Invention Patents", "valid_invention_patents"),
        ("Invention Patent Ownership per 10,000 People", "invention_patents_per_10k"),
        ("Valid Invention Patent Quantity / Colleges and Universities", "patents_colleges"),
        ("Valid Invention Patent Quantity / Enterprises", "patents_enterprises"),
        ("Valid Invention Patent Quantity / Government Agencies", "patents_government"),
        ("Valid Invention Patent Quantity / Government Agencies and Organizations", "patents_government"),
        ("Valid Invention Patent Quantity / Individuals", "patents_individuals"),
        ("Prefecture-level City", "region"),
        ("Cumulative registrations of layout designs of integrated circuits", "ic_layout_registrations"),
    ],
)
def test_headers_map_to_declared_columns(header, column_id):
    spec, score = PROFILE.match_column(header)
    assert spec is not None and spec.id == column_id, (header, spec, score)


def test_unrelated_header_is_unrecognised():
    spec, _ = PROFILE.match_column("Number of Trademark Applications")
    assert spec is None


def test_profile_is_recognised_from_the_first_page_text():
    text = "White Paper of Development and Protection of Intellectual Property of Jiangsu in 2023"
    assert choose_profile(text).id == "jiangsu-ipr"
    assert choose_profile("Annual report of a bakery") is None


def test_profile_is_recognised_from_the_region_names_in_tables():
    assert choose_profile("Statistical report", ["Nanjing", "Wuxi", "Huaian", "Total"]).id == "jiangsu-ipr"
    assert choose_profile("Statistical report", ["Nanjing", "Paris", "London"]) is None


def test_relation_naming_an_unknown_column_is_rejected():
    with pytest.raises(ProfileError, match="unknown columns"):
        profile_from_dict(
            {
                "id": "x",
                "regions": {"province": {"name": "P"}},
                "columns": [{"id": "a"}],
                "relations": [{"id": "r", "type": "sum", "total": "a", "parts": ["b"]}],
            }
        )
