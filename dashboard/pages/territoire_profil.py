"""Layout of the territory profile under the picker: key figures, charts, tables,
export buttons (what `pages/territoire.py` shows for checked codes).

Everything here is laid out from what `views.territoire` returns; the whole
content of one view is memoised on codes (`store.memo`), since the router
rebuilds the layout at each URL change.
"""

from __future__ import annotations

import datetime as dt
import uuid

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components import chart, messages, picker
from dashboard.data import store
from dashboard.data.territoire import outside_sentence
from dashboard.export import slides
from dashboard.export.territoire import PIXELS
from dashboard.formatting import fmt_date, fmt_pct, plural
from dashboard.views import territoire as tv
from dashboard.views.chart import Chart

from .territoire_base import PATH, PREFIX
from .territoire_chiffres import facts_list, kpi_rows
from .territoire_commune import (
    commune_block,
    empty_note,
    no_landlord_sentence,
    no_programme_sentence,
)
from .territoire_tableaux import key_figures_table, programme_table

EXPORT_LABEL = "Exporter les graphiques (ZIP)"


def _straddle_note(p: dict) -> str | None:
    if not p["a_cheval"]:
        return None
    parts = ", ".join(f"{d['departement_nom']} ({fmt_pct(d['part_population'])} de la "
                      "population)" for d in p["departements"])
    return (f"Intercommunalité à cheval sur {len(p['departements'])} départements : {parts}. "
            f"Les comparaisons se font avec le département qui en rassemble la plus grande "
            f"part : {p['departement_nom']}.")


# --- the profile ----------------------------------------------------------------------------------

def _print_pages(c: Chart, codes: tuple) -> html.Div:
    """A4 pages of a chart too tall for one printed page: laid out off screen (so plotly
    measures its labels) and shown instead of the chart by assets/print.css."""
    pages = slides.print_pages(codes[0], c.key, codes[1], codes[2])
    graphs = [html.Div(dcc.Graph(
        id=f"{c.graph_id}-impression-{p.number}", figure=p.figure,
        config={"staticPlot": True, "displayModeBar": False, "responsive": False},
        style={"width": f"{slides.PRINT_WIDTH}px", "height": f"{slides.PRINT_HEIGHT}px"}),
        className="print-page") for p in pages]
    return html.Div([*graphs, html.P(c.summary, className="chart-summary")],
                    className="print-pages", **{"aria-hidden": "true"})


def _chart_card(c: Chart, territory: str, day: dt.date, codes: tuple | None = None):
    """The chart card; with `codes` (epci, commune, compare) a tall chart also gets its
    A4 print pages."""
    if codes is None or not slides.needs_print_pages(c):
        return chart.chart_card(c.graph_id, c.figure, c.config(territory, day),
                                c.summary)
    card = chart.chart_card(c.graph_id, c.figure, c.config(territory, day),
                            c.summary, className="print-replaced")
    return html.Div([card, _print_pages(c, codes)])


def _section(title: str, section_id: str, children: list) -> html.Section:
    heading = f"{section_id}-titre"
    return html.Section(
        [html.H2(title, id=heading, className="h4 territoire-section-title"),
         *[c for c in children if c is not None]],
        id=section_id, className="territoire-section", **{"aria-labelledby": heading})


@store.memo(maxsize=256)
def _content(epci: str, commune: str | None, compare: tuple[str, ...], day: dt.date) -> html.Div:
    p = tv.cached_profile(epci)
    facts = tv.cached_facts(epci)
    name = p["nom"]
    engagements = store.engagements()
    charts = {c.key: c for c in tv.profile_charts(epci, commune, compare)}
    codes = (epci, commune, compare)
    straddle = _straddle_note(p)
    intro = [
        html.P([f"{plural(p['epci']['nb_communes'], 'commune')}, département de comparaison : "
                f"{p['departement_nom']} ({p['departement']}), région {p['region_nom']}. "
                f"SIREN {p['siren']}."], className="territoire-intro mb-1"),
    ]
    if straddle:
        intro.append(html.P(straddle, className="territoire-straddle mb-1",
                            id=f"{PREFIX}-a-cheval"))
    intro.append(html.P(outside_sentence(p), className="territoire-straddle mb-1",
                        id=f"{PREFIX}-hors-region") if outside_sentence(p) else None)
    no_programme = tv.cached_programme_communes(epci).empty
    grid = tv.cached_matrix(epci)
    no_landlord = grid is not None and grid.empty
    sections = [
        commune_block(commune) if commune else None,
        html.Div(intro, className="mb-3"),
        *([_section("Comparaison des chiffres clés", f"{PREFIX}-comparaison-chiffres",
                    [key_figures_table((epci, *compare))])] if compare else []),
        _section("Chiffres clés", f"{PREFIX}-chiffres",
                 [*kpi_rows(p, tv.cached_engagement(epci), engagements.demo, facts),
                  facts_list(facts)]),
        _section("Logement social par commune", f"{PREFIX}-communes", [dbc.Row([
            dbc.Col(_chart_card(charts["parts"], name, day, codes), xs=12, lg=7),
            dbc.Col(html.Div(_chart_card(charts["carte"], name, day),
                             className="territoire-map-sticky"), xs=12, lg=5),
        ])]),
        _section("Programmes de revitalisation", f"{PREFIX}-programmes", [
            programme_table(epci),
            _chart_card(charts["calendrier"], name, day, codes),
        ] if not no_programme else [empty_note(no_programme_sentence(
            name, p["epci"]["nb_communes"]), "programmes")]),
        _section("Engagement des bailleurs sociaux", f"{PREFIX}-bailleurs", [
            messages.demo_banner(f"{PREFIX}-bandeau-demo") if engagements.demo else None,
            dbc.Alert(engagements.error, color="warning") if engagements.error else None,
            _chart_card(charts["bailleurs"], name, day, codes) if not no_landlord
            else empty_note(no_landlord_sentence(name, engagements.demo), "bailleurs"),
        ]),
    ]
    if "comparaison" in charts:
        sections.append(_section("Comparaison avec d'autres intercommunalités",
                                 f"{PREFIX}-comparaison", [
            _chart_card(charts["comparaison"], name, day),
        ]))
    return html.Div([s for s in sections if s is not None], id=f"{PREFIX}-profil")


def profile_content(epci: str, commune: str | None = None,
                    compare: tuple[str, ...] | list[str] = ()) -> html.Div:
    """Everything under the picker for checked codes (memoized: the router rebuilds the
    layout at each URL change). For benchmarks and the page."""
    others = tuple(c for c in compare if c != epci)[:tv.MAX_OTHERS]
    return _content(epci, commune, others, dt.date.today())


def invitation() -> html.Div:
    return html.Div(
        [html.P("Choisissez une intercommunalité (EPCI) ci-dessus pour afficher son profil : "
                "logement social de ses communes, programmes de revitalisation, engagement des "
                "bailleurs sociaux.", className="lead"),
         html.P("La recherche accepte le nom ou le code SIREN ; le département restreint la "
                "liste. Une commune peut ensuite être mise en évidence.",
                className="text-muted")],
        id=f"{PREFIX}-invitation", className="territoire-invitation",
    )


def view_search(view: tv.View, departement: str | None, mode: str | None = None) -> str:
    return picker.territory_search(view.epci, view.commune, list(view.compare),
                                   departement=departement, mode=mode)


def actions(view: tv.View, departement: str | None) -> html.Div:
    """Meeting and export buttons of a profile (hidden in print)."""
    presentation = dash.get_relative_path(PATH) + view_search(view, departement, tv.PRESENTATION)
    return html.Div([
        html.Div([
            dbc.Button(EXPORT_LABEL, id=f"{PREFIX}-export-zip", color="primary", outline=True,
                       title=f"Tous les graphiques de ce profil en images PNG de {PIXELS} "
                             "pixels (16:9), dans un fichier ZIP"),
            dbc.Button("Imprimer / PDF", id=f"{PREFIX}-imprimer", color="primary",
                       outline=True, title="Document A4 du profil (impression ou PDF)"),
            dcc.Link("Mode présentation", href=presentation, id=f"{PREFIX}-mode-presentation",
                     className="btn btn-outline-primary",
                     title="Plein écran, un graphique par écran, touches ← → pour avancer"),
        ], className="d-flex flex-wrap gap-2"),
        html.Div([
            html.Div([
                html.Span("Export en cours : ", className="me-1"),
                html.Span("Démarrage…", id=f"{PREFIX}-export-etat", className="fw-semibold",
                          **{"aria-live": "polite"}),
                dbc.Button("Annuler l'export", id=f"{PREFIX}-export-annuler", color="secondary",
                           outline=True, size="sm", className="ms-auto", disabled=True),
            ], className="d-flex align-items-center gap-2 mb-1"),
            dbc.Progress(id=f"{PREFIX}-export-barre", value=0, max=1, label="",
                         style={"height": "1.25rem"}),
        ], id=f"{PREFIX}-export-progression", className="export-progress mt-2 d-none",
           role="group", **{"aria-label": "Progression de l'export des graphiques"}),
        dcc.Store(id=f"{PREFIX}-export-jeton", data=uuid.uuid4().hex),
        dcc.Download(id=f"{PREFIX}-export-download"),
        html.Div(id=f"{PREFIX}-export-message", role="status"),
    ], className="territoire-actions mb-3")


def print_header(name: str, day: dt.date) -> html.Div:
    """Shown only in print (assets/print.css): what the document is, and when."""
    return html.Div([
        html.P("AURA-HLM — Logement social et revitalisation des centres-villes",
               className="print-header-site mb-0"),
        html.P(f"Profil de territoire : {name} — imprimé le {fmt_date(day)}",
               className="print-header-title mb-0"),
    ], className="print-only print-header", id=f"{PREFIX}-entete-impression")

