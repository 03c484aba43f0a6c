"""Landlord engagement in the revitalisation programmes (data owned by AURA-HLM).

No public file says which social landlords take part in which programme, so
the project defines the format, ships a fill-in template (`data/templates/`)
and runs on a seeded demonstration file with fictitious landlords
(`data/demo/engagements_bailleurs_demo.csv`) until AURA-HLM puts its own file
at `data/engagements_bailleurs.csv` (or `.xlsx`): that file then replaces the
demonstration with no code change.

One module per job:

- `contract`: columns, `engagement_contract`, checks, file paths, `is_demonstration`;
- `indicators`: per-EPCI / per-commune computations and the page's cuts;
- `demo`: the demonstration file generator;
- `template`: the CSV and Excel fill-in templates;
- `cli`: `demo-bailleurs`, `template-bailleurs` and `validate`'s check (the only
  module that reads the app's tables through `store`; not imported here).

The Markdown section of `data/SCHEMA.md` is written by `data/docs.py`. The app
loads the file through `store.engagements()` / `store.engagements_table()`:
this package never imports `store` (store imports it).
"""

from __future__ import annotations

from ...registry import programme_mask  # the one rule, re-exported for callers
from .contract import (
    AURA_HLM,
    BAILLEUR_TYPES,
    DEMO_DIR,
    DEMO_FILE,
    DEMO_LABEL,
    DEMO_SEED,
    ENGAGED_FROM,
    ENGAGED_RANK,
    ENGAGEMENT_COLUMN_NAMES,
    ENGAGEMENT_COLUMNS,
    ENGAGEMENT_LEVELS,
    KEY,
    KEY_COLUMN,
    LEVEL_DEFINITIONS,
    PROGRAMMES,
    REAL_FILES,
    TEMPLATE_CSV,
    TEMPLATE_DIR,
    TEMPLATE_XLSX,
    EngagementCheck,
    check_engagements,
    demo_flag_warning,
    demo_path,
    engagement_contract,
    engagements_path,
    future_dates_problem,
    is_demonstration,
    luhn_ok,
    programme_warnings,
    read_engagements,
)
from .demo import demo_csv, demo_landlords, fictitious_sirens, generate_demo, write_demo
from .indicators import (
    MAX_MATRIX_COMMUNES,
    MAX_MATRIX_LANDLORDS,
    MatrixView,
    cap_matrix,
    counts_by_type,
    engaged,
    engagement_by_epci,
    epci_rates,
    in_departement,
    information_dates,
    level_rank,
    matrix,
    programme_commune_names,
    scope_summary,
    summary_epci,
)
from .template import template_csv, template_xlsx, write_templates

__all__ = [
    "AURA_HLM", "BAILLEUR_TYPES", "DEMO_DIR", "DEMO_FILE", "DEMO_LABEL", "DEMO_SEED",
    "ENGAGED_FROM", "ENGAGED_RANK", "ENGAGEMENT_COLUMNS", "ENGAGEMENT_COLUMN_NAMES",
    "ENGAGEMENT_LEVELS", "KEY", "KEY_COLUMN", "LEVEL_DEFINITIONS", "MAX_MATRIX_COMMUNES",
    "MAX_MATRIX_LANDLORDS", "PROGRAMMES", "REAL_FILES", "TEMPLATE_CSV",
    "TEMPLATE_DIR", "TEMPLATE_XLSX", "EngagementCheck", "MatrixView", "cap_matrix",
    "check_engagements", "counts_by_type", "demo_csv", "demo_flag_warning", "demo_landlords",
    "demo_path", "engaged", "engagement_by_epci", "engagement_contract", "engagements_path",
    "epci_rates", "fictitious_sirens", "future_dates_problem", "generate_demo",
    "in_departement", "information_dates", "is_demonstration", "level_rank", "luhn_ok",
    "matrix", "programme_commune_names", "programme_mask", "programme_warnings",
    "read_engagements", "scope_summary", "summary_epci", "template_csv", "template_xlsx",
    "write_demo", "write_templates",
]
