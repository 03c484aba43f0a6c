"""View of the "Méthode et sources" page (`/methode`): the facts it states, read once
per process from the project's files (`data.provenance`) and the commune table.

Memoised with `store.memo`; no Dash component here (`pages/methode.py` lays it out).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..data import bailleurs, store
from ..data import provenance as prov
from ..data.columns import COMMUNE_COLUMNS

ORT_NOTE = prov.ORT_AGREEMENTS_NOTE
"""The method page's sentence on ORT counts (communes covered, not agreements)."""


@dataclass(frozen=True)
class EngagementStatus:
    """Which landlord file the app serves: "demo", "real" or "invalid" (with why)."""

    kind: str
    rows: int = 0
    file: str = ""
    error: str = ""


@dataclass(frozen=True)
class Facts:
    """Everything the method page states that is read or computed."""

    entries: tuple[prov.SourceEntry, ...]
    info: dict
    illustration: dict[str, float]
    imputed_share: float
    engagement: EngagementStatus
    used: tuple[prov.SourceEntry, ...]
    undocumented: tuple[str, ...]
    unused: tuple[str, ...]
    users: dict[str, tuple[str, ...]]  # raw file name -> commune columns built from it


def engagement_status() -> EngagementStatus:
    """The landlord file the app serves (demonstration, AURA-HLM's, or invalid)."""
    eng = store.engagements()
    if eng.frame is None:
        return EngagementStatus("invalid", error=eng.error or "")
    path = bailleurs.engagements_path()
    if eng.demo:
        return EngagementStatus("demo", len(eng.frame), f"data/{bailleurs.DEMO_DIR}/{path.name}")
    return EngagementStatus("real", len(eng.frame), path.name)


@store.memo(maxsize=1)
def facts() -> Facts:
    """The page's facts (read once per process from the files of the data directory)."""
    entries = prov.read_sources()
    communes = store.communes()
    used, undocumented = prov.used_sources(entries)
    users: dict[str, list[str]] = {}
    for spec in COMMUNE_COLUMNS:
        for file in prov.column_files(spec.name):
            users.setdefault(file, []).append(spec.name)
    return Facts(
        entries=tuple(entries),
        info=prov.read_build_info(),
        illustration=prov.rate_illustration(communes),
        imputed_share=prov.imputed_population_share(communes),
        engagement=engagement_status(),
        used=tuple(used),
        undocumented=tuple(undocumented),
        unused=tuple(prov.unused_raw_files(entries)),
        users={k: tuple(v) for k, v in users.items()},
    )
