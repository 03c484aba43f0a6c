"""The ministry's SRU inventory (article 55): the official status of subject communes."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..sources import RAW_FILES, SourceError, read_csv
from .common import SRU_TARGETS, OfficialTable, Reference, _flag, _remap, reference

_PERCENT = re.compile(r"^\s*(\d+(?:,\d+)?)\s*%\s*$")
_EUROS = re.compile(r"^\s*(-?\d{1,3}(?:[ \u00a0\u202f]?\d{3})*(?:,\d+)?)\s*€\s*$")


def parse_percent_fr(text: str) -> float | None:
    """"12,5 %" or "26,10%" -> 12.5 / 26.1; None when the text is not such a percent."""
    match = _PERCENT.match(str(text))
    return float(match.group(1).replace(",", ".")) if match else None


def parse_euros_fr(text: str) -> float | None:
    """"1 234 567 €" or "46 559,19 €" -> a float in euros; None when unreadable."""
    match = _EUROS.match(str(text))
    if not match:
        return None
    digits = re.sub(r"[ \u00a0\u202f]", "", match.group(1)).replace(",", ".")
    return float(digits)


SRU_COLUMNS = {
    "code": "Code_INSEE_commune",
    "nom": "Nom_commune",
    "epci": "Code_SIREN_EPCI",
    "soumise": "Commune_sru_au_01_01_2025",
    "soumise_2024": "Commune_sru_au_01_01_2024",
    "inventaire": "Nombre_lls_ Inventaire_au_01_01_2024",
    "taux": "Taux_SRU_au_01_01_2024",
    "deficitaire": "commune_deficitaire",
    "carencee": "Commune_carencée",
    "exemptee": "Commune_exemptée_2023_2025",
    "cible": "Taux_cible_commune_2023_2025",
    "prelevement": "Prélèvement_net_2025_dont_majoration",
}


def sru_inventory(raw_dir: Path, ref: Reference | None = None) -> OfficialTable:
    """The official SRU status (article 55) per COG 2026 commune, subject communes only.

    Columns: `nom` (as published, upper case), `epci_siren_sru`,
    `sru_soumise` (in the 2025 perimeter), `sru_soumise_2024`,
    `sru_deficitaire`, `sru_carencee`, `sru_exemptee` (booleans),
    `sru_taux` (legal rate at 1/1/2024 in percent, Float64; null when the
    source prints no rate, an unreadable one or one outside 0-100),
    `sru_taux_libelle` (the source text when it is not a plain rate:
    "Pas d'inventaire", ">25%", "Hors SRU", or the rejected value),
    `sru_taux_cible` (20 or 25), `sru_logements_sociaux_inventaire` (Int64,
    null for "Pas d'inventaire" / "NC"), `sru_prelevement_2025` (net levy in
    euros, Float64). Problems: rejected rates, codes outside the COG 2026.
    """
    ref = ref or reference(raw_dir)
    file = RAW_FILES["sru"]
    c = SRU_COLUMNS
    df = read_csv(raw_dir, "sru", list(c.values()), sep=";")
    problems: list[str] = []
    df, _ = _remap(df, c["code"], ref, "sru")
    for code, name in df.loc[df["code_cog2026"].isna(), [c["code"], c["nom"]]].itertuples(
            index=False):
        problems.append(f"SRU : {name} ({code}) ne correspond à aucune commune du COG 2026 ; "
                        "ligne ignorée")
    df = df.dropna(subset=["code_cog2026"])
    dup = df["code_cog2026"].duplicated(keep=False)
    if dup.any():
        raise SourceError(f"{file} : plusieurs lignes pour la commune "
                          f"{df.loc[dup, 'code_cog2026'].iloc[0]} (COG 2026)")

    rates: list[float | None] = []
    labels: list[str | None] = []
    for code, name, text in df[[c["code"], c["nom"], c["taux"]]].itertuples(index=False):
        value = parse_percent_fr(text)
        label = None
        if value is None:
            label = text
            if "%" in str(text) and not str(text).startswith(">"):
                problems.append(f"SRU : taux illisible pour {name} ({code}) : « {text} » ; "
                                "valeur laissée vide")
        elif not 0 <= value <= 100:
            problems.append(f"SRU : taux impossible pour {name} ({code}) : « {text} » "
                            "(hors de 0 à 100 %) ; valeur laissée vide")
            value, label = None, text
        rates.append(value)
        labels.append(label)

    stock = df[c["inventaire"]]
    numeric_stock = stock.str.fullmatch(r"\d+")
    known = {"Pas d'inventaire", "NC"}
    if (~numeric_stock & ~stock.isin(known)).any():
        raise SourceError(f"{file} : nombre de logements de l'inventaire illisible "
                          f"{stock[~numeric_stock & ~stock.isin(known)].iloc[0]!r}")
    targets = df[c["cible"]].map(SRU_TARGETS)
    if targets.isna().any():
        raise SourceError(f"{file} : taux cible inattendu "
                          f"{df.loc[targets.isna(), c['cible']].iloc[0]!r} (20% ou 25% attendu)")
    levy = df[c["prelevement"]].map(parse_euros_fr)
    if levy.isna().any():
        raise SourceError(f"{file} : montant de prélèvement illisible "
                          f"{df.loc[levy.isna(), c['prelevement']].iloc[0]!r}")

    table = pd.DataFrame({
        "nom": pd.array(df[c["nom"]].to_numpy(), dtype="string"),
        "epci_siren_sru": pd.array(df[c["epci"]].to_numpy(), dtype="string"),
        "sru_soumise": _flag(df, c["soumise"], file).to_numpy(),
        "sru_soumise_2024": _flag(df, c["soumise_2024"], file).to_numpy(),
        "sru_deficitaire": _flag(df, c["deficitaire"], file).to_numpy(),
        "sru_carencee": _flag(df, c["carencee"], file).to_numpy(),
        "sru_exemptee": _flag(df, c["exemptee"], file).to_numpy(),
        "sru_taux": pd.array(rates, dtype="Float64"),
        "sru_taux_libelle": pd.array(labels, dtype="string"),
        "sru_taux_cible": pd.array(targets.to_numpy(), dtype="Int64"),
        "sru_logements_sociaux_inventaire": pd.array(
            pd.to_numeric(stock.where(numeric_stock)).to_numpy(), dtype="Int64"),
        "sru_prelevement_2025": pd.array(levy.to_numpy(), dtype="Float64"),
    }, index=pd.Index(df["code_cog2026"].to_numpy(), name="code_insee"))
    return OfficialTable(table.sort_index(), problems)
