"""The profile of one EPCI: totals beside its department and region, its communes,
its programme communes and their dated milestones, its landlords (pure pandas).

The functions at the top take the tables as arguments and are tested with known
answers. The `cached_*` functions at the bottom read the app's tables
(`store`, `bailleurs`) and memoize per territory code: the page layout is
rebuilt at each URL change, so anything per EPCI is computed once per process.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ..formatting import MISSING, fmt_date, fmt_int
from . import aggregate, bailleurs, precomputed, store
from .aggregate import UnknownCode
from .schema import TableError

MILESTONES_FROM = pd.Timestamp("2014-01-01")

PROGRAMME_ORDER = ("ACV", "PVD", "AMI centres-bourgs", "ORT")
"""Programme labels in display order (same labels as `bailleurs.PROGRAMMES`)."""

EVENT_AMI = "Lauréat AMI centres-bourgs"
EVENT_ACV = "Convention Action Cœur de Ville"
EVENT_ORT = "Signature de l'ORT"


# --- one EPCI beside its department and region --------------------------------------------

def epci_rows(df: pd.DataFrame, siren: str) -> pd.DataFrame:
    """The communes of an EPCI; UnknownCode (French message) when it has none."""
    rows = df[df["epci_siren"] == siren]
    if rows.empty:
        raise UnknownCode(f"EPCI inconnu : {siren!r} (aucune commune de la table)")
    return rows


def departement_split(df: pd.DataFrame, siren: str) -> pd.DataFrame:
    """Departments of an EPCI's communes, largest population first.

    Columns: departement, departement_nom, population, nb_communes,
    part_population (percent of the EPCI's population). Ties go to the lower code.
    """
    rows = epci_rows(df, siren)
    out = (rows.groupby(["departement", "departement_nom"], sort=True)
           .agg(population=("population", "sum"), nb_communes=("code_insee", "size"))
           .reset_index())
    total = out["population"].sum()
    out["part_population"] = 100 * out["population"] / total if total else math.nan
    out = out.sort_values(["population", "departement"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def main_departement(df: pd.DataFrame, siren: str) -> str:
    """The department holding most of the EPCI's population (EPCI may straddle several)."""
    return str(departement_split(df, siren)["departement"].iloc[0])


def epci_profile(df: pd.DataFrame, siren: str) -> dict:
    """Totals of the EPCI, of its main department and of that department's region.

    Keys: siren, nom, type, departement, departement_nom, region, region_nom,
    departements (list of dicts from `departement_split`), a_cheval (True when
    the EPCI's communes lie in several departments), communes_estimees (communes
    whose main residences are estimated), epci / departement_totals /
    region_totals (`aggregate.totals` dicts: ratios of sums).
    """
    rows = epci_rows(df, siren)
    split = departement_split(df, siren)
    dep = str(split["departement"].iloc[0])
    dep_rows = df[df["departement"] == dep]
    region = str(dep_rows["region"].iloc[0])
    region_rows = df[df["region"] == region]
    return {
        "siren": siren,
        "nom": str(rows["epci_nom"].iloc[0]),
        "type": None if pd.isna(rows["epci_type"].iloc[0]) else str(rows["epci_type"].iloc[0]),
        "departement": dep,
        "departement_nom": str(split["departement_nom"].iloc[0]),
        "region": region,
        "region_nom": str(region_rows["region_nom"].iloc[0]),
        "departements": split.to_dict("records"),
        "a_cheval": len(split) > 1,
        "communes_estimees": int(rows["residences_principales_estimees"].astype(bool).sum()),
        "epci": aggregate.totals(rows),
        "departement_totals": aggregate.totals(dep_rows),
        "region_totals": aggregate.totals(region_rows),
    }


# --- communes of the EPCI -------------------------------------------------------------------

def _labels(rows: pd.DataFrame) -> pd.Series:
    """Commune names, with the INSEE code added to names that appear twice."""
    dup = rows["nom"].duplicated(keep=False)
    return rows["nom"].where(~dup, rows["nom"] + " (" + rows["code_insee"] + ")")


def commune_shares(df: pd.DataFrame, siren: str) -> pd.DataFrame:
    """The EPCI's communes with their share of social housing, highest share first.

    Columns: code_insee, nom, libelle (unique label), population,
    logements_sociaux, residences_principales, estimee, taux_logements_sociaux,
    sru_seuil_applicable, programme. Ties (and missing shares, last) by name.
    """
    rows = epci_rows(df, siren)
    out = pd.DataFrame({
        "code_insee": rows["code_insee"].astype(str),
        "nom": rows["nom"].astype(str),
        "population": rows["population"].astype("int64"),
        "logements_sociaux": rows["logements_sociaux"].astype("int64"),
        "residences_principales": rows["residences_principales"].astype("float64"),
        "estimee": rows["residences_principales_estimees"].astype(bool),
        "taux_logements_sociaux": rows["taux_logements_sociaux"].astype("float64"),
        "sru_seuil_applicable": rows["sru_seuil_applicable"].astype(bool),
        "programme": bailleurs.programme_mask(rows).astype(bool),
    })
    out.insert(2, "libelle", _labels(out))
    out = out.sort_values(["taux_logements_sociaux", "nom", "code_insee"],
                          ascending=[False, True, True], na_position="last", kind="stable")
    return out.reset_index(drop=True)


def _programmes_of(rows: pd.DataFrame) -> pd.Series:
    """"ACV, ORT"-style list of the programmes of each commune."""
    flags = {
        "ACV": rows["acv"].astype(bool),
        "PVD": rows["pvd"].astype(bool),
        "AMI centres-bourgs": rows["ami_centres_bourgs"].astype(bool),
        "ORT": rows["ort_statut"].eq("Signée").fillna(False).astype(bool),
    }
    names = [[p for p in PROGRAMME_ORDER if flags[p].loc[i]] for i in rows.index]
    return pd.Series([", ".join(n) for n in names], index=rows.index, dtype="str")


def programme_communes(df: pd.DataFrame, siren: str) -> pd.DataFrame:
    """The EPCI's programme communes (ACV, PVD, AMI centres-bourgs or ORT signée).

    Columns: code_insee, nom, population, programmes ("ACV, ORT"), acv,
    acv_phase, acv_date_signature, acv_actions_en_cours, acv_actions_livrees,
    pvd, ami_centres_bourgs, ort_statut, ort_date_signature. Largest population
    first.
    """
    rows = epci_rows(df, siren)
    rows = rows[bailleurs.programme_mask(rows)]
    out = rows[["code_insee", "nom", "population", "acv", "acv_phase", "acv_date_signature",
                "acv_actions_en_cours", "acv_actions_livrees", "pvd", "ami_centres_bourgs",
                "ort_statut", "ort_date_signature"]].copy()
    out.insert(3, "programmes", _programmes_of(rows))
    out = out.sort_values(["population", "nom"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def _count(value: object) -> str:
    return MISSING if value is None or pd.isna(value) else fmt_int(value)


def programme_display(table: pd.DataFrame) -> list[dict[str, str]]:
    """`programme_communes` rows as French strings for a table (one dict per commune).

    Keys: commune, programmes, acv_phase, acv_convention, ort, actions.
    """
    out = []
    for rec in table.to_dict("records"):
        if rec["acv"]:
            phase = "—" if pd.isna(rec["acv_phase"]) else f"Phase {int(rec['acv_phase'])}"
            convention = fmt_date(rec["acv_date_signature"])
            actions = (f"{_count(rec['acv_actions_en_cours'])} en cours, "
                       f"{_count(rec['acv_actions_livrees'])} livrées")
        else:
            phase = convention = actions = "—"
        status = rec["ort_statut"]
        if status is None or pd.isna(status):
            ort = "Hors suivi ORT"
        elif status == "Signée":
            ort = f"Signée le {fmt_date(rec['ort_date_signature'])}"
        else:
            ort = str(status)
        out.append({"commune": str(rec["nom"]), "programmes": rec["programmes"],
                    "acv_phase": phase, "acv_convention": convention, "ort": ort,
                    "actions": actions})
    return out


def milestones(df: pd.DataFrame, siren: str) -> pd.DataFrame:
    """Dated milestones of the EPCI's communes since 2014, oldest first.

    One row per event: AMI centres-bourgs laureate (2014: the source gives the
    year only, so the date is 1 January 2014 and `annee_seule` is True), ACV
    convention signature, ORT signature. PVD membership has no date in the
    sources and is not a milestone. Columns: date, annee_seule, code_insee,
    commune, programme, evenement.
    """
    rows = epci_rows(df, siren)
    parts = []
    ami = rows[rows["ami_centres_bourgs"].astype(bool)]
    parts.append(pd.DataFrame({
        "date": pd.Series(MILESTONES_FROM, index=ami.index, dtype="datetime64[ns]"),
        "annee_seule": True, "code_insee": ami["code_insee"], "commune": ami["nom"],
        "programme": "AMI centres-bourgs", "evenement": EVENT_AMI}))
    acv = rows[rows["acv"].astype(bool) & rows["acv_date_signature"].notna()]
    parts.append(pd.DataFrame({
        "date": acv["acv_date_signature"].astype("datetime64[ns]"), "annee_seule": False,
        "code_insee": acv["code_insee"], "commune": acv["nom"], "programme": "ACV",
        "evenement": EVENT_ACV}))
    ort = rows[rows["ort_statut"].eq("Signée").fillna(False).astype(bool)
               & rows["ort_date_signature"].notna()]
    parts.append(pd.DataFrame({
        "date": ort["ort_date_signature"].astype("datetime64[ns]"), "annee_seule": False,
        "code_insee": ort["code_insee"], "commune": ort["nom"], "programme": "ORT",
        "evenement": EVENT_ORT}))
    out = pd.concat([p for p in parts if not p.empty] or [parts[0]], ignore_index=True)
    out = out[out["date"] >= MILESTONES_FROM]
    out = out.astype({"annee_seule": bool, "code_insee": "str", "commune": "str",
                      "programme": "str", "evenement": "str"})
    return out.sort_values(["date", "commune", "evenement"], kind="stable").reset_index(drop=True)


# --- landlords --------------------------------------------------------------------------------

def engaged_landlords(engagements: pd.DataFrame, communes: pd.DataFrame) -> int:
    """Distinct landlords engaged (level `ENGAGED_FROM` or beyond) on the programme
    communes of `communes` (any set: EPCI, department, region)."""
    codes = communes.loc[bailleurs.programme_mask(communes), "code_insee"]
    rows = engagements[engagements["code_insee"].isin(codes)]
    return int(bailleurs.engaged(rows)["bailleur_siren"].nunique())


def engagement_profile(engagements: pd.DataFrame, df: pd.DataFrame, siren: str) -> dict:
    """`bailleurs.summary_epci` plus engaged landlords of the main department and region."""
    out = dict(bailleurs.summary_epci(engagements, df, siren))
    dep = main_departement(df, siren)
    dep_rows = df[df["departement"] == dep]
    region_rows = df[df["region"] == dep_rows["region"].iloc[0]]
    out["bailleurs_engages_departement"] = engaged_landlords(engagements, dep_rows)
    out["bailleurs_engages_region"] = engaged_landlords(engagements, region_rows)
    return out


def comparison_table(df: pd.DataFrame, sirens: list[str] | tuple[str, ...],
                     engagements: pd.DataFrame | None = None) -> pd.DataFrame:
    """The EPCI side by side, then their region (region of the first one's main department).

    Columns: code, nom, region (True for the region row), taux_logements_sociaux,
    part_population_programme, communes_programme, nb_communes,
    taux_engagement (NaN without engagement data or programme commune).
    """
    records = []
    for siren in sirens:
        t = aggregate.totals(epci_rows(df, siren))
        eng = (bailleurs.summary_epci(engagements, df, siren) if engagements is not None
               else {"taux_engagement": None})
        records.append({"code": siren, "nom": str(epci_rows(df, siren)["epci_nom"].iloc[0]),
                        "region": False, **_comparable(t, eng["taux_engagement"])})
    dep = main_departement(df, sirens[0])
    region_code = df.loc[df["departement"] == dep, "region"].iloc[0]
    region_rows = df[df["region"] == region_code]
    rate = math.nan
    if engagements is not None:
        pc = region_rows[bailleurs.programme_mask(region_rows)]
        hot = bailleurs.engaged(engagements[engagements["code_insee"].isin(pc["code_insee"])])
        rate = aggregate.rate(pc["code_insee"].isin(hot["code_insee"]).sum(), len(pc))
    records.append({"code": str(region_code), "nom": str(region_rows["region_nom"].iloc[0]),
                    "region": True, **_comparable(aggregate.totals(region_rows), rate)})
    return pd.DataFrame.from_records(records).astype({"taux_engagement": "float64"})


def _comparable(t: dict, engagement_rate: float | None) -> dict:
    return {
        "taux_logements_sociaux": t["taux_logements_sociaux"],
        "part_population_programme": t["part_population_programme"],
        "communes_programme": t["communes_programme"],
        "nb_communes": t["nb_communes"],
        "taux_engagement": math.nan if engagement_rate is None else engagement_rate,
    }


# --- map geometry -----------------------------------------------------------------------------

def geometry_subset(geojson: dict, codes: list[str] | tuple[str, ...]) -> dict:
    """A FeatureCollection with only the features drawing `codes`: their own, or the
    former commune's of a commune split since (listed in `properties.communes`)."""
    keep = set(codes)
    return {"type": "FeatureCollection",
            "features": [f for f in geojson.get("features", []) if f.get("id") in keep
                         or keep.intersection((f.get("properties") or {}).get("communes", ()))]}


def label_points(geometry: dict, codes: list[str] | tuple[str, ...],
                 min_gap: float = 0.12) -> pd.DataFrame:
    """A point inside each listed commune's outline, to put its name on the map.

    Codes are taken in order; a point closer to an earlier one than `min_gap`
    times the diagonal of the layer's extent is dropped (names would overlap).
    Columns: code_insee, lon, lat (communes without a feature are left out).
    """
    from shapely.geometry import shape

    features = {f.get("id"): f for f in geometry.get("features", []) if f.get("geometry")}
    if not features:
        return pd.DataFrame({"code_insee": pd.Series(dtype="str"),
                             "lon": pd.Series(dtype="float64"), "lat": pd.Series(dtype="float64")})
    shapes = {code: shape(f["geometry"]) for code, f in features.items()}
    xs = [b for s in shapes.values() for b in (s.bounds[0], s.bounds[2])]
    ys = [b for s in shapes.values() for b in (s.bounds[1], s.bounds[3])]
    gap = min_gap * math.hypot(max(xs) - min(xs), max(ys) - min(ys))
    rows: list[tuple[str, float, float]] = []
    for code in codes:
        if code not in shapes:
            continue
        point = shapes[code].representative_point()
        if all(math.hypot(point.x - x, point.y - y) >= gap for _, x, y in rows):
            rows.append((code, round(point.x, 5), round(point.y, 5)))
    return pd.DataFrame(rows, columns=["code_insee", "lon", "lat"]).astype({"code_insee": "str"})


def labelled_communes(shares: pd.DataFrame, limit: int = 4) -> list[str]:
    """Communes named on the map, in priority order: the programme communes
    (largest first, at most `limit`), else the most populous commune."""
    ranked = shares.sort_values(["population", "code_insee"], ascending=[False, True])
    prog = ranked[ranked["programme"]]
    chosen = prog if not prog.empty else ranked
    return chosen["code_insee"].head(limit if not prog.empty else 1).tolist()


# --- cached per-territory results (keyed on codes, never on frames) ---------------------------

@dataclass(frozen=True)
class Engagements:
    """The landlord table as the app sees it: the frame, or why it is unavailable."""

    frame: pd.DataFrame | None
    demo: bool
    error: str | None = None


def load_engagements() -> Engagements:
    """The app's landlord table; an invalid real file gives a French error, not a crash."""
    try:
        frame = store.engagements_table()
    except (TableError, OSError) as err:
        reason = err.problems[0] if isinstance(err, TableError) and err.problems else str(err)
        return Engagements(None, False, "Le fichier d'engagement des bailleurs n'a pas pu "
                                        f"être lu ({reason}).")
    return Engagements(frame, bailleurs.is_demonstration(frame))


@lru_cache(maxsize=256)
def cached_profile(siren: str) -> dict:
    """`epci_profile` of the app's table (precomputed by the build when it matches)."""
    pre = precomputed.tables()
    if pre is not None and siren in pre.profiles:
        return pre.profiles[siren]
    return epci_profile(store.communes(), siren)


def _precomputed(kind: str, siren: str) -> pd.DataFrame | None:
    """The build's slice `kind` of an EPCI of the table served, None to compute it live."""
    pre = precomputed.tables()
    if pre is None or siren not in pre.profiles:
        return None
    slices = getattr(pre, kind)
    return None if slices is None else slices.get(siren)


@lru_cache(maxsize=256)
def cached_commune_shares(siren: str) -> pd.DataFrame:
    found = _precomputed("shares", siren)
    return found if found is not None else commune_shares(store.communes(), siren)


@lru_cache(maxsize=256)
def cached_programme_communes(siren: str) -> pd.DataFrame:
    found = _precomputed("programmes", siren)
    return found if found is not None else programme_communes(store.communes(), siren)


@lru_cache(maxsize=256)
def cached_milestones(siren: str) -> pd.DataFrame:
    found = _precomputed("milestones", siren)
    return found if found is not None else milestones(store.communes(), siren)


@lru_cache(maxsize=64)
def _engaged_in(column: str, code: str) -> int:
    """`engaged_landlords` of the communes whose `column` is `code` (a department or the
    region: shared by all the EPCI that compare with it)."""
    df = store.communes()
    return engaged_landlords(load_engagements().frame, df[df[column] == code])


LANDLORD_SCOPE_COLUMNS = ("code_insee", "nom", "epci_siren", "epci_nom", "acv", "pvd",
                          "ami_centres_bourgs", "ort_statut")
"""The commune columns the landlord functions of `bailleurs` read."""


@lru_cache(maxsize=1)
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


@lru_cache(maxsize=256)
def cached_engagement(siren: str) -> dict | None:
    """`engagement_profile` of the app's tables, None when the landlord file is unusable."""
    eng = load_engagements()
    if eng.frame is None:
        return None
    p = cached_profile(siren)
    rows, scoped = _landlord_scope(siren, eng.frame)
    out = dict(bailleurs.summary_epci(scoped, rows, siren))
    out["donnees_demonstration"] = eng.demo  # a property of the whole file
    out["bailleurs_engages_departement"] = _engaged_in("departement", p["departement"])
    out["bailleurs_engages_region"] = _engaged_in("region", p["region"])
    return out


@lru_cache(maxsize=256)
def cached_matrix(siren: str) -> pd.DataFrame | None:
    """`bailleurs.matrix` of the EPCI, None when the landlord file is unusable."""
    eng = load_engagements()
    if eng.frame is None:
        return None
    rows, scoped = _landlord_scope(siren, eng.frame)
    return bailleurs.matrix(scoped, rows, siren)


@lru_cache(maxsize=256)
def cached_comparison(sirens: tuple[str, ...]) -> pd.DataFrame:
    return comparison_table(store.communes(), sirens, load_engagements().frame)


@lru_cache(maxsize=256)
def cached_geometry(siren: str) -> dict:
    """The commune features of one EPCI, cut from the commune layer once per EPCI."""
    codes = cached_commune_shares(siren)["code_insee"].tolist()
    return geometry_subset(store.geojson("communes"), codes)


@lru_cache(maxsize=256)
def cached_labels(siren: str) -> pd.DataFrame:
    """Name positions of `labelled_communes` on the EPCI's map."""
    found = _precomputed("labels", siren)
    if found is not None:
        return found
    return label_points(cached_geometry(siren), labelled_communes(cached_commune_shares(siren)))


def clear() -> None:
    """Forget the cached results (tests, or after replacing the tables)."""
    for f in (cached_profile, cached_commune_shares, cached_programme_communes,
              cached_milestones, cached_engagement, cached_matrix, cached_comparison,
              cached_geometry, cached_labels, _engaged_in, _epci_positions):
        f.cache_clear()
    precomputed.clear()
