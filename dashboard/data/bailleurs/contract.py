"""The landlord engagement file: its columns, its contract and its checks.

No public file says which social landlords take part in which programme, so
the project defines the format (`ENGAGEMENT_COLUMNS`, one row per landlord ×
commune × programme). AURA-HLM's own file is `data/engagements_bailleurs.csv`
(or `.xlsx`); until it is there the app runs on the demonstration file
(`demo.py`). Validation reuses the contract machinery of `schema/`
(TableContract, read_table): one French line per problem. Rows whose programme
does not match the commune table only give warnings. `is_demonstration` is the
one rule that tells demonstration data from real data.

No `store` here: the commune table is passed in (store imports this module). Programmes
and the programme-commune rule come from `dashboard.registry`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from ... import config, registry
from ...formatting import fmt_date
from ...registry import programme_flags
from ..columns import CODE_INSEE_PATTERN, SIREN_PATTERN, ColumnSpec
from ..schema import TableContract, TableError, column_problem, read_table

KEY_COLUMN = "bailleur_siren"
"""Column that identifies this table (the CLI's `validate` recognises it by it)."""

BAILLEUR_TYPES: tuple[str, ...] = ("OPH", "ESH", "Coopérative", "SEM")
PROGRAMMES: tuple[str, ...] = registry.KEYS
"""Allowed `programme` values: the keys of the programme registry, in its order."""
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

AURA_HLM = "AURA-HLM, déclarations des bailleurs sociaux"
VINTAGE = "date_information de chaque ligne"

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
               "Programme de revitalisation (registre des programmes) : "
               + ", ".join(f"{p.key} ({p.label})" for p in registry.PROGRAMMES)
               + ". Un avertissement signale une commune qui n'est pas dans ce programme "
               "selon la table des communes.",
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


def programme_warnings(df: pd.DataFrame, communes: pd.DataFrame, offset: int = 2) -> list[str]:
    """Rows whose programme is not one of their commune's (warnings, not errors).

    One French line per programme; `offset` turns the index into file line
    numbers (2 for a CSV or Excel file with its header line).
    """
    flags = programme_flags(communes).set_index(
        pd.Index(communes["code_insee"].astype(str), name="code_insee"))
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
                f"{registry.BY_KEY[prog].label} » dans la table des communes (ligne conservée, "
                "à vérifier)", bad["code_insee"], offset))
    return out



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
                      today: dt.date | None = None,
                      reference_warnings: Iterable[str] = ()) -> EngagementCheck:
    """Read and check an engagement file (CSV, Excel or Parquet).

    Commune codes and programmes are checked against `communes` (None: not
    checked; the CLI passes the app's table, or says why it could not, in
    `reference_warnings`); a `date_information` after `today` (default: the
    date of the day) is a problem; programme mismatches and stray
    demonstration flags are returned as warnings.
    """
    warnings: list[str] = list(reference_warnings)
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
    return not any(s.isdigit() and luhn_ok(s) for s in sirens.unique())


def luhn_ok(digits: str) -> bool:
    """True when `digits` pass the Luhn check digit, as every real SIREN does."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0

