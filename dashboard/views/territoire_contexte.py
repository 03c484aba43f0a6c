"""Context of an EPCI's key figures (shares of its department and region, ranks),
memoised on codes (`store.reset()` forgets them).

The numbers come from `data.contexte`: precomputed by the build for the table served
(`precomputed.py`), else computed live from the app's table, each region and
department grouped once.
"""

from __future__ import annotations

import pandas as pd

from ..data import precomputed, store
from ..data.contexte import (  # noqa: F401  (the context's names, re-exported)
    COUNT_KEYS,
    RANK_KEYS,
    Context,
    Part,
    Rank,
    RegionTables,
    context,
    departement_tables,
    parts,
    ranks,
    region_tables,
)


@store.memo(maxsize=2)
def _tables(region: str) -> RegionTables:
    return region_tables(store.communes(), store.communes_hors_region(), region)


@store.memo(maxsize=32)
def _departement(code: str) -> tuple[pd.DataFrame, dict]:
    """Per-EPCI totals of a department's communes (index epci_siren), and its totals;
    `code` an INSEE code or `69D` / `69M` (the Rhône's two halves)."""
    return departement_tables(store.communes(), code)


@store.memo(maxsize=256)
def epci_context(siren: str, departement: str, region: str) -> Context:
    """Shares of the EPCI in its department and region, and its ranks in the region
    (an EPCI astride departments counts its communes in the department named;
    precomputed by the build for the department and region of its profile)."""
    pre = precomputed.tables()
    found = None if pre is None or pre.contexts is None else pre.contexts.get(siren)
    if found is not None and found[0] == (departement, region):
        return found[1]
    return context(siren, _tables(region), _departement(departement))
