"""What every official reader shares: the COG 2026 reference, the code mapping, flags."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..cog import CodeMapper, MappingReport, remap
from ..sources import RAW_FILES, SourceError, read_csv

CENTRALITY_LEVELS = (
    "Centre majeur d'équipements et de services",
    "Centre structurant d'équipements et de services",
    "Centre intermédiaire d'équipements et de services",
    "Centre local d'équipements et de services",
    "Communes non centre",
)
# Printed by the source for 129 communes of the DROM: read as "no level".
CENTRALITY_UNDEFINED = " - undefined"

DENSITY_LEVELS = (
    "Grands centres urbains",
    "Centres urbains intermédiaires",
    "Petites villes",
    "Ceintures urbaines",
    "Bourgs ruraux",
    "Rural à habitat dispersé",
    "Rural à habitat très dispersé",
)

SRU_TARGETS = {"20%": 20, "25%": 25}


@dataclass(frozen=True)
class Reference:
    """The COG 2026 communes and the code mapper the build uses."""

    communes: pd.DataFrame  # code_insee, nom, departement, region, epci_siren, population
    mapper: CodeMapper

    def region_codes(self, region: str) -> set[str]:
        """COG 2026 commune codes of a region (INSEE code, e.g. "84")."""
        return set(self.communes.loc[self.communes["region"] == region, "code_insee"])


def reference(raw_dir: Path) -> Reference:
    """Read the COG 2026 communes and build the mapper (same inputs as the build)."""
    communes = read_csv(raw_dir, "communes", ["code_insee", "nom", "departement", "region",
                                              "epci_siren", "population"],
                        numeric=("population",))
    others = read_csv(raw_dir, "deleguees", ["code_insee", "nom", "type", "commune_parent"])
    return Reference(communes=communes, mapper=CodeMapper.from_frames(communes, others))


def _remap(df: pd.DataFrame, column: str, ref: Reference, key: str
           ) -> tuple[pd.DataFrame, MappingReport]:
    return remap(df, column, ref.mapper, RAW_FILES[key])


def _flag(df: pd.DataFrame, column: str, file: str) -> pd.Series:
    """A 0/1 text column as booleans; anything else is a SourceError."""
    bad = ~df[column].isin(["0", "1"])
    if bad.any():
        raise SourceError(f"{file} : colonne {column} : valeur inattendue "
                          f"{df.loc[bad, column].iloc[0]!r} (0 ou 1 attendu)")
    return df[column] == "1"


@dataclass
class OfficialTable:
    """A reader's clean frame and the French problem lines found while reading."""

    table: pd.DataFrame
    problems: list[str] = field(default_factory=list)
