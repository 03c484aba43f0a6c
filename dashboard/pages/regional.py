"""Vue régionale (`/`): map of the region's EPCI, regional KPIs and the EPCI ranking.

URL: `/?indicateur=logement-social` (see `data.regional.INDICATORS`). The map's
geometry is sent once, with the page; changing the indicator patches values
and texts only (`views.regional.map_update`) and rewrites the URL in the
browser (no page reload). Clicking an EPCI opens its territory page.
The assembly is `views.regional`; this module lays it out and declares the callbacks.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html, no_update

from dashboard.components.cards import Comparison, kpi_card
from dashboard.components.chart import chart_card
from dashboard.components.grid import (
    GridIds,
    export_grid,
    grid_exports,
    number_column,
    text_column,
    url_sync,
)
from dashboard.components.messages import demo_banner, problem
from dashboard.components.search import register_search, search_bar
from dashboard.config import TITLE
from dashboard.data import territories
from dashboard.data.regional import RANKING_SORT, check_indicator
from dashboard.urls import geo_url
from dashboard.views import regional as view

dash.register_page(
    __name__,
    order=0,
    grid=True,  # its index loads dash-ag-grid (app_factory.grid_pages)
    path="/",
    name="Vue régionale",
    title=TITLE,
    description="Logement social et programmes de revitalisation des intercommunalités "
                "d'Auvergne-Rhône-Alpes.",
)

MAP_ID = view.MAP_ID
SUMMARY_ID = f"{MAP_ID}-resume"
RADIO_ID = "indicateur-carte"
MESSAGE_ID = "message-indicateur"
URL_SYNC_ID = "indicateur-url"
GRID = GridIds(grid="grille-epci", csv="export-csv-epci", xlsx="export-xlsx-epci",
               download="telechargement-epci")
GRID_ID = GRID.grid


# --- layout --------------------------------------------------------------------------------

def _kpis() -> dbc.Row:
    cards = [kpi_card(k.title, k.value, [Comparison(label, value) for label, value in k.rows],
                      note=k.note, unit=k.unit) for k in view.kpis()]
    return dbc.Row([dbc.Col(c, xs=12, sm=6, lg=4, className="mb-3") for c in cards],
                   className="kpi-row regional-kpis", id="kpi-region")


def _indicator_control(key: str) -> html.Fieldset:
    return html.Fieldset(
        [
            html.Legend("Indicateur de la carte", className="h6 regional-legend"),
            dbc.RadioItems(id=RADIO_ID, options=view.indicator_options(), value=key,
                           className="regional-indicators"),
            html.P("Survolez une intercommunalité pour lire sa valeur, cliquez dessus pour "
                   "ouvrir sa fiche.", className="small text-muted mt-3 mb-0"),
        ],
        className="regional-control",
    )


def _message(error: str | None):
    if not error:
        return None
    return problem("Indicateur inconnu", [error], back_href=dash.get_relative_path("/"),
                   back_label="Afficher la vue régionale par défaut", alert_id="alerte-indicateur")


def _column_defs() -> list[dict]:
    defs = []
    for col in view.export_columns():
        if col.field == "epci_nom":
            defs.append(text_column(
                "epci_nom", col.header, pinned="left", flex=3, minWidth=230,
                cellRenderer="markdown",
                valueGetter={"function": "params.data ? params.data.lien : ''"},
                filterValueGetter={"function": "params.data.epci_nom"},
                tooltipField="epci_nom"))
        elif col.kind == "text":
            defs.append(text_column(col.field, col.header, flex=1,
                                    minWidth=140 if col.field == "departements" else 110,
                                    wrapHeaderText=True, autoHeaderHeight=True))
        else:
            extra = {"sort": "desc"} if col.field == RANKING_SORT else {}
            defs.append(number_column(col.field, col.header, flex=2, minWidth=130,
                                      wrapHeaderText=True, autoHeaderHeight=True, **extra))
    return defs


def ranking_rows() -> list[dict]:
    """The ranking's grid rows, with links relative to the app's address."""
    return view.ranking_rows(dash.get_relative_path("/territoire"))


def map_chart(key: str):
    """The full map of an indicator; its geometry is the EPCI layer's address."""
    return view.map_chart(key, geo_url("epci"))


SEARCH_PREFIX = "accueil"
register_search(SEARCH_PREFIX)


def layout(indicateur: object = None, **_query) -> html.Div:
    data = view.regional_data()
    lookup = check_indicator(indicateur)
    chart = map_chart(lookup.key)
    rows = ranking_rows()
    before, share, after = view.lead(data.kpis)
    return dbc.Container(
        [
            html.H1("Logement social et revitalisation en Auvergne-Rhône-Alpes",
                    className="h2 mt-4"),
            html.P([before, html.Strong(share), after], className="lead"),
            search_bar(SEARCH_PREFIX),
            html.H2("Carte des intercommunalités", className="visually-hidden"),
            html.Div(_message(lookup.error), id=MESSAGE_ID, **{"aria-live": "polite"}),
            dbc.Row(
                [
                    dbc.Col(_indicator_control(lookup.key), xs=12, lg=3, className="mb-3"),
                    dbc.Col(chart_card(MAP_ID, chart.figure, view.map_config(lookup.key),
                                       chart.summary, className="regional-map"), xs=12, lg=9),
                ],
            ),
            html.H2("Chiffres clés de la région", className="h4 mt-2"),
            demo_banner() if data.demo else None,
            _kpis(),
            dcc.Store(id=URL_SYNC_ID),
            html.H2(f"Classement des {len(rows)} intercommunalités", className="h4",
                    id="classement"),
            html.P("Cliquez sur un en-tête pour trier ; saisissez un nom ou une valeur sous "
                   "l'en-tête pour filtrer ; cliquez sur un nom pour ouvrir la fiche. Les "
                   "exports reprennent les lignes filtrées, dans l'ordre affiché.",
                   className="text-muted"),
            export_grid(GRID, rows, _column_defs(), view.export_columns(), view.csv_params(),
                        "epci_siren", class_name="regional-grid",
                        buttons_class="regional-exports"),
            html.P([view.NOTE_PARTIAL, html.Br(), view.note_programme(), html.Br(),
                    view.source_text()], className="source small mt-2"),
        ],
        fluid="lg",
        className="pb-5",
    )


# --- callbacks -----------------------------------------------------------------------------

@callback(
    Output(MAP_ID, "figure"),
    Output(MAP_ID, "config"),
    Output(SUMMARY_ID, "children"),
    Output(MESSAGE_ID, "children"),
    Input(RADIO_ID, "value"),
    prevent_initial_call=True,
)
def change_indicator(value):
    """New indicator: patch values and texts of the map (never the geometry)."""
    update = view.map_update(value)
    return update.patch, update.config, update.summary, _message(update.error)


url_sync(URL_SYNC_ID, {"indicateur": RADIO_ID})


def clicked_epci(click_data: object) -> str | None:
    """The SIREN of the clicked EPCI from a map's clickData, None if absent or invalid."""
    if not isinstance(click_data, dict):
        return None
    points = click_data.get("points")
    if not isinstance(points, list) or not points or not isinstance(points[0], dict):
        return None
    location = points[0].get("location")
    if not isinstance(location, str):
        return None
    return territories.check_epci(location).code


@callback(
    Output("url", "href", allow_duplicate=True),
    Input(MAP_ID, "clickData"),
    prevent_initial_call=True,
)
def open_territory(click_data):
    """Clicking an EPCI opens its territory page."""
    siren = clicked_epci(click_data)
    if siren is None:
        return no_update
    return dash.get_relative_path("/territoire") + f"?epci={siren}"


export_csv, export_xlsx = grid_exports(GRID, view.csv_params, view.xlsx)
