"""Deductive typo correction: is the value a rule needs a plausible misprint of the value printed?

A repair compares the printed number with the value that would make the rules hold, both written at the
printed precision (and in the printed scale: "216.7615 million" is compared as 216.7615). The kinds, most
specific first:

    sign             the value with the other sign
    separator error  the same digits with the decimal or thousands separator moved (x 10^k)
    rounding         one unit of the last printed digit away (numbers that are themselves rounded)
    digit swap       two adjacent digits exchanged (49,463 for 49,643)
    one wrong digit  a single digit different (968 for 967)
    extra digit      one digit too many (2,044 for 204)
    missing digit    one digit dropped (75 for 715)
    unexplained      none of these

A typo-shaped repair is evidence for the localisation (it raises the confidence); an unexplained one
lowers it. Pure string arithmetic on digits; no rule knowledge.
"""

from __future__ import annotations

import math

SIGN = "sign"
SEPARATOR = "separator error"
ROUNDING = "rounding"
DIGIT_SWAP = "digit swap"
WRONG_DIGIT = "one wrong digit"
EXTRA_DIGIT = "extra digit"
MISSING_DIGIT = "missing digit"
UNEXPLAINED = "unexplained"
REPAIR_KINDS = (SIGN, SEPARATOR, ROUNDING, DIGIT_SWAP, WRONG_DIGIT, EXTRA_DIGIT, MISSING_DIGIT, UNEXPLAINED)
TYPO_KINDS = frozenset(REPAIR_KINDS) - {UNEXPLAINED}
# How a repair reads in a sentence ("printed 49,463, probably 49,643 (two digits swapped)").
DESCRIPTIONS = {
    SIGN: "the sign",
    SEPARATOR: "a misplaced separator",
    ROUNDING: "rounding",
    DIGIT_SWAP: "two digits swapped",
    WRONG_DIGIT: "one wrong digit",
    EXTRA_DIGIT: "an extra digit",
    MISSING_DIGIT: "a missing digit",
    UNEXPLAINED: "not a typo",
}
RELATIVE_EPS = 1e-9  # float noise when comparing printed values


def digits(number: float, decimals: int) -> str:
    """The digits of |number| as printed with `decimals` decimals, without sign or separators."""
    return f"{abs(number):.{max(decimals, 0)}f}".replace(".", "")


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= RELATIVE_EPS * max(1.0, abs(a), abs(b))


def _power_of_ten_apart(printed: float, repaired: float) -> bool:
    if printed == 0 or repaired == 0 or (printed > 0) != (repaired > 0):
        return False
    exponent = math.log10(repaired / printed)
    return round(exponent) != 0 and abs(exponent - round(exponent)) < 1e-9


def _one_deleted(longer: str, shorter: str) -> bool:
    return len(longer) == len(shorter) + 1 and any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def repair_kind(printed: float, repaired: float, decimals: int, rounded: bool = False) -> str:
    """The typo shape that turns `repaired` into `printed` (both in the printed scale), at `decimals`.
    `rounded`: the printed number is itself rounded (a measure or a ratio), so one unit of its last digit
    is a rounding slip."""
    if _close(printed, repaired):
        return UNEXPLAINED  # no change is no repair (callers never propose one)
    if printed != 0 and _close(printed, -repaired):
        return SIGN
    if _power_of_ten_apart(printed, repaired):
        return SEPARATOR
    unit = 10.0 ** (-max(decimals, 0))
    if rounded and abs(printed - repaired) <= unit * (1 + 1e-6):
        return ROUNDING
    if (printed < 0) != (repaired < 0):
        return UNEXPLAINED
    a, b = digits(printed, decimals), digits(repaired, decimals)
    if len(a) == len(b):
        differ = [i for i in range(len(a)) if a[i] != b[i]]
        if len(differ) == 1:
            return WRONG_DIGIT
        if len(differ) == 2 and differ[1] == differ[0] + 1:
            i, j = differ
            return DIGIT_SWAP if (a[i], a[j]) == (b[j], b[i]) else UNEXPLAINED
        return UNEXPLAINED
    if _one_deleted(a, b):
        return EXTRA_DIGIT
    if _one_deleted(b, a):
        return MISSING_DIGIT
    return UNEXPLAINED


def is_typo(kind: str) -> bool:
    return kind in TYPO_KINDS


def printed_options(value: float, decimals: int, reach: int = 2) -> list[float]:
    """Values printable at `decimals` around `value`, nearest first: the repairs a rounded number allows
    (a recomputed ratio of 26.5468 could have been printed 26.55, or 26.54 when its inputs are rounded)."""
    unit = 10.0 ** (-max(decimals, 0))
    centre = round(value / unit)
    options = [round((centre + k) * unit, max(decimals, 0)) for k in range(-reach, reach + 1)]
    return sorted(options, key=lambda option: (abs(option - value), option))
