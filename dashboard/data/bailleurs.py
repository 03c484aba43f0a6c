"""Landlord engagement in the revitalisation programmes (data owned by AURA-HLM).

No public file says which social landlords take part in which programme, so
the project defines the format (`ENGAGEMENT_COLUMNS`, one row per landlord ×
commune × programme), ships a fill-in template (`data/templates/`) and runs on
a seeded demonstration file with fictitious landlords
(`data/demo/engagements_bailleurs_demo.csv`) until AURA-HLM puts its own file
at `data/engagements_bailleurs.csv` (or `.xlsx`): that file then replaces the
demonstration with no code change.

Validation reuses the contract machinery of `schema.py` (TableContract,
read_table, check_frame): one French line per problem. Rows whose programme
does not match the commune table only give warnings.

All indicators count engagement rows on *programme communes* (ACV, PVD, AMI
centres-bourgs or ORT signée in the commune table) only; rows elsewhere are
reported by `programme_warnings`. A landlord is "engagé" from the level
`ENGAGED_FROM` ("partenaire de la convention") upwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import random
import re
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from .. import config
from ..formatting import fmt_date, fmt_int
from . import store
from .aggregate import UnknownCode, rate
from .atomic import write_files_atomically
from .build import COMMUNES_FILE
from .columns import CODE_INSEE_PATTERN, KIND_LABELS, SIREN_PATTERN, ColumnSpec
from .docs import _table
from .schema import (
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MB,
    TableContract,
    TableError,
    column_problem,
    read_table,
)

KEY_COLUMN = "bailleur_siren"
"""Column that identifies this table (the CLI's `validate` recognises it by it)."""

BAILLEUR_TYPES: tuple[str, ...] = ("OPH", "ESH", "Coopérative", "SEM")
PROGRAMMES: tuple[str, ...] = ("ACV", "PVD", "AMI centres-bourgs", "ORT")
ENGAGEMENT_LEVELS: tuple[str, ...] = (
    "non sollicité",
    "sollicité",
    "partenaire de la convention",
    "opération engagée",
    "opération livrée",
)
"""The ordered engagement scale, lowest first; a level's rank is its index (0–4)."""

ENGAGED_FROM = "partenaire de la convention"
"""Threshold: a landlord is "engagé" when its level is this one or beyond."""
ENGAGED_RANK = ENGAGEMENT_LEVELS.index(ENGAGED_FROM)

LEVEL_DEFINITIONS: dict[str, str] = {
    "non sollicité": "le bailleur n'a pas été sollicité pour le programme dans cette commune.",
    "sollicité": "le bailleur a été contacté (réunion, demande d'avis, appel à projets) sans "
                 "engagement formel.",
    "partenaire de la convention": "le bailleur est signataire ou partenaire nommé de la "
                                   "convention du programme (convention ACV ou PVD, ORT…).",
    "opération engagée": "au moins une opération de logement (construction, réhabilitation, "
                         "acquisition-amélioration) est engagée : financement obtenu ou "
                         "travaux lancés.",
    "opération livrée": "au moins une opération de logement du programme est livrée.",
}

KEY: tuple[str, ...] = ("bailleur_siren", "code_insee", "programme")

REAL_FILES: tuple[str, ...] = ("engagements_bailleurs.csv", "engagements_bailleurs.xlsx")
DEMO_DIR = "demo"
DEMO_FILE = "engagements_bailleurs_demo.csv"
TEMPLATE_DIR = "templates"
TEMPLATE_CSV = "engagements_bailleurs_modele.csv"
TEMPLATE_XLSX = "engagements_bailleurs_modele.xlsx"
DEMO_SEED = 2026
DEMO_LABEL = "données de démonstration"
FIXED_TIMESTAMP = dt.datetime(2026, 1, 1, 0, 0, 0)  # template metadata: byte-stable files

AURA_HLM = "AURA-HLM, déclarations des bailleurs sociaux"
VINTAGE = "date_information de chaque ligne"

# Programme label -> how the commune table says a commune is in it.
PROGRAMME_LABELS: dict[str, str] = {
    "ACV": "Action Cœur de Ville",
    "PVD": "Petites villes de demain",
    "AMI centres-bourgs": "AMI centres-bourgs (2014)",
    "ORT": "ORT signée",
}

ENGAGEMENT_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("bailleur_nom", "text", "", "Nom de l'organisme HLM (bailleur social).",
               origin=AURA_HLM, origin_vintage=VINTAGE),
    ColumnSpec("bailleur_siren", "code", "",
               "SIREN de l'organisme (9 chiffres, sans espace). Dans le fichier de "
               "démonstration, numéros fictifs commençant par 000000 et ne respectant pas la "
               "clé de contrôle d'un vrai SIREN.",
               origin=AURA_HLM, origin_vintage=VINTAGE, pattern=SIREN_PATTERN),
    ColumnSpec("bailleur_type", "category", "",
               "Famille de l'organisme : OPH (office public de l'habitat), ESH (entreprise "
               "sociale pour l'habitat), Coopérative (société coopérative d'HLM), SEM "
               "(société d'économie mixte agréée).",
               origin=AURA_HLM, origin_vintage=VINTAGE, allowed=BAILLEUR_TYPES),
    ColumnSpec("code_insee", "code", "",
               "Code INSEE de la commune (5 caractères, COG 2026) ; doit figurer dans la table "
               "des communes.", ("communes",), pattern=CODE_INSEE_PATTERN),
    ColumnSpec("programme", "category", "",
               "Programme de revitalisation : ACV (Action Cœur de Ville), PVD (Petites villes "
               "de demain), AMI centres-bourgs (lauréats 2014), ORT (opération de "
               "revitalisation de territoire). Un avertissement signale une commune qui n'est "
               "pas dans ce programme selon la table des communes.",
               origin=AURA_HLM, origin_vintage=VINTAGE, allowed=PROGRAMMES),
    ColumnSpec("niveau_engagement", "category", "",
               "Niveau d'engagement du bailleur, échelle ordonnée du plus faible au plus fort : "
               + " < ".join(ENGAGEMENT_LEVELS) + ". « Engagé » = « " + ENGAGED_FROM
               + " » ou au-delà.",
               origin=AURA_HLM, origin_vintage=VINTAGE, allowed=ENGAGEMENT_LEVELS),
    ColumnSpec("logements_concernes", "int", "logements",
               "Nombre de logements concernés par l'engagement (0 si aucun pour l'instant).",
               origin=AURA_HLM, origin_vintage=VINTAGE, minimum=0),
    ColumnSpec("date_information", "date", "",
               "Date à laquelle l'information a été recueillie ou mise à jour ; pas "
               "postérieure à la date du jour (une date future rend le fichier invalide).",
               origin=AURA_HLM, origin_vintage=VINTAGE),
    ColumnSpec("donnees_demonstration", "bool", "",
               "True dans le fichier de démonstration (bailleurs fictifs), False dans un "
               "fichier réel. Un fichier n'est traité comme des données de démonstration que "
               "si toutes ses lignes portent True et tous ses SIREN sont fictifs (clé de "
               "contrôle invalide) : un True isolé dans un fichier réel ne change rien (il "
               "donne un avertissement).", origin=AURA_HLM, origin_vintage=VINTAGE),
)
ENGAGEMENT_COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in ENGAGEMENT_COLUMNS)


class EngagementCheck(NamedTuple):
    """Result of checking a file: the frame (None if invalid), problems and warnings."""

    frame: pd.DataFrame | None
    problems: list[str]
    warnings: list[str]


# --- contract and files ------------------------------------------------------------------

def engagement_contract(commune_codes: Iterable[str] | None = None) -> TableContract:
    """The table's contract; commune codes checked against the reference if given."""
    refs = ()
    if commune_codes is not None:
        refs = (("code_insee", frozenset(commune_codes), "la table des communes"),)
    return TableContract("engagements_bailleurs", ENGAGEMENT_COLUMNS, key=KEY, references=refs)


def programme_mask(communes: pd.DataFrame) -> pd.Series:
    """True for the programme communes: ACV, PVD, AMI centres-bourgs or ORT signée."""
    ort = communes["ort_statut"].eq("Signée").fillna(False).astype(bool)
    return (communes["acv"].astype(bool) | communes["pvd"].astype(bool)
            | communes["ami_centres_bourgs"].astype(bool) | ort)


def _programme_flags(communes: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per programme label, indexed by code_insee."""
    return pd.DataFrame({
        "ACV": communes["acv"].astype(bool).to_numpy(),
        "PVD": communes["pvd"].astype(bool).to_numpy(),
        "AMI centres-bourgs": communes["ami_centres_bourgs"].astype(bool).to_numpy(),
        "ORT": communes["ort_statut"].eq("Signée").fillna(False).astype(bool).to_numpy(),
    }, index=pd.Index(communes["code_insee"].astype(str), name="code_insee"))


def programme_warnings(df: pd.DataFrame, communes: pd.DataFrame, offset: int = 2) -> list[str]:
    """Rows whose programme is not one of their commune's (warnings, not errors).

    One French line per programme; `offset` turns the index into file line
    numbers (2 for a CSV or Excel file with its header line).
    """
    flags = _programme_flags(communes)
    flags = flags[~flags.index.duplicated()]
    out: list[str] = []
    known = df["code_insee"].astype(str).isin(flags.index)
    for prog in PROGRAMMES:
        rows = df[(df["programme"] == prog) & known]
        if rows.empty:
            continue
        ok = flags.loc[rows["code_insee"].astype(str), prog].to_numpy()
        bad = rows[~ok]
        if not bad.empty:
            out.append(column_problem(
                "programme", bad.index,
                f"programme « {prog} » pour une commune qui n'est pas « "
                f"{PROGRAMME_LABELS[prog]} » dans la table des communes (ligne conservée, "
                "à vérifier)", bad["code_insee"], offset))
    return out


def _reference_communes() -> tuple[pd.DataFrame | None, list[str]]:
    """The app's commune table, or None with a warning when it cannot be read."""
    try:
        return store.communes(), []
    except (TableError, OSError) as err:
        reason = err.problems[0] if isinstance(err, TableError) and err.problems else str(err)
        return None, [f"table des communes indisponible ({reason}) : codes INSEE et "
                      "programmes non vérifiés"]


def future_dates_problem(df: pd.DataFrame, today: dt.date, offset: int = 2) -> str | None:
    """The rows dated after `today` (an information cannot come from the future), or None."""
    dates = pd.to_datetime(df["date_information"])
    late = dates.notna() & (dates > pd.Timestamp(today))
    if not late.any():
        return None
    return column_problem(
        "date_information", df.index[late],
        f"date postérieure à la date du jour ({fmt_date(today)}) : une information ne peut "
        "pas être datée du futur", dates[late].dt.strftime("%Y-%m-%d"), offset)


def demo_flag_warning(df: pd.DataFrame, offset: int = 2) -> str | None:
    """Rows flagged `donnees_demonstration` = True in a file that is not demonstration data."""
    flagged = df["donnees_demonstration"].astype(bool)
    if not flagged.any() or is_demonstration(df):
        return None
    return column_problem(
        "donnees_demonstration", df.index[flagged],
        "True dans un fichier qui n'est pas le fichier de démonstration (toutes les lignes "
        "n'ont pas True ou des SIREN sont réels) : ignoré, le fichier est traité comme des "
        "données réelles ; mettre False", (), offset)


def check_engagements(path: Path | str, communes: pd.DataFrame | None = None,
                      today: dt.date | None = None) -> EngagementCheck:
    """Read and check an engagement file (CSV, Excel or Parquet).

    Commune codes are checked against `communes` (default: the app's commune
    table); a `date_information` after `today` (default: the date of the day)
    is a problem; programme mismatches and stray demonstration flags are
    returned as warnings.
    """
    warnings: list[str] = []
    if communes is None:
        communes, warnings = _reference_communes()
    codes = None if communes is None else communes["code_insee"].astype(str)
    frame, problems = read_table(Path(path), engagement_contract(codes))
    if frame is None:
        return EngagementCheck(None, problems, warnings)
    offset = 1 if Path(path).suffix.lower() == ".parquet" else 2
    future = future_dates_problem(frame, today or dt.date.today(), offset)
    if future:
        return EngagementCheck(None, [future], warnings)
    if communes is not None:
        warnings += programme_warnings(frame, communes, offset)
    stray = demo_flag_warning(frame, offset)
    if stray:
        warnings.append(stray)
    return EngagementCheck(frame, problems, warnings)


def read_engagements(path: Path | str, communes: pd.DataFrame | None = None
                     ) -> tuple[pd.DataFrame | None, list[str]]:
    """Read and check an engagement file. Returns (frame or None, problem lines).

    Like `schema.read_table`; use `check_engagements` to get the warnings too.
    """
    frame, problems, _ = check_engagements(path, communes)
    return frame, problems


def demo_path() -> Path:
    """The demonstration file: in the data folder, else the one shipped with the code."""
    local = config.data_dir() / DEMO_DIR / DEMO_FILE
    if local.is_file():
        return local
    shipped = config.ROOT / "data" / DEMO_DIR / DEMO_FILE
    return shipped if shipped.is_file() else local


def engagements_path() -> Path:
    """The real file (`data/engagements_bailleurs.csv` or `.xlsx`) if present, else the demo."""
    real = [config.data_dir() / name for name in REAL_FILES]
    present = [p for p in real if p.is_file()]
    if len(present) > 1:
        raise TableError(present[0], [
            "deux fichiers d'engagements des bailleurs sont présents ("
            + " et ".join(p.name for p in present) + ") : n'en garder qu'un"])
    return present[0] if present else demo_path()


def load_engagements() -> pd.DataFrame:
    """The app's engagement table (see `store.engagements_table`); raises TableError."""
    return store.engagements_table()


def clear() -> None:
    """Forget every loaded table (see `store.reset`)."""
    store.reset()


def is_demonstration(df: pd.DataFrame) -> bool:
    """True for demonstration data, the one rule used everywhere.

    A table is demonstration data when it has rows, every row is flagged
    `donnees_demonstration` = True and every SIREN is fictitious (fails the
    check digit every real SIREN satisfies, as in the demo file). One stray
    True in a real file (real SIREN) never labels it as demonstration data.
    """
    if df.empty:
        return False
    if not bool(df["donnees_demonstration"].astype(bool).all()):
        return False
    sirens = df["bailleur_siren"].astype(str)
    return not any(s.isdigit() and _luhn_ok(s) for s in sirens.unique())


# --- indicators --------------------------------------------------------------------------

def level_rank(levels: pd.Series) -> pd.Series:
    """Rank 0–4 of each level on the ordered scale (NA for an unknown label)."""
    ranks = {label: i for i, label in enumerate(ENGAGEMENT_LEVELS)}
    return levels.map(ranks).astype("Int64")


def engaged(df: pd.DataFrame) -> pd.DataFrame:
    """Rows whose level is `ENGAGED_FROM` ("partenaire de la convention") or beyond."""
    return df[(level_rank(df["niveau_engagement"]) >= ENGAGED_RANK).fillna(False)]


def _programme_communes(communes: pd.DataFrame, epci_siren: str | None = None) -> pd.DataFrame:
    """Programme communes of the region or of one EPCI (UnknownCode if none of its communes)."""
    scope = communes
    if epci_siren is not None:
        scope = communes[communes["epci_siren"] == epci_siren]
        if scope.empty:
            raise UnknownCode(f"EPCI inconnu : {epci_siren!r} (aucune commune de la table)")
    return scope[programme_mask(scope)]


def _scope_rows(engagements: pd.DataFrame, programme_communes: pd.DataFrame) -> pd.DataFrame:
    """Engagement rows on the given programme communes, with commune name and EPCI, rank."""
    info = programme_communes[["code_insee", "nom", "epci_siren", "epci_nom"]].rename(
        columns={"nom": "commune_nom"})
    out = engagements.merge(info, on="code_insee", how="inner")
    out["rang"] = level_rank(out["niveau_engagement"])
    return out


def engagement_by_epci(engagements: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """Per EPCI: programme communes, those with an engaged landlord, rate, engaged landlords.

    Columns: epci_siren, epci_nom, communes_programme, communes_engagees,
    taux_engagement (100 × communes_engagees / communes_programme, NaN without
    programme commune), bailleurs_engages (distinct SIREN engaged on its
    programme communes). Every EPCI of the commune table has a row.
    """
    with_epci = communes.dropna(subset=["epci_siren"])
    prog = programme_mask(with_epci)
    rows = engaged(_scope_rows(engagements, with_epci[prog]))
    flags = pd.DataFrame({
        "epci_siren": with_epci["epci_siren"].to_numpy(),
        "epci_nom": with_epci["epci_nom"].to_numpy(),
        "programme": prog.to_numpy(),
        "engagee": (prog & with_epci["code_insee"].isin(rows["code_insee"])).to_numpy(),
    })
    out = flags.groupby(["epci_siren", "epci_nom"], sort=True).agg(
        communes_programme=("programme", "sum"), communes_engagees=("engagee", "sum"),
    ).reset_index()
    landlords = rows.groupby("epci_siren")["bailleur_siren"].nunique()
    out["communes_programme"] = out["communes_programme"].astype("int64")
    out["communes_engagees"] = out["communes_engagees"].astype("int64")
    denominator = out["communes_programme"].where(out["communes_programme"] > 0)
    out["taux_engagement"] = (100 * out["communes_engagees"] / denominator).astype("float64")
    out["bailleurs_engages"] = (out["epci_siren"].map(landlords).fillna(0).astype("int64"))
    return out


def matrix(engagements: pd.DataFrame, communes: pd.DataFrame,
           epci_siren: str | None = None) -> pd.DataFrame:
    """Landlord × programme-commune grid of the highest level, in long form.

    One row per (landlord present on the territory's programme communes,
    programme commune of the territory), whole region when `epci_siren` is
    None. Columns: bailleur_siren, bailleur_nom, bailleur_type, code_insee,
    commune_nom, niveau (rank 0–4, NA when the landlord has no row there) and
    niveau_libelle. `.pivot(index="bailleur_nom", columns="commune_nom",
    values="niveau")` gives the wide matrix.
    """
    pc = _programme_communes(communes, epci_siren)
    rows = _scope_rows(engagements, pc)
    columns = ["bailleur_siren", "bailleur_nom", "bailleur_type", "code_insee", "commune_nom",
               "niveau", "niveau_libelle"]
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "niveau" else "str")
                             for c in columns})
    landlords = (rows.sort_values(["bailleur_siren", "bailleur_nom"])
                 .drop_duplicates("bailleur_siren")[["bailleur_siren", "bailleur_nom",
                                                      "bailleur_type"]])
    places = pc[["code_insee", "nom"]].rename(columns={"nom": "commune_nom"})
    grid = landlords.merge(places, how="cross")
    best = rows.groupby(["bailleur_siren", "code_insee"], as_index=False)["rang"].max()
    grid = grid.merge(best.rename(columns={"rang": "niveau"}),
                      on=["bailleur_siren", "code_insee"], how="left")
    grid["niveau"] = grid["niveau"].astype("Int64")
    labels = dict(enumerate(ENGAGEMENT_LEVELS))
    grid["niveau_libelle"] = grid["niveau"].map(labels, na_action="ignore").astype("str")
    return (grid.sort_values(["bailleur_nom", "bailleur_siren", "commune_nom", "code_insee"])
            [columns].reset_index(drop=True))


def counts_by_type(engagements: pd.DataFrame, communes: pd.DataFrame,
                   epci_siren: str | None = None) -> pd.DataFrame:
    """Per landlord type (all four, in order): distinct landlords and engaged rows.

    Columns: bailleur_type, bailleurs (distinct SIREN with a row on the
    territory's programme communes), bailleurs_engages, lignes_engagees.
    """
    rows = _scope_rows(engagements, _programme_communes(communes, epci_siren))
    hot = engaged(rows)
    out = pd.DataFrame({"bailleur_type": list(BAILLEUR_TYPES)})
    out["bailleurs"] = out["bailleur_type"].map(
        rows.groupby("bailleur_type")["bailleur_siren"].nunique())
    out["bailleurs_engages"] = out["bailleur_type"].map(
        hot.groupby("bailleur_type")["bailleur_siren"].nunique())
    out["lignes_engagees"] = out["bailleur_type"].map(hot.groupby("bailleur_type").size())
    for col in ("bailleurs", "bailleurs_engages", "lignes_engagees"):
        out[col] = out[col].fillna(0).astype("int64")
    return out


def summary_epci(engagements: pd.DataFrame, communes: pd.DataFrame, siren: str) -> dict:
    """Engagement indicators of one EPCI (JSON-friendly; NaN rate -> None).

    Keys: epci_siren, epci_nom, communes_programme, communes_engagees,
    taux_engagement, bailleurs (present on its programme communes),
    bailleurs_engages, logements_engages (dwellings of the engaged rows),
    donnees_demonstration.
    """
    pc = _programme_communes(communes, siren)
    epci_nom = communes.loc[communes["epci_siren"] == siren, "epci_nom"].iloc[0]
    rows = _scope_rows(engagements, pc)
    hot = engaged(rows)
    n_prog = len(pc)
    n_eng = int(pc["code_insee"].isin(hot["code_insee"]).sum())
    taux = rate(n_eng, n_prog)
    return {
        "epci_siren": siren,
        "epci_nom": None if pd.isna(epci_nom) else str(epci_nom),
        "communes_programme": n_prog,
        "communes_engagees": n_eng,
        "taux_engagement": None if math.isnan(taux) else taux,
        "bailleurs": int(rows["bailleur_siren"].nunique()),
        "bailleurs_engages": int(hot["bailleur_siren"].nunique()),
        "logements_engages": int(hot["logements_concernes"].sum()),
        "donnees_demonstration": is_demonstration(engagements),
    }


# --- demonstration file ------------------------------------------------------------------

DEMO_TYPES: tuple[str, ...] = ("OPH", "ESH", "ESH", "Coopérative", "OPH", "ESH", "SEM",
                               "ESH", "OPH", "Coopérative", "ESH", "SEM", "OPH")
DEMO_FIRST_DATE = dt.date(2021, 1, 1)
DEMO_LAST_DATE = dt.date(2025, 12, 31)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def fictitious_sirens(n: int) -> list[str]:
    """`n` SIREN-shaped numbers that no real organisation can have.

    They start with 000000 and fail the Luhn check digit that every real SIREN
    satisfies.
    """
    out: list[str] = []
    number = 101
    while len(out) < n:
        candidate = f"000000{number:03d}"
        if not _luhn_ok(candidate):
            out.append(candidate)
        number += 1
    return out


def demo_landlords() -> pd.DataFrame:
    """The fictitious landlords of the demo: letter name, type, fictitious SIREN."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    sirens = fictitious_sirens(len(DEMO_TYPES))
    return pd.DataFrame({
        "bailleur_nom": [f"Bailleur fictif {letters[i]} – {t} démo"
                         for i, t in enumerate(DEMO_TYPES)],
        "bailleur_siren": sirens,
        "bailleur_type": list(DEMO_TYPES),
    })


def generate_demo(communes: pd.DataFrame, seed: int = DEMO_SEED) -> pd.DataFrame:
    """A seeded demonstration table on the real programme communes.

    Each fictitious landlord works in its "home" department plus one to three
    others; each programme commune gets 0 to 4 of the landlords of its
    department, more and at higher levels in the EPCI drawn as "dynamic", so
    engagement is uneven across EPCI. Every row is flagged
    `donnees_demonstration = True`; the same seed gives the same table.
    """
    rng = random.Random(seed)
    landlords = demo_landlords()
    pc = communes[programme_mask(communes)].sort_values("code_insee")
    flags = _programme_flags(pc)
    departments = sorted(pc["departement"].dropna().unique())
    active: dict[str, list[int]] = {d: [] for d in departments}
    for i in range(len(landlords)):
        home = departments[i % len(departments)] if departments else None
        others = [d for d in departments if d != home]
        chosen = ([home] if home else []) + rng.sample(others, min(len(others),
                                                                   rng.randint(1, 3)))
        for d in chosen:
            active[d].append(i)
    dynamism = {e: rng.random() ** 1.5 for e in sorted(pc["epci_siren"].dropna().unique())}
    span = (DEMO_LAST_DATE - DEMO_FIRST_DATE).days
    records = []
    for commune in pc.itertuples(index=False):
        d = dynamism.get(commune.epci_siren, 0.3)
        candidates = sorted(active.get(commune.departement, []))
        k = min(len(candidates), sum(rng.random() < 0.1 + 0.6 * d for _ in range(4)))
        programmes = [p for p in PROGRAMMES if flags.at[commune.code_insee, p]]
        weights = [3 * (1 - d) + 0.3, 2 * (1 - d) + 0.5, 0.2 + 1.2 * d, 1.8 * d, 1.2 * d]
        for i in sorted(rng.sample(candidates, k)):
            level = rng.choices(ENGAGEMENT_LEVELS, weights=weights)[0]
            rank = ENGAGEMENT_LEVELS.index(level)
            dwellings = (0 if rank < ENGAGED_RANK else rng.randint(0, 30)
                         if rank == ENGAGED_RANK else rng.randint(4, 120))
            records.append({
                **landlords.iloc[i].to_dict(),
                "code_insee": commune.code_insee,
                "programme": rng.choice(programmes),
                "niveau_engagement": level,
                "logements_concernes": dwellings,
                "date_information": (DEMO_FIRST_DATE
                                     + dt.timedelta(days=rng.randrange(span + 1))).isoformat(),
                "donnees_demonstration": True,
            })
    out = pd.DataFrame(records, columns=list(ENGAGEMENT_COLUMN_NAMES))
    return out.sort_values(["code_insee", "programme", "bailleur_siren"]).reset_index(drop=True)


def demo_csv(df: pd.DataFrame) -> str:
    """The CSV text of an engagement table (UTF-8, `,`, dates AAAA-MM-JJ, True/False)."""
    out = df[list(ENGAGEMENT_COLUMN_NAMES)].copy()
    out["date_information"] = pd.to_datetime(out["date_information"]).dt.strftime("%Y-%m-%d")
    out["donnees_demonstration"] = out["donnees_demonstration"].map(
        lambda v: "True" if v else "False")
    return out.to_csv(index=False, lineterminator="\n")


def write_demo(out: Path, communes: pd.DataFrame, seed: int = DEMO_SEED) -> pd.DataFrame:
    """Generate the demo table and write it atomically to `out`; returns it."""
    df = generate_demo(communes, seed)
    text = demo_csv(df)
    write_files_atomically(out.parent, {
        out.name: lambda p: p.write_bytes(text.encode("utf-8"))})
    return df


# --- fill-in template --------------------------------------------------------------------

def template_csv() -> str:
    """Header line of the CSV template."""
    return ",".join(ENGAGEMENT_COLUMN_NAMES) + "\n"


def _instructions() -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = [
        ("Engagement des bailleurs sociaux dans les programmes de revitalisation : modèle à "
         "remplir",),
        (),
        ("Une ligne par bailleur × commune × programme. La combinaison (bailleur_siren, "
         "code_insee, programme) doit être unique.",),
        ("Remplir la feuille « Données » (qui doit rester la première feuille), sans modifier "
         "la ligne d'en-tête.",),
        ("Où déposer le fichier : dans le dossier data/ de l'application, sous le nom "
         "engagements_bailleurs.xlsx (ou, exporté en « CSV UTF-8 », "
         "engagements_bailleurs.csv). Un seul des deux.",),
        ("Vérifier le fichier avant dépôt : python -m dashboard.data validate "
         "data/engagements_bailleurs.xlsx (une ligne en français par problème).",),
        ("Dès qu'un fichier réel est présent, il remplace les données de démonstration au "
         "prochain démarrage de l'application, sans autre modification.",),
        (),
        ("Colonne", "Type", "Définition"),
    ]
    for c in ENGAGEMENT_COLUMNS:
        extra = []
        if c.allowed:
            extra.append("valeurs : " + ", ".join(c.allowed))
        if c.minimum is not None:
            extra.append(f"minimum {c.minimum:g}")
        rows.append((c.name, KIND_LABELS[c.kind],
                     c.definition + (" (" + " ; ".join(extra) + ")" if extra else "")))
    rows += [(), ("Échelle d'engagement (du plus faible au plus fort)", "Rang", "Signification")]
    for i, level in enumerate(ENGAGEMENT_LEVELS):
        rows.append((level, i, LEVEL_DEFINITIONS[level]))
    rows += [
        (),
        (f"Un bailleur est compté comme « engagé » à partir du niveau « {ENGAGED_FROM} ».",),
        ("donnees_demonstration : mettre False pour des données réelles (True est réservé au "
         "fichier de démonstration, aux bailleurs fictifs).",),
        ("Codes (SIREN, code INSEE) : saisis comme du texte, en gardant les zéros initiaux "
         "(« 01004 », pas « 1004 »).",),
    ]
    return rows


def _stable_zip(data: bytes) -> bytes:
    """Re-pack an xlsx byte-stable: openpyxl stamps the current time on the zip
    entries and on the "modified" document property whatever it is set to."""
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, content)
    return buffer.getvalue()


def template_xlsx() -> bytes:
    """The Excel template: « Données » (header, drop-downs) and « Instructions » sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    last = 5000
    wb = Workbook()
    ws = wb.active
    ws.title = "Données"
    ws.append(list(ENGAGEMENT_COLUMN_NAMES))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    letter = {name: get_column_letter(i + 1) for i, name in enumerate(ENGAGEMENT_COLUMN_NAMES)}
    widths = {"bailleur_nom": 36, "niveau_engagement": 28, "programme": 20}
    for name, col in letter.items():
        ws.column_dimensions[col].width = widths.get(name, max(14, len(name) + 2))
    for name in ("bailleur_nom", "bailleur_siren", "code_insee"):
        ws.column_dimensions[letter[name]].number_format = "@"
    ws.column_dimensions[letter["date_information"]].number_format = "yyyy-mm-dd"

    def add(dv: DataValidation, name: str, prompt: str) -> None:
        dv.error = prompt
        dv.errorTitle = "Valeur non valide"
        dv.prompt = prompt
        dv.showErrorMessage = True
        dv.showInputMessage = True
        dv.add(f"{letter[name]}2:{letter[name]}{last}")
        ws.add_data_validation(dv)

    lists = {
        "bailleur_type": (BAILLEUR_TYPES, "Choisir le type de l'organisme."),
        "programme": (PROGRAMMES, "Choisir le programme."),
        "niveau_engagement": (ENGAGEMENT_LEVELS, "Choisir le niveau d'engagement."),
        "donnees_demonstration": (("True", "False"), "False pour des données réelles."),
    }
    for name, (values, prompt) in lists.items():
        add(DataValidation(type="list", formula1='"' + ",".join(values) + '"',
                           allow_blank=False), name, prompt)
    add(DataValidation(type="textLength", operator="equal", formula1="9"), "bailleur_siren",
        "SIREN : 9 chiffres, sans espace.")
    add(DataValidation(type="textLength", operator="equal", formula1="5"), "code_insee",
        "Code INSEE : 5 caractères (COG 2026), avec le zéro initial.")
    add(DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0"),
        "logements_concernes", "Nombre entier de logements, 0 ou plus.")
    add(DataValidation(type="date", operator="greaterThan", formula1="36526"),
        "date_information", "Date au format AAAA-MM-JJ.")

    info = wb.create_sheet("Instructions")
    for row in _instructions():
        info.append(list(row))
    info.column_dimensions["A"].width = 40
    info.column_dimensions["B"].width = 22
    info.column_dimensions["C"].width = 100
    info["A1"].font = Font(bold=True, size=13)
    for row in info.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=cell.column == 3, vertical="top")
            if cell.value in ("Colonne", "Échelle d'engagement (du plus faible au plus fort)"):
                for c in row:
                    c.font = Font(bold=True)

    wb.properties.creator = "AURA-HLM"
    wb.properties.lastModifiedBy = "AURA-HLM"
    wb.properties.title = "Engagement des bailleurs sociaux : modèle"
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    buffer = io.BytesIO()
    wb.save(buffer)
    return _stable_zip(buffer.getvalue())


def write_templates(out_dir: Path) -> list[Path]:
    """Write the CSV and Excel templates into `out_dir` atomically; returns their paths."""
    csv_text = template_csv()
    xlsx = template_xlsx()
    write_files_atomically(out_dir, {
        TEMPLATE_CSV: lambda p: p.write_bytes(csv_text.encode("utf-8")),
        TEMPLATE_XLSX: lambda p: p.write_bytes(xlsx),
    })
    return [out_dir / TEMPLATE_CSV, out_dir / TEMPLATE_XLSX]


# --- documentation -----------------------------------------------------------------------

def schema_markdown_section() -> list[str]:
    """Markdown lines documenting this table in data/SCHEMA.md."""
    scale = [f"- rang {i}, « {level} » : {LEVEL_DEFINITIONS[level]}"
             for i, level in enumerate(ENGAGEMENT_LEVELS)]
    return [
        "## `data/engagements_bailleurs.csv` (ou `.xlsx`) : engagement des bailleurs sociaux",
        "",
        "Une ligne par bailleur × commune × programme ; clé : (`bailleur_siren`, `code_insee`, "
        "`programme`), unique. Aucune source publique ne fournit ces données : elles "
        "appartiennent à AURA-HLM. Modèle à remplir : `data/templates/" + TEMPLATE_XLSX
        + "` (ou `" + TEMPLATE_CSV + "`), généré par "
        "`python -m dashboard.data template-bailleurs` ; vérification : "
        "`python -m dashboard.data validate CHEMIN`. Les codes INSEE doivent figurer dans la "
        "table des communes ; une ligne dont le programme ne correspond pas à la commune "
        "donne un avertissement ; une `date_information` postérieure à la date du jour rend "
        "le fichier invalide.",
        "",
        "Avant toute lecture, un fichier est refusé (message en français) s'il dépasse "
        f"{fmt_int(MAX_ROWS)} lignes, si un classeur `.xlsx` dépasserait "
        f"{MAX_UNCOMPRESSED_BYTES // MB} Mo une fois décompressé ou est anormalement "
        "compressé, s'il déclare des entités XML, ou s'il "
        "s'agit d'un ancien classeur `.xls` renommé en `.xlsx` (à réenregistrer au format "
        "`.xlsx` ou « CSV UTF-8 »). Les noms et textes du fichier sont affichés tels quels, "
        "jamais interprétés (ni dans les graphiques ni dans les exports CSV, où une cellule "
        "commençant par `=`, `+`, `-`, `@`, une tabulation ou un retour chariot reçoit une "
        "apostrophe initiale).",
        "",
        "Tant que ce fichier est absent, l'application utilise le fichier de démonstration "
        f"`data/{DEMO_DIR}/{DEMO_FILE}` (`python -m dashboard.data demo-bailleurs`, graine "
        f"{DEMO_SEED}) : bailleurs fictifs (« Bailleur fictif A – OPH démo »…), SIREN fictifs "
        "(000000…, clé de contrôle invalide), placés sur les vraies communes des programmes, "
        f"toutes les lignes avec `donnees_demonstration` = True et signalées comme "
        f"« {DEMO_LABEL} » à l'écran.",
        "",
        "Échelle d'engagement (ordonnée) :",
        "",
        *scale,
        "",
        f"Un bailleur est « engagé » à partir du niveau « {ENGAGED_FROM} » (rang "
        f"{ENGAGED_RANK}). Les indicateurs ne comptent que les lignes situées sur des "
        "communes de programme (ACV, PVD, AMI centres-bourgs ou ORT signée) ; taux "
        "d'engagement d'un EPCI = 100 × communes de programme ayant au moins un bailleur "
        "engagé / communes de programme.",
        "",
        *_table(ENGAGEMENT_COLUMNS),
        "",
    ]


# --- command line ------------------------------------------------------------------------

def add_cli(sub) -> None:
    """Register the `demo-bailleurs` and `template-bailleurs` subcommands."""
    d = sub.add_parser("demo-bailleurs",
                       help="générer le fichier de démonstration des engagements des "
                            "bailleurs (bailleurs fictifs)")
    d.add_argument("--seed", type=int, default=DEMO_SEED,
                   help=f"graine du tirage ({DEMO_SEED} par défaut)")
    d.add_argument("--out", type=Path, default=None,
                   help=f"fichier à écrire (data/{DEMO_DIR}/{DEMO_FILE} par défaut)")
    d.add_argument("--communes", type=Path, default=None,
                   help="table des communes (celle servie par défaut)")
    t = sub.add_parser("template-bailleurs",
                       help="écrire le modèle à remplir des engagements (CSV et Excel)")
    t.add_argument("--out", type=Path, default=None,
                   help=f"dossier de sortie (data/{TEMPLATE_DIR}/ par défaut)")


def run_cli(args: argparse.Namespace) -> int:
    """Run a subcommand registered by `add_cli`; 2 for an unknown one."""
    if args.command == "demo-bailleurs":
        communes = store.load_communes(args.communes or store.table_path(COMMUNES_FILE))
        out = args.out or config.data_dir() / DEMO_DIR / DEMO_FILE
        df = write_demo(out, communes, args.seed)
        print(f"écrit : {out} ({len(df)} lignes, {df['bailleur_siren'].nunique()} bailleurs "
              f"fictifs, {df['code_insee'].nunique()} communes, graine {args.seed})")
        return 0
    if args.command == "template-bailleurs":
        out_dir = args.out or config.data_dir() / TEMPLATE_DIR
        for path in write_templates(out_dir):
            print(f"écrit : {path}")
        return 0
    print(f"erreur : commande inconnue : {args.command}", file=sys.stderr)
    return 2


# --- views of the "Bailleurs" page -------------------------------------------------------

MAX_MATRIX_LANDLORDS = 15
MAX_MATRIX_COMMUNES = 25


class MatrixView(NamedTuple):
    """A landlord × commune matrix cut to a readable size, with its row and column order."""

    frame: pd.DataFrame  # rows of `matrix` for the kept landlords and communes
    landlords: list[str]  # SIREN, most engaged first
    communes: list[str]  # INSEE codes, most landlords first
    total_landlords: int
    total_communes: int


def in_departement(communes: pd.DataFrame, departement: str | None) -> pd.DataFrame:
    """The communes of one department (all of them when `departement` is None)."""
    if departement is None:
        return communes
    return communes[communes["departement"] == departement]


def scope_summary(engagements: pd.DataFrame, communes: pd.DataFrame) -> dict:
    """Engagement indicators of any set of communes (region, department, EPCI).

    Keys: communes_programme, communes_engagees, taux_engagement (ratio of
    the counts, None without programme commune), bailleurs (present on its
    programme communes), bailleurs_engages.
    """
    pc = communes[programme_mask(communes)]
    rows = _scope_rows(engagements, pc)
    hot = engaged(rows)
    n_eng = int(pc["code_insee"].isin(hot["code_insee"]).sum())
    taux = rate(n_eng, len(pc))
    return {
        "communes_programme": len(pc),
        "communes_engagees": n_eng,
        "taux_engagement": None if math.isnan(taux) else taux,
        "bailleurs": int(rows["bailleur_siren"].nunique()),
        "bailleurs_engages": int(hot["bailleur_siren"].nunique()),
    }


def epci_rates(engagements: pd.DataFrame, communes: pd.DataFrame,
               departement: str | None = None) -> pd.DataFrame:
    """`engagement_by_epci` for the EPCI with at least one programme commune.

    Rates are those of the whole EPCI; with `departement`, only the EPCI
    having a commune in it are kept. Sorted by rate (highest first), then
    engaged communes (most first), then name.
    """
    out = engagement_by_epci(engagements, communes)
    out = out[out["communes_programme"] > 0]
    if departement is not None:
        present = set(in_departement(communes, departement)["epci_siren"].dropna())
        out = out[out["epci_siren"].isin(present)]
    return (out.sort_values(["taux_engagement", "communes_engagees", "epci_nom"],
                            ascending=[False, False, True], kind="mergesort")
            .reset_index(drop=True))


def cap_matrix(grid: pd.DataFrame, max_landlords: int = MAX_MATRIX_LANDLORDS,
               max_communes: int = MAX_MATRIX_COMMUNES) -> MatrixView:
    """Keep the most engaged landlords and the communes where most landlords are present.

    `grid` is the output of `matrix`. Landlords are ordered by number of
    communes where they are engaged, then communes where they have a row, then
    name; communes by number of landlords with a row, then engaged
    landlords, then name.
    """
    has_row = grid["niveau"].notna()
    is_engaged = (grid["niveau"] >= ENGAGED_RANK).fillna(False).astype(bool)
    marks = grid.assign(ligne=has_row.astype(int), engage=is_engaged.astype(int))
    landlords = (marks.groupby(["bailleur_siren", "bailleur_nom"], as_index=False)
                 [["engage", "ligne"]].sum()
                 .sort_values(["engage", "ligne", "bailleur_nom", "bailleur_siren"],
                              ascending=[False, False, True, True], kind="mergesort"))
    places = (marks.groupby(["code_insee", "commune_nom"], as_index=False)
              [["ligne", "engage"]].sum()
              .sort_values(["ligne", "engage", "commune_nom", "code_insee"],
                           ascending=[False, False, True, True], kind="mergesort"))
    keep_l = landlords["bailleur_siren"].head(max_landlords).tolist()
    keep_c = places["code_insee"].head(max_communes).tolist()
    frame = grid[grid["bailleur_siren"].isin(keep_l) & grid["code_insee"].isin(keep_c)]
    return MatrixView(frame.reset_index(drop=True), keep_l, keep_c, len(landlords), len(places))


def programme_commune_names(communes: pd.DataFrame) -> list[str]:
    """Names of the programme communes of a set of communes, sorted."""
    return sorted(communes.loc[programme_mask(communes), "nom"].astype(str))


def information_dates(engagements: pd.DataFrame) -> tuple[dt.date | None, dt.date | None]:
    """First and last `date_information` of the table (None, None when empty)."""
    dates = pd.to_datetime(engagements["date_information"]).dropna()
    if dates.empty:
        return None, None
    return dates.min().date(), dates.max().date()
