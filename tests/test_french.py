"""French sentence builders (dashboard/french.py): known answers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import french
from dashboard.data import store, territories
from dashboard.french import among, capitalize, in_territory, of_territory, on_date, on_dates


@pytest.mark.parametrize(("kind", "name", "code", "into", "of"), [
    # Communes: "à", contracted with the name's own article (Le, Les).
    ("commune", "Annonay", None, "à Annonay", "d'Annonay"),
    ("commune", "Langeac", None, "à Langeac", "de Langeac"),
    ("commune", "Le Puy-en-Velay", None, "au Puy-en-Velay", "du Puy-en-Velay"),
    ("commune", "Les Vans", None, "aux Vans", "des Vans"),
    ("commune", "La Voulte-sur-Rhône", None, "à La Voulte-sur-Rhône", "de La Voulte-sur-Rhône"),
    ("commune", "L'Arbresle", None, "à L'Arbresle", "de L'Arbresle"),
    ("commune", "Écully", None, "à Écully", "d'Écully"),
    ("commune", "Yssingeaux", None, "à Yssingeaux", "d'Yssingeaux"),
    ("commune", "Lesches", None, "à Lesches", "de Lesches"),  # "Les" is not an article here
    # EPCI: "la" before the kind of community, none before a proper name.
    ("epci", "CA Annonay Rhône Agglo", "200072015", "dans la CA Annonay Rhône Agglo",
     "de la CA Annonay Rhône Agglo"),
    ("epci", "CC des Rives du Haut Allier", None, "dans la CC des Rives du Haut Allier",
     "de la CC des Rives du Haut Allier"),
    ("epci", "Métropole de Lyon", None, "dans la Métropole de Lyon", "de la Métropole de Lyon"),
    ("epci", "Saint-Étienne Métropole", None, "dans Saint-Étienne Métropole",
     "de Saint-Étienne Métropole"),
    ("epci", "Grenoble-Alpes-Métropole", None, "dans Grenoble-Alpes-Métropole",
     "de Grenoble-Alpes-Métropole"),
    ("epci", "Grand Annecy", None, "dans le Grand Annecy", "du Grand Annecy"),
    # Departments: from the table of region 84.
    ("departement", "Ain", "01", "dans l'Ain", "de l'Ain"),
    ("departement", "Allier", "03", "dans l'Allier", "de l'Allier"),
    ("departement", "Ardèche", "07", "en Ardèche", "de l'Ardèche"),
    ("departement", "Cantal", "15", "dans le Cantal", "du Cantal"),
    ("departement", "Drôme", "26", "dans la Drôme", "de la Drôme"),
    ("departement", "Isère", "38", "en Isère", "de l'Isère"),
    ("departement", "Loire", "42", "dans la Loire", "de la Loire"),
    ("departement", "Haute-Loire", "43", "en Haute-Loire", "de la Haute-Loire"),
    ("departement", "Puy-de-Dôme", "63", "dans le Puy-de-Dôme", "du Puy-de-Dôme"),
    ("departement", "Rhône", "69", "dans le Rhône", "du Rhône"),
    ("departement", "Savoie", "73", "en Savoie", "de la Savoie"),
    # The Rhône's two halves, as DREAL publishes them (the landlord page's filter).
    ("departement", "Métropole de Lyon", "69M", "dans la Métropole de Lyon",
     "de la Métropole de Lyon"),
    ("departement", "Rhône (hors Métropole de Lyon)", "69D",
     "dans le Rhône (hors Métropole de Lyon)", "du Rhône (hors Métropole de Lyon)"),
    ("departement", "Haute-Savoie", "74", "en Haute-Savoie", "de la Haute-Savoie"),
    # Outside the table: still correct French, with the kind of territory.
    ("departement", "Gironde", "33", "dans le département Gironde", "du département Gironde"),
    ("region", "Auvergne-Rhône-Alpes", "84", "en Auvergne-Rhône-Alpes",
     "d'Auvergne-Rhône-Alpes"),
    ("region", "Bretagne", "53", "dans la région Bretagne", "de la région Bretagne"),
])
def test_territory_prepositions(kind, name, code, into, of):
    assert in_territory(kind, name, code) == into
    assert of_territory(kind, name, code) == of


def test_every_department_of_the_table_has_its_article():
    # The twelve departments and the Rhône's two halves (69D, 69M), with the data's names.
    names = territories.departement_names()
    assert {"69D", "69M"} < set(names)
    assert set(names) == set(french.DEPARTEMENTS)
    for code, name in names.items():
        assert "département" not in in_territory("departement", name, code)
        assert "département" not in of_territory("departement", name)  # found by its name


def test_every_epci_of_the_table_reads_well():
    # Every EPCI name starts with CC/CA/CU/Métropole (la) or is a proper name ("… Métropole").
    names = store.communes()["epci_nom"].dropna().unique()
    phrases = {in_territory("epci", n) for n in names}
    assert all(p.startswith(("dans la C", "dans la Métropole ")) or p.endswith("Métropole")
               for p in phrases)


def test_capitalize():
    assert capitalize(in_territory("epci", "CA Annonay Rhône Agglo")) == (
        "Dans la CA Annonay Rhône Agglo")
    assert capitalize("à Annonay") == "À Annonay"
    assert capitalize("") == ""


@pytest.mark.parametrize(("n", "total", "kwargs", "expected"), [
    (1, 3, {"feminine": True}, "1 des 3 communes a"),  # singular
    (2, 3, {"feminine": True}, "2 des 3 communes ont"),  # plural
    (0, 3, {"feminine": True}, "aucune des 3 communes n'a"),  # zero
    (1, 1, {"feminine": True}, "la seule commune a"),  # one of one
    (3, 3, {"feminine": True}, "les 3 communes ont"),  # all of them
    (0, 0, {"feminine": True}, "aucune commune n'a"),  # none of none
    (0, 5, {"verb": ("compte", "comptent")}, "aucun des 5 bailleurs ne compte"),
    (1, 1, {"verb": ("est engagé", "sont engagés")}, "le seul bailleur est engagé"),
    (2, 12, {"verb": ("est engagé", "sont engagés")}, "2 des 12 bailleurs sont engagés"),
    (1234, 4025, {"feminine": True}, "1\u202f234 des 4\u202f025 communes ont"),
])
def test_among(n, total, kwargs, expected):
    singular = "commune" if kwargs.get("feminine") else "bailleur"
    assert among(n, total, singular, **kwargs) == expected


def test_among_with_an_irregular_plural():
    assert among(2, 3, "EPCI", "EPCI", verb=("est", "sont")) == "2 des 3 EPCI sont"
    assert among(1, 2, "bureau", "bureaux") == "1 des 2 bureaux a"


@pytest.mark.parametrize(("n", "total"), [(4, 3), (-1, 3), (0, -1)])
def test_among_refuses_impossible_parts(n, total):
    with pytest.raises(ValueError):
        among(n, total, "commune")


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2023, 8, 29), "le 29/08/2023"),
    ("2023-08-29", "le 29/08/2023"),
    (pd.Timestamp("2023-08-29"), "le 29/08/2023"),
    (None, french.MISSING_DATE),
    (pd.NaT, french.MISSING_DATE),
    ("pas une date", french.MISSING_DATE),
])
def test_on_date(day, expected):
    assert on_date(day) == expected


@pytest.mark.parametrize(("start", "end", "expected"), [
    (dt.date(2023, 2, 1), dt.date(2023, 8, 29), "du 01/02/2023 au 29/08/2023"),
    (dt.date(2023, 8, 29), dt.date(2023, 8, 29), "le 29/08/2023"),  # one day: one date
    (pd.Timestamp("2023-08-29 10:00"), "2023-08-29", "le 29/08/2023"),
    (dt.date(2023, 8, 29), dt.date(2023, 2, 1), "du 01/02/2023 au 29/08/2023"),  # in order
    (dt.date(2022, 12, 31), dt.date(2023, 1, 1), "du 31/12/2022 au 01/01/2023"),
    (dt.date(2023, 2, 1), None, "depuis le 01/02/2023"),
    (None, dt.date(2023, 8, 29), "jusqu'au 29/08/2023"),
    (None, pd.NaT, french.MISSING_DATE),
])
def test_on_dates(start, end, expected):
    assert on_dates(start, end) == expected


def test_a_department_named_without_its_code_finds_its_article():
    assert in_territory("departement", "Ardèche") == "en Ardèche"
    assert of_territory("departement", "Rhône") == "du Rhône"
    assert in_territory("region", "Auvergne-Rhône-Alpes") == "en Auvergne-Rhône-Alpes"
    assert in_territory("departement", "Gironde") == "dans le département Gironde"
    names = store.communes().drop_duplicates("departement").set_index("departement")[
        "departement_nom"]
    assert {name: french.DEPARTEMENT_CODES[name] for name in names} == {
        name: code for code, name in names.items()}


@pytest.mark.parametrize(("n", "feminine", "expected"), [
    (1, False, "1er"), (1, True, "1re"), (2, True, "2e"), (12, False, "12e"),
    (1000, True, "1\u202f000e"),
])
def test_ordinal(n, feminine, expected):
    assert french.ordinal(n, feminine=feminine) == expected


@pytest.mark.parametrize(("n", "total", "expected"), [
    (12, 172, "12e sur 172"), (1, 172, "1re sur 172"), (1, 1, "1re sur 1"),
    (172, 172, "172e sur 172"),
])
def test_rank(n, total, expected):
    assert french.rank(n, total, feminine=True) == expected


@pytest.mark.parametrize(("n", "total"), [(0, 3), (4, 3), (1, 0)])
def test_rank_refuses_impossible_ranks(n, total):
    with pytest.raises(ValueError):
        french.rank(n, total)


@pytest.mark.parametrize(("code", "of", "into"), [
    ("69M", "de la Métropole de Lyon", "dans la Métropole de Lyon"),
    ("69D", "du Rhône (hors Métropole de Lyon)", "dans le Rhône (hors Métropole de Lyon)"),
    ("07", "de l'Ardèche", "en Ardèche"),
])
def test_landlord_page_names_the_rhone_halves(code, of, into):
    # The landlord page filtered on a department: its sentences and its announcement.
    from dashboard.components import announce
    from dashboard.views import bailleurs

    scope = bailleurs.scope_for(None, code)
    assert scope.where == of
    assert bailleurs.in_territory_of(scope) == into
    assert "département" not in scope.where
    data = announce.landlord_scope(None, code, scope.territory).to_plotly_json()["props"]
    assert data["data-annonce"] == f"Bailleurs sociaux {of} affichés"
