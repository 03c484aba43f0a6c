"""Programmes (`/programmes`): ACV, PVD, AMI centres-bourgs and ORT across the
region, and the "communes-pôles hors programme".

URL: `/programmes?seuil=3500&departement=38`. The threshold and the
department are checked (French message and default when refused); changing
them updates the hors-programme list in place and rewrites the URL in the
browser (`history.replaceState`), so a copied link reproduces the view.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, dcc, html

from dashboard.components.cards import kpi_card
from dashboard.components.chart import chart_card
from dashboard.components.grid import (
    LOCALE_TEXT_FR,
    csv_export_params,
    number_column,
    records,
    text_column,
)
from dashboard.components.messages import problem
from dashboard.components.picker import DROPDOWN_LABELS
from dashboard.data import programmes as P
from dashboard.data import store, territories
from dashboard.data.regional import REGION_NOM
from dashboard.export.tables import (
    csv_source_line,
    rows_in_order,
    territory_links,
    with_csv_fields,
    xlsx_bytes,
)
from dashboard.figures import programmes as F
from dashboard.figures.common import export_filename
from dashboard.formatting import fmt_int, fmt_pct

dash.register_page(
    __name__,
    order=2,
    grid=True,  # its index loads dash-ag-grid (app_factory.grid_pages)
    path="/programmes",
    name="Programmes",
    title="Programmes de revitalisation — AURA-HLM",
    description="Action Cœur de Ville, Petites villes de demain, AMI centres-bourgs et ORT en "
                "Auvergne-Rhône-Alpes ; communes-pôles restées hors programme.",
)

SEUIL_ID = "programmes-seuil"
DEP_ID = "programmes-departement"
MESSAGE_ID = "programmes-message"
SENTENCE_ID = "hors-programme-phrase"
CHART_ID = "hors-programme-graphique"
CHART_SUMMARY_ID = f"{CHART_ID}-resume"
GRID_ID = "grille-hors-programme"
CSV_ID = "export-csv-hors-programme"
XLSX_ID = "export-xlsx-hors-programme"
DOWNLOAD_ID = "telechargement-hors-programme"
URL_SYNC_ID = "programmes-url"
EXPORT_NAME = "communes-hors-programme"

SRU_CAVEAT = ("Seuil SRU potentiellement applicable : commune de 3 500 habitants ou plus dans un "
              "EPCI de plus de 50 000 habitants comprenant une commune de plus de 15 000 "
              "habitants ; indication tirée des données publiques, pas l'inventaire SRU "
              "officiel.")
NOTE_PROGRAMMES = ("Une commune est « en programme » si elle est Action Cœur de Ville, Petite "
                   "ville de demain, lauréate de l'AMI centres-bourgs 2014 ou a signé une ORT ; "
                   "une ORT en cours ou non signée ne compte pas.")
NOTE_CITIES = ("Action Cœur de Ville vise les villes moyennes et Petites villes de demain les "
               "communes de moins de 20 000 habitants : les villes-centres des métropoles "
               "figurent aussi dans la liste ; la colonne « Type d'EPCI » permet de les "
               "filtrer.")
FORMATTERS = {"int": fmt_int, "pct": fmt_pct}


# --- region-wide content, built once per process -----------------------------------------

@lru_cache(maxsize=1)
def _overview() -> dict:
    df = store.communes()
    counts = P.counts_by_departement(df)
    types = P.counts_by_epci_type(df)
    statuses = P.ort_status_counts(df)
    years = P.ort_signatures_by_year(df)
    acv = P.acv_communes(df)
    phases = P.acv_phase_counts(acv)
    return {
        "totals": P.totals(df),
        "charts": [
            ("programmes-departements", F.departement_chart(counts),
             "communes-par-programme-et-departement", F.departement_summary(counts)),
            ("programmes-types-epci", F.epci_type_chart(types),
             "communes-par-programme-et-type-epci", F.epci_type_summary(types)),
            ("programmes-ort-statuts", F.ort_status_chart(statuses), "avancement-ort",
             F.ort_status_summary(statuses)),
            ("programmes-ort-annees", F.ort_years_chart(years), "signatures-ort-par-annee",
             F.ort_years_summary(years, P.ort_signed_without_date(df))),
            ("programmes-acv", F.acv_chart(acv), "conventions-acv",
             F.acv_summary(acv, phases)),
        ],
    }


def _chart(index: int) -> dbc.Card:
    graph_id, figure, indicator, summary = _overview()["charts"][index]
    return chart_card(graph_id, figure, F.chart_config(indicator, REGION_NOM), summary)


# --- hors programme --------------------------------------------------------------------------

@lru_cache(maxsize=16)
def hors_programme(seuil: int, departement: str | None):
    """The hors-programme list for a checked threshold and department (memoized on them)."""
    return P.hors_programme(store.communes(), seuil, departement)


def _scope(departement: str | None) -> str:
    if departement is None:
        return REGION_NOM
    return f"{territories.departement_names()[departement]} ({departement})"


@lru_cache(maxsize=16)  # a view of a low threshold weighs several MB
def hors_programme_view(seuil: int, departement: str | None) -> dict:
    """Rows, sentence, chart and its summary for the hors-programme section."""
    df = store.communes()
    hors = hors_programme(seuil, departement)
    scope = _scope(departement)
    counts = P.hors_programme_counts(hors, df, departement)
    frame = hors.assign(lien=territory_links(
        hors, "nom", dash.get_relative_path("/territoire"), epci="epci_siren",
        commune="code_insee"))
    formats = {c.field: FORMATTERS[c.kind] for c in P.HORS_PROGRAMME_EXPORT
               if c.kind in FORMATTERS}
    rows = records(frame, formats, ["code_insee", "lien",
                                    *(c.field for c in P.HORS_PROGRAMME_EXPORT
                                      if c.field != "code_insee")])
    for row in rows:
        row["sru_libelle"] = "Oui" if row["sru_seuil_applicable"] else "Non"
    rows = with_csv_fields(rows, P.HORS_PROGRAMME_EXPORT)
    return {
        "rows": rows,
        "sentence": F.hors_programme_sentence(P.hors_programme_summary(hors), seuil, scope),
        "figure": F.hors_programme_chart(counts, seuil, scope),
        "config": F.chart_config(f"{EXPORT_NAME}-{seuil}-habitants", scope),
        "summary": F.hors_programme_chart_summary(counts, seuil, departement is not None),
    }


def _column_defs() -> list[dict]:
    return [
        text_column("nom", "Commune", pinned="left", flex=2, minWidth=170,
                    cellRenderer="markdown",
                    valueGetter={"function": "params.data ? params.data.lien : ''"},
                    filterValueGetter={"function": "params.data.nom"}, tooltipField="nom"),
        text_column("epci_nom", "Intercommunalité (EPCI)", flex=3, minWidth=200),
        text_column("type", "Type d'EPCI", flex=1, minWidth=100, wrapHeaderText=True,
                    autoHeaderHeight=True),
        text_column("departement_nom", "Département", flex=1, minWidth=120),
        number_column("population", "Population", flex=1, minWidth=120, sort="desc",
                      wrapHeaderText=True, autoHeaderHeight=True),
        number_column("taux_logements_sociaux", "Part de logements sociaux", flex=1,
                      minWidth=130, wrapHeaderText=True, autoHeaderHeight=True),
        text_column("sru_seuil_applicable", "Seuil SRU potentiellement applicable", flex=1,
                    minWidth=120, wrapHeaderText=True, autoHeaderHeight=True,
                    valueGetter={"function": "params.data ? params.data.sru_libelle : ''"},
                    headerTooltip=SRU_CAVEAT),
        text_column("ort_statut", "ORT", flex=1, minWidth=120),
    ]


def csv_params(seuil: int, departement: str | None, day: dt.date | None = None) -> dict:
    """AG Grid CSV export of the filtered rows (French headers, `;`, UTF-8 BOM, source)."""
    name = export_filename(f"{EXPORT_NAME}-{seuil}-habitants", _scope(departement), day)
    return csv_export_params(f"{name}.csv", csv_source_line(F.SOURCE_HORS_PROGRAMME, SRU_CAVEAT))


def _messages(errors: list[str]):
    if not errors:
        return None
    return problem("Paramètre non valide", errors,
                   back_href=dash.get_relative_path("/programmes"),
                   back_label="Revenir aux programmes (seuil par défaut)",
                   alert_id="alerte-programmes")


# --- layout --------------------------------------------------------------------------------

def _kpis(t: dict) -> dbc.Row:
    cards = [
        kpi_card("Communes en programme", fmt_int(t["programme"]),
                 note="comptées une fois si plusieurs programmes"),
        kpi_card("Action Cœur de Ville", fmt_int(t["ACV"]), note="communes (2018, phase 2 "
                                                               "depuis 2023)"),
        kpi_card("Petites villes de demain", fmt_int(t["PVD"]), note="communes (fin 2020)"),
        kpi_card("AMI centres-bourgs 2014", fmt_int(t["AMI centres-bourgs"]),
                 note="communes lauréates"),
        kpi_card("ORT signées", fmt_int(t["ORT"]),
                 note="opérations de revitalisation de territoire"),
    ]
    return dbc.Row([dbc.Col(c, xs=12, sm=6, lg=True, className="mb-3") for c in cards],
                   className="kpi-row programmes-kpis")


def _hors_programme_controls(seuil: int, departement: str | None) -> dbc.Row:
    return dbc.Row(
        [
            dbc.Col([
                html.Label("Seuil de population (habitants)", htmlFor=SEUIL_ID,
                           className="form-label"),
                # No min/max/step: the browser would send nothing for a value out of
                # them; the server checks the number and says what is wrong.
                dcc.Input(id=SEUIL_ID, type="number", value=seuil, step=1, debounce=True,
                          inputMode="numeric", className="form-control"),
                html.Small(f"Nombre entier entre {fmt_int(P.MIN_SEUIL)} et "
                           f"{fmt_int(P.MAX_SEUIL)} ; 3 500 habitants par défaut (seuil de "
                           "la loi SRU).", id=f"{SEUIL_ID}-aide", className="text-muted"),
            ], xs=12, md=5, lg=4, className="mb-2"),
            dbc.Col([
                html.Label("Département", htmlFor=DEP_ID, className="form-label"),
                dcc.Dropdown(id=DEP_ID, options=territories.departement_options(),
                             value=departement, placeholder="Toute la région", clearable=True,
                             labels=DROPDOWN_LABELS),
            ], xs=12, md=5, lg=4, className="mb-2"),
        ],
        className="g-3 programmes-controls",
    )


def layout(seuil: object = None, departement: object = None, **_query) -> html.Div:
    seuil_lookup = P.check_seuil(seuil)
    dep_lookup = territories.check_departement(departement)
    errors = [e for e in (seuil_lookup.error, dep_lookup.error) if e]
    if dep_lookup.error:
        errors[-1] += " Toute la région est affichée."
    view = hors_programme_view(seuil_lookup.value, dep_lookup.code)
    overview = _overview()
    t = overview["totals"]
    return dbc.Container(
        [
            html.H1("Programmes de revitalisation en Auvergne-Rhône-Alpes", className="h2 mt-4"),
            html.P(f"{fmt_int(t['programme'])} communes de la région sont dans au moins un "
                   "programme de revitalisation ; elles regroupent "
                   f"{fmt_pct(t['part_population_programme'])} des habitants.",
                   className="lead"),
            html.H2("Chiffres clés", className="visually-hidden"),  # headings in order
            _kpis(t),
            html.H2("Communes par programme", className="h4 mt-2"),
            dbc.Row([dbc.Col(_chart(0), xs=12, lg=6), dbc.Col(_chart(1), xs=12, lg=6)]),
            html.H2("Opérations de revitalisation de territoire (ORT)", className="h4"),
            dbc.Row([dbc.Col(_chart(2), xs=12, lg=6), dbc.Col(_chart(3), xs=12, lg=6)]),
            html.H2("Action Cœur de Ville : phases et conventions", className="h4"),
            dbc.Row(dbc.Col(_chart(4), xs=12, lg=10)),
            html.Section(
                [
                    html.H2("Communes-pôles hors programme", className="h4",
                            id="hors-programme"),
                    html.P("AURA-HLM souligne que des villes qui jouent un rôle réel dans leur "
                           "territoire ont été laissées hors des programmes. Voici les "
                           "communes dont la population atteint le seuil choisi et qui ne sont "
                           "dans aucun programme.", className="mb-3"),
                    _hors_programme_controls(seuil_lookup.value, dep_lookup.code),
                    html.Div(_messages(errors), id=MESSAGE_ID, **{"aria-live": "polite"}),
                    html.P(view["sentence"], id=SENTENCE_ID, className="lead programmes-phrase",
                           **{"aria-live": "polite"}),
                    dbc.Row([
                        dbc.Col(chart_card(CHART_ID, view["figure"], view["config"],
                                           view["summary"]), xs=12, lg=6),
                        dbc.Col(dbc.Card(dbc.CardBody([
                            html.H3("Lire la liste", className="h6"),
                            html.P(NOTE_PROGRAMMES, className="small"),
                            html.P(SRU_CAVEAT, className="small"),
                            html.P(NOTE_CITIES, className="small mb-0"),
                        ]), className="mb-4 programmes-notes"), xs=12, lg=6),
                    ]),
                    html.Div(
                        [
                            dbc.Button("Exporter en CSV", id=CSV_ID, color="primary",
                                       outline=True, className="me-2 mb-2"),
                            dbc.Button("Exporter en Excel (.xlsx)", id=XLSX_ID,
                                       color="primary", outline=True, className="mb-2"),
                            dcc.Download(id=DOWNLOAD_ID),
                        ],
                    ),
                    dag.AgGrid(
                        id=GRID_ID,
                        rowData=view["rows"],
                        columnDefs=_column_defs(),
                        defaultColDef={"sortable": True, "filter": True,
                                       "floatingFilter": True, "resizable": True},
                        dashGridOptions={
                            "localeText": LOCALE_TEXT_FR, "accentedSort": True,
                            "animateRows": False, "tooltipShowDelay": 300,
                            "context": {"csvHeaders": {c.field: c.csv_header
                                                       for c in P.HORS_PROGRAMME_EXPORT}},
                        },
                        csvExportParams=csv_params(seuil_lookup.value, dep_lookup.code),
                        getRowId="params.data.code_insee",
                        style={"height": "60vh", "width": "100%"},
                        className="programmes-grid",
                    ),
                    html.P(F.SOURCE_HORS_PROGRAMME + ".", className="source small mt-2"),
                ],
                className="programmes-hors",
            ),
            dcc.Store(id=URL_SYNC_ID),
        ],
        fluid="lg",
        className="pb-5",
    )


def clear() -> None:
    """Forget what this page cached (tests, or after replacing the tables)."""
    _overview.cache_clear()
    hors_programme.cache_clear()
    hors_programme_view.cache_clear()


# --- callbacks -----------------------------------------------------------------------------

def _checked(seuil: object, departement: object) -> tuple[int, str | None, list[str]]:
    """Threshold and department from the controls, checked, with French errors."""
    lookup = P.check_seuil(seuil, required=True)
    dep = territories.check_departement(departement)
    errors = [e for e in (lookup.error, dep.error) if e]
    return lookup.value, dep.code, errors


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
    """New threshold or department: the list, its sentence and its chart."""
    value, code, errors = _checked(seuil, departement)
    view = hors_programme_view(value, code)
    return (view["rows"], view["sentence"], view["figure"], view["summary"], view["config"],
            _messages(errors))


clientside_callback(
    """
    function(seuil, departement) {
        const params = new URLSearchParams(window.location.search);
        if (seuil === null || seuil === undefined || seuil === '' ||
            Number.isNaN(Number(seuil))) { params.delete('seuil'); }
        else { params.set('seuil', String(seuil)); }
        if (departement) { params.set('departement', departement); }
        else { params.delete('departement'); }
        const query = params.toString();
        window.history.replaceState(window.history.state, '',
            window.location.pathname + (query ? '?' + query : '') + window.location.hash);
        return query;
    }
    """,
    Output(URL_SYNC_ID, "data"),
    Input(SEUIL_ID, "value"),
    Input(DEP_ID, "value"),
    prevent_initial_call=True,
)


@callback(
    Output(GRID_ID, "exportDataAsCsv"),
    Output(GRID_ID, "csvExportParams"),
    Input(CSV_ID, "n_clicks"),
    State(SEUIL_ID, "value"),
    State(DEP_ID, "value"),
    prevent_initial_call=True,
)
def export_csv(_n_clicks, seuil, departement):
    """CSV of the filtered, sorted rows, written by the grid in the browser."""
    value, code, _ = _checked(seuil, departement)
    return True, csv_params(value, code)


@callback(
    Output(DOWNLOAD_ID, "data"),
    Input(XLSX_ID, "n_clicks"),
    State(GRID_ID, "virtualRowData"),
    State(SEUIL_ID, "value"),
    State(DEP_ID, "value"),
    prevent_initial_call=True,
)
def export_xlsx(_n_clicks, grid_rows, seuil, departement):
    """Excel file of the rows the grid shows (filtered and sorted), built on the server."""
    value, code, _ = _checked(seuil, departement)
    hors = hors_programme(value, code)
    frame = hors if grid_rows is None else rows_in_order(hors, "code_insee", grid_rows)
    scope = _scope(code)
    content = xlsx_bytes(
        frame, P.HORS_PROGRAMME_EXPORT,
        title=f"Communes de {fmt_int(value)} habitants ou plus hors programme",
        territory=scope, source=F.SOURCE_HORS_PROGRAMME, sheet="Hors programme",
        notes=[f"{fmt_int(len(frame))} communes sur {fmt_int(len(hors))}, filtrées et triées "
               "comme à l'écran.", NOTE_PROGRAMMES, SRU_CAVEAT],
    )
    name = export_filename(f"{EXPORT_NAME}-{value}-habitants", scope)
    return dcc.send_bytes(content, f"{name}.xlsx")
