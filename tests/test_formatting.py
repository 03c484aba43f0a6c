"""French number and date formatting (known strings)."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from dashboard.formatting import MISSING, fmt_date, fmt_dec, fmt_int, fmt_pct

NNBSP = "\u202f"  # narrow no-break space: thousands separator (CLDR fr)
NBSP = "\u00a0"  # no-break space before "%"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (12345, f"12{NNBSP}345"),
        (1234567, f"1{NNBSP}234{NNBSP}567"),
        (np.int64(137046), f"137{NNBSP}046"),
        (12345.6, f"12{NNBSP}346"),
        (-4500, f"-4{NNBSP}500"),
    ],
)
def test_fmt_int(value, expected):
    assert fmt_int(value) == expected


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (16.43, 1, "16,4"),
        (12345.67, 1, f"12{NNBSP}345,7"),
        (0.5, 2, "0,50"),
        (3.0, 0, "3"),
        (np.float64(19.612482), 1, "19,6"),
    ],
)
def test_fmt_dec(value, digits, expected):
    assert fmt_dec(value, digits) == expected


@pytest.mark.parametrize(("value", "digits", "expected"), [
    (0.25, 1, "0,2"), (0.35, 1, "0,4"), (2.5, 0, "2"), (3.5, 0, "4"),  # half to even
    (1.005, 2, "1,00"), (-0.04, 1, "-0,0"), (999.96, 1, f"1{NNBSP}000,0"),
    (1e16, 0, f"10{NNBSP}000{NNBSP}000{NNBSP}000{NNBSP}000{NNBSP}000"),  # babel's path
])
def test_fmt_dec_rounds_like_babel(value, digits, expected):
    assert fmt_dec(value, digits) == expected


def test_the_fast_path_gives_what_babel_gives():
    from babel.numbers import format_decimal

    rng = np.random.default_rng(3)
    values = [*rng.uniform(-1e7, 1e7, 3000), *np.round(rng.uniform(0, 100, 3000), 2),
              *(rng.integers(-10**6, 10**6, 1000) + 0.5), 0.0, -0.0, 0.05, 0.15, 12.345,
              999.95, 123456789.125, 1e-7, 99999999999999.9]
    for value in values:
        for digits in (0, 1, 2, 3):
            pattern = "#,##0" + ("." + "0" * digits if digits else "")
            assert fmt_dec(value, digits) == format_decimal(float(value), format=pattern,
                                                            locale="fr_FR"), (value, digits)


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (16.43, 1, f"16,4{NBSP}%"),
        (19.612482, 1, f"19,6{NBSP}%"),
        (100, 0, f"100{NBSP}%"),
        (0, 1, f"0,0{NBSP}%"),
        (20, 2, f"20,00{NBSP}%"),
    ],
)
def test_fmt_pct(value, digits, expected):
    assert fmt_pct(value, digits=digits) == expected


def test_spaces_are_unbreakable_but_readable():
    # A projector or a PNG shows "12 345" and "16,4 %" without a line break inside.
    assert fmt_int(12345).replace(NNBSP, " ") == "12 345"
    assert fmt_pct(16.43).replace(NBSP, " ") == "16,4 %"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2019, 9, 24), "24/09/2019"),
        (dt.datetime(2019, 9, 24, 15, 30), "24/09/2019"),
        (pd.Timestamp("2023-01-05"), "05/01/2023"),
        (np.datetime64("2018-03-27"), "27/03/2018"),
        ("2020-12-10", "10/12/2020"),
        ("pas une date", MISSING),
    ],
)
def test_fmt_date(value, expected):
    assert fmt_date(value) == expected


@pytest.mark.parametrize("missing", [None, math.nan, np.nan, pd.NA, pd.NaT, float("inf")])
def test_missing_values_are_nd(missing):
    assert fmt_int(missing) == "n.d."
    assert fmt_dec(missing) == "n.d."
    assert fmt_pct(missing) == "n.d."


@pytest.mark.parametrize("missing", [None, pd.NaT, np.datetime64("NaT"), math.nan])
def test_missing_dates_are_nd(missing):
    assert fmt_date(missing) == "n.d."
