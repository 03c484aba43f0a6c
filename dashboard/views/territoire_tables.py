"""The tables of one EPCI for the territory profile, memoised on codes.

Part of the profile's view (`views/territoire.py`, which re-exports these names):
the data layer's tables of one EPCI (`data.territoire`, or the build's
precomputed slices), its official facts, its landlord figures, geometry and
labels. `store.reset()` forgets them.
"""

from __future__ import annotations

import pandas as pd

from .. import registry
from ..data import bailleurs, precomputed, store
from ..data import territoire as data
from ..data import territoire_officiel as officiel
from ..data.aggregate import UnknownCode

store.register(precomputed.tables.cache_clear)


# --- the tables of one EPCI (keyed on codes, never on frames) -----------------------------

@store.memo(maxsize=256)
def cached_profile(siren: str) -> dict:
    """`epci_profile` of the app's table (precomputed by the build when it matches)."""
    pre = precomputed.tables()
    if pre is not None and siren in pre.profiles:
        return pre.profiles[siren]
    return data.epci_profile(store.communes(), siren, store.communes_hors_region())


def _precomputed(kind: str, siren: str) -> pd.DataFrame | None:
    """The build's slice `kind` of an EPCI of the table served, None to compute it live."""
    pre = precomputed.tables()
    if pre is None or siren not in pre.profiles:
        return None
    slices = getattr(pre, kind)
    return None if slices is None else slices.get(siren)


@store.memo(maxsize=256)
def cached_facts(siren: str) -> dict:
    """`territoire_officiel.epci_facts` of the app's table (SRU, trends, PVD milestones)."""
    return officiel.epci_facts(store.communes(), siren, store.communes_hors_region())


@store.memo(maxsize=256)
def cached_commune_context(code: str) -> dict:
    """`territoire_officiel.commune_context` of a checked commune."""
    return officiel.commune_context(store.communes(), code)


@store.memo(maxsize=256)
def cached_commune_shares(siren: str) -> pd.DataFrame:
    """`commune_shares` (precomputed when it matches) with each commune's official SRU
    status, target and former commune (`territoire_officiel.commune_facts`)."""
    found = _precomputed("shares", siren)
    shares = found if found is not None else data.commune_shares(store.communes(), siren)
    facts = officiel.commune_facts(store.communes(), siren)
    return shares.drop(columns=[c for c in facts.columns if c != "code_insee"],
                       errors="ignore").merge(facts, on="code_insee", how="left")


@store.memo(maxsize=256)
def cached_programme_communes(siren: str) -> pd.DataFrame:
    found = _precomputed("programmes", siren)
    return found if found is not None else data.programme_communes(store.communes(), siren)


def programme_rows(siren: str) -> list[dict[str, str]]:
    """The programme communes of an EPCI as French strings, for the page's table."""
    pvd = officiel.pvd_columns(store.communes(), siren)
    return data.programme_display(
        officiel.with_pvd_columns(cached_programme_communes(siren), pvd))


@store.memo(maxsize=256)
def cached_milestones(siren: str) -> pd.DataFrame:
    """The dated milestones of the EPCI, PVD adhesions included."""
    found = _precomputed("milestones", siren)
    events = found if found is not None else data.milestones(store.communes(), siren)
    return officiel.with_pvd(events, officiel.pvd_milestones(store.communes(), siren))


@store.memo(maxsize=64)
def _engaged_in(column: str, code: str) -> int:
    """`engaged_landlords` of the communes whose `column` is `code` (a department or the
    region: shared by all the EPCI that compare with it)."""
    df = store.communes()
    rows = data.departement_rows(df, code) if column == "departement" else df[df[column] == code]
    return data.engaged_landlords(store.engagements().frame, rows)


LANDLORD_SCOPE_COLUMNS = ("code_insee", "nom", "epci_siren", "epci_nom", *registry.COLUMNS)
"""The commune columns the landlord functions of `bailleurs` read."""


@store.memo(maxsize=1)
def _epci_positions() -> tuple[pd.DataFrame, dict[str, object]]:
    """The app's table cut to `LANDLORD_SCOPE_COLUMNS`, and each EPCI's row positions."""
    narrow = store.communes()[list(LANDLORD_SCOPE_COLUMNS)]
    return narrow, narrow.groupby("epci_siren", sort=False).indices


def _landlord_scope(siren: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the EPCI's communes, the landlord rows on them): what `summary_epci` and
    `matrix` look at for one EPCI, without scanning the whole tables."""
    narrow, positions = _epci_positions()
    if siren not in positions:
        raise UnknownCode(f"EPCI inconnu : {siren!r} (aucune commune de la table)")
    rows = narrow.iloc[positions[siren]]
    return rows, frame[frame["code_insee"].isin(rows["code_insee"])]


@store.memo(maxsize=256)
def cached_engagement(siren: str) -> dict | None:
    """`engagement_profile` of the app's tables, None when the landlord file is unusable."""
    eng = store.engagements()
    if eng.frame is None:
        return None
    p = cached_profile(siren)
    rows, scoped = _landlord_scope(siren, eng.frame)
    out = dict(bailleurs.summary_epci(scoped, rows, siren))
    out["donnees_demonstration"] = eng.demo  # a property of the whole file
    out["bailleurs_engages_departement"] = _engaged_in("departement", p["departement"])
    out["bailleurs_engages_region"] = _engaged_in("region", p["region"])
    return out


@store.memo(maxsize=256)
def cached_matrix(siren: str) -> pd.DataFrame | None:
    """`bailleurs.matrix` of the EPCI, None when the landlord file is unusable."""
    eng = store.engagements()
    if eng.frame is None:
        return None
    rows, scoped = _landlord_scope(siren, eng.frame)
    return bailleurs.matrix(scoped, rows, siren)


@store.memo(maxsize=256)
def cached_comparison(sirens: tuple[str, ...]) -> pd.DataFrame:
    return data.comparison_table(store.communes(), sirens, store.engagements().frame,
                                 store.communes_hors_region())


@store.memo(maxsize=256)
def cached_geometry(siren: str) -> dict:
    """The commune features of one EPCI, cut from the commune layer once per EPCI."""
    codes = cached_commune_shares(siren)["code_insee"].tolist()
    return data.geometry_subset(store.geojson("communes"), codes)


@store.memo(maxsize=256)
def cached_labels(siren: str) -> pd.DataFrame:
    """Name positions of `labelled_communes` on the EPCI's map."""
    found = _precomputed("labels", siren)
    if found is not None:
        return found
    return data.label_points(cached_geometry(siren),
                             data.labelled_communes(cached_commune_shares(siren)))
