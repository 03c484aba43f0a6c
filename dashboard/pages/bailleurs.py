"""Page "Bailleurs": how social landlords take part in the revitalisation programmes.

The view lives in the URL (`/bailleurs?departement=07&epci=200072015`): the
territory picker only changes the URL, and the page is rebuilt from it. Until
AURA-HLM's own file is loaded, every chart says it shows demonstration data.

(NamedTuple rather than dataclass here: Dash executes page modules before
registering them in sys.modules, which dataclasses need.)
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import parse_qs

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard.components import chart, messages, picker
from dashboard.components.cards import Comparison, kpi_card, kpi_row
from dashboard.data import bailleurs, store, territories
from dashboard.data.schema import TableError
from dashboard.figures import bailleurs as figs
from dashboard.figures.common import EXPORT_HEIGHT, graph_config
from dashboard.formatting import fmt_int, fmt_pct

PATH = "/bailleurs"
PREFIX = "bailleurs"
IDS = picker.ids(PREFIX)

dash.register_page(
    __name__,
    order=3,
    path=PATH,
    name="Bailleurs",
    title="Bailleurs sociaux et revitalisation — AURA-HLM",
    description="Engagement des bailleurs sociaux dans les programmes de revitalisation "
                "d'Auvergne-Rhône-Alpes.",
)
picker.register_picker(PREFIX, with_commune=False)


class Scope(NamedTuple):
    """The territory of the view: its codes, its label and the phrase used in sentences."""

    epci: str | None
    departement: str | None
    territory: str
    where: str


def scope_for(epci: str | None, departement: str | None) -> Scope:
    """Label ("CA Annonay Rhône Agglo", "Ardèche (07)", region name) of checked codes."""
    if epci:
        name = territories.epci_names()[epci]
        return Scope(epci, departement, name, f"de {name}")
    if departement:
        name = territories.departement_names()[departement]
        return Scope(None, departement, f"{name} ({departement})", f"du département {name}")
    return Scope(None, None, _region_name(), "de la région")


@lru_cache(maxsize=1)
def _region_name() -> str:
    return str(store.communes()["region_nom"].iloc[0])


def href(epci: str | None = None, departement: str | None = None) -> str:
    """Address of a view of this page (relative to the app's path prefix)."""
    return dash.get_relative_path(PATH) + picker.territory_search(epci, departement=departement)


@lru_cache(maxsize=1024)
def epci_in_departement(epci: str, departement: str) -> bool:
    """True when the EPCI has a commune in the department (checked codes only)."""
    return epci in {o["value"] for o in territories.epci_options(departement=departement)}


class Checked(NamedTuple):
    """The codes of a URL once checked, and the French sentences for what was refused."""

    epci: str | None
    departement: str | None
    errors: list[str]


def check_view(epci: object, departement: object) -> Checked:
    """Check `?epci=` and `?departement=`: unknown codes are dropped with a French reason,
    as is a department the EPCI has no commune in."""
    dep = territories.check_departement(departement)
    ep = territories.check_epci(epci)
    errors = [e for e in (dep.error, ep.error) if e]
    dep_code = dep.code
    if ep.code and dep_code and not epci_in_departement(ep.code, dep_code):
        errors.append(f"L'intercommunalité {territories.epci_names()[ep.code]} n'a aucune "
                      f"commune dans le département {dep_code} : le filtre départemental est "
                      "ignoré.")
        dep_code = None
    return Checked(ep.code, dep_code, errors)


def current_view(search: str) -> tuple[str | None, str | None]:
    """(epci, departement) the page shows for a query string such as "?epci=…"."""
    query = parse_qs(search.lstrip("?"))
    checked = check_view(query.get("epci"), query.get("departement"))
    return checked.epci, checked.departement


def target_href(trigger: str | None, departement: object, epci: object,
                current_search: str | None = None) -> str:
    """Where a change of the picker leads (checked codes; dash.no_update if nothing to do).

    A new department drops an EPCI outside it (clearing the department keeps
    the EPCI); a new EPCI keeps the department only if the EPCI has a commune
    in it. A value that leads to the current view (dropdowns also report their
    value when the page is rebuilt) does not navigate.
    """
    dep = territories.check_departement(departement)
    ep = territories.check_epci(epci)
    if trigger == IDS["departement"]:
        if dep.error:
            return no_update
        keep = ep.code if ep.code and (dep.code is None
                                       or epci_in_departement(ep.code, dep.code)) else None
        target = (keep, dep.code)
    elif trigger == IDS["epci"]:
        if ep.error or not ep.code:
            return no_update
        keep = dep.code if dep.code and epci_in_departement(ep.code, dep.code) else None
        target = (ep.code, keep)
    else:
        return no_update
    if current_search is not None and target == current_view(current_search):
        return no_update
    return href(*target)


@callback(Output("url", "href", allow_duplicate=True),
          Input(IDS["departement"], "value"), Input(IDS["epci"], "value"),
          State("url", "search"), prevent_initial_call=True)
def navigate(departement, epci, search):
    """A choice in the picker changes the URL; the page is rebuilt from it."""
    return target_href(ctx.triggered_id, departement, epci, search or "")


# --- data of a view (memoized on codes) --------------------------------------------------

class View(NamedTuple):
    """Everything the charts of one view need (tables from the data layer)."""

    demo: bool
    dates: tuple[dt.date | None, dt.date | None]
    rates: pd.DataFrame
    region: dict
    departement: dict | None
    scope: dict
    matrix: bailleurs.MatrixView
    programme_communes: list[str]
    counts: pd.DataFrame


@lru_cache(maxsize=128)
def view(epci: str | None, departement: str | None) -> View:
    """The tables of a view, computed once per process and pair of (checked) codes."""
    eng = bailleurs.load_engagements()
    communes = store.communes()
    dep_communes = bailleurs.in_departement(communes, departement)
    scope_communes = communes[communes["epci_siren"] == epci] if epci else dep_communes
    grid = bailleurs.matrix(eng, scope_communes)
    return View(
        demo=bailleurs.is_demonstration(eng),
        dates=bailleurs.information_dates(eng),
        rates=bailleurs.epci_rates(eng, communes, departement),
        region=bailleurs.scope_summary(eng, communes),
        departement=bailleurs.scope_summary(eng, dep_communes) if departement else None,
        scope=bailleurs.scope_summary(eng, scope_communes),
        matrix=bailleurs.cap_matrix(grid),
        programme_communes=bailleurs.programme_commune_names(scope_communes),
        counts=bailleurs.counts_by_type(eng, scope_communes),
    )


def clear() -> None:
    """Forget the memoized views (tests, or after replacing the engagement file)."""
    view.cache_clear()
    charts.cache_clear()


# --- layout ------------------------------------------------------------------------------

def _config(indicator: str, territory: str, height: int) -> dict:
    """graph_config, with a tall chart exported at its own height (not squeezed into 16:9)."""
    config = graph_config(indicator, territory)
    if height > EXPORT_HEIGHT:
        config["toImageButtonOptions"]["height"] = height
    return config


def _kpis(v: View, s: Scope) -> dbc.Row:
    sc = v.scope
    comparisons = []
    if s.epci or s.departement:
        comparisons.append(Comparison("Région", fmt_pct(v.region["taux_engagement"])))
    if s.epci and v.departement is not None:
        comparisons.insert(0, Comparison(territories.departement_names()[s.departement],
                                         fmt_pct(v.departement["taux_engagement"])))
    return kpi_row([
        kpi_card("Communes de programme", fmt_int(sc["communes_programme"]),
                 note="ACV, PVD, AMI centres-bourgs ou ORT signée"),
        kpi_card("Avec au moins un bailleur engagé", fmt_pct(sc["taux_engagement"]),
                 comparisons, note=f"{fmt_int(sc['communes_engagees'])} commune(s) sur "
                                   f"{fmt_int(sc['communes_programme'])}"),
        kpi_card("Bailleurs engagés", fmt_int(sc["bailleurs_engages"]),
                 note=f"sur {fmt_int(sc['bailleurs'])} bailleur(s) présent(s) sur ces "
                      "communes"),
    ], row_id="bailleurs-kpi")


class Chart(NamedTuple):
    """A rendered chart: figure (as a dict), its text summary and its territory."""

    figure: dict
    summary: str
    territory: str


@lru_cache(maxsize=128)
def charts(epci: str | None, departement: str | None) -> tuple[Chart, Chart, Chart]:
    """Rate by EPCI, landlord × commune matrix and counts by type of one view.

    Figures are memoized as dicts (never mutated afterwards): building them
    with plotly.graph_objects costs ~20 ms each.
    """
    v = view(epci, departement)
    s = scope_for(epci, departement)
    source = figs.source_line(v.demo, *v.dates)
    # The rate chart covers the department (or the region): its territory is that one.
    rate_scope = scope_for(None, departement)
    reference = None
    if departement and v.departement is not None:
        reference = (territories.departement_names()[departement],
                     v.departement["taux_engagement"])
    rate_fig = figs.engagement_rate_bars(
        v.rates, rate_scope.territory, source, region_rate=v.region["taux_engagement"],
        reference=reference, highlight=epci, demo=v.demo)
    rate_text = figs.engagement_rate_summary(
        v.rates, rate_scope.where, v.region["taux_engagement"],
        (f"le département {reference[0]}", reference[1]) if reference else None)

    matrix_territory = s.territory if epci or departement else \
        f"{_region_name()} : bailleurs les plus engagés"
    matrix_text = figs.matrix_summary(v.matrix, s.where, v.programme_communes)
    matrix_fig = figs.engagement_matrix(v.matrix, matrix_territory, source, demo=v.demo,
                                        empty_message=matrix_text)
    counts_fig = figs.type_counts_bars(v.counts, s.territory, source, demo=v.demo)
    return (Chart(rate_fig.to_dict(), rate_text, rate_scope.territory),
            Chart(matrix_fig.to_dict(), matrix_text, matrix_territory),
            Chart(counts_fig.to_dict(), figs.type_counts_summary(v.counts, s.where),
                  s.territory))


def _chart_cards(s: Scope) -> list:
    rate, matrix, counts = charts(s.epci, s.departement)
    return [
        html.H2("Un engagement inégal selon les intercommunalités", className="h4 mt-2"),
        chart.chart_card("bailleurs-taux", rate.figure,
                         _config("taux d'engagement des bailleurs", rate.territory,
                                 rate.figure["layout"]["height"]),
                         rate.summary, className="bailleurs-chart-tall"),
        html.H2("Qui est engagé, et où ?", className="h4"),
        None if s.epci else html.P(
            "Choisissez une intercommunalité pour voir chaque bailleur sur chacune de ses "
            "communes de programme.", className="text-muted"),
        chart.chart_card("bailleurs-matrice", matrix.figure,
                         _config("engagement des bailleurs par commune", s.territory,
                                 matrix.figure["layout"]["height"]),
                         matrix.summary),
        html.H2("Par type d'organisme", className="h4"),
        chart.chart_card("bailleurs-types", counts.figure,
                         graph_config("bailleurs par type", counts.territory),
                         counts.summary),
    ]


def _back_links(s: Scope) -> html.P | None:
    links = []
    if s.epci and s.departement:
        links.append(dcc.Link("Tout le département", href=href(None, s.departement)))
    if s.epci or s.departement:
        links.append(dcc.Link("Toute la région", href=href()))
    if not links:
        return None
    items = [links[0]] + [x for link in links[1:] for x in (" · ", link)]
    return html.P(["Élargir : ", *items], className="bailleurs-elargir mb-3")


def layout(epci=None, departement=None, **_query) -> dbc.Container:
    """The page for `?epci=SIREN` and/or `?departement=CODE` (both optional, untrusted)."""
    checked = check_view(epci, departement)
    errors, dep_code = checked.errors, checked.departement
    epci_code = checked.epci
    head = [html.H1("Les bailleurs sociaux dans les programmes de revitalisation",
                    className="h2 mt-4")]
    if errors:
        head.append(messages.problem(
            "Territoire non reconnu", [*errors, "Le reste de la page montre la vue sans ce "
                                                "filtre."],
            back_href=href(), back_label="Revenir à la vue régionale des bailleurs",
            alert_id="bailleurs-erreur"))
    try:
        v = view(epci_code, dep_code)
    except TableError as err:
        return dbc.Container([*head, messages.problem(
            "Fichier des engagements des bailleurs invalide",
            [*err.problems[:8], "Corrigez le fichier (voir « Méthode et sources ») puis "
                                "redémarrez le tableau de bord."],
            back_href=dash.get_relative_path("/methode"),
            back_label="Voir le format attendu", alert_id="bailleurs-fichier-invalide")],
            fluid="lg", className="pb-5 page-bailleurs")
    s = scope_for(epci_code, dep_code)
    if v.demo:
        head.insert(1, messages.demo_banner())
    intro = html.P([
        "Les bailleurs sociaux sont des opérateurs clés des programmes de revitalisation "
        "(Action Cœur de Ville, Petites villes de demain, AMI centres-bourgs, ORT). Leur "
        "engagement varie fortement d'un territoire à l'autre. Un bailleur est compté comme "
        f"« engagé » à partir du niveau « {bailleurs.ENGAGED_FROM} ». ",
        dcc.Link("Définitions et format des données", href=dash.get_relative_path("/methode")),
        ".",
    ], className="lead")
    return dbc.Container(
        [
            *head,
            intro,
            picker.territory_picker(PREFIX, departement=dep_code, epci=epci_code,
                                    with_commune=False),
            _back_links(s),
            html.H2(s.territory, className="h3 mt-3", id="bailleurs-territoire"),
            _kpis(v, s),
            *[c for c in _chart_cards(s) if c is not None],
        ],
        fluid="lg",
        className="pb-5 page-bailleurs",
    )
