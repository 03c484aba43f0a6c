"""View of the territory profile `/territoire?epci=SIREN[&commune=INSEE][&compare=SIREN,…]`.

Three jobs, in this order:

- check the URL's codes (`check_view`, `target_search`): untrusted values in,
  checked codes and French sentences out;
- assemble the profile of checked codes: the data layer's tables of one EPCI
  (`data.territoire`, or the build's precomputed slices), then the pure figure
  builders of `figures.territoire` and their summary sentences, as `Chart`s;
- memoise all that on codes with `store.memo`, so `store.reset()` forgets it.

No Dash component here: the page (`pages/territoire.py`) lays out what this
returns, and the exports (`export/`) render the same charts.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import parse_qs

import pandas as pd

from .. import registry
from ..data import bailleurs, precomputed, store, territories
from ..data import territoire as data
from ..data.aggregate import UnknownCode
from ..figures import territoire as figs
from ..figures import territoire_calendrier as calendrier
from ..figures import territoire_carte as carte
from ..figures import territoire_comparaison as comparaison
from ..figures.common import SOURCE_BAILLEURS, empty_figure
from ..figures.plain import PlainFigure
from .chart import Chart

MAX_OTHERS = territories.MAX_COMPARE - 1
"""Other EPCI that can be compared with the profile's one (four in all)."""
MAX_ITEMS = 12
"""Items of `?compare=` looked at, at most (a long list is cut, not parsed)."""
PRESENTATION = "presentation"
"""`?mode=presentation`: one chart per screen, large type, for a projector."""
QUERY_KEYS = ("epci", "commune", "compare", "departement")

# key -> (graph id, indicator used in the PNG file name)
CHARTS: dict[str, tuple[str, str]] = {
    "parts": ("territoire-graph-parts", "taux-logements-sociaux"),
    "carte": ("territoire-graph-carte", "carte-taux-logements-sociaux"),
    "calendrier": ("territoire-graph-calendrier", "calendrier-programmes"),
    "bailleurs": ("territoire-graph-bailleurs", "engagement-bailleurs"),
    "comparaison": ("territoire-graph-comparaison", "comparaison-intercommunalites"),
}

store.register(precomputed.tables.cache_clear)


# --- the URL's codes ----------------------------------------------------------------------

class View(NamedTuple):
    """Checked codes of a URL and the French sentences explaining what was refused."""

    epci: str | None
    commune: str | None
    compare: tuple[str, ...]
    departement: str | None
    problems: tuple[str, ...]


def departements_of(siren: str) -> set[str]:
    """Departments where the communes of an EPCI lie."""
    return {d["departement"] for d in cached_profile(siren)["departements"]}


def commune_epci(code: str) -> str | None:
    """The EPCI of a (checked) commune, None when it has none."""
    siren = territories.commune_index().at[code, "epci_siren"]
    return None if siren is None or siren != siren else str(siren)


def _compared(values: list, siren: str | None, problems: list[str] | None) -> list[str]:
    """The checked, distinct EPCI of `values` other than `siren` (bad ones explained in
    `problems` when given)."""
    others: list[str] = []
    for value in values[:MAX_ITEMS]:
        found = territories.check_epci(value)
        if found.error and problems is not None:
            problems.append(found.error)
        elif found.code and found.code != siren and found.code not in others:
            others.append(found.code)
    return others


def check_view(epci: object = None, commune: object = None, compare: object = None,
               departement: object = None) -> View:
    """Check the query values of a `/territoire` URL (all untrusted)."""
    problems: list[str] = []
    found = territories.check_epci(epci)
    if found.error:
        problems.append(found.error)
    siren = found.code

    chosen = None
    found = territories.check_commune(commune)
    if found.error:
        problems.append(found.error)
    elif found.code:
        home = commune_epci(found.code)
        if siren is None and epci is None and home:
            siren = home  # ?commune=07010 alone: the profile of its EPCI
        if home == siren:
            chosen = found.code
        elif siren:
            name = territories.commune_index().at[found.code, "nom"]
            problems.append(
                f"La commune {name} ({found.code}) n'appartient pas à "
                f"{territories.epci_names()[siren]} : elle n'est pas mise en évidence.")

    others: list[str] = []
    if compare is not None:
        items = compare if isinstance(compare, list | tuple) else str(compare).split(",")
        items = [i for i in (str(x).strip() for x in list(items)[:MAX_ITEMS]) if i]
        others = _compared(items, siren, problems)
        if len(others) > MAX_OTHERS:
            problems.append(
                f"Au plus {territories.MAX_COMPARE} intercommunalités peuvent être comparées "
                f"(celle du profil et {MAX_OTHERS} autres) : les suivantes sont ignorées.")
            others = others[:MAX_OTHERS]

    found = territories.check_departement(departement)
    if found.error:
        problems.append(found.error)
    return View(siren, chosen, tuple(others) if siren else (), found.code, tuple(problems))


def query_values(search: str | None) -> dict[str, str | list[str]]:
    """The query string as Dash pages hands it to `layout` (one value, or a list)."""
    parsed = parse_qs((search or "").removeprefix("?"), keep_blank_values=True)
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


def view_of_search(search: str | None) -> View:
    """`check_view` of a query string ("?epci=…")."""
    query = query_values(search)
    return check_view(**{k: v for k, v in query.items() if k in QUERY_KEYS})


def is_presentation(mode: object) -> bool:
    """True for `?mode=presentation` (first value when repeated)."""
    first = mode[0] if isinstance(mode, list | tuple) and mode else mode
    return first == PRESENTATION


def target_view(epci: object, commune: object, compare: object, departement: object = None,
                epci_changed: bool = False) -> View | None:
    """The checked view chosen in the picker (None when there is no EPCI to show).

    Changing the EPCI drops the commune; a commune of another EPCI is dropped; at
    most three other EPCI are kept; a department filter that would hide the EPCI
    is dropped. The page turns it into a query string.
    """
    siren = territories.check_epci(epci).code
    if siren is None:
        return None
    code = None if epci_changed else territories.check_commune(commune).code
    if code and commune_epci(code) != siren:
        code = None
    values = compare if isinstance(compare, list | tuple) else ([compare] if compare else [])
    others = _compared(list(values), siren, None)[:MAX_OTHERS]
    dep = territories.check_departement(departement).code
    if dep and dep not in departements_of(siren):
        dep = None
    return View(siren, code, tuple(others), dep, ())


# --- the tables of one EPCI (keyed on codes, never on frames) -----------------------------

@store.memo(maxsize=256)
def cached_profile(siren: str) -> dict:
    """`epci_profile` of the app's table (precomputed by the build when it matches)."""
    pre = precomputed.tables()
    if pre is not None and siren in pre.profiles:
        return pre.profiles[siren]
    return data.epci_profile(store.communes(), siren)


def _precomputed(kind: str, siren: str) -> pd.DataFrame | None:
    """The build's slice `kind` of an EPCI of the table served, None to compute it live."""
    pre = precomputed.tables()
    if pre is None or siren not in pre.profiles:
        return None
    slices = getattr(pre, kind)
    return None if slices is None else slices.get(siren)


@store.memo(maxsize=256)
def cached_commune_shares(siren: str) -> pd.DataFrame:
    found = _precomputed("shares", siren)
    return found if found is not None else data.commune_shares(store.communes(), siren)


@store.memo(maxsize=256)
def cached_programme_communes(siren: str) -> pd.DataFrame:
    found = _precomputed("programmes", siren)
    return found if found is not None else data.programme_communes(store.communes(), siren)


def programme_rows(siren: str) -> list[dict[str, str]]:
    """The programme communes of an EPCI as French strings, for the page's table."""
    return data.programme_display(cached_programme_communes(siren))


@store.memo(maxsize=256)
def cached_milestones(siren: str) -> pd.DataFrame:
    found = _precomputed("milestones", siren)
    return found if found is not None else data.milestones(store.communes(), siren)


@store.memo(maxsize=64)
def _engaged_in(column: str, code: str) -> int:
    """`engaged_landlords` of the communes whose `column` is `code` (a department or the
    region: shared by all the EPCI that compare with it)."""
    df = store.communes()
    return data.engaged_landlords(store.engagements().frame, df[df[column] == code])


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
    return data.comparison_table(store.communes(), sirens, store.engagements().frame)


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


# --- the charts of one profile ----------------------------------------------------------------

def _chart(key: str, figure: figs.Figure, summary: str, geometry: dict | None = None) -> Chart:
    """A Chart; `geometry` replaces the map's copy of the outlines with the cached
    per-EPCI object, so all the maps of one EPCI share a single copy."""
    graph_id, indicator = CHARTS[key]
    fig = figure.to_dict()
    if geometry is not None:
        for trace in fig["data"]:
            if trace.get("type") == "choropleth" and len(trace.get("locations", ())) > 1:
                trace["geojson"] = geometry
    return Chart(key, graph_id, indicator, fig, summary)


def _references(p: dict) -> list[figs.Reference]:
    return [
        figs.Reference("Ensemble de l'EPCI", p["epci"]["taux_logements_sociaux"]),
        figs.Reference(f"Département : {p['departement_nom']}",
                       p["departement_totals"]["taux_logements_sociaux"]),
        figs.Reference(f"Région {p['region_nom']}", p["region_totals"]["taux_logements_sociaux"]),
    ]


@store.memo(maxsize=256)
def shares_chart(epci: str, commune: str | None = None) -> Chart:
    p = cached_profile(epci)
    shares = cached_commune_shares(epci)
    fig = figs._shares_figure(shares, p["nom"], _references(p), commune)
    text = figs.shares_summary(shares, p["nom"], p["epci"]["taux_logements_sociaux"],
                               p["departement_nom"],
                               p["departement_totals"]["taux_logements_sociaux"],
                               p["region_totals"]["taux_logements_sociaux"])
    return _chart("parts", fig, text)


@store.memo(maxsize=256)
def map_chart(epci: str, commune: str | None = None) -> Chart:
    p = cached_profile(epci)
    shares = cached_commune_shares(epci)
    geometry = cached_geometry(epci)
    fig = carte._map_figure(shares, geometry, p["nom"], commune, cached_labels(epci))
    return _chart("carte", fig, carte.map_summary(shares, p["nom"]), geometry)


@store.memo(maxsize=256)
def timeline_chart(epci: str) -> Chart:
    p = cached_profile(epci)
    events = cached_milestones(epci)
    pvd = p["epci"]["communes_pvd"]
    return _chart("calendrier", calendrier._timeline_figure(events, p["nom"], pvd),
                  calendrier.timeline_summary(events, p["nom"], pvd))


UNREADABLE = ("Fichier d'engagement des bailleurs illisible : voir « Méthode et sources ».")


@store.memo(maxsize=256)
def engagement_chart(epci: str) -> Chart:
    p = cached_profile(epci)
    grid = cached_matrix(epci)
    demo = store.engagements().demo
    if grid is None:
        fig = empty_figure("Engagement des bailleurs sociaux", p["nom"], SOURCE_BAILLEURS,
                           figs.wrap(UNREADABLE, figs.MESSAGE_WRAP), height=300,
                           figure=PlainFigure())
    elif grid.empty:  # most EPCI: no landlord row on a programme commune
        fig = figs._no_landlord_figure(p["nom"], demo)
    else:
        fig = figs.engagement_figure(grid, p["nom"], demo)
    return _chart("bailleurs", fig, figs.engagement_summary(cached_engagement(epci), p["nom"]))


@store.memo(maxsize=256)
def comparison_chart(codes: tuple[str, ...]) -> Chart:
    table = cached_comparison(codes)
    names = " – ".join(table.loc[~table["region"], "nom"])
    fig = comparaison._comparison_figure(table, names, store.engagements().demo)
    return _chart("comparaison", fig, comparaison.comparison_summary(table))


def profile_charts(epci: str, commune: str | None = None,
                   compare: tuple[str, ...] | list[str] = ()) -> list[Chart]:
    """The charts of one profile, for checked codes (comparison only with `compare`)."""
    charts = [shares_chart(epci, commune), map_chart(epci, commune), timeline_chart(epci),
              engagement_chart(epci)]
    others = tuple(c for c in compare if c != epci)
    if others:
        charts.append(comparison_chart((epci, *others)))
    return charts


def profile_figures(epci: str, commune: str | None = None,
                    compare: tuple[str, ...] | list[str] = ()) -> list[tuple[str, object]]:
    """(indicator slug, `go.Figure`) of every chart of the profile, for an export.

    The figures are copies: changing them does not change the cached ones.
    """
    return [(c.indicator, c.go_figure()) for c in profile_charts(epci, commune, compare)]
