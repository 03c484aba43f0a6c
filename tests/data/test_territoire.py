"""Profile of one EPCI: known answers on small frames, then on the app's table."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.data import territoire
from dashboard.data.aggregate import UnknownCode

NBSP = "\u00a0"


def commune(code, nom, dep, epci, pop, ls, rp, **extra) -> dict:
    """One row of the commune table with neutral defaults."""
    row = {
        "code_insee": code, "nom": nom, "departement": dep,
        "departement_nom": {"01": "Ain", "69": "Rhône", "07": "Ardèche"}[dep],
        "region": "84", "region_nom": "Auvergne-Rhône-Alpes",
        "epci_siren": epci, "epci_nom": {"200000001": "CA Test", "200000002": "CC Autre",
                                         "200000003": "CC Égale"}[epci],
        "epci_type": "CA", "population": pop, "logements_sociaux": ls,
        "residences_principales": float(rp), "residences_principales_estimees": False,
        "taux_logements_sociaux": 100 * ls / rp if rp else math.nan,
        "sru_seuil_applicable": False, "acv": False, "acv_phase": pd.NA,
        "acv_date_signature": pd.NaT, "acv_actions_en_cours": pd.NA,
        "acv_actions_livrees": pd.NA, "pvd": False, "ami_centres_bourgs": False,
        "ort_statut": None, "ort_date_signature": pd.NaT,
        "villages_avenir": False, "sru_soumise": False, "sru_deficitaire": False,
        "sru_carencee": False, "sru_prelevement_2025": math.nan, "qpv_2024": 0,
        "qpv_2024_codes": None,
    }
    row.update(extra)
    row.setdefault("pvd_2024", row["pvd"])  # the registry's PVD is the January 2024 list
    return row


@pytest.fixture
def frame() -> pd.DataFrame:
    """EPCI 200000001 straddles Ain (2 small communes) and Rhône (1 big one)."""
    rows = [
        # 10 % and 30 %: mean 20 %, ratio of sums 25 %.
        commune("01001", "Alpha", "01", "200000001", 1000, 10, 100,
                acv=True, acv_phase=1, acv_date_signature=pd.Timestamp("2018-09-26"),
                acv_actions_en_cours=7, acv_actions_livrees=22, ort_statut="Signée",
                ort_date_signature=pd.Timestamp("2019-04-24"), sru_seuil_applicable=True),
        commune("01002", "Bravo", "01", "200000001", 2000, 0, 300,
                residences_principales_estimees=True, pvd=True, ort_statut="En cours"),
        commune("69001", "Charlie", "69", "200000001", 5000, 90, 300,
                ami_centres_bourgs=True, ort_statut="Signée",
                ort_date_signature=pd.Timestamp("2013-05-02")),
        commune("69002", "Delta", "69", "200000002", 500, 50, 100),
        commune("07001", "Echo", "07", "200000003", 300, 0, 100),
        commune("07002", "Foxtrot", "07", "200000003", 300, 0, 100),
        commune("01003", "Golf", "01", "200000003", 300, 30, 100),
        commune("01004", "Golf", "01", "200000003", 300, 30, 100),
    ]
    df = pd.DataFrame(rows)
    for col in ("acv_phase", "acv_actions_en_cours", "acv_actions_livrees"):
        df[col] = df[col].astype("Int64")
    return df


# --- pure functions ----------------------------------------------------------------------

def test_epci_share_is_ratio_of_sums_not_mean_of_rates(frame):
    p = territoire.epci_profile(frame, "200000001")
    assert p["epci"]["logements_sociaux"] == 100
    assert p["epci"]["residences_principales"] == 700
    assert p["epci"]["taux_logements_sociaux"] == pytest.approx(100 * 100 / 700)
    mean_of_rates = frame[frame["epci_siren"] == "200000001"]["taux_logements_sociaux"].mean()
    assert p["epci"]["taux_logements_sociaux"] != pytest.approx(mean_of_rates)


def test_department_is_the_one_with_most_population(frame):
    # Two communes in the Ain, one in the Rhône, but the Rhône has 5 000 of 8 000.
    assert territoire.main_departement(frame, "200000001") == "69"
    p = territoire.epci_profile(frame, "200000001")
    # In the Rhône, an EPCI other than the Métropole de Lyon compares with 69D.
    assert p["departement"] == "69D"
    assert p["departement_nom"] == "Rhône (hors Métropole de Lyon)"
    assert p["a_cheval"] is True
    assert [d["departement"] for d in p["departements"]] == ["69", "01"]
    assert p["departements"][0]["part_population"] == pytest.approx(62.5)
    # Department totals are those of all the Rhône's communes outside the Métropole (two
    # EPCI, none of them the Métropole).
    assert p["departement_totals"]["logements_sociaux"] == 140
    assert p["departement_totals"]["taux_logements_sociaux"] == pytest.approx(35.0)
    assert p["region_totals"]["nb_communes"] == len(frame)
    assert p["communes_estimees"] == 1


def test_department_tie_goes_to_the_lower_code(frame):
    # CC Égale: 600 inhabitants in the Ardèche (07), 600 in the Ain (01).
    assert territoire.main_departement(frame, "200000003") == "01"
    assert territoire.epci_profile(frame, "200000002")["a_cheval"] is False


def test_unknown_epci_raises_french_error(frame):
    with pytest.raises(UnknownCode, match="EPCI inconnu"):
        territoire.epci_profile(frame, "999999999")


def test_commune_shares_sorted_highest_first_with_unique_labels(frame):
    shares = territoire.commune_shares(frame, "200000001")
    assert shares["nom"].tolist() == ["Charlie", "Alpha", "Bravo"]
    assert shares["taux_logements_sociaux"].iloc[0] == pytest.approx(30.0)
    assert shares["programme"].tolist() == [True, True, True]
    twins = territoire.commune_shares(frame, "200000003")
    assert set(twins["libelle"]) >= {"Golf (01003)", "Golf (01004)"}
    assert twins["libelle"].is_unique


def test_programme_communes_and_french_display(frame):
    table = territoire.programme_communes(frame, "200000001")
    assert table["nom"].tolist() == ["Charlie", "Bravo", "Alpha"]  # largest first
    assert table.set_index("nom").loc["Alpha", "programmes"] == "ACV, ORT"
    assert table.set_index("nom").loc["Charlie", "programmes"] == "AMI centres-bourgs, ORT"
    rows = {r["commune"]: r for r in territoire.programme_display(table)}
    assert rows["Alpha"] == {"commune": "Alpha", "programmes": "ACV, ORT", "pvd": "—",
                             "acv_convention": "26/09/2018",
                             "ort": "Signée le 24/04/2019", "jalon": "—",
                             "actions": "7 en cours, 22 livrées"}  # no ACV phase any more
    assert rows["Bravo"]["ort"] == "En cours"
    assert "Phase" not in str(rows)
    assert territoire.programme_communes(frame, "200000002").empty


def test_milestones_since_2014_oldest_first(frame):
    events = territoire.milestones(frame, "200000001")
    assert events["evenement"].tolist() == [territoire.EVENT_AMI, territoire.EVENT_ACV,
                                            territoire.EVENT_ORT]
    assert events["commune"].tolist() == ["Charlie", "Alpha", "Alpha"]
    assert events["annee_seule"].tolist() == [True, False, False]
    assert events["date"].iloc[1] == pd.Timestamp("2018-09-26")
    # Charlie's 2013 ORT is before 2014; Bravo's PVD membership has no date.
    assert "Signature de l'ORT" not in events[events["commune"] == "Charlie"]["evenement"].tolist()
    assert "Bravo" not in events["commune"].tolist()
    assert territoire.milestones(frame, "200000002").empty


def engagements(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["bailleur_siren", "code_insee", "niveau_engagement"])


def test_engaged_landlords_count_programme_communes_only(frame):
    eng = engagements([
        ("000000101", "01001", "opération engagée"),
        ("000000101", "01002", "sollicité"),
        ("000000102", "01002", "partenaire de la convention"),
        ("000000103", "69002", "opération livrée"),  # Delta is no programme commune
        ("000000104", "69001", "non sollicité"),
    ])
    assert territoire.engaged_landlords(eng, frame[frame["epci_siren"] == "200000001"]) == 2
    assert territoire.engaged_landlords(eng, frame) == 2
    assert territoire.engaged_landlords(eng, frame[frame["departement"] == "69"]) == 0


def test_comparison_table_has_the_region_last(frame):
    table = territoire.comparison_table(frame, ["200000001", "200000002"])
    assert table["code"].tolist() == ["200000001", "200000002", "84"]
    assert table["region"].tolist() == [False, False, True]
    assert table["taux_logements_sociaux"].iloc[0] == pytest.approx(100 * 100 / 700)
    assert table["communes_programme"].tolist() == [3, 0, 3]
    assert table["taux_engagement"].isna().all()  # no landlord table given


def square(code: str, x: float, y: float, size: float = 1.0) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Feature", "id": code, "properties": {"code": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_geometry_subset_and_label_points():
    layer = {"type": "FeatureCollection",
             "features": [square("01001", 0, 0), square("01002", 0.1, 0.1),
                          square("01003", 5, 5)]}
    subset = territoire.geometry_subset(layer, ["01001", "01003"])
    assert [f["id"] for f in subset["features"]] == ["01001", "01003"]
    points = territoire.label_points(layer, ["01001", "01002", "01003", "99999"])
    # 01002 is almost on top of 01001: its name would overlap, it is dropped.
    assert points["code_insee"].tolist() == ["01001", "01003"]
    assert 0 <= points["lon"].iloc[0] <= 1 and 0 <= points["lat"].iloc[0] <= 1
