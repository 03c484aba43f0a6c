"""Temporary home page: the EPCI of the region with their share of social housing.

Proves the path data layer -> page -> browser end to end; the regional view
replaces it in a later issue.
"""

from __future__ import annotations

from functools import lru_cache

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import html

from dashboard.app_factory import TITLE
from dashboard.components.grid import LOCALE_TEXT_FR, number_column, records, text_column
from dashboard.data import aggregate, store
from dashboard.formatting import fmt_int, fmt_pct

dash.register_page(
    __name__,
    path="/",
    name="Accueil",
    title=TITLE,
    description="Part de logements sociaux des intercommunalités d'Auvergne-Rhône-Alpes.",
)

GRID_ID = "grille-epci"
SOURCE = ("Sources : SDES, RPLS au 1er janvier 2024 ; Insee, Code officiel géographique 2026 "
          "et populations légales. Part de logements sociaux = logements sociaux pour 100 "
          "résidences principales (somme des logements sociaux / somme des résidences "
          "principales ; résidences principales estimées pour les communes absentes de RPLS).")

EPCI_TYPES = {"CC": "CC", "CA": "CA", "CU": "CU", "METRO": "Métropole", "MET69": "Métropole"}

NOTE_PARTIAL = ("Pour une intercommunalité à cheval sur une autre région, seules ses communes "
                "d'Auvergne-Rhône-Alpes sont comptées.")

COLUMNS = [
    text_column("epci_nom", "Intercommunalité (EPCI)", pinned="left", flex=3, minWidth=330),
    number_column(
        "taux_logements_sociaux", "Part de logements sociaux", flex=2, minWidth=150,
        sort="desc", wrapHeaderText=True, autoHeaderHeight=True,
        headerTooltip="Logements sociaux pour 100 résidences principales (RPLS 2024)",
    ),
    number_column("logements_sociaux", "Logements sociaux", flex=2, minWidth=130,
                  wrapHeaderText=True, autoHeaderHeight=True),
    number_column("population", "Population", flex=2, minWidth=120),
    number_column("nb_communes", "Communes", flex=1, minWidth=110),
    text_column("departements", "Département(s)", flex=1, minWidth=130,
                wrapHeaderText=True, autoHeaderHeight=True),
    text_column("type", "Type", flex=1, minWidth=110),
]
FORMATS = {
    "nb_communes": fmt_int,
    "population": fmt_int,
    "logements_sociaux": fmt_int,
    "taux_logements_sociaux": fmt_pct,
}


@lru_cache(maxsize=1)
def _content() -> tuple[list[dict], dict]:
    """Grid rows and regional totals (the table is loaded once per process)."""
    df = store.communes()
    epci = aggregate.epci_table(df)
    epci["type"] = epci["epci_type"].map(EPCI_TYPES).fillna(epci["epci_type"])
    rows = records(epci, FORMATS, ["epci_siren", *(c["field"] for c in COLUMNS)])
    return rows, aggregate.totals(df)


def layout(**_query) -> html.Div:
    rows, region = _content()
    return dbc.Container(
        [
            html.H1("Logement social et revitalisation en Auvergne-Rhône-Alpes",
                    className="h2 mt-4"),
            html.P(
                [
                    f"{fmt_int(region['nb_communes'])} communes, "
                    f"{fmt_int(region['population'])} habitants, "
                    f"{fmt_int(region['logements_sociaux'])} logements sociaux, soit ",
                    html.Strong(fmt_pct(region["taux_logements_sociaux"])),
                    " des résidences principales de la région.",
                ],
                className="lead",
            ),
            html.H2(f"Les {len(rows)} intercommunalités de la région", className="h4"),
            html.P("Cliquez sur un en-tête pour trier ; saisissez un nom sous l'en-tête pour "
                   "filtrer.", className="text-muted"),
            dag.AgGrid(
                id=GRID_ID,
                rowData=rows,
                columnDefs=COLUMNS,
                defaultColDef={"sortable": True, "filter": True, "floatingFilter": True,
                               "resizable": True},
                dashGridOptions={"localeText": LOCALE_TEXT_FR, "accentedSort": True,
                                 "animateRows": False, "tooltipShowDelay": 300},
                getRowId="params.data.epci_siren",
                style={"height": "60vh", "width": "100%"},
            ),
            html.P(
                [NOTE_PARTIAL, html.Br(), SOURCE],
                className="source small mt-2",
            ),
        ],
        fluid="lg",
        className="pb-5",
    )
