"""Vue régionale (`/`): map of the region's EPCI, regional KPIs and the EPCI ranking.

URL: `/?indicateur=logement-social` (see `data.regional.INDICATORS`). The map's
geometry is sent once, with the page; changing the indicator patches values
and texts only (`figures.regional.map_patch`) and rewrites the URL in the
browser (`history.replaceState`, no page reload). Clicking an EPCI opens its
territory page.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, dcc, html, no_update

from dashboard.components.cards import Comparison, kpi_card
from dashboard.components.chart import chart_card
from dashboard.components.grid import (
    LOCALE_TEXT_FR,
    csv_export_params,
    number_column,
    records,
    text_column,
)
from dashboard.components.messages import demo_banner, problem
from dashboard.config import TITLE
from dashboard.data import store, territories
from dashboard.data.columns import ExportColumn
from dashboard.data.regional import (
    INDICATORS,
    RANKING_SORT,
    REGION_NOM,
    XLSX_EXTRA,
    check_indicator,
    ranking_columns,
    regional_data,
)
from dashboard.export.tables import (
    csv_source_line,
    rows_in_order,
    territory_links,
    with_csv_fields,
    xlsx_bytes,
)
from dashboard.figures.common import SOURCE_BAILLEURS_DEMO, SOURCE_PROGRAMMES, export_filename
from dashboard.figures.regional import choropleth, map_config, map_patch, map_summary
from dashboard.formatting import MISSING, fmt_int, fmt_pct
from dashboard.urls import geo_url

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

MAP_ID = "carte-epci"
SUMMARY_ID = f"{MAP_ID}-resume"
RADIO_ID = "indicateur-carte"
MESSAGE_ID = "message-indicateur"
URL_SYNC_ID = "indicateur-url"
GRID_ID = "grille-epci"
CSV_ID = "export-csv-epci"
XLSX_ID = "export-xlsx-epci"
DOWNLOAD_ID = "telechargement-epci"
EXPORT_NAME = "classement-epci"

SOURCE = ("Sources : SDES, RPLS au 1er janvier 2024 ; INSEE, Code officiel géographique 2026 "
          "et populations légales ; " + SOURCE_PROGRAMMES.removeprefix("Sources : ") + ". Part "
          "de logements sociaux = logements sociaux pour 100 résidences principales (somme des "
          "logements sociaux / somme des résidences principales ; résidences principales "
          "estimées pour les communes absentes de RPLS).")
NOTE_PARTIAL = ("Pour une intercommunalité à cheval sur une autre région, seules ses communes "
                "d'Auvergne-Rhône-Alpes sont comptées.")
NOTE_PROGRAMME = ("Commune en programme : Action Cœur de Ville, Petites villes de demain, AMI "
                  "centres-bourgs 2014 ou ORT signée ; une commune dans plusieurs programmes est "
                  "comptée une fois.")
FORMATTERS = {"int": fmt_int, "pct": fmt_pct}


# --- content computed once per process ---------------------------------------------------

def _export_columns() -> tuple[ExportColumn, ...]:
    return ranking_columns(regional_data().demo)


@lru_cache(maxsize=1)
def ranking_rows() -> list[dict]:
    """Grid rows: numbers, `<field>_fr` display strings, `<field>_csv`, markdown link."""
    data = regional_data()
    columns = _export_columns()
    frame = data.epci.assign(lien=territory_links(
        data.epci, "epci_nom", dash.get_relative_path("/territoire"), epci="epci_siren"))
    formats = {c.field: FORMATTERS[c.kind] for c in columns if c.kind in FORMATTERS}
    rows = records(frame, formats, ["epci_siren", "lien", *(c.field for c in columns)])
    return with_csv_fields(rows, columns)


def _column_defs() -> list[dict]:
    defs = []
    for col in _export_columns():
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


def csv_params(day: dt.date | None = None) -> dict:
    """AG Grid CSV export: French headers with units, `;`, French decimals, source line.

    AG Grid writes a UTF-8 byte order mark, so Excel (French) reads the accents.
    """
    name = export_filename(EXPORT_NAME, REGION_NOM, day)
    return csv_export_params(f"{name}.csv", csv_source_line(_source_text(), NOTE_PARTIAL))


def _source_text() -> str:
    return SOURCE + (" " + SOURCE_BAILLEURS_DEMO + "." if regional_data().demo else "")


# --- layout --------------------------------------------------------------------------------

def _kpis(kpis: dict, demo: bool, engagement_error: str | None) -> dbc.Row:
    engagement_note = (
        f"des communes de programme ont au moins un bailleur engagé "
        f"({fmt_int(kpis['communes_engagees'])} sur {fmt_int(kpis['communes_programme'])})"
        if kpis.get("communes_engagees") is not None else (engagement_error or ""))
    cards = [
        kpi_card("Population", fmt_int(kpis["population"]),
                 note=f"habitants dans {fmt_int(kpis['nb_communes'])} communes "
                      "(populations légales, COG 2026)"),
        kpi_card("Résidences principales", fmt_int(kpis["residences_principales"]),
                 note="mesurées par le RPLS, estimées pour les communes sans densité RPLS"),
        kpi_card("Logements sociaux", fmt_int(kpis["logements_sociaux"]),
                 note="parc des bailleurs sociaux au 1er janvier 2024 (RPLS)"),
        kpi_card("Part de logements sociaux", fmt_pct(kpis["taux_logements_sociaux"]),
                 [Comparison("Seuils SRU", "20 % ou 25 % selon la commune")],
                 note="des résidences principales ; ce n'est pas le taux légal SRU"),
        kpi_card("Communes en programme", fmt_int(kpis["communes_programme"]),
                 [Comparison("Action Cœur de Ville", fmt_int(kpis["communes_acv"])),
                  Comparison("Petites villes de demain", fmt_int(kpis["communes_pvd"])),
                  Comparison("AMI centres-bourgs 2014",
                             fmt_int(kpis["communes_ami_centres_bourgs"])),
                  Comparison("ORT signée", fmt_int(kpis["ort_signees"]))],
                 note="une commune dans plusieurs programmes est comptée une fois"),
        kpi_card("Engagement des bailleurs" + (" (démonstration)" if demo else ""),
                 fmt_pct(kpis["taux_engagement"]) if kpis.get("communes_engagees") is not None
                 else MISSING, note=engagement_note),
    ]
    return dbc.Row([dbc.Col(c, xs=12, sm=6, lg=4, className="mb-3") for c in cards],
                   className="kpi-row regional-kpis", id="kpi-region")


def _indicator_control(key: str, demo: bool) -> html.Fieldset:
    options = [{"label": i.label + (" (démonstration)" if i.landlords and demo else ""),
                "value": i.key} for i in INDICATORS.values()]
    return html.Fieldset(
        [
            html.Legend("Indicateur de la carte", className="h6 regional-legend"),
            dbc.RadioItems(id=RADIO_ID, options=options, value=key,
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


def layout(indicateur: object = None, **_query) -> html.Div:
    data = regional_data()
    lookup = check_indicator(indicateur)
    indicator = INDICATORS[lookup.key]
    kpis = data.kpis
    rows = ranking_rows()
    columns = _export_columns()
    return dbc.Container(
        [
            html.H1("Logement social et revitalisation en Auvergne-Rhône-Alpes",
                    className="h2 mt-4"),
            html.P(
                [
                    f"{fmt_int(kpis['nb_communes'])} communes, "
                    f"{fmt_int(kpis['population'])} habitants, "
                    f"{fmt_int(kpis['logements_sociaux'])} logements sociaux, soit ",
                    html.Strong(fmt_pct(kpis["taux_logements_sociaux"])),
                    " des résidences principales de la région.",
                ],
                className="lead",
            ),
            html.H2("Carte des intercommunalités", className="visually-hidden"),
            html.Div(_message(lookup.error), id=MESSAGE_ID, **{"aria-live": "polite"}),
            dbc.Row(
                [
                    dbc.Col(_indicator_control(lookup.key, data.demo), xs=12, lg=3,
                            className="mb-3"),
                    dbc.Col(chart_card(MAP_ID, _map_figure(lookup.key), map_config(indicator),
                                       map_summary(data.epci, kpis, indicator, data.demo),
                                       className="regional-map"), xs=12, lg=9),
                ],
            ),
            html.H2("Chiffres clés de la région", className="h4 mt-2"),
            demo_banner() if data.demo else None,
            _kpis(kpis, data.demo, data.engagement_error),
            dcc.Store(id=URL_SYNC_ID),
            html.H2(f"Classement des {len(rows)} intercommunalités", className="h4",
                    id="classement"),
            html.P("Cliquez sur un en-tête pour trier ; saisissez un nom ou une valeur sous "
                   "l'en-tête pour filtrer ; cliquez sur un nom pour ouvrir la fiche. Les "
                   "exports reprennent les lignes filtrées, dans l'ordre affiché.",
                   className="text-muted"),
            html.Div(
                [
                    dbc.Button("Exporter en CSV", id=CSV_ID, color="primary", outline=True,
                               className="me-2 mb-2"),
                    dbc.Button("Exporter en Excel (.xlsx)", id=XLSX_ID, color="primary",
                               outline=True, className="mb-2"),
                    dcc.Download(id=DOWNLOAD_ID),
                ],
                className="regional-exports",
            ),
            dag.AgGrid(
                id=GRID_ID,
                rowData=rows,
                columnDefs=_column_defs(),
                defaultColDef={"sortable": True, "filter": True, "floatingFilter": True,
                               "resizable": True},
                dashGridOptions={"localeText": LOCALE_TEXT_FR, "accentedSort": True,
                                 "animateRows": False, "tooltipShowDelay": 300,
                                 "context": {"csvHeaders": {c.field: c.csv_header
                                                            for c in columns}}},
                csvExportParams=csv_params(),
                getRowId="params.data.epci_siren",
                style={"height": "60vh", "width": "100%"},
                className="regional-grid",
            ),
            html.P([NOTE_PARTIAL, html.Br(), NOTE_PROGRAMME, html.Br(), _source_text()],
                   className="source small mt-2"),
        ],
        fluid="lg",
        className="pb-5",
    )


@lru_cache(maxsize=len(INDICATORS))
def _map_figure(key: str):
    """The full map for an indicator, built once per process; its geometry is the
    address of the EPCI layer, which the browser fetches once and caches."""
    data = regional_data()
    return choropleth(data.epci, store.geojson("epci"), INDICATORS[key], data.demo,
                      geojson_url=geo_url("epci"))


def clear() -> None:
    """Forget what this page cached (tests, or after replacing the tables)."""
    from dashboard.data import regional

    regional.clear()
    ranking_rows.cache_clear()
    _map_figure.cache_clear()


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
    data = regional_data()
    lookup = check_indicator(value)
    indicator = INDICATORS[lookup.key]
    return (map_patch(data.epci, indicator, data.demo), map_config(indicator),
            map_summary(data.epci, data.kpis, indicator, data.demo), _message(lookup.error))


# Keep `?indicateur=` in the address without reloading the page (a copied link
# reproduces the view; Dash's router would otherwise re-send the map).
clientside_callback(
    """
    function(value) {
        if (!value) { return window.dash_clientside.no_update; }
        const params = new URLSearchParams(window.location.search);
        params.set('indicateur', value);
        window.history.replaceState(window.history.state, '',
            window.location.pathname + '?' + params.toString() + window.location.hash);
        return value;
    }
    """,
    Output(URL_SYNC_ID, "data"),
    Input(RADIO_ID, "value"),
    prevent_initial_call=True,
)


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


@callback(
    Output(GRID_ID, "exportDataAsCsv"),
    Output(GRID_ID, "csvExportParams"),
    Input(CSV_ID, "n_clicks"),
    prevent_initial_call=True,
)
def export_csv(_n_clicks):
    """CSV of the filtered, sorted rows, written by the grid in the browser."""
    return True, csv_params()


@callback(
    Output(DOWNLOAD_ID, "data"),
    Input(XLSX_ID, "n_clicks"),
    State(GRID_ID, "virtualRowData"),
    prevent_initial_call=True,
)
def export_xlsx(_n_clicks, grid_rows):
    """Excel file of the rows the grid shows (filtered and sorted), built on the server.

    Only the SIREN of the browser's rows are used; the values come from the
    server's table.
    """
    data = regional_data()
    if grid_rows is None:  # grid not touched yet: every EPCI, default order
        frame = data.epci.sort_values(RANKING_SORT, ascending=False)
    else:
        frame = rows_in_order(data.epci, "epci_siren", grid_rows)
    columns = (*_export_columns(), *XLSX_EXTRA)
    content = xlsx_bytes(
        frame, columns, title="Classement des intercommunalités", territory=REGION_NOM,
        source=_source_text(), sheet="Intercommunalités",
        notes=[f"{fmt_int(len(frame))} intercommunalités sur {fmt_int(len(data.epci))}, "
               "filtrées et triées comme à l'écran.", NOTE_PARTIAL, NOTE_PROGRAMME],
    )
    return dcc.send_bytes(content, f"{export_filename(EXPORT_NAME, REGION_NOM)}.xlsx")
