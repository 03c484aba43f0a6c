"""Presentation mode of the territory profile (`?mode=presentation`): key figures (the
KPI cards, programme counts included), then one chart (page) per screen in large
type, then the programme table; assets/presentation.js moves between them and scales
each slide to the screen (1280×720 as well as 1920×1080).
"""

from __future__ import annotations

import datetime as dt

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components import picker
from dashboard.data import store, territories
from dashboard.export import presentation
from dashboard.figures.common import graph_config
from dashboard.views import territoire as tv

from .territoire_base import PATH, PREFIX
from .territoire_chiffres import kpi_rows
from .territoire_commune import commune_heading
from .territoire_profil import view_search


def _slide(children: list, number: int, count: int, label: str, className: str = ""
           ) -> html.Section:
    return html.Section(
        children, id=f"{PREFIX}-diapo-{number}",
        className=f"presentation-slide {className}".strip()
                  + (" is-active" if number == 1 else ""),
        **{"aria-roledescription": "diapositive", "aria-label": f"{number} sur {count} : {label}",
           "data-slide": str(number)})


def _graph_slide(slide: presentation.Slide, territory: str, day: dt.date, number: int,
                 count: int) -> html.Section:
    # No toolbar on a projected slide (the ZIP export gives the 16:9 images).
    page = slide.page
    config = {**graph_config(page.indicator, territory, day), "responsive": False,
              "displayModeBar": False}
    graph = dcc.Graph(id=f"{page.graph_id}-diapo-{page.number}", figure=page.figure,
                      config=config, className="presentation-graph-plot",
                      style={"width": f"{presentation.WIDTH}px",
                             "height": f"{presentation.HEIGHT}px"})
    size = {"--slide-width": f"{presentation.WIDTH}px",
            "--slide-height": f"{presentation.HEIGHT}px"}
    children = [html.Div(html.Div(graph, className="presentation-graph-inner"),
                         className="presentation-graph", style=size,
                         **{"data-min-scale": str(presentation.MIN_SCALE)}),
                html.P(page.summary, className="chart-summary presentation-summary")]
    if slide.notes:
        children.append(html.P(" ".join(slide.notes), className="presentation-notes"))
    return _slide(children, number, count, page.title, "presentation-chart")


@store.memo(maxsize=64)
def _presentation_slides(epci: str, commune: str | None, compare: tuple[str, ...],
                         day: dt.date) -> tuple[html.Section, ...]:
    p = tv.cached_profile(epci)
    pages = presentation.presentation_slides(epci, commune, compare)
    count = len(pages) + 1
    rows = kpi_rows(p, tv.cached_engagement(epci), store.engagements().demo,
                    tv.cached_facts(epci))
    # Drawn at a fixed width and scaled to the screen like the charts: every card fits.
    board = html.Div(html.Div([html.H2("Chiffres clés", className="presentation-slide-title"),
                               *rows], className="presentation-board"),
                     className="presentation-board-frame")
    first = _slide([board], 1, count, "Chiffres clés", "presentation-kpis")
    return (first, *[_graph_slide(slide, p["nom"], day, i, count)
                     for i, slide in enumerate(pages, start=2)])


def presentation_layout(view: tv.View, departement: str | None,
                        problem: dbc.Alert | None = None) -> html.Div:
    """The profile as slides: key figures, then one chart (page) per screen with its
    summary. assets/presentation.js moves between them (←/→, PageUp/PageDown)."""
    # Like the profile page: "Annonay — CA Annonay Rhône Agglo" with a commune.
    name = (commune_heading(view.commune) if view.commune
            else territories.epci_names()[view.epci])
    others = tuple(c for c in view.compare if c != view.epci)[:tv.MAX_OTHERS]
    content = _presentation_slides(view.epci, view.commune, others, dt.date.today())
    count = len(content)
    leave = dash.get_relative_path(PATH) + view_search(view, departement)
    switcher = html.Details([
        html.Summary("Changer de territoire", className="btn btn-outline-light"),
        html.Div(picker.territory_picker(PREFIX, departement=departement, epci=view.epci,
                                         commune=view.commune, compare=list(view.compare),
                                         with_compare=True),
                 className="presentation-picker-panel"),
    ], className="presentation-picker", id=f"{PREFIX}-presentation-territoire")
    bar = html.Div([
        html.Div([
            html.H1(name, id=f"{PREFIX}-titre", className="presentation-title"),
            html.Span(f"1 / {count}", id=f"{PREFIX}-presentation-compteur",
                      className="presentation-counter", **{"aria-live": "polite"}),
        ], className="presentation-heading"),
        html.Div([
            html.Button("← Précédent", id=f"{PREFIX}-presentation-precedent", type="button",
                        className="btn btn-outline-light presentation-prev",
                        title="Diapositive précédente (← ou Page préc.)", disabled=True),
            html.Button("Suivant →", id=f"{PREFIX}-presentation-suivant", type="button",
                        className="btn btn-outline-light presentation-next",
                        title="Diapositive suivante (→ ou Page suiv.)", disabled=count < 2),
            switcher,
            dcc.Link("Quitter la présentation", href=leave,
                     id=f"{PREFIX}-quitter-presentation",
                     className="btn btn-light presentation-leave"),
        ], className="presentation-controls"),
    ], className="presentation-bar")
    stage = html.Div(list(content), className="presentation-stage",
                     id=f"{PREFIX}-presentation-diapos")
    children = [bar]
    if problem is not None:
        children.append(html.Div(problem, className="presentation-problem"))
    children += [stage, html.P([
        "← → ou Page préc. / Page suiv. : changer de diapositive ; ",
        html.Span("Échap : quitter la présentation.", className="presentation-help-window"),
        html.Span("Échap : quitter le plein écran, puis Échap de nouveau : quitter la "
                  "présentation.", className="presentation-help-fullscreen")],
        className="presentation-help mb-0", id=f"{PREFIX}-presentation-aide")]
    return html.Div(children, id=f"{PREFIX}-presentation", className="presentation-mode",
                    role="region", **{"aria-label": f"Présentation : {name}",
                                      "data-view": view_search(view, departement)})

