"""Programmes (`/programmes`): the registered programmes across the region, and the
"pôles hors programme" (official typology of centralities).

URL: `/programmes?departement=38&seuil=3500` (`seuil`: optional minimum
population, 0 or absent for every pôle). The department and the threshold are
checked (French message and default when refused); changing them updates the
hors-programme list in place and rewrites the URL in the browser
(`history.replaceState`), so a copied link reproduces the view.
The assembly is `views.programmes`; this module lays it out and declares the callbacks.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from dashboard.components.cards import kpi_card
from dashboard.components.chart import chart_card
from dashboard.components.grid import (
    GridIds,
    export_grid,
    grid_exports,
    number_column,
    text_column,
    url_sync,
)
from dashboard.components.messages import problem
from dashboard.components.picker import DROPDOWN_LABELS
from dashboard.data import programmes as P
from dashboard.data import territories
from dashboard.figures.programmes import SOURCE_HORS_PROGRAMME
from dashboard.formatting import fmt_int
from dashboard.registry import enumeration
from dashboard.views import programmes as view

dash.register_page(
    __name__,
    order=2,
    grid=True,  # its index loads dash-ag-grid (app_factory.grid_pages)
    path="/programmes",
    name="Programmes",
    title="Programmes de revitalisation — AURA-HLM",
    description=f"{enumeration('et', 'label')} en Auvergne-Rhône-Alpes ; pôles restés hors "
                "programme.",
)

SEUIL_ID = "programmes-seuil"
DEP_ID = "programmes-departement"
MESSAGE_ID = "programmes-message"
SENTENCE_ID = "hors-programme-phrase"
CHART_ID = view.CHART_ID
CHART_SUMMARY_ID = f"{CHART_ID}-resume"
GRID = GridIds(grid="grille-hors-programme", csv="export-csv-hors-programme",
               xlsx="export-xlsx-hors-programme", download="telechargement-hors-programme")
GRID_ID = GRID.grid
URL_SYNC_ID = "programmes-url"


def _chart(index: int) -> dbc.Card:
    chart = view.overview().charts[index]
    return chart_card(chart.graph_id, chart.figure, view.chart_config(chart), chart.summary)


def _view(seuil: int, departement: str | None) -> view.HorsProgrammeView:
    return view.hors_programme_view(seuil, departement, dash.get_relative_path("/territoire"))


def _column_defs() -> list[dict]:
    h = {c.field: c.header for c in P.HORS_PROGRAMME_EXPORT}  # same headers as the exports
    return [
        text_column("nom", h["nom"], pinned="left", flex=2, minWidth=170,
                    cellRenderer="markdown",
                    valueGetter={"function": "params.data ? params.data.lien : ''"},
                    filterValueGetter={"function": "params.data.nom"}, tooltipField="nom"),
        text_column("niveau", h["niveau"], flex=1, minWidth=130, wrapHeaderText=True,
                    autoHeaderHeight=True),
        text_column("epci_nom", h["epci_nom"], flex=3, minWidth=200),
        text_column("type", h["type"], flex=1, minWidth=100, wrapHeaderText=True,
                    autoHeaderHeight=True),
        text_column("departement_nom", h["departement_nom"], flex=1, minWidth=120),
        number_column("population", h["population"], flex=1, minWidth=120,
                      wrapHeaderText=True, autoHeaderHeight=True),
        number_column("taux_logements_sociaux", h["taux_logements_sociaux"], flex=1,
                      minWidth=130, wrapHeaderText=True, autoHeaderHeight=True),
        text_column("sru_statut", h["sru_statut"], flex=1, minWidth=140,
                    wrapHeaderText=True, autoHeaderHeight=True, headerTooltip=view.SRU_CAVEAT),
        text_column("ort_statut", h["ort_statut"], flex=1, minWidth=120),
    ]


def _messages(errors: list[str]):
    if not errors:
        return None
    return problem("Paramètre non valide", errors,
                   back_href=dash.get_relative_path("/programmes"),
                   back_label="Revenir aux programmes (tous les pôles)",
                   alert_id="alerte-programmes")


# --- layout --------------------------------------------------------------------------------

def _kpis() -> dbc.Row:
    cards = [kpi_card(k.title, k.value, note=k.note) for k in view.overview().kpis]
    return dbc.Row([dbc.Col(c, xs=12, sm=6, lg=True, className="mb-3") for c in cards],
                   className="kpi-row programmes-kpis")


def _hors_programme_controls(seuil: int, departement: str | None) -> dbc.Row:
    return dbc.Row(
        [
            dbc.Col([
                html.Label("Département", htmlFor=DEP_ID, className="form-label"),
                dcc.Dropdown(id=DEP_ID, options=territories.departement_options(),
                             value=departement, placeholder="Toute la région", clearable=True,
                             labels=DROPDOWN_LABELS),
            ], xs=12, md=5, lg=4, className="mb-2"),
            dbc.Col([
                html.Label("Population minimale (facultatif)", htmlFor=SEUIL_ID,
                           className="form-label"),
                # No min/max/step: the browser would send nothing for a value out of
                # them; the server checks the number and says what is wrong.
                dcc.Input(id=SEUIL_ID, type="number", value=seuil, step=1, debounce=True,
                          inputMode="numeric", className="form-control"),
                html.Small(f"Filtre secondaire : nombre entier d'habitants entre "
                           f"{fmt_int(P.MIN_SEUIL)} et {fmt_int(P.MAX_SEUIL)} ; 0 : tous les "
                           "pôles.", id=f"{SEUIL_ID}-aide", className="text-muted"),
            ], xs=12, md=5, lg=4, className="mb-2"),
        ],
        className="g-3 programmes-controls",
    )


def layout(seuil: object = None, departement: object = None, **_query) -> html.Div:
    checked = view.check(seuil, departement)
    hors = _view(checked.seuil, checked.departement)
    return dbc.Container(
        [
            html.H1("Programmes de revitalisation en Auvergne-Rhône-Alpes", className="h2 mt-4"),
            html.P(view.lead(view.overview().totals), className="lead"),
            html.H2("Chiffres clés", className="visually-hidden"),  # headings in order
            _kpis(),
            html.H2("Communes par programme", className="h4 mt-2"),
            dbc.Row([dbc.Col(_chart(0), xs=12, lg=6), dbc.Col(_chart(1), xs=12, lg=6)]),
            html.H2("Opérations de revitalisation de territoire (ORT)", className="h4"),
            dbc.Row([dbc.Col(_chart(2), xs=12, lg=6), dbc.Col(_chart(3), xs=12, lg=6)]),
            html.H2("Action Cœur de Ville : conventions", className="h4"),
            dbc.Row(dbc.Col(_chart(4), xs=12, lg=10)),
            html.Section(
                [
                    html.H2("Pôles hors programme", className="h4", id="hors-programme"),
                    html.P("AURA-HLM souligne que des villes qui jouent un rôle réel dans leur "
                           "territoire ont été laissées hors des programmes. Voici les "
                           "communes que la typologie officielle des centralités (INRAE-CESAER, "
                           "utilisée par l'ANCT) classe comme centres structurants ou "
                           "intermédiaires et qui ne sont dans aucun programme.",
                           className="mb-3"),
                    _hors_programme_controls(checked.seuil, checked.departement),
                    html.Div(_messages(list(checked.errors)), id=MESSAGE_ID,
                             **{"aria-live": "polite"}),
                    html.P(hors.sentence, id=SENTENCE_ID, className="lead programmes-phrase",
                           **{"aria-live": "polite"}),
                    dbc.Row([
                        dbc.Col(chart_card(CHART_ID, hors.chart.figure, hors.config,
                                           hors.chart.summary), xs=12, lg=6),
                        dbc.Col(dbc.Card(dbc.CardBody([
                            html.H3("Lire la liste", className="h6"),
                            html.P(view.NOTE_POLES, className="small"),
                            html.P(view.SRU_CAVEAT, className="small mb-0"),
                        ]), className="mb-4 programmes-notes"), xs=12, lg=6),
                    ]),
                    export_grid(GRID, hors.rows, _column_defs(), P.HORS_PROGRAMME_EXPORT,
                                view.csv_params(checked.seuil, checked.departement),
                                "code_insee", class_name="programmes-grid"),
                    html.P(SOURCE_HORS_PROGRAMME + ".", className="source small mt-2"),
                ],
                className="programmes-hors",
            ),
            dcc.Store(id=URL_SYNC_ID),
        ],
        fluid="lg",
        className="pb-5",
    )


# --- callbacks -----------------------------------------------------------------------------

@callback(
    Output(GRID_ID, "rowData"),
    Output(SENTENCE_ID, "children"),
    Output(CHART_ID, "figure"),
    Output(CHART_SUMMARY_ID, "children"),
    Output(CHART_ID, "config"),
    Output(MESSAGE_ID, "children"),
    Input(SEUIL_ID, "value"),
    Input(DEP_ID, "value"),
    prevent_initial_call=True,
)
def update_hors_programme(seuil, departement):
    """New department or minimum population: the list, its sentence and its chart."""
    checked = view.check(seuil, departement, from_controls=True)
    hors = _view(checked.seuil, checked.departement)
    return (hors.rows, hors.sentence, hors.chart.figure, hors.chart.summary, hors.config,
            _messages(list(checked.errors)))


url_sync(URL_SYNC_ID, {"seuil": SEUIL_ID, "departement": DEP_ID})

export_csv, export_xlsx = grid_exports(GRID, view.csv_for_controls, view.xlsx_for_controls,
                                       (State(SEUIL_ID, "value"), State(DEP_ID, "value")))
