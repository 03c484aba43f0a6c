"""The landlord figures of every EPCI at once, for the territory profile.

`bailleurs.summary_epci` and `bailleurs.matrix` answer for one EPCI with a dozen
pandas operations each (tens of milliseconds, whatever the size): at the first
view of each EPCI that was half of the time. The landlord file may be replaced
at any time, so these figures are not precomputed by the build; instead the same
operations run once over the whole region, grouped by EPCI, the first time a
landlord table is used (under gunicorn `--preload`, in the master at start-up),
and each EPCI's answer is a slice. Tests check every EPCI against the one-EPCI
functions.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import pandas as pd

from .. import registry
from ..data import bailleurs, store
from ..data.aggregate import rate
from ..data.bailleurs.indicators import _scope_rows, engaged, with_levels

KEY = "epci_siren"
MATRIX_COLUMNS = ["bailleur_siren", "bailleur_nom", "bailleur_type", "code_insee",
                  "commune_nom", "niveau", "niveau_libelle"]


@dataclass(frozen=True)
class Landlords:
    """Every EPCI's `summary_epci` and `matrix` for one landlord table."""

    frame: pd.DataFrame  # the landlord table they were computed from
    summaries: dict[str, dict]
    grid: pd.DataFrame  # every EPCI's matrix, one after the other
    ranges: dict[str, tuple[int, int]]

    def matrix(self, siren: str) -> pd.DataFrame:
        """`bailleurs.matrix(frame, communes, siren)`."""
        if siren not in self.ranges:
            return _empty_matrix()
        start, end = self.ranges[siren]
        return self.grid.iloc[start:end][MATRIX_COLUMNS].reset_index(drop=True)


def _empty_matrix() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "niveau" else "str")
                         for c in MATRIX_COLUMNS})


def _ranges(codes: pd.Series) -> dict[str, tuple[int, int]]:
    """Row range of each value of a sorted column."""
    out: dict[str, tuple[int, int]] = {}
    for i, code in enumerate(codes.tolist()):
        start, _ = out.get(code, (i, i))
        out[code] = (start, i + 1)
    return out


def compute(frame: pd.DataFrame, communes: pd.DataFrame) -> Landlords:
    """`summary_epci` and `matrix` of every EPCI of `communes` (the commune table, or
    its columns `LANDLORD_SCOPE_COLUMNS`) from the landlord table `frame`: the
    operations of `bailleurs.indicators`, grouped by EPCI."""
    with_epci = communes.dropna(subset=[KEY])
    pc = with_epci[registry.programme_mask(with_epci)]
    rows = _scope_rows(frame, pc)
    hot = engaged(rows)

    # matrix: each EPCI's landlords × its programme communes, highest level of each pair
    landlords = (rows.sort_values([KEY, "bailleur_siren", "bailleur_nom"])
                 .drop_duplicates([KEY, "bailleur_siren"])
                 [[KEY, "bailleur_siren", "bailleur_nom", "bailleur_type"]])
    places = pc[[KEY, "code_insee", "nom"]].rename(columns={"nom": "commune_nom"})
    grid = landlords.merge(places, on=KEY)
    grid = with_levels(grid, rows)
    grid = grid.sort_values([KEY, "bailleur_nom", "bailleur_siren", "commune_nom",
                             "code_insee"]).reset_index(drop=True)

    # summary_epci
    names = with_epci.drop_duplicates(KEY).set_index(KEY)["epci_nom"]
    n_prog = pc.groupby(KEY).size()
    n_eng = hot.drop_duplicates([KEY, "code_insee"]).groupby(KEY).size()
    present = rows.groupby(KEY)["bailleur_siren"].nunique()
    hot_landlords = hot.groupby(KEY)["bailleur_siren"].nunique()
    dwellings = hot.groupby(KEY)["logements_concernes"].sum()
    demo = bailleurs.is_demonstration(frame)
    summaries = {}
    for siren, nom in names.items():
        programme = int(n_prog.get(siren, 0))
        engaged_communes = int(n_eng.get(siren, 0))
        taux = rate(engaged_communes, programme)
        summaries[siren] = {
            "epci_siren": siren,
            "epci_nom": None if pd.isna(nom) else str(nom),
            "communes_programme": programme,
            "communes_engagees": engaged_communes,
            "taux_engagement": None if math.isnan(taux) else taux,
            "bailleurs": int(present.get(siren, 0)),
            "bailleurs_engages": int(hot_landlords.get(siren, 0)),
            "logements_engages": int(dwellings.get(siren, 0)),
            "donnees_demonstration": demo,
        }
    return Landlords(frame, summaries, grid, _ranges(grid[KEY]))


_LOCK = threading.Lock()
_KEPT: list[Landlords] = []


def landlords(frame: pd.DataFrame, communes: pd.DataFrame) -> Landlords:
    """`compute(frame, communes)`, kept for the current landlord table (a replaced file
    is a new frame: computed again)."""
    with _LOCK:
        if _KEPT and _KEPT[0].frame is frame:
            return _KEPT[0]
        found = compute(frame, communes)
        _KEPT[:] = [found]
        return found


store.register(_KEPT.clear)
