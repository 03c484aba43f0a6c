"""Chart cards (dashboard/components/chart.py) as plain functions."""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.chart import chart_card, chart_card_of, summary_id_of
from dashboard.views.chart import Chart

FIGURE = {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {"height": 420}}


def test_chart_card_holds_the_graph_then_its_summary():
    card = chart_card("territoire-parts", FIGURE, {"locale": "fr"},
                      "La part de logements sociaux est de 15,4 %.")
    assert isinstance(card, dbc.Card)
    assert card.className == "chart-card mb-4"
    graph, summary = card.children.children
    assert isinstance(graph, dcc.Graph)
    assert (graph.id, graph.figure, graph.config) == ("territoire-parts", FIGURE,
                                                       {"locale": "fr"})
    assert graph.className == "chart-graph"
    assert isinstance(summary, html.P)
    assert summary.id == "territoire-parts-resume"
    assert summary.children == "La part de logements sociaux est de 15,4 %."
    assert summary.className == "chart-summary mb-0"


def test_chart_card_extra_class_and_own_summary_id():
    card = chart_card("g", FIGURE, {}, "Résumé.", summary_id="mon-resume",
                      className="bailleurs-chart-tall")
    assert card.className == "chart-card mb-4 bailleurs-chart-tall"
    assert card.children.children[1].id == "mon-resume"


def test_summary_id_of_string_and_dict_ids():
    assert summary_id_of("carte-epci") == "carte-epci-resume"
    assert summary_id_of({"type": "graph", "key": "parts"}) == {
        "type": "graph", "key": "parts", "part": "resume"}
    card = chart_card({"type": "graph", "key": "parts"}, FIGURE, {}, "Résumé.")
    assert card.children.children[1].id == {"type": "graph", "key": "parts", "part": "resume"}


def test_chart_card_of_a_view_chart_names_the_png_after_chart_and_territory():
    chart = Chart(key="parts", graph_id="territoire-parts", indicator="taux-logements-sociaux",
                  figure=FIGURE, summary="Quinze pour cent.")
    card = chart_card_of(chart, "CA Annonay Rhône Agglo", dt.date(2026, 11, 30))
    graph, summary = card.children.children
    assert graph.id == "territoire-parts" and graph.figure is FIGURE
    assert summary.children == "Quinze pour cent."
    image = graph.config["toImageButtonOptions"]
    assert graph.config["locale"] == "fr"
    assert (image["format"], image["width"], image["height"]) == ("png", 960, 540)
    assert image["filename"].startswith("taux-logements-sociaux_")
    assert "annonay" in image["filename"].lower() and "2026-11-30" in image["filename"]


def test_chart_card_of_a_tall_chart_exports_at_its_height():
    chart = Chart(key="taux", graph_id="bailleurs-taux", indicator="taux",
                  figure={"data": [], "layout": {"height": 900}}, summary="…")
    card = chart_card_of(chart, "Région", className="bailleurs-chart-tall")
    assert card.className == "chart-card mb-4 bailleurs-chart-tall"
    assert card.children.children[0].config["toImageButtonOptions"]["height"] == 900
