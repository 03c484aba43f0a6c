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

from ..data import store, territories
from ..data.territoire import outside_chart_note
from ..figures import territoire as figs
from ..figures import territoire_calendrier as calendrier
from ..figures import territoire_carte as carte
from ..figures import territoire_comparaison as comparaison
from ..figures.common import SOURCE_BAILLEURS, empty_figure
from ..figures.plain import PlainFigure
from ..french import of_territory
from . import commune as commune_view
from .chart import Chart
from .territoire_tables import (  # noqa: F401  (the profile's tables, re-exported)
    LANDLORD_SCOPE_COLUMNS,
    _engaged_in,
    _epci_positions,
    _landlord_scope,
    _precomputed,
    cached_commune_context,
    cached_commune_shares,
    cached_comparison,
    cached_engagement,
    cached_facts,
    cached_geometry,
    cached_labels,
    cached_matrix,
    cached_milestones,
    cached_profile,
    cached_programme_communes,
    programme_rows,
)

MAX_OTHERS = territories.MAX_COMPARE - 1
"""Other EPCI that can be compared with the profile's one (four in all)."""
MAX_ITEMS = 12
"""Items of `?compare=` looked at, at most (a long list is cut, not parsed)."""
PRESENTATION = "presentation"
"""`?mode=presentation`: one chart per screen, large type, for a projector."""
QUERY_KEYS = ("epci", "commune", "compare", "departement")

# key -> (graph id, indicator used in the PNG file name)
CHARTS: dict[str, tuple[str, str]] = {
    "commune": (commune_view.GRAPH_ID, commune_view.INDICATOR),  # + "-annonay-07010"
    "parts": ("territoire-graph-parts", "taux-logements-sociaux"),
    "carte": ("territoire-graph-carte", "carte-taux-logements-sociaux"),
    "calendrier": ("territoire-graph-calendrier", "calendrier-programmes"),
    "bailleurs": ("territoire-graph-bailleurs", "engagement-bailleurs"),
    "comparaison": ("territoire-graph-comparaison", "comparaison-intercommunalites"),
}



# --- the URL's codes ----------------------------------------------------------------------

class View(NamedTuple):
    """Checked codes of a URL and the French sentences explaining what was refused."""

    epci: str | None
    commune: str | None
    compare: tuple[str, ...]
    departement: str | None
    problems: tuple[str, ...]


def departements_of(siren: str) -> set[str]:
    """Departments where the communes of an EPCI lie, with `69D` or `69M` in the Rhône."""
    p = cached_profile(siren)
    return {d["departement"] for d in p["departements"]} | {p["departement"]}


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
                f"La commune {name} ({found.code}) ne fait pas partie "
                f"{of_territory('epci', territories.epci_names()[siren])} : elle n'est pas "
                "mise en évidence.")

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
    note = outside_chart_note(p)  # a cross-border EPCI: its total covers all its communes
    return _chart("parts", fig, f"{text} {note}" if note else text)


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
        fig = figs._engagement_figure(grid, p["nom"], demo)
    return _chart("bailleurs", fig, figs.engagement_summary(cached_engagement(epci), p["nom"]))


@store.memo(maxsize=256)
def comparison_chart(codes: tuple[str, ...]) -> Chart:
    table = cached_comparison(codes)
    names = " – ".join(table.loc[~table["region"], "nom"])
    fig = comparaison._comparison_figure(table, names, store.engagements().demo)
    return _chart("comparaison", fig, comparaison.comparison_summary(table))


def profile_charts(epci: str, commune: str | None = None,
                   compare: tuple[str, ...] | list[str] = ()) -> list[Chart]:
    """The charts of one profile, for checked codes (comparison only with `compare`);
    with a commune, its "Ma commune" slide comes first."""
    charts = [commune_view.commune_chart(commune)] if commune else []
    charts += [shares_chart(epci, commune), map_chart(epci, commune), timeline_chart(epci),
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
