"""Context of an EPCI's key figures (views/territoire_contexte.py): shares and ranks with
known answers on hand-made tables, then on the app's table against plain pandas sums."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.data import store
from dashboard.views import territoire as tv
from dashboard.views import territoire_contexte as cx

ANNONAY = "200072015"  # CA Annonay Rhône Agglo, all in Ardèche
ARCHE = "200073096"  # CA Arche Agglo, astride Ardèche and Drôme


def epci_table() -> pd.DataFrame:
    return pd.DataFrame({
        "epci_siren": ["A", "B", "C", "D", "E"],
        "population": [500, 900, 900, 100, 50],
        "taux_logements_sociaux": [10.0, 20.0, math.nan, 20.0, 5.0],
    })


@pytest.mark.parametrize(("siren", "key", "expected"), [
    ("B", "population", cx.Rank(1, 5)),  # ties share the best rank
    ("C", "population", cx.Rank(1, 5)),
    ("A", "population", cx.Rank(3, 5)),
    ("E", "population", cx.Rank(5, 5)),
    ("D", "taux_logements_sociaux", cx.Rank(1, 4)),  # an EPCI without value is not ranked
    ("A", "taux_logements_sociaux", cx.Rank(3, 4)),
    ("C", "taux_logements_sociaux", cx.Rank(None, 4)),
])
def test_ranks(siren, key, expected):
    assert cx.ranks(epci_table(), siren, ("population", "taux_logements_sociaux"))[key] == \
        expected


def test_parts_of_an_epci_with_no_commune_in_the_territory_are_zero():
    whole = {"population": 1000, "logements_sociaux": 20}
    own = pd.Series({"population": 42, "logements_sociaux": 5})
    keys = ("population", "logements_sociaux")
    assert cx.parts(own, whole, keys) == {"population": cx.Part(42.0, 1000.0),
                                          "logements_sociaux": cx.Part(5.0, 20.0)}
    assert cx.parts(None, whole, keys)["population"] == cx.Part(0.0, 1000.0)


def test_part_percent():
    assert cx.Part(42.0, 1000.0).percent == pytest.approx(4.2)
    assert cx.Part(0.0, 0.0).percent is None


@pytest.fixture
def fresh():
    store.reset()
    yield
    store.reset()


def test_context_of_an_epci_inside_one_department(fresh):
    df = store.communes()
    ctx = cx.epci_context(ANNONAY, "07", "84")
    mine = df[df["epci_siren"] == ANNONAY]
    ardeche = df[df["departement"] == "07"]
    assert ctx.departement["population"] == (mine["population"].sum(),
                                             ardeche["population"].sum())
    assert ctx.region["logements_sociaux"] == (mine["logements_sociaux"].sum(),
                                               df["logements_sociaux"].sum())
    assert ctx.departement["communes_acv"].part == mine["acv"].sum()
    assert ctx.departement["communes_acv"].total == ardeche["acv"].sum()
    # Rank among the region's EPCI, by plain pandas.
    population = df.groupby("epci_siren")["population"].sum()
    expected = int((population > population[ANNONAY]).sum()) + 1
    assert ctx.ranks["population"] == cx.Rank(expected, df["epci_siren"].nunique())


def test_an_epci_astride_two_departments_counts_its_communes_in_the_one_named(fresh):
    df = store.communes()
    p = tv.cached_profile(ARCHE)
    assert p["a_cheval"]
    ctx = cx.epci_context(ARCHE, p["departement"], p["region"])
    inside = df[(df["epci_siren"] == ARCHE) & (df["departement"] == p["departement"])]
    assert ctx.departement["population"].part == inside["population"].sum()
    assert ctx.departement["population"].part < p["epci"]["population"]
    assert ctx.region["population"].part == p["epci"]["population"]
