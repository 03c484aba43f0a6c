"""Readers for the raw public files in `data/raw/` (see `data/SOURCES.md`).

Every code column is read as text: INSEE codes keep their leading zeros and
Corsican codes contain letters.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

RAW_FILES = {
    "communes": "ref_communes_cog2026.csv",
    "deleguees": "ref_communes_deleguees_associees_cog2026.csv",
    "epci": "ref_epci_2026.csv",
    "rpls": "rpls_2024_communes_sdes.csv",
    "acv": "prog_acv_communes_anct.csv",
    "anct": "prog_anct_programmes_communes_cog2023.csv",
    "ami": "prog_ami_centres_bourgs_2014.csv",
    "ort": "prog_ort_communes_dgaln.csv",
    "zonage": "zonage_abc_2024_communes.csv",
    "zone_tendue": "zone_tendue_tlv_communes.csv",
    "geo_communes": "geo_communes_aura.geojson",
    "geo_epci": "geo_epci_aura.geojson",
    "menages": "rp_menages_2021_communes_insee.csv",
    "sru": "sru_inventaire_2025_communes.csv",
    "pvd_2024": "prog_pvd_communes_anct_2024-01.csv",
    "qpv_2024": "prog_qpv_2024_communes.csv",
    "centralites": "typo_centralites_communes.csv",
    "densite": "typo_densite_communes.csv",
    "rpls_evolution": "rpls_evolution_2019_2023_epci_odt.csv",
}


class SourceError(Exception):
    """A raw file is missing or does not have the expected shape (message in French)."""


def raw_path(raw_dir: Path, key: str) -> Path:
    path = raw_dir / RAW_FILES[key]
    if not path.is_file():
        raise SourceError(f"fichier source manquant : {path}")
    return path


def read_csv(raw_dir: Path, key: str, columns: list[str], numeric: tuple[str, ...] = (),
             sep: str = ",") -> pd.DataFrame:
    """Read a raw CSV with every column as text except `numeric` ones.

    Raises SourceError with a French message if a needed column is absent or a
    numeric column holds non-numbers.
    """
    path = raw_path(raw_dir, key)
    try:
        df = pd.read_csv(path, dtype=str, sep=sep, keep_default_na=False, na_values=[""],
                         encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise SourceError(f"{path.name} : lecture impossible ({exc})") from None
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SourceError(f"{path.name} : colonne(s) absente(s) : {', '.join(missing)}")
    df = df[columns].copy()
    for col in numeric:
        converted = pd.to_numeric(df[col], errors="coerce")
        bad = df[col].notna() & converted.isna()
        if bad.any():
            raise SourceError(f"{path.name} : colonne {col} non numérique "
                              f"(ex. : {df.loc[bad, col].iloc[0]!r})")
        df[col] = converted
    return df
