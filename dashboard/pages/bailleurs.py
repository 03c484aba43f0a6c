"""Page "Bailleurs": how social landlords take part in the revitalisation programmes.

The view lives in the URL (`/bailleurs?departement=07&epci=200072015`): the
territory picker only changes the URL, and the page is rebuilt from it. Until
AURA-HLM's own file is loaded, every chart says it shows demonstration data.

This module registers the page, lays out what `views.bailleurs` assembles and
declares the picker's thin callback; checking codes, data, figures and sentences
live in the view.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import registry
from dashboard.components import announce, chart, messages, picker
from dashboard.components.cards import Comparison, kpi_card, kpi_row
from dashboard.data import bailleurs
from dashboard.figures import bailleurs as figs
from dashboard.views import bailleurs as views
from dashboard.views.bailleurs import Scope, check_view, current_view

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

__all__ = ["check_view", "current_view", "href", "layout", "navigate", "target_href"]


def href(epci: str | None = None, departement: str | None = None) -> str:
    """Address of a view of this page (relative to the app's path prefix)."""
    return dash.get_relative_path(PATH) + picker.territory_search(epci, departement=departement)


def target_href(trigger: str | None, departement: object, epci: object,
                current_search: str | None = None) -> str:
    """Where a change of the picker leads (dash.no_update if nothing to do).

    `views.bailleurs.picked_view` decides; a value that leads to the current view
    (dropdowns also report their value when the page is rebuilt) does not navigate.
    """
    changed = {IDS["departement"]: "departement", IDS["epci"]: "epci"}.get(trigger, "")
    target = views.picked_view(changed, departement, epci)
    if target is None or (current_search is not None
                          and target == current_view(current_search)):
        return no_update
    return href(*target)


@callback(Output("url", "href", allow_duplicate=True),
          Input(IDS["departement"], "value"), Input(IDS["epci"], "value"),
          State("url", "search"), prevent_initial_call=True)
def navigate(departement, epci, search):
    """A choice in the picker changes the URL; the page is rebuilt from it."""
    return target_href(ctx.triggered_id, departement, epci, search or "")


# --- layout ------------------------------------------------------------------------------

def _kpis(v: views.LandlordView) -> dbc.Row:
    return kpi_row([kpi_card(k.label, k.value, [Comparison(*c) for c in k.comparisons],
                             note=k.note, unit=k.unit) for k in v.kpis],
                   row_id="bailleurs-kpi")


def _card(v: views.LandlordView, key: str, className: str = "") -> dbc.Card:
    return chart.chart_card_of(v.charts[key], v.territories[key], className=className)


def _chart_cards(v: views.LandlordView) -> list:
    return [
        html.H2("Un engagement inégal selon les intercommunalités", className="h4 mt-2"),
        _card(v, views.RATE, className="bailleurs-chart-tall"),
        html.H2("Qui est engagé, et où ?", className="h4"),
        None if v.scope.epci else html.P(
            "Choisissez une intercommunalité pour voir chaque bailleur sur chacune de ses "
            "communes de programme.", className="text-muted"),
        html.P(f"Une case grise (« {figs.NO_INFORMATION} ») : le fichier ne dit rien de ce "
               "bailleur dans cette commune. « Non sollicité » est une information : le "
               "fichier indique que le bailleur n'a pas été sollicité.",
               className="text-muted small", id="bailleurs-legende-matrice"),
        _card(v, views.MATRIX),
        html.H2("Par type d'organisme", className="h4"),
        _card(v, views.TYPES),
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
    v = views.landlord_view(epci_code, dep_code)
    if v.error is not None:
        return dbc.Container([*head, messages.problem(
            "Fichier des engagements des bailleurs invalide",
            [v.error, "Corrigez le fichier (voir « Méthode et sources ») puis "
                      "redémarrez le tableau de bord."],
            back_href=dash.get_relative_path("/methode"),
            back_label="Voir le format attendu", alert_id="bailleurs-fichier-invalide")],
            fluid="lg", className="pb-5 page-bailleurs")
    s = v.scope
    if v.demo:
        head.insert(1, messages.demo_banner())
    intro = html.P([
        "Les bailleurs sociaux sont des opérateurs clés des programmes de revitalisation "
        f"({registry.enumeration('et', 'label')}). Leur engagement varie fortement d'un "
        "territoire à l'autre. Un bailleur est compté comme "
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
            announce.landlord_scope(s.epci, s.departement, s.territory, "bailleurs-territoire"),
            _kpis(v),
            *[c for c in _chart_cards(v) if c is not None],
        ],
        fluid="lg",
        className="pb-5 page-bailleurs",
    )
