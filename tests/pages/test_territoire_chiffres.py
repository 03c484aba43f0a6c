"""Key figures of the territory profile (pages/territoire_chiffres.py): each card compares
like with like (shares of the department's and region's counts, gaps in points, ranks),
with known answers on a hand-made profile and on the app's table."""

from __future__ import annotations

import pytest

from dashboard.components.cards import Comparison
from dashboard.data import store
from dashboard.formatting import fmt_int, fmt_pct
from dashboard.pages import territoire_chiffres as tc
from dashboard.views import territoire as tv
from dashboard.views.territoire_contexte import Context, Part, Rank, epci_context
from tests.layout_tools import by_id, plain, text

ANNONAY = "200072015"


def profile() -> dict:
    return {
        "siren": "200000001", "nom": "CA Test", "departement": "07",
        "departement_nom": "Ardèche", "region": "84", "region_nom": "Auvergne-Rhône-Alpes",
        "a_cheval": False,
        "epci": {"taux_logements_sociaux": 15.5, "part_population_programme": 37.4},
        "departement_totals": {"taux_logements_sociaux": 9.25,
                               "part_population_programme": 31.8},
        "region_totals": {"taux_logements_sociaux": 16.4, "part_population_programme": 27.0},
    }


def context() -> Context:
    counts = {"population": Part(42.0, 1000.0), "residences_principales": Part(0.0, 0.0),
              "logements_sociaux": Part(5.0, 20.0), "communes_acv": Part(1.0, 3.0),
              "communes_pvd": Part(0.0, 0.0)}
    region = {**counts, "population": Part(42.0, 8000.0), "communes_acv": Part(1.0, 28.0)}
    return Context(counts, region, {"population": Rank(12, 172),
                                    "taux_logements_sociaux": Rank(1, 172),
                                    "part_population_programme": Rank(None, 170)})


def lines(comparisons: list[Comparison]) -> list[str]:
    return [plain(f"{c.scope} : {c.value}" if c.scope else c.value)
            + (f" ({plain(c.difference)})" if c.difference else "") for c in comparisons]


def test_a_count_is_a_share_of_the_department_and_region_with_a_rank():
    assert lines(tc.count_comparisons(profile(), "population", context())) == [
        "soit 4,2 % de la population de l'Ardèche",
        "soit 0,5 % de la population d'Auvergne-Rhône-Alpes",
        "Rang en Auvergne-Rhône-Alpes : 12e sur 172 intercommunalités",
    ]
    # No rank for this count; a department with no total says so.
    assert lines(tc.count_comparisons(profile(), "residences_principales", context())) == [
        "aucune donnée en Ardèche", "aucune donnée en Auvergne-Rhône-Alpes"]
    # An EPCI astride two departments: the share covers its communes in the one named.
    assert lines(tc.count_comparisons(profile(), "logements_sociaux", context(), True))[0] == (
        "soit 25,0 % des logements sociaux de l'Ardèche (ses communes en Ardèche seulement)")


def test_a_share_is_beside_the_other_shares_with_gaps_and_rank():
    assert lines(tc.share_comparisons(profile(), "taux_logements_sociaux", context())) == [
        "Ardèche : 9,2 % (+6,2 pts)",
        "Auvergne-Rhône-Alpes : 16,4 % (−0,9 pt)",
        "Rang en Auvergne-Rhône-Alpes : 1re sur 172 intercommunalités",
    ]
    # An EPCI without value is not ranked; without context, no rank line.
    assert len(tc.share_comparisons(profile(), "part_population_programme", context())) == 2
    assert len(tc.share_comparisons(profile(), "part_population_programme")) == 2


def test_programme_counts_are_parts_of_the_same_count():
    assert lines(tc.programme_comparisons(profile(), "communes_acv", context())) == [
        "sur 3 en Ardèche", "sur 28 en Auvergne-Rhône-Alpes"]
    assert lines(tc.programme_comparisons(profile(), "communes_pvd", context())) == [
        "aucune en Ardèche", "aucune en Auvergne-Rhône-Alpes"]


@pytest.mark.parametrize(("dep", "region", "expected"), [
    (1, 13, ["sur 1 bailleur engagé en Ardèche",
             "sur 13 bailleurs engagés en Auvergne-Rhône-Alpes"]),
    (0, 0, ["sur 0 bailleur engagé en Ardèche", "sur 0 bailleur engagé en Auvergne-Rhône-Alpes"]),
])
def test_landlords_are_counted_among_the_department_and_region_ones(dep, region, expected):
    engagement = {"bailleurs_engages_departement": dep, "bailleurs_engages_region": region}
    assert lines(tc.landlord_comparisons(profile(), engagement)) == expected


@pytest.mark.parametrize(("engaged", "total", "expected"), [
    (3, 9, "3 des 9 communes de programme ont au moins un bailleur engagé"),
    (1, 9, "1 des 9 communes de programme a au moins un bailleur engagé"),
    (0, 4, "Aucune des 4 communes de programme n'a de bailleur engagé"),
    (1, 1, "La seule commune de programme a au moins un bailleur engagé"),
    (0, 0, "Aucune commune de programme ici"),
])
def test_engaged_communes_shows_its_denominator(engaged, total, expected):
    assert tc.engaged_communes({"communes_engagees": engaged,
                                "communes_programme": total}) == expected


@pytest.fixture
def fresh():
    store.reset()
    yield
    store.reset()


def test_annonay_cards_never_put_a_count_beside_the_region_count(fresh):
    p = tv.cached_profile(ANNONAY)
    rows = tc.kpi_rows(p, tv.cached_engagement(ANNONAY), True, tv.cached_facts(ANNONAY))
    population = plain(text(by_id(rows, "territoire-kpi-population")))
    df = store.communes()
    share = 100 * p["epci"]["population"] / df.loc[df["departement"] == "07",
                                                   "population"].sum()
    assert f"soit {plain(fmt_pct(share))} de la population de l'Ardèche" in population
    ctx = epci_context(ANNONAY, "07", "84")
    assert (f"Rang en Auvergne-Rhône-Alpes : {ctx.ranks['population'].rank}e sur "
            f"{ctx.ranks['population'].total} intercommunalités") in population
    # Neither the department's nor the region's population appears as a number.
    for total in (p["departement_totals"]["population"], p["region_totals"]["population"]):
        assert plain(fmt_int(total)) not in population
    acv = plain(text(by_id(rows, "territoire-kpi-acv")))
    assert f"sur {ctx.departement['communes_acv'].total:.0f} en Ardèche" in acv
