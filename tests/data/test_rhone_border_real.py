"""The Rhône's two halves (69D / 69M) and the cross-border EPCI on the committed tables.

Expected values are recomputed here from the commune table by hand (sums of rows
selected independently of the code under test), never typed in.
"""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.data import store, territoire, territories
from dashboard.views import regional as regional_view
from dashboard.views import territoire_tables as tables

MACON = "200070308"  # CA Mâconnais Beaujolais Agglomération: 1 commune in the region


def _rate(rows: pd.DataFrame) -> float:
    return 100 * rows["logements_sociaux"].sum() / rows["residences_principales"].sum()


@pytest.fixture(scope="module")
def communes() -> pd.DataFrame:
    return store.communes()


def test_rhone_halves_as_dreal_publishes_them(communes):
    rhone = communes[communes["departement"] == "69"]
    metropole = rhone[rhone["epci_type"] == "MET69"]
    rest = rhone[rhone["epci_type"] != "MET69"]
    assert len(metropole) + len(rest) == len(rhone) and len(metropole) > 50
    rate_69d, rate_69m, rate_69 = _rate(rest), _rate(metropole), _rate(rhone)
    assert rate_69d < rate_69 < rate_69m  # 69 mixes the two

    other = rest["epci_siren"].iloc[0]
    p = territoire.epci_profile(communes, other)
    assert (p["departement"], p["departement_nom"]) == ("69D", "Rhône (hors Métropole de Lyon)")
    assert p["departement_totals"]["taux_logements_sociaux"] == pytest.approx(rate_69d)
    assert p["departement_totals"]["nb_communes"] == len(rest)
    lyon = territoire.epci_profile(communes, metropole["epci_siren"].iloc[0])
    assert (lyon["departement"], lyon["departement_nom"]) == ("69M", "Métropole de Lyon")
    assert lyon["departement_totals"]["taux_logements_sociaux"] == pytest.approx(rate_69m)
    # The app's cached profile (the build's precomputed one) says the same.
    assert tables.cached_profile(other)["departement"] == "69D"


def test_department_picker_offers_both_halves(communes):
    names = territories.departement_names()
    codes = list(names)
    assert codes[codes.index("69") + 1: codes.index("69") + 3] == ["69D", "69M"]
    assert names["69D"] == "Rhône (hors Métropole de Lyon)"
    assert names["69M"] == "Métropole de Lyon"
    labels = {o["value"]: o["label"] for o in territories.departement_options()}
    assert labels["69M"] == "Métropole de Lyon (69M)"
    assert territories.check_departement("69D").code == "69D"
    assert territories.check_departement("69X").error
    metropole = {o["value"] for o in territories.epci_options(departement="69M")}
    assert metropole == set(communes.loc[communes["epci_type"] == "MET69", "epci_siren"])
    rest = {o["value"] for o in territories.epci_options(departement="69D")}
    assert metropole.isdisjoint(rest)
    assert rest | metropole == {o["value"] for o in territories.epci_options(departement="69")}


def test_cross_border_epci_on_the_committed_tables(communes):
    outside = store.communes_hors_region()
    assert not outside["region"].eq("84").any()
    assert outside["epci_siren"].nunique() == 9
    inside = communes[communes["epci_siren"] == MACON]
    extra = outside[outside["epci_siren"] == MACON]
    p = tables.cached_profile(MACON)
    whole = pd.concat([inside, extra])
    assert p["epci"]["nb_communes"] == len(whole) and len(inside) == 1
    assert p["epci"]["taux_logements_sociaux"] == pytest.approx(_rate(whole))
    assert p["nb_communes_hors_region"] == len(extra)
    assert p["population_hors_region"] == int(extra["population"].sum())
    # The region's totals: region 84 only.
    assert p["region_totals"]["population"] == int(communes["population"].sum())
    row = regional_view.regional_data().epci.set_index("epci_siren").loc[MACON]
    assert bool(row["hors_region"]) and row["taux_logements_sociaux"] == pytest.approx(
        _rate(whole))
    assert regional_view.regional_data().kpis["population"] == int(
        communes["population"].sum())
