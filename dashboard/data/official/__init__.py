"""Readers for the official files of issue 9 (census, SRU, PVD 2024, QPV 2024, typologies).

Modules: `common` (reference, code mapping), `census`, `sru`, `programmes`
(PVD 2024, QPV 2024, Villages d'avenir), `typologies` (centralities, density
grid, EPCI growth), `table` (the official columns of the commune table, built
by `data/build.py`; contract in `data/columns.py`) and `summary` (the facts
printed by `python -m dashboard.data summary`).

Issue-9 decisions these readers implement:

- Main residences = census 2021 households (`menages_2021`), for every
  commune; Lyon's (and Paris's, Marseille's) arrondissements and merged
  communes are summed through the same `CodeMapper` the build uses for RPLS;
  a commune split after the census keeps one figure for the former commune
  (`MainResidences.splits`), never divided among its pieces nor given to one
  of them; census codes that map to no COG 2026 commune and COG 2026
  communes with no census figure are listed, never filled in silently.
- SRU = the ministry's inventory: subject / déficitaire / carencée /
  exemptée, legal rate (null when the source prints no usable rate, or an
  impossible one: a French problem line names the commune), target 20 or
  25 %, inventory dwellings, 2025 levy in euros.
- PVD = the January 2024 list with adhesion dates; a commune still flagged
  PVD in the 2023 ANCT table but absent from that list has left the
  programme (`pvd_sortie`).
- QPV 2024: distinct QPV per commune, and a territory counts a QPV spanning
  several communes once (`distinct_qpv`).
- Villages d'avenir = `id_va` of the ANCT table, mapped to COG 2026.
- Centrality (INRAE-CESAER) and density grid levels as written in the
  source; EPCI growth of the social stock 2019-2023 as published.

Left for the pages (not wired yet): displaying these columns, Villages
d'avenir in the programme registry, and `residences_principales` switching to
the census figure.
"""

from __future__ import annotations

from .census import MainResidences, detect_splits, main_residences, split_pieces
from .common import (
    CENTRALITY_LEVELS,
    CENTRALITY_UNDEFINED,
    DENSITY_LEVELS,
    SRU_TARGETS,
    OfficialTable,
    Reference,
    reference,
)
from .programmes import distinct_qpv, pvd_2024, qpv_2024, villages_avenir
from .sru import SRU_COLUMNS, parse_euros_fr, parse_percent_fr, sru_inventory
from .typologies import centralities, density, rpls_growth_epci

__all__ = [
    "CENTRALITY_LEVELS", "CENTRALITY_UNDEFINED", "DENSITY_LEVELS", "SRU_COLUMNS", "SRU_TARGETS",
    "MainResidences", "OfficialTable", "Reference", "centralities", "density", "detect_splits",
    "distinct_qpv", "main_residences", "parse_euros_fr", "parse_percent_fr", "pvd_2024",
    "qpv_2024", "reference", "rpls_growth_epci", "split_pieces", "sru_inventory",
    "villages_avenir",
]
