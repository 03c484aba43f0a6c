"""View of the regional page (`/`): the EPCI table and KPIs, the map as a `Chart`,
the map's Patch for a new indicator, the ranking's rows and exports.

Everything is memoised with `store.memo` (keyed on indicator keys and URL strings,
never on frames), so `store.reset()` forgets it. No Dash component here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from dash import Patch

from .. import registry
from ..data import store
from ..data.columns import ExportColumn
from ..data.programmes import SOURCE_KEYS
from ..data.regional import (
    INDICATORS,
    OUTSIDE_NOTE,
    RANKING_SORT,
    REGION_NOM,
    XLSX_EXTRA,
    check_indicator,
    epci_frame,
    ranking_columns,
    region_kpis,
)
from ..data.sources import BY_KEY as SOURCES
from ..data.sources import COG_YEAR, source_line
from ..export.tables import csv_source_line, rows_in_order, territory_links, with_csv_fields
from ..export.tables import xlsx_bytes as _xlsx_bytes
from ..figures.common import SOURCE_BAILLEURS_DEMO, export_filename
from ..figures.regional import (
    MAP_PATCH_PROPS,
    MAP_TRACE,
    choropleth,
    light_figure,
    map_summary,
)
from ..figures.regional import map_config as figure_config
from ..formatting import MISSING, fmt_int, fmt_pct, plural
from .chart import Chart
from .rows import csv_export_params, records

MAP_ID = "carte-epci"
EXPORT_NAME = "classement-epci"
FORMATTERS = {"int": fmt_int, "pct": fmt_pct}

SOURCE = (source_line("rpls", "communes", *SOURCE_KEYS)
          + ". Part de logements sociaux = logements sociaux pour 100 résidences principales "
          "(somme des logements sociaux / somme des résidences principales).")
NOTE_PARTIAL = OUTSIDE_NOTE
"""What the ranking's "S'étend hors région" column means (cross-border EPCI)."""


ORT_KPI_NOTE = ("ORT : le fichier national de suivi n'identifie pas les conventions, seules "
                "les communes couvertes sont comptées")
"""Next to the ORT count: why agreements are not counted (see the method page)."""


def note_programme() -> str:
    """What "commune en programme" means, from the registry."""
    return (f"Commune en programme : {registry.enumeration(attr='label')} ; une commune dans "
            "plusieurs programmes est comptée une fois.")


# --- data, once per process ----------------------------------------------------------------

@dataclass(frozen=True)
class RegionalData:
    """What the regional page shows: EPCI table, regional KPIs, landlord file state."""

    epci: pd.DataFrame
    kpis: dict
    demo: bool
    engagement_error: str | None


@store.memo(maxsize=1)
def regional_data() -> RegionalData:
    """The app's EPCI table and KPIs (cached; callers must not modify the frame)."""
    communes = store.communes()
    eng = store.engagements()
    epci = epci_frame(communes, eng.frame, store.communes_hors_region())
    return RegionalData(epci, region_kpis(communes, epci), eng.demo, eng.error)


def source_text() -> str:
    """The page's source line (and the demonstration warning when the landlord file is one)."""
    return SOURCE + (" " + SOURCE_BAILLEURS_DEMO + "." if regional_data().demo else "")


# --- KPI cards -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Kpi:
    """One KPI card: title, value, its unit (shown right under it), comparison rows
    (label, value) and a note."""

    title: str
    value: str
    rows: tuple[tuple[str, str], ...] = ()
    note: str = ""
    unit: str = ""


def kpis() -> tuple[Kpi, ...]:
    """The regional KPI cards; the programme card has one row per registered programme."""
    data = regional_data()
    k = data.kpis
    engaged = k.get("communes_engagees") is not None
    engagement_note = (
        f"des communes de programme ont au moins un bailleur engagé "
        f"({fmt_int(k['communes_engagees'])} sur {fmt_int(k['communes_programme'])})"
        if engaged else (data.engagement_error or ""))
    return (
        Kpi("Population", fmt_int(k["population"]),
            unit=f"habitants dans {plural(k['nb_communes'], 'commune')}",
            note=f"populations légales, COG {COG_YEAR}"),
        Kpi("Résidences principales", fmt_int(k["residences_principales"]),
            note="le dénominateur de la part de logements sociaux (voir la page Méthode)"),
        Kpi("Logements sociaux", fmt_int(k["logements_sociaux"]),
            note=f"parc des bailleurs sociaux {SOURCES['rpls'].vintage} (RPLS)"),
        Kpi("Part de logements sociaux", fmt_pct(k["taux_logements_sociaux"]),
            (("Seuils SRU", "20 % ou 25 % selon la commune"),),
            unit="des résidences principales",
            note="ce n'est pas le taux légal SRU"),
        Kpi("Communes en programme", fmt_int(k["communes_programme"]),
            tuple((p.count_label, fmt_int(k[p.total])) for p in registry.PROGRAMMES),
            note="une commune dans plusieurs programmes est comptée une fois ; " + ORT_KPI_NOTE),
        sru_kpi(k),
        Kpi("Quartiers prioritaires (QPV 2024)", fmt_int(k["qpv_2024"]),
            (("Communes avec au moins un QPV", fmt_int(k["communes_avec_qpv"])),),
            note=f"quartiers distincts (un quartier sur plusieurs communes compte une fois) ; "
                 f"{SOURCES['qpv_2024'].citation}"),
        Kpi("Engagement des bailleurs" + (" (démonstration)" if data.demo else ""),
            fmt_pct(k["taux_engagement"]) if engaged else MISSING,
            unit=engagement_note if engaged else "",
            note="" if engaged else engagement_note),
    )


def sru_kpi(k: dict) -> Kpi:
    """The legal SRU status of the region's communes (official inventory, not a rule)."""
    return Kpi("Communes soumises à la loi SRU", fmt_int(k["communes_sru_soumises"]),
               (("Déficitaires", fmt_int(k["communes_sru_deficitaires"])),
                ("Carencées", fmt_int(k["communes_sru_carencees"])),
                ("Prélèvement 2025", f"{fmt_int(k['sru_prelevement_2025'])} €")),
               note=f"article 55 de la loi SRU ; {SOURCES['sru'].citation}")


# --- the map ---------------------------------------------------------------------------------

def indicator_options() -> list[dict]:
    """Radio options of the map's indicator."""
    demo = regional_data().demo
    return [{"label": i.label + (" (démonstration)" if i.landlords and demo else ""),
             "value": i.key} for i in INDICATORS.values()]


@store.memo(maxsize=len(INDICATORS) * 2)
def map_chart(key: str, geojson_url: str | None = None) -> Chart:
    """The full map for a (checked) indicator key; its geometry is `geojson_url` (the
    EPCI layer's address, fetched once by the browser) or the layer itself."""
    data = regional_data()
    indicator = INDICATORS[key]
    figure = choropleth(data.epci, store.geojson("epci"), indicator, data.demo,
                        geojson_url=geojson_url)
    return Chart(key, MAP_ID, indicator.label, figure.to_dict(),
                 map_summary(data.epci, data.kpis, indicator, data.demo))


def map_config(key: str) -> dict:
    """Graph config of the map: PNG named after the indicator; no scroll zoom."""
    return figure_config(INDICATORS[key])


@dataclass(frozen=True)
class MapUpdate:
    """What a new indicator changes: the map's Patch, its config, summary, and the
    French message when the value was refused."""

    patch: Patch
    config: dict
    summary: str
    error: str | None


def map_update(value: object) -> MapUpdate:
    """The map for an indicator from the control: values and texts only, never the
    geometry (a `dash.Patch` of the page's figure)."""
    lookup = check_indicator(value)
    data = regional_data()
    indicator = INDICATORS[lookup.key]
    return MapUpdate(map_patch(_light(lookup.key)), map_config(lookup.key),
                     map_summary(data.epci, data.kpis, indicator, data.demo), lookup.error)


def map_patch(light: dict) -> Patch:
    """A Patch of the page's map with what `light` (a `figures.regional.light_figure`
    as JSON) changes: values, colours, hover and texts, never the geometry."""
    trace = light["data"][0]
    patch = Patch()
    for prop in MAP_PATCH_PROPS:
        patch["data"][MAP_TRACE][prop] = trace[prop]
    for prop in ("annotations", "meta", "margin"):
        patch["layout"][prop] = light["layout"][prop]
    patch["layout"]["title"]["text"] = light["layout"]["title"]["text"]
    return patch


@store.memo(maxsize=len(INDICATORS))
def _light(key: str) -> dict:
    data = regional_data()
    return light_figure(data.epci, INDICATORS[key], data.demo).to_plotly_json()


# --- the ranking -----------------------------------------------------------------------------

def export_columns() -> tuple[ExportColumn, ...]:
    return ranking_columns(regional_data().demo)


@store.memo(maxsize=2)
def ranking_rows(territory_path: str = "/territoire") -> list[dict]:
    """Grid rows: numbers, `<field>_fr` display strings, `<field>_csv`, markdown link
    to the EPCI's page (`territory_path`, the app-relative address of `/territoire`)."""
    data = regional_data()
    columns = export_columns()
    frame = data.epci.assign(lien=territory_links(data.epci, "epci_nom", territory_path,
                                                  epci="epci_siren"))
    formats = {c.field: FORMATTERS[c.kind] for c in columns if c.kind in FORMATTERS}
    rows = records(frame, formats, ["epci_siren", "lien", *(c.field for c in columns)])
    return with_csv_fields(rows, columns)


def csv_params(day: dt.date | None = None) -> dict:
    """AG Grid CSV export: French headers with units, `;`, French decimals, source line."""
    name = export_filename(EXPORT_NAME, REGION_NOM, day)
    return csv_export_params(f"{name}.csv", csv_source_line(source_text(), NOTE_PARTIAL))


def xlsx(grid_rows: list[dict] | None) -> tuple[bytes, str]:
    """Excel file (content, file name) of the rows the grid shows, in its order.

    Only the SIREN of the browser's rows are used; the values come from the
    server's table. `None` (grid never touched): every EPCI, default order.
    """
    data = regional_data()
    if grid_rows is None:
        frame = data.epci.sort_values(RANKING_SORT, ascending=False)
    else:
        frame = rows_in_order(data.epci, "epci_siren", grid_rows)
    content = _xlsx_bytes(
        frame, (*export_columns(), *XLSX_EXTRA), title="Classement des intercommunalités",
        territory=REGION_NOM, source=source_text(), sheet="Intercommunalités",
        notes=[f"{plural(len(frame), 'intercommunalité')} sur {fmt_int(len(data.epci))}, "
               "filtrées et triées comme à l'écran.", NOTE_PARTIAL, note_programme()],
    )
    return content, f"{export_filename(EXPORT_NAME, REGION_NOM)}.xlsx"


def lead(k: dict | None = None) -> tuple[str, str, str]:
    """The page's lead sentence as (before, share, after)."""
    k = k or regional_data().kpis
    return (f"{fmt_int(k['nb_communes'])} communes, {fmt_int(k['population'])} habitants, "
            f"{fmt_int(k['logements_sociaux'])} logements sociaux, soit ",
            fmt_pct(k["taux_logements_sociaux"]), " des résidences principales de la région.")

