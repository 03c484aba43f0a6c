"""The key figures of compared territories side by side (`?compare=`): one row per
figure, one column per EPCI and one for their region.

Part of the profile's view: read from the memoised profile tables
(`views.territoire_tables`), formatted in French; the page lays it out
(`pages/territoire_tableaux.key_figures_table`). No Dash component here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import registry
from ..formatting import fmt_int, fmt_pct
from .territoire_tables import cached_engagement, cached_profile

NOT_AVAILABLE = "n.d."


@dataclass(frozen=True)
class Figure:
    """One row of the table: its label, the totals key (or "bailleurs") and its format."""

    label: str
    key: str
    kind: str  # "int" or "pct"


LANDLORDS = "bailleurs_engages"

FIGURES: tuple[Figure, ...] = (
    Figure("Population", "population", "int"),
    Figure("Communes", "nb_communes", "int"),
    Figure("Résidences principales", "residences_principales", "int"),
    Figure("Logements sociaux", "logements_sociaux", "int"),
    Figure("Part de logements sociaux (pour 100 résidences principales)",
           "taux_logements_sociaux", "pct"),
    Figure("Communes soumises à la loi SRU", "communes_sru_soumises", "int"),
    Figure("dont communes déficitaires", "communes_sru_deficitaires", "int"),
    Figure("dont communes carencées", "communes_sru_carencees", "int"),
    *(Figure(f"Communes en {p.label}", p.total, "int") for p in registry.PROGRAMMES),
    Figure("Population en commune de programme", "part_population_programme", "pct"),
    Figure("Bailleurs sociaux engagés", LANDLORDS, "int"),
)
"""The rows, in order: the same key figures as the profile's KPI cards."""

FORMAT: dict[str, Callable[[object], str]] = {"int": fmt_int, "pct": fmt_pct}


@dataclass(frozen=True)
class Column:
    """One territory: its name, whether it is the region, and its raw values by key."""

    name: str
    region: bool
    values: dict[str, float | int | None]


@dataclass(frozen=True)
class KeyFigures:
    """The table: territory columns (the region last) and formatted rows."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (label, one formatted value per column)


def _values(totals: dict, landlords: int | None) -> dict[str, float | int | None]:
    out: dict[str, float | int | None] = {f.key: totals.get(f.key) for f in FIGURES
                                          if f.key != LANDLORDS}
    out[LANDLORDS] = landlords
    return out


def _format(value: float | int | None, kind: str) -> str:
    return NOT_AVAILABLE if value is None else FORMAT[kind](value)


def key_figures(sirens: tuple[str, ...]) -> KeyFigures:
    """The key figures of checked EPCI `sirens` (the profile's first), then of the
    region of the first one's main department (as in the comparison chart)."""
    columns = []
    for siren in sirens:
        p = cached_profile(siren)
        engagement = cached_engagement(siren)
        columns.append(Column(p["nom"], False, _values(
            p["epci"], None if engagement is None else engagement["bailleurs_engages"])))
    first = cached_profile(sirens[0])
    engagement = cached_engagement(sirens[0])
    columns.append(Column(first["region_nom"], True, _values(
        first["region_totals"],
        None if engagement is None else engagement["bailleurs_engages_region"])))
    rows = tuple((f.label, tuple(_format(c.values[f.key], f.kind) for c in columns))
                 for f in FIGURES)
    return KeyFigures(tuple(columns), rows)
