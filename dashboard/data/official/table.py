"""The official columns of the commune table (issue 9), assembled from the readers.

`official_columns` returns one row per COG 2026 commune with the census,
SRU, PVD 2024, Villages d'avenir, QPV 2024, centrality and density columns
(their contract is in `columns.py`); `ort_milestone` and
`poles_hors_programme` are the two rules computed on the assembled table.
Pure pandas, no Dash.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ... import registry
from .census import main_residences
from .common import CENTRALITY_LEVELS, Reference, reference
from .programmes import pvd_2024, qpv_2024, villages_avenir
from .sru import sru_inventory
from .typologies import centralities, density, rpls_growth_epci

# recensement_statut values
MEASURED = "mesuré"
FORMER_COMMUNE_ONLY = "données disponibles pour l'ancienne commune seulement"
NOT_IN_CENSUS = "absent du recensement"
CENSUS_STATUSES = (MEASURED, FORMER_COMMUNE_ONLY, NOT_IN_CENSUS)

# pvd_jalon_ort values: the ORT is to be signed within 18 months of the PVD adhesion.
ORT_MONTHS = 18
ORT_IN_TIME = "ORT signée dans les 18 mois"
ORT_LATE = "ORT signée après 18 mois"
ORT_NOT_YET = "ORT pas encore signée"
ORT_UNDATED = "ORT signée, date inconnue"
ORT_MILESTONES = (ORT_IN_TIME, ORT_LATE, ORT_NOT_YET, ORT_UNDATED)

# Centrality levels that make a "pôle" (INRAE-CESAER, as used by ANCT).
POLE_LEVELS = CENTRALITY_LEVELS[1:3]

SRU_BOOLS = ("sru_soumise", "sru_deficitaire", "sru_carencee", "sru_exemptee")
SRU_VALUES = ("sru_taux", "sru_taux_cible", "sru_logements_sociaux_inventaire",
              "sru_prelevement_2025")


def official_columns(raw_dir: Path, log: Callable[[str], None],
                     ref: Reference | None = None) -> pd.DataFrame:
    """One row per COG 2026 commune (index `code_insee`) with the official columns.

    `pvd_jalon_ort` and `pole_hors_programme` are added later by the build
    (they need the ORT and ACV/AMI columns). Problem lines go to `log`.
    """
    ref = ref or reference(raw_dir)
    out = pd.DataFrame(index=pd.Index(ref.communes["code_insee"], name="code_insee"))

    census = main_residences(raw_dir, ref)
    for line in census.problems():
        log(line)
    c = census.communes
    out["rp_recensement_2021"] = c["menages_2021"]
    out["population_2015"] = c["population_2015"]
    out["population_2021"] = c["population_2021"]
    status = pd.Series(MEASURED, index=c.index, dtype="object")
    status[c["ancienne_commune"].notna().to_numpy()] = FORMER_COMMUNE_ONLY
    status[c["recensement_absent"].to_numpy()] = NOT_IN_CENSUS
    out["recensement_statut"] = status
    out["recensement_ancienne_commune"] = c["ancienne_commune"]
    whole = census.splits.set_index("ancienne_commune")["menages_2021"]
    out["rp_recensement_ancienne_commune"] = pd.array(
        c["ancienne_commune"].map(whole).to_numpy(), dtype="Int64")

    sru = sru_inventory(raw_dir, ref)
    for line in sru.problems:
        log(line)
    s = sru.table
    for col in SRU_BOOLS:
        out[col] = out.index.map(s[col]).fillna(False).astype(bool) if len(s) else False
    subject = out["sru_soumise"]
    for col in SRU_VALUES:
        values = s[col].reindex(out.index)
        out[col] = values.where(subject.to_numpy(), pd.NA)

    pvd = pvd_2024(raw_dir, ref)
    for line in pvd.problems:
        log(line)
    p = pvd.table.reindex(out.index)
    out["pvd_2024"] = p["pvd"].astype("boolean").fillna(False).astype(bool)
    out["pvd_date_adhesion"] = p["pvd_date_adhesion"].astype("datetime64[ns]")
    out["pvd_sortie"] = p["pvd_sortie"].astype("boolean").fillna(False).astype(bool)

    va = villages_avenir(raw_dir, ref)
    for line in va.problems:
        log(line)
    out["villages_avenir"] = out.index.isin(va.table.index)

    qpv = qpv_2024(raw_dir, ref)
    for line in qpv.problems:
        log(line)
    q = qpv.table.reindex(out.index)
    out["qpv_2024"] = q["qpv_2024"].fillna(0).astype("int64")
    out["qpv_2024_codes"] = q["qpv_codes"]

    out["centralite"] = centralities(raw_dir).reindex(out.index)
    out["niveau_densite"] = density(raw_dir).reindex(out.index)
    growth = rpls_growth_epci(raw_dir)
    epci = ref.communes.set_index("code_insee")["epci_siren"].reindex(out.index)
    out["evolution_annuelle_ls_2019_2023"] = pd.array(epci.map(growth).to_numpy(),
                                                      dtype="Float64")
    return out


def ort_milestone(adhesion: pd.Series, ort_statut: pd.Series,
                  ort_date: pd.Series) -> pd.Series:
    """Where each PVD commune stands on the ORT milestone (18 months after its adhesion).

    NA when the commune has no adhesion date; signed on the last day of the
    18th month counts as in time.
    """
    adhesion = pd.to_datetime(adhesion)
    ort_date = pd.to_datetime(ort_date)
    deadline = adhesion + pd.DateOffset(months=ORT_MONTHS)
    signed = ort_statut.eq("Signée").fillna(False).to_numpy()
    out = pd.Series(pd.NA, index=adhesion.index, dtype="object")
    has = adhesion.notna().to_numpy()
    out[has] = ORT_NOT_YET
    out[has & signed & ort_date.isna().to_numpy()] = ORT_UNDATED
    dated = has & signed & ort_date.notna().to_numpy()
    in_time = (ort_date <= deadline).fillna(False).to_numpy()
    out[dated & in_time] = ORT_IN_TIME
    out[dated & ~in_time] = ORT_LATE
    return out


def poles_hors_programme(df: pd.DataFrame) -> pd.Series:
    """Centres structurants or intermédiaires in none of ACV, PVD 2024, AMI 2014, Villages d'avenir.

    The programmes are the registry's `pole_programmes()` (needs `centralite` and
    their columns: `acv`, `pvd_2024`, `ami_centres_bourgs`, `villages_avenir`); an
    ORT signed on its own does not count as a programme here.
    """
    pole = df["centralite"].isin(POLE_LEVELS).fillna(False).to_numpy()
    member = pd.concat([p.flag(df) for p in registry.pole_programmes()], axis=1).any(axis=1)
    return pd.Series(pole & ~member.to_numpy(), index=df.index)
