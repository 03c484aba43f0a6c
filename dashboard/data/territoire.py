"""The profile of one EPCI: totals beside its department and region, its communes,
its programme communes and their dated milestones, its landlords (pure pandas).

Every function takes the tables as arguments and is tested with known answers;
`views/territoire.py` applies them to the app's tables and memoises them on codes.
"""

from __future__ import annotations

import math

import pandas as pd

from .. import registry
from ..formatting import MISSING, fmt_date, fmt_int, plural
from . import aggregate, bailleurs
from .aggregate import UnknownCode
from .official.summary import METROPOLE_LYON_TYPE, RHONE_PARTS, departement_rows
from .sources import PVD_LIST_MONTH

MILESTONES_FROM = pd.Timestamp("2014-01-01")

AMI, ACV, ORT = (registry.BY_KEY[k] for k in ("AMI centres-bourgs", "ACV", "ORT"))
"""The programmes with dated milestones here (PVD adhesions: `territoire_officiel`)."""

EVENT_AMI = f"Lauréat {AMI.phrase}"
EVENT_ACV = f"Convention {ACV.label}"
EVENT_ORT = "Signature de l'ORT"
EVENT_PROGRAMME = {EVENT_AMI: AMI.key, EVENT_ACV: ACV.key, EVENT_ORT: ORT.key}
"""Each milestone's programme (registry key)."""


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


def comparison_departement(df: pd.DataFrame, siren: str) -> tuple[str, str]:
    """(code, name) of the department an EPCI is compared with: its main department,
    except in the Rhône, where the Métropole de Lyon compares with `69M` and the other
    EPCI with `69D` (Rhône hors Métropole de Lyon), as DREAL publishes them."""
    split = departement_split(df, siren)
    dep, name = str(split["departement"].iloc[0]), str(split["departement_nom"].iloc[0])
    if dep != "69":
        return dep, name
    metropole = epci_rows(df, siren)["epci_type"].eq(METROPOLE_LYON_TYPE).fillna(False).any()
    code = "69M" if metropole else "69D"
    return code, RHONE_PARTS[code]


def epci_profile(df: pd.DataFrame, siren: str, outside: pd.DataFrame | None = None) -> dict:
    """Totals of the EPCI, of its comparison department and of that department's region.

    `outside`: the out-of-region communes of cross-border EPCI (the build's
    `communes_hors_region`); the EPCI's totals cover all its communes, the department
    and region totals only the table's.

    Keys: siren, nom, type, departement (code, `69D`/`69M` in the Rhône),
    departement_nom, region, region_nom, departements (list of dicts from
    `departement_split`, the region's communes only), a_cheval (True when the EPCI's
    communes of the region lie in several departments), communes_estimees (communes
    whose main residences are estimated), nb_communes_hors_region,
    population_hors_region, regions_hors_region (names), epci / departement_totals /
    region_totals (`aggregate.totals` dicts: ratios of sums).
    """
    rows = epci_rows(df, siren)
    split = departement_split(df, siren)
    dep, dep_name = comparison_departement(df, siren)
    dep_rows = departement_rows(df, dep)
    region = str(dep_rows["region"].iloc[0])
    region_rows = df[df["region"] == region]
    whole = aggregate.with_outside(rows, outside)
    elsewhere = whole.iloc[len(rows):]
    return {
        "siren": siren,
        "nom": str(rows["epci_nom"].iloc[0]),
        "type": None if pd.isna(rows["epci_type"].iloc[0]) else str(rows["epci_type"].iloc[0]),
        "departement": dep,
        "departement_nom": dep_name,
        "region": region,
        "region_nom": str(region_rows["region_nom"].iloc[0]),
        "departements": split.to_dict("records"),
        "a_cheval": len(split) > 1,
        "communes_estimees": int(rows["residences_principales_estimees"].astype(bool).sum()),
        **aggregate.outside_counts(outside, siren),
        "regions_hors_region": sorted(set(elsewhere["region_nom"].astype(str))),
        "epci": aggregate.totals(whole),
        "departement_totals": aggregate.totals(dep_rows),
        "region_totals": aggregate.totals(region_rows),
    }


def outside_sentence(p: dict) -> str | None:
    """The sentence of an EPCI that crosses the regional border (None otherwise):
    "Cette intercommunalité compte aussi 3 communes et 12 345 habitants hors de la
    région (Bourgogne-Franche-Comté) : ses chiffres portent sur l'ensemble de ses
    communes." """
    n = p.get("nb_communes_hors_region", 0)
    if not n:
        return None
    regions = ", ".join(p.get("regions_hors_region", ()))
    where = f" ({regions})" if regions else ""
    return (f"Cette intercommunalité compte aussi {plural(n, 'commune')} et "
            f"{plural(p['population_hors_region'], 'habitant')} hors de la région{where} : "
            "ses chiffres portent sur l'ensemble de ses communes, les graphiques et la carte "
            "par commune sur ses communes de la région seulement.")


def outside_chart_note(p: dict) -> str | None:
    """The commune chart's note for a cross-border EPCI (None otherwise)."""
    n = p.get("nb_communes_hors_region", 0)
    if not n:
        return None
    which = "sa commune" if n == 1 else f"ses {fmt_int(n)} communes"
    return (f"La part de l'ensemble de l'intercommunalité compte aussi {which} hors de la "
            f"région, {'absente' if n == 1 else 'absentes'} de ce graphique.")


# --- communes of the EPCI -------------------------------------------------------------------

def _labels(rows: pd.DataFrame) -> pd.Series:
    """Commune names, with the INSEE code added to names that appear twice."""
    dup = rows["nom"].duplicated(keep=False)
    return rows["nom"].where(~dup, rows["nom"] + " (" + rows["code_insee"] + ")")


def commune_shares(df: pd.DataFrame, siren: str) -> pd.DataFrame:
    """The EPCI's communes with their share of social housing, highest share first.

    Columns: code_insee, nom, libelle (unique label), population,
    logements_sociaux, residences_principales, estimee, taux_logements_sociaux,
    sru_seuil_applicable (not shown: the profile reads the legal status of
    `territoire_officiel.commune_facts`), programme. Ties (and missing shares, last) by name.
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
        "programme": registry.programme_mask(rows).astype(bool),
    })
    out.insert(2, "libelle", _labels(out))
    out = out.sort_values(["taux_logements_sociaux", "nom", "code_insee"],
                          ascending=[False, True, True], na_position="last", kind="stable")
    return out.reset_index(drop=True)


def programme_communes(df: pd.DataFrame, siren: str) -> pd.DataFrame:
    """The EPCI's programme communes (ACV, PVD, AMI centres-bourgs or ORT signée).

    Columns: code_insee, nom, population, programmes ("ACV, ORT"), acv,
    acv_phase, acv_date_signature, acv_actions_en_cours, acv_actions_livrees,
    pvd, ami_centres_bourgs, ort_statut, ort_date_signature. Largest population
    first.
    """
    rows = epci_rows(df, siren)
    rows = rows[registry.programme_mask(rows)]
    out = rows[["code_insee", "nom", "population", "acv", "acv_phase", "acv_date_signature",
                "acv_actions_en_cours", "acv_actions_livrees", "pvd", "ami_centres_bourgs",
                "ort_statut", "ort_date_signature"]].copy()
    out.insert(3, "programmes", registry.programmes_of(rows))
    out = out.sort_values(["population", "nom"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def _count(value: object) -> str:
    return MISSING if value is None or pd.isna(value) else fmt_int(value)


def _pvd_text(rec: dict) -> str:
    """"Adhésion le 30 avril 2021", "Sortie du programme" or "—"."""
    if bool(rec.get("pvd_sortie", False)):
        return f"Sortie du programme (absente de la liste de {PVD_LIST_MONTH})"
    date = rec.get("pvd_date_adhesion")
    if date is None or pd.isna(date):
        return "—"
    return f"Adhésion le {fmt_date(date)}"


def programme_display(table: pd.DataFrame) -> list[dict[str, str]]:
    """`programme_communes` rows as French strings for a table (one dict per commune);
    with the PVD columns of `territoire_officiel.with_pvd_columns` when present.

    Keys: commune, programmes, pvd, acv_convention, ort, jalon, actions.
    """
    out = []
    for rec in table.to_dict("records"):
        if rec["acv"]:
            convention = fmt_date(rec["acv_date_signature"])
            actions = (f"{_count(rec['acv_actions_en_cours'])} en cours, "
                       f"{_count(rec['acv_actions_livrees'])} livrées")
        else:
            convention = actions = "—"
        status = rec["ort_statut"]
        if status is None or pd.isna(status):
            ort = "Hors suivi ORT"
        elif status == ORT.value:
            ort = f"Signée le {fmt_date(rec['ort_date_signature'])}"
        else:
            ort = str(status)
        jalon = rec.get("pvd_jalon_ort")
        out.append({"commune": str(rec["nom"]), "programmes": rec["programmes"] or "—",
                    "pvd": _pvd_text(rec), "acv_convention": convention, "ort": ort,
                    "jalon": "—" if jalon is None or pd.isna(jalon) else str(jalon),
                    "actions": actions})
    return out


def milestones(df: pd.DataFrame, siren: str) -> pd.DataFrame:
    """Dated milestones of the EPCI's communes since 2014, oldest first.

    One row per event: AMI centres-bourgs laureate (2014: the source gives the
    year only, so the date is 1 January 2014 and `annee_seule` is True), ACV
    convention signature, ORT signature (PVD adhesions are added by
    `territoire_officiel.pvd_milestones`: the build precomputes this table).
    Columns: date, annee_seule, code_insee, commune, programme, evenement.
    """
    rows = epci_rows(df, siren)
    parts = []
    ami = rows[AMI.flag(rows)]
    parts.append(pd.DataFrame({
        "date": pd.Series(MILESTONES_FROM, index=ami.index, dtype="datetime64[ns]"),
        "annee_seule": True, "code_insee": ami["code_insee"], "commune": ami["nom"],
        "programme": AMI.key, "evenement": EVENT_AMI}))
    acv = rows[ACV.flag(rows) & rows["acv_date_signature"].notna()]
    parts.append(pd.DataFrame({
        "date": acv["acv_date_signature"].astype("datetime64[ns]"), "annee_seule": False,
        "code_insee": acv["code_insee"], "commune": acv["nom"], "programme": ACV.key,
        "evenement": EVENT_ACV}))
    ort = rows[ORT.flag(rows) & rows["ort_date_signature"].notna()]
    parts.append(pd.DataFrame({
        "date": ort["ort_date_signature"].astype("datetime64[ns]"), "annee_seule": False,
        "code_insee": ort["code_insee"], "commune": ort["nom"], "programme": ORT.key,
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
    codes = communes.loc[registry.programme_mask(communes), "code_insee"]
    rows = engagements[engagements["code_insee"].isin(codes)]
    return int(bailleurs.engaged(rows)["bailleur_siren"].nunique())


def engagement_profile(engagements: pd.DataFrame, df: pd.DataFrame, siren: str) -> dict:
    """`bailleurs.summary_epci` plus engaged landlords of the main department and region."""
    out = dict(bailleurs.summary_epci(engagements, df, siren))
    dep_rows = departement_rows(df, comparison_departement(df, siren)[0])
    region_rows = df[df["region"] == dep_rows["region"].iloc[0]]
    out["bailleurs_engages_departement"] = engaged_landlords(engagements, dep_rows)
    out["bailleurs_engages_region"] = engaged_landlords(engagements, region_rows)
    return out


def comparison_table(df: pd.DataFrame, sirens: list[str] | tuple[str, ...],
                     engagements: pd.DataFrame | None = None,
                     outside: pd.DataFrame | None = None) -> pd.DataFrame:
    """The EPCI side by side, then their region (region of the first one's main department).

    Each EPCI's figures cover all its communes (`outside`: its out-of-region ones).

    Columns: code, nom, region (True for the region row), taux_logements_sociaux,
    part_population_programme, communes_programme, nb_communes,
    taux_engagement (NaN without engagement data or programme commune).
    """
    records = []
    for siren in sirens:
        t = aggregate.totals(aggregate.epci_whole(df, siren, outside))
        eng = (bailleurs.summary_epci(engagements, df, siren) if engagements is not None
               else {"taux_engagement": None})
        records.append({"code": siren, "nom": str(epci_rows(df, siren)["epci_nom"].iloc[0]),
                        "region": False, **_comparable(t, eng["taux_engagement"])})
    dep = main_departement(df, sirens[0])
    region_code = departement_rows(df, dep)["region"].iloc[0]
    region_rows = df[df["region"] == region_code]
    rate = math.nan
    if engagements is not None:
        pc = region_rows[registry.programme_mask(region_rows)]
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
