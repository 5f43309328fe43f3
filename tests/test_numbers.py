"""The number parser: every printed form seen in white papers, its value, precision and format problems."""

import math

import pytest

from extractors.numbers import needs_grouping, parse_number


@pytest.mark.parametrize(
    "raw, value, decimals, percent, grouped",
    [
        ("529,185", 529185, 0, False, True),
        ("6671", 6671, 0, False, False),
        ("62.15", 62.15, 2, False, False),
        ("12.00%", 12.0, 2, True, False),
        ("−3.5", -3.5, 1, False, False),
        ("-3.5", -3.5, 1, False, False),
        ("(3.5)", -3.5, 1, False, False),
        ("1,683.2", 1683.2, 1, False, True),
        ("8,515.00", 8515.0, 2, False, True),
        ("0", 0, 0, False, False),
        ("+4.2%", 4.2, 1, True, False),
        ("12.5 %", 12.5, 1, True, False),
        (" 3,151 ", 3151, 0, False, True),
        ("1,234*", 1234, 0, False, True),
    ],
)
def test_parses_printed_numbers(raw, value, decimals, percent, grouped):
    n = parse_number(raw)
    assert n.status == "ok"
    assert n.value == pytest.approx(value)
    assert (n.decimals, n.percent, n.grouped) == (decimals, percent, grouped)
    assert n.format_issue == ""
    assert n.raw == raw  # the printed text is always kept


@pytest.mark.parametrize("raw", ["/", "—", "–", "-", "", "  ", None, "n/a", "…"])
def test_missing_marks_are_missing_not_zero(raw):
    n = parse_number(raw)
    assert n.status == "missing"
    assert n.value is None


def test_malformed_separator_is_read_and_reported():
    n = parse_number("4,5120")
    assert n.value == 45120
    assert n.status == "ok"
    assert "4,5120" in n.format_issue
    assert n.raw == "4,5120"


@pytest.mark.parametrize("raw", ["1,23,456", "12,34", "1,2345.6"])
def test_other_misplaced_separators_are_reported(raw):
    n = parse_number(raw)
    assert n.is_number and n.format_issue


def test_words_are_text_not_numbers():
    for raw in ("Nanjing", "Total", "2023年", "12 cases"):
        assert parse_number(raw).status == "text"


def test_rounding_radius_follows_printed_decimals():
    assert parse_number("62.15").half_unit == pytest.approx(0.005)
    assert parse_number("1,683.2").half_unit == pytest.approx(0.05)
    assert parse_number("529,185").half_unit == 0.0


def test_large_number_without_separator_needs_one():
    assert needs_grouping(parse_number("6671"))
    assert needs_grouping(parse_number("1291.06"))
    assert not needs_grouping(parse_number("6,671"))
    assert not needs_grouping(parse_number("999"))
    assert not needs_grouping(parse_number("/"))


def test_line_break_inside_a_number_is_joined():
    assert parse_number("139,\n331").value == 139331
    assert not math.isnan(parse_number("1 291.06").value)
