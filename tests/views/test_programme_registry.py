"""Every registered programme reaches the regional and programmes views, their KPI
rows, the colour map of the charts and the sentences, with no other list to edit."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import registry
from dashboard.data import programmes as P
from dashboard.data import regional as R
from dashboard.figures import programmes as F
from dashboard.figures import regional as FR
from dashboard.formatting import fmt_int

from ..data.test_regional import make_communes


@pytest.fixture(scope="module")
def app_views():
    import app  # noqa: F401  (the app's data; the views need no Dash app)
    from dashboard.views import programmes, regional

    return regional, programmes


def test_every_registered_programme_is_in_the_regional_kpi(app_views):
    regional, _ = app_views
    card = next(k for k in regional.kpis() if k.title == "Communes en programme")
    kpis = regional.regional_data().kpis
    assert card.rows == tuple((p.count_label, fmt_int(kpis[p.total]))
                              for p in registry.PROGRAMMES)
    assert len(card.rows) == len(registry.PROGRAMMES) == 5
    # Known answers (committed tables): PVD is the January 2024 list (226 communes,
    # 01093 left), Villages d'avenir 315 communes, ORT signed for 231 communes.
    rows = dict(card.rows)
    assert rows["Petites villes de demain"] == "226"
    assert rows["Villages d'avenir"] == "315"
    assert rows["Communes couvertes par une ORT signée"] == "231"
    assert rows["Action Cœur de Ville"] == fmt_int(kpis["communes_acv"])


def test_every_registered_programme_is_in_the_profile_kpis(app_views):
    from dashboard.pages import territoire_chiffres
    from dashboard.views import territoire as tv

    siren = "200071751"  # CA du Bassin de Bourg-en-Bresse
    text = str(territoire_chiffres.kpi_rows(tv.cached_profile(siren),
                                          tv.cached_engagement(siren), True))
    for p in registry.PROGRAMMES:
        assert f"Communes en {p.label}" in text


def test_landlord_contract_values_follow_the_registry():
    from dashboard.data.bailleurs import contract

    assert contract.PROGRAMMES == registry.KEYS
    assert "VA" in contract.PROGRAMMES
    spec = next(c for c in contract.ENGAGEMENT_COLUMNS if c.name == "programme")
    assert tuple(spec.allowed) == registry.KEYS
    assert "VA (Villages d'avenir)" in spec.definition


def test_every_registered_programme_is_in_the_programmes_kpis_and_colour_map(app_views):
    _, programmes = app_views
    overview = programmes.overview()
    titles = [k.title for k in overview.kpis]
    assert titles == ["Communes en programme", *(p.label for p in registry.PROGRAMMES)]
    departements = overview.charts[0].figure["data"]
    assert {t["name"]: t["marker"]["color"] for t in departements} == {
        p.short: p.color for p in registry.PROGRAMMES}
    assert {p.key for p in registry.PROGRAMMES} == set(registry.COLORS)
    assert len(set(registry.COLORS.values())) == len(registry.PROGRAMMES)  # distinct
    ort = next(k for k in overview.kpis if k.title == "ORT signée")
    assert ort.value == "231" and ort.note.startswith("communes couvertes par une ORT signée")


def test_pvd_exit_and_villages_davenir_in_the_flags():
    df = make_communes([{"pvd": True, "pvd_2024": False}, {"villages_avenir": True}, {}])
    flags = registry.programme_flags(df)
    assert flags["PVD"].tolist() == [False, False, False]  # left the programme (01093)
    assert flags["VA"].tolist() == [False, True, False]
    assert flags["programme"].tolist() == [False, True, False]
    assert [p.key for p in registry.pole_programmes()] == ["ACV", "PVD", "AMI centres-bourgs",
                                                           "VA"]


@pytest.fixture
def with_extra_programme(monkeypatch):
    """A sixth programme in the registry only (its flag reads the `pvd` column)."""
    extra = registry.Programme("TEST", "pvd", "Programme d'essai", "Essai", "programme d'essai",
                               "#123456", "ami", "communes_pvd")
    programmes = (*registry.PROGRAMMES, extra)
    monkeypatch.setattr(registry, "PROGRAMMES", programmes)
    monkeypatch.setattr(registry, "KEYS", tuple(p.key for p in programmes))
    monkeypatch.setattr(registry, "BY_KEY", {p.key: p for p in programmes})
    monkeypatch.setattr(registry, "COLORS", {p.key: p.color for p in programmes})
    return extra


def test_a_new_programme_needs_only_the_registry(with_extra_programme):
    assert with_extra_programme.key in registry.KEYS
    df = make_communes([{"pvd": True, "population": 2000}, {"acv": True}, {}])
    totals = P.totals(df)
    assert totals["TEST"] == 1 and totals["programme"] == 2
    counts = P.counts_by_departement(df)
    fig = F.departement_chart(counts)
    colours = {t.name: t.marker.color for t in fig.data}
    assert colours["Essai"] == "#123456" and len(fig.data) == 6
    assert "ni programme d'essai" in F.none_of()
    epci = R.epci_frame(df, None)
    details = FR.light_figure(epci, R.INDICATORS["communes-programme"]).data[0].customdata
    assert "Essai 1" in details[0][2]
    assert "Programme d'essai" in registry.enumeration(attr="label")
    poles = df.assign(centralite="Centre structurant d'équipements et de services")
    from dashboard.data.official.table import poles_hors_programme
    assert poles_hors_programme(poles).tolist() == [False, False, True]  # in no programme


def test_programme_labels_come_from_the_registry():
    assert P.PROGRAMMES == registry.KEYS
    assert P.PROGRAMME_LABELS == {p.key: p.label for p in registry.PROGRAMMES}
    assert P.PROGRAMME_SHORT == {p.key: p.short for p in registry.PROGRAMMES}
    flags = P.flags(make_communes([{"ort_statut": "Signée"}, {"ort_statut": "En cours"}]))
    assert flags["ORT"].tolist() == [True, False]
    assert isinstance(flags, pd.DataFrame)
