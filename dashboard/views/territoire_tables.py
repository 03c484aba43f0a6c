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
from . import territoire_engagement as engagement

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


def _precomputed_record(kind: str, siren: str) -> object | None:
    """The build's record `kind` (facts, programme rows) of an EPCI of the table served,
    None to compute it live."""
    pre = precomputed.tables()
    records = None if pre is None else getattr(pre, kind)
    return None if records is None else records.get(siren)


@store.memo(maxsize=1)
def _by_epci() -> tuple[pd.DataFrame, dict[str, tuple[int, int]]]:
    """The app's table with each EPCI's rows together (stable sort: their order and
    index are kept), and each EPCI's row range in it: one EPCI is then a slice."""
    table = store.communes()
    ordered = table.take(table["epci_siren"].argsort(kind="stable").to_numpy())
    ranges: dict[str, tuple[int, int]] = {}
    for i, siren in enumerate(ordered["epci_siren"].tolist()):
        if isinstance(siren, str):
            start, _ = ranges.get(siren, (i, i))
            ranges[siren] = (start, i + 1)
    return ordered, ranges


@store.memo(maxsize=256)
def epci_table(siren: str) -> pd.DataFrame:
    """The app's table cut to the communes of one EPCI (all columns), once per EPCI.

    The data layer's per-EPCI functions (`epci_facts`, `commune_facts`, `pvd_*`,
    `commune_shares`…) only read the rows of their EPCI: given this cut instead of
    the whole table they answer the same, without scanning and slicing the whole
    table each. UnknownCode when the EPCI has no commune.
    """
    ordered, ranges = _by_epci()
    if siren not in ranges:
        raise UnknownCode(f"EPCI inconnu : {siren!r} (aucune commune de la table)")
    start, end = ranges[siren]
    return ordered.iloc[start:end]


@store.memo(maxsize=256)
def cached_facts(siren: str) -> dict:
    """`territoire_officiel.epci_facts` of the app's table (SRU, trends, PVD milestones,
    over all the EPCI's communes; precomputed by the build when it matches)."""
    found = _precomputed_record("facts", siren)
    return found if found is not None else officiel.epci_facts(
        epci_table(siren), siren, store.communes_hors_region())


@store.memo(maxsize=256)
def cached_commune_context(code: str) -> dict:
    """`territoire_officiel.commune_context` of a checked commune."""
    return officiel.commune_context(store.communes(), code)


@store.memo(maxsize=256)
def cached_commune_shares(siren: str) -> pd.DataFrame:
    """`commune_shares` with each commune's official SRU status, target and former
    commune (`precomputed.shares_with_facts`; precomputed by the build when it matches)."""
    found = _precomputed("shares", siren)
    if found is not None:
        return found
    rows = epci_table(siren)
    return precomputed.shares_with_facts(data.commune_shares(rows, siren), rows, siren)


@store.memo(maxsize=256)
def cached_programme_communes(siren: str) -> pd.DataFrame:
    found = _precomputed("programmes", siren)
    return found if found is not None else data.programme_communes(epci_table(siren), siren)


@store.memo(maxsize=256)
def programme_rows(siren: str) -> list[dict[str, str]]:
    """The programme communes of an EPCI as French strings, for the page's table
    (precomputed by the build when it matches)."""
    found = _precomputed_record("programme_rows", siren)
    if found is not None:
        return found
    pvd = officiel.pvd_columns(epci_table(siren), siren)
    return data.programme_display(
        officiel.with_pvd_columns(cached_programme_communes(siren), pvd))


@store.memo(maxsize=256)
def cached_milestones(siren: str) -> pd.DataFrame:
    """The dated milestones of the EPCI, PVD adhesions included (precomputed by the build
    when it matches)."""
    timeline = _precomputed("timeline", siren)
    if timeline is not None:
        return timeline
    found = _precomputed("milestones", siren)
    events = found if found is not None else data.milestones(epci_table(siren), siren)
    return officiel.with_pvd(events, officiel.pvd_milestones(epci_table(siren), siren))


def _territory_rows(column: str, code: str) -> pd.DataFrame:
    df = store.communes()
    return data.departement_rows(df, code) if column == "departement" else df[df[column] == code]


_ENGAGED: dict[int, tuple[pd.DataFrame, dict[tuple[str, str], int]]] = {}


def _engaged_everywhere(frame: pd.DataFrame) -> dict[tuple[str, str], int]:
    """`engaged_landlords` of every department (`69D` and `69M` too) and region of the
    app's table, in one pass over the engaged rows, once per landlord table (under
    gunicorn `--preload`, at start-up): a first view no longer computes its own."""
    kept = _ENGAGED.get(id(frame))
    if kept is not None and kept[0] is frame:
        return kept[1]
    df = store.communes()
    hot = bailleurs.engaged(frame)[["code_insee", "bailleur_siren"]]
    # the programme communes, with what `departement_rows` and the region filter read
    programme = df.loc[registry.programme_mask(df),
                       ["code_insee", "departement", "region", "epci_type"]]
    places = [("departement", str(c)) for c in df["departement"].dropna().unique()]
    if "69" in {code for _, code in places}:
        places += [("departement", "69D"), ("departement", "69M")]
    places += [("region", str(c)) for c in df["region"].dropna().unique()]
    counts = {}
    for column, code in places:
        rows = (data.departement_rows(programme, code) if column == "departement"
                else programme[programme[column] == code])
        counts[(column, code)] = int(hot.loc[hot["code_insee"].isin(rows["code_insee"]),
                                             "bailleur_siren"].nunique())
    _ENGAGED.clear()  # only the current table's counts are kept
    _ENGAGED[id(frame)] = (frame, counts)
    return counts


store.register(_ENGAGED.clear)


@store.memo(maxsize=64)
def _engaged_in(column: str, code: str) -> int:
    """`engaged_landlords` of the communes whose `column` is `code` (a department or the
    region: shared by all the EPCI that compare with it)."""
    frame = store.engagements().frame
    found = _engaged_everywhere(frame).get((column, code))
    if found is not None:
        return found
    return data.engaged_landlords(frame, _territory_rows(column, code))


LANDLORD_SCOPE_COLUMNS = ("code_insee", "nom", "epci_siren", "epci_nom", *registry.COLUMNS)
"""The commune columns the landlord functions of `bailleurs` read."""


@store.memo(maxsize=1)
def _epci_positions() -> tuple[pd.DataFrame, dict[str, object]]:
    """The app's table cut to `LANDLORD_SCOPE_COLUMNS`, and each EPCI's row positions."""
    narrow = store.communes()[list(LANDLORD_SCOPE_COLUMNS)]
    return narrow, narrow.groupby("epci_siren", sort=False).indices


_LANDLORD_POSITIONS: dict[int, tuple[pd.DataFrame, dict[str, object]]] = {}


def _landlord_positions(frame: pd.DataFrame) -> dict[str, object]:
    """Row positions of the landlord table's rows by EPCI of their commune, computed
    once per landlord table (the file may be replaced: a new frame, new positions)."""
    kept = _LANDLORD_POSITIONS.get(id(frame))
    if kept is not None and kept[0] is frame:
        return kept[1]
    narrow, _ = _epci_positions()
    epci = frame["code_insee"].map(dict(zip(narrow["code_insee"], narrow["epci_siren"],
                                            strict=True)))
    positions = pd.Series(range(len(frame))).groupby(epci.to_numpy(), sort=False).indices
    _LANDLORD_POSITIONS.clear()  # only the current table's positions are kept
    _LANDLORD_POSITIONS[id(frame)] = (frame, positions)
    return positions


store.register(_LANDLORD_POSITIONS.clear)


def _landlord_scope(siren: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the EPCI's communes, the landlord rows on them): what `summary_epci` and
    `matrix` look at for one EPCI, without scanning the whole tables."""
    narrow, positions = _epci_positions()
    if siren not in positions:
        raise UnknownCode(f"EPCI inconnu : {siren!r} (aucune commune de la table)")
    rows = narrow.iloc[positions[siren]]
    found = _landlord_positions(frame).get(siren)
    return rows, frame.iloc[found if found is not None else []]


@store.memo(maxsize=256)
def cached_engagement(siren: str) -> dict | None:
    """`engagement_profile` of the app's tables, None when the landlord file is unusable."""
    eng = store.engagements()
    if eng.frame is None:
        return None
    p = cached_profile(siren)
    out = dict(_landlords(siren, eng.frame).summaries[siren])  # = summary_epci
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
    return _landlords(siren, eng.frame).matrix(siren)  # = bailleurs.matrix


def _landlords(siren: str, frame: pd.DataFrame) -> engagement.Landlords:
    """The landlord figures of every EPCI (computed once per landlord table); UnknownCode
    for an EPCI without commune."""
    found = engagement.landlords(frame, _epci_positions()[0])
    if siren not in found.summaries:
        raise UnknownCode(f"EPCI inconnu : {siren!r} (aucune commune de la table)")
    return found


@store.memo(maxsize=256)
def cached_comparison(sirens: tuple[str, ...]) -> pd.DataFrame:
    return data.comparison_table(store.communes(), sirens, store.engagements().frame,
                                 store.communes_hors_region())


@store.memo(maxsize=1)
def _feature_index() -> tuple[list[dict], dict[str, list[int]]]:
    """The commune layer's features, and the positions of the features drawing each code
    (its own, or its former commune's: `properties.communes`), once per process."""
    features = store.geojson("communes").get("features", [])
    index: dict[str, list[int]] = {}
    for i, feature in enumerate(features):
        codes = {feature.get("id"), *(feature.get("properties") or {}).get("communes", ())}
        for code in codes:
            index.setdefault(code, []).append(i)
    return features, index


@store.memo(maxsize=256)
def cached_geometry(siren: str) -> dict:
    """The commune features of one EPCI (`data.geometry_subset`, through an index of the
    layer instead of a scan of every feature), once per EPCI."""
    features, index = _feature_index()
    codes = cached_commune_shares(siren)["code_insee"].tolist()
    found = sorted({i for code in codes for i in index.get(code, ())})
    return {"type": "FeatureCollection", "features": [features[i] for i in found]}


@store.memo(maxsize=256)
def cached_labels(siren: str) -> pd.DataFrame:
    """Name positions of `labelled_communes` on the EPCI's map."""
    found = _precomputed("labels", siren)
    if found is not None:
        return found
    return data.label_points(cached_geometry(siren),
                             data.labelled_communes(cached_commune_shares(siren)))
