"""The official facts of a territory for `python -m dashboard.data summary` (issue 9).

Read from the commune table (the columns built by `official.table`), so the
CLI and the app compute from the same data. Also the two halves of INSEE
department 69 that DREAL publishes apart: `69M` (Métropole de Lyon) and `69D`
(Rhône hors Métropole de Lyon).
"""

from __future__ import annotations

import pandas as pd

from ..values import clean

METROPOLE_LYON_TYPE = "MET69"
RHONE_PARTS = {"69M": "Métropole de Lyon", "69D": "Rhône (hors Métropole de Lyon)"}

COMMUNE_KEYS = ("sru_soumise", "sru_deficitaire", "sru_carencee", "sru_exemptee", "sru_taux",
                "sru_taux_cible", "sru_logements_sociaux_inventaire", "sru_prelevement_2025",
                "pvd_2024", "pvd_date_adhesion", "pvd_jalon_ort", "villages_avenir", "qpv_2024",
                "centralite", "niveau_densite", "pole_hors_programme",
                "rp_recensement_2021", "recensement_statut")


def commune_facts(row: pd.Series) -> dict:
    """The official facts of one commune (a row of the commune table)."""
    return {k: clean(row[k]) for k in COMMUNE_KEYS}


def distinct_qpv(rows: pd.DataFrame) -> int:
    """Distinct QPV 2024 of a set of communes (a QPV on several communes counts once)."""
    return len({q for codes in rows["qpv_2024_codes"].dropna() for q in codes.split(",")})


def territory_facts(rows: pd.DataFrame, epci: bool = False) -> dict:
    """Counts and sums of the official facts over a set of communes."""
    subject = rows["sru_soumise"]
    out = {
        "communes_villages_avenir": int(rows["villages_avenir"].sum()),
        "communes_pvd_2024": int(rows["pvd_2024"].sum()),
        "communes_sru_soumises": int(subject.sum()),
        "communes_sru_deficitaires": int(rows["sru_deficitaire"].sum()),
        "communes_sru_carencees": int(rows["sru_carencee"].sum()),
        "sru_prelevement_2025": round(float(rows.loc[subject, "sru_prelevement_2025"].sum()), 2),
        "poles_hors_programme": int(rows["pole_hors_programme"].sum()),
        "communes_avec_qpv": int((rows["qpv_2024"] > 0).sum()),
        "qpv_2024": distinct_qpv(rows),
    }
    if epci:
        growth = rows["evolution_annuelle_ls_2019_2023"].dropna()
        out["evolution_annuelle_ls_2019_2023"] = (float(growth.iloc[0]) if len(growth)
                                                  else None)
    return out


def rhone_part(df: pd.DataFrame, code: str) -> pd.DataFrame:
    """The communes of `69M` (Métropole de Lyon) or `69D` (the rest of the Rhône)."""
    rhone = df["departement"] == "69"
    metropole = df["epci_type"].eq(METROPOLE_LYON_TYPE).fillna(False)
    return df[rhone & (metropole if code == "69M" else ~metropole)]


def departement_rows(df: pd.DataFrame, code: str) -> pd.DataFrame:
    """The communes of a department code: an INSEE code, or `69D` / `69M`."""
    if code in RHONE_PARTS:
        return rhone_part(df, code)
    return df[df["departement"] == code]
