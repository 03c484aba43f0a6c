"""View of the programmes page (`/programmes`): the region-wide charts, the KPI
cards (one per registered programme) and the "pôles hors programme" list (official
typology of centralities) for a checked department and optional minimum population,
with its exports.

Memoised on codes with `store.memo`; no Dash component here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .. import registry
from ..data import programmes as P
from ..data import store, territories
from ..data.regional import REGION_NOM
from ..data.sources import BY_KEY as RAW_SOURCES
from ..export.tables import csv_source_line, rows_in_order, territory_links, with_csv_fields
from ..export.tables import xlsx_bytes as _xlsx_bytes
from ..figures import programmes as F
from ..figures.common import export_filename
from ..formatting import fmt_int, fmt_pct, plural
from .chart import Chart
from .rows import csv_export_params, records

EXPORT_NAME = "poles-hors-programme"
CHART_ID = "hors-programme-graphique"
FORMATTERS = {"int": fmt_int, "pct": fmt_pct}

SRU_CAVEAT = ("Loi SRU : statut légal de la commune dans l'inventaire SRU 2025 du ministère "
              "du Logement (article 55) ; le taux légal SRU, calculé sur l'inventaire de "
              "l'État, diffère de la part de logements sociaux RPLS affichée ici.")
NOTE_POLES = ("Pôle hors programme : commune classée « Centre structurant » ou « Centre "
              "intermédiaire d'équipements et de services » par la typologie INRAE-CESAER des "
              "centralités (utilisée par l'ANCT) et qui n'est dans aucun de ces programmes : "
              + ", ".join(p.label for p in registry.pole_programmes())
              + ". Une ORT signée par la commune seule ne compte pas comme un programme ici "
              "(colonne « ORT »). Tri : niveau de centralité, puis population.")


def note_programmes() -> str:
    """What "en programme" means, from the registry."""
    return (f"Une commune est « en programme » si elle est dans l'un de ces programmes : "
            f"{registry.enumeration(attr='label')} ; une ORT en cours ou non signée ne "
            "compte pas.")


def chart_config(chart: Chart, territory: str = REGION_NOM) -> dict:
    """The chart's config without the zoom and pan buttons (fixed charts)."""
    return F.fixed(chart.config(territory))


# --- region-wide content -----------------------------------------------------------------------

@dataclass(frozen=True)
class Kpi:
    title: str
    value: str
    note: str


@dataclass(frozen=True)
class Overview:
    """Totals, KPI cards and the five region-wide charts (in page order)."""

    totals: dict
    kpis: tuple[Kpi, ...]
    charts: tuple[Chart, ...]


def _kpis(t: dict) -> tuple[Kpi, ...]:
    """"Communes en programme", then one card per registered programme (with its source)."""
    return (Kpi("Communes en programme", fmt_int(t["programme"]),
                "comptées une fois si plusieurs programmes"),
            *(Kpi(p.label, fmt_int(t[p.key]), f"{p.counted} ; {RAW_SOURCES[p.source].citation}")
              for p in registry.PROGRAMMES))


@store.memo(maxsize=1)
def overview() -> Overview:
    """The region-wide part of the page (built once per process)."""
    df = store.communes()
    counts = P.counts_by_departement(df)
    types = P.counts_by_epci_type(df)
    statuses = P.ort_status_counts(df)
    years = P.ort_signatures_by_year(df)
    acv = P.acv_communes(df)
    totals = P.totals(df)
    charts = (
        ("programmes-departements", F.departement_chart(counts),
         "communes-par-programme-et-departement", F.departement_summary(counts)),
        ("programmes-types-epci", F.epci_type_chart(types),
         "communes-par-programme-et-type-epci", F.epci_type_summary(types)),
        ("programmes-ort-statuts", F.ort_status_chart(statuses), "avancement-ort",
         F.ort_status_summary(statuses)),
        ("programmes-ort-annees", F.ort_years_chart(years), "signatures-ort-par-annee",
         F.ort_years_summary(years, P.ort_signed_without_date(df))),
        ("programmes-acv", F.acv_chart(acv), "conventions-acv", F.acv_summary(acv)),
    )
    return Overview(totals, _kpis(totals),
                    tuple(Chart(graph_id, graph_id, indicator, figure.to_dict(), summary)
                          for graph_id, figure, indicator, summary in charts))


def lead(t: dict) -> str:
    return (f"{fmt_int(t['programme'])} communes de la région sont dans au moins un "
            f"programme de revitalisation ; elles regroupent "
            f"{fmt_pct(t['part_population_programme'])} des habitants.")


# --- hors programme ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Checked:
    """Threshold and department from the URL or the controls, checked, with French errors."""

    seuil: int
    departement: str | None
    errors: tuple[str, ...]


def check(seuil: object, departement: object, from_controls: bool = False) -> Checked:
    """Check the threshold and the department (defaults when refused, French messages);
    an empty threshold box is no filter (the threshold is optional)."""
    lookup = P.check_seuil(seuil)
    dep = territories.check_departement(departement)
    errors = [e for e in (lookup.error, dep.error) if e]
    if dep.error and not from_controls:
        errors[-1] += " Toute la région est affichée."
    return Checked(lookup.value, dep.code, tuple(errors))


@store.memo(maxsize=16)
def hors_programme(seuil: int, departement: str | None) -> pd.DataFrame:
    """The hors-programme list for a checked threshold and department."""
    return P.hors_programme(store.communes(), seuil, departement)


def scope(departement: str | None) -> str:
    """"Auvergne-Rhône-Alpes" or "Isère (38)"."""
    if departement is None:
        return REGION_NOM
    return f"{territories.departement_names()[departement]} ({departement})"


@dataclass(frozen=True)
class HorsProgrammeView:
    """Grid rows, sentence and chart of the hors-programme section."""

    rows: list[dict]
    sentence: str
    chart: Chart
    territory: str  # "Auvergne-Rhône-Alpes" or "Isère (38)"

    @property
    def config(self) -> dict:
        return chart_config(self.chart, self.territory)


@store.memo(maxsize=16)  # a view of a low threshold weighs several MB
def hors_programme_view(seuil: int, departement: str | None,
                        territory_path: str = "/territoire") -> HorsProgrammeView:
    """Rows, sentence, chart and its summary for a checked threshold and department;
    the rows link to `territory_path` (the app-relative address of `/territoire`)."""
    df = store.communes()
    hors = hors_programme(seuil, departement)
    where = scope(departement)
    counts = P.hors_programme_counts(hors, df, departement)
    frame = hors.assign(lien=territory_links(hors, "nom", territory_path, epci="epci_siren",
                                             commune="code_insee"))
    formats = {c.field: FORMATTERS[c.kind] for c in P.HORS_PROGRAMME_EXPORT
               if c.kind in FORMATTERS}
    rows = records(frame, formats, ["code_insee", "lien",
                                    *(c.field for c in P.HORS_PROGRAMME_EXPORT
                                      if c.field != "code_insee")])
    rows = with_csv_fields(rows, P.HORS_PROGRAMME_EXPORT)
    chart = Chart("hors-programme", CHART_ID, export_stem(seuil),
                  F.hors_programme_chart(counts, seuil, where).to_dict(),
                  F.hors_programme_chart_summary(counts, seuil, departement is not None))
    return HorsProgrammeView(rows, F.hors_programme_sentence(P.hors_programme_summary(hors),
                                                             seuil, where), chart, where)


def export_stem(seuil: int) -> str:
    """"poles-hors-programme" or "poles-hors-programme-3500-habitants"."""
    return f"{EXPORT_NAME}-{seuil}-habitants" if seuil else EXPORT_NAME


def csv_params(seuil: int, departement: str | None, day: dt.date | None = None) -> dict:
    """AG Grid CSV export of the filtered rows (French headers, `;`, UTF-8 BOM, source)."""
    name = export_filename(export_stem(seuil), scope(departement), day)
    return csv_export_params(f"{name}.csv", csv_source_line(F.SOURCE_HORS_PROGRAMME,
                                                            f"{NOTE_POLES} {SRU_CAVEAT}"))


def csv_for_controls(seuil: object, departement: object) -> dict:
    """`csv_params` for the values of the page's controls (checked)."""
    c = check(seuil, departement, from_controls=True)
    return csv_params(c.seuil, c.departement)


def xlsx_for_controls(grid_rows: list[dict] | None, seuil: object, departement: object
                      ) -> tuple[bytes, str]:
    """Excel file (content, name) of the rows the grid shows, filtered and sorted; only
    their INSEE codes are read, the values come from the server's table."""
    c = check(seuil, departement, from_controls=True)
    hors = hors_programme(c.seuil, c.departement)
    frame = hors if grid_rows is None else rows_in_order(hors, "code_insee", grid_rows)
    where = scope(c.departement)
    content = _xlsx_bytes(
        frame, P.HORS_PROGRAMME_EXPORT,
        title="Pôles hors programme" + (f" de {fmt_int(c.seuil)} habitants ou plus"
                                        if c.seuil else ""),
        territory=where, source=F.SOURCE_HORS_PROGRAMME, sheet="Hors programme",
        notes=[f"{plural(len(frame), 'commune')} sur {fmt_int(len(hors))}, filtrées et triées "
               "comme à l'écran.", NOTE_POLES, SRU_CAVEAT],
    )
    name = export_filename(export_stem(c.seuil), where)
    return content, f"{name}.xlsx"
