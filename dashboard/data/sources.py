"""Readers for the raw public files in `data/raw/` (see `data/SOURCES.md`).

Every code column is read as text: INSEE codes keep their leading zeros and
Corsican codes contain letters.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..formatting import plural


@dataclass(frozen=True)
class Source:
    """One raw file of `data/raw/`: who produces it and which vintage we use.

    This is the one place a producer or a vintage is written: every source line
    (figures, page notes, footer, PNGs, method page) is generated from these
    records with `citation` and `source_line`. Licences and caveats are in
    `data/SOURCES.md` (read by the method page).
    """

    key: str
    file: str
    producer: str  # "SDES"
    title: str  # "RPLS"
    vintage: str  # phrase that follows the title: "au <date>", "2026"

    @property
    def citation(self) -> str:
        """"SDES, RPLS au <date>": producer, title, vintage."""
        return f"{self.producer}, {self.title} {self.vintage}".strip()


RPLS_DATE = "1er janvier 2024"
SRU_INVENTORY_DATE = "1er janvier 2024"  # date of the SRU inventory of the 2025 file
PVD_LIST_MONTH = "janvier 2024"  # the PVD list of prog_pvd_communes_anct_2024-01.csv
COG_YEAR = "2026"

SOURCES: tuple[Source, ...] = (
    Source("communes", "ref_communes_cog2026.csv", "INSEE",
           "COG et populations légales", COG_YEAR),
    Source("deleguees", "ref_communes_deleguees_associees_cog2026.csv", "INSEE",
           "COG, communes déléguées et associées", COG_YEAR),
    Source("epci", "ref_epci_2026.csv", "DGCL", "composition des EPCI",
           f"au 1er janvier {COG_YEAR}"),
    Source("rpls", "rpls_2024_communes_sdes.csv", "SDES", "RPLS", f"au {RPLS_DATE}"),
    Source("acv", "prog_acv_communes_anct.csv", "ANCT", "Action Cœur de Ville", "(sept. 2024)"),
    Source("anct", "prog_anct_programmes_communes_cog2023.csv", "ANCT",
           "table des programmes", "(2023-2024)"),
    Source("ami", "prog_ami_centres_bourgs_2014.csv", "CGET", "AMI centres-bourgs", "2014"),
    Source("ort", "prog_ort_communes_dgaln.csv", "DGALN", "suivi des ORT", "(2022-2024)"),
    Source("zonage", "zonage_abc_2024_communes.csv", "Ministère du Logement", "zonage ABC",
           "(juillet 2024)"),
    Source("zone_tendue", "zone_tendue_tlv_communes.csv", "Ministère du Logement",
           "zones tendues (TLV)", "(décret de 2023)"),
    Source("geo_communes", "geo_communes_aura.geojson", "IGN / INSEE",
           "contours des communes", COG_YEAR),
    Source("geo_epci", "geo_epci_aura.geojson", "IGN / INSEE", "contours des EPCI", COG_YEAR),
    Source("menages", "rp_menages_2021_communes_insee.csv", "INSEE",
           "recensement, ménages", "2021"),
    Source("sru", "sru_inventaire_2025_communes.csv", "Ministère du Logement",
           "inventaire SRU", "2025"),
    Source("pvd_2024", "prog_pvd_communes_anct_2024-01.csv", "ANCT",
           "Petites villes de demain", f"({PVD_LIST_MONTH})"),
    Source("qpv_2024", "prog_qpv_2024_communes.csv", "ANCT", "QPV", "2024"),
    Source("centralites", "typo_centralites_communes.csv", "INRAE-CESAER / ANCT",
           "niveaux de centralité", "2021"),
    Source("densite", "typo_densite_communes.csv", "INSEE", "grille de densité", ""),
    Source("rpls_evolution", "rpls_evolution_2019_2023_epci_odt.csv",
           "ANCT, Observatoire des territoires", "évolution du parc social", "2019-2023"),
)
BY_KEY: dict[str, Source] = {s.key: s for s in SOURCES}
RAW_FILES: dict[str, str] = {s.key: s.file for s in SOURCES}

# Not a public file: AURA-HLM's own landlord engagement file (or its demonstration).
LANDLORDS = "AURA-HLM, engagement des bailleurs sociaux"
CALCULATIONS = "calculs AURA-HLM"


def citations(*keys: str) -> str:
    """"SDES, RPLS au <date> ; INSEE, COG et populations légales 2026"."""
    return " ; ".join(BY_KEY[k].citation for k in keys)


def source_line(*keys: str, extra: tuple[str, ...] | list[str] = ()) -> str:
    """The source line of a chart or page: "Source : …" or "Sources : …".

    `keys` are raw-file keys (in this order); `extra` adds free items such as
    `LANDLORDS` or `CALCULATIONS` at the end.
    """
    items = [BY_KEY[k].citation for k in keys] + list(extra)
    word = "Source" if len(items) == 1 else "Sources"
    return f"{word} : {' ; '.join(items)}"


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
        absent = plural(len(missing), "colonne absente", "colonnes absentes", number=False)
        raise SourceError(f"{path.name} : {absent} : {', '.join(missing)}")
    df = df[columns].copy()
    for col in numeric:
        converted = pd.to_numeric(df[col], errors="coerce")
        bad = df[col].notna() & converted.isna()
        if bad.any():
            raise SourceError(f"{path.name} : colonne {col} non numérique "
                              f"(ex. : {df.loc[bad, col].iloc[0]!r})")
        df[col] = converted
    return df
