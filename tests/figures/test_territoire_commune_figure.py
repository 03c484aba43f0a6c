"""The "Ma commune" slide (`figures.territoire_commune`): known answers on the layout of
its two columns, and the slide of a real commune (title, source, 16:9, valid plotly)."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.figures import territoire_commune as f
from dashboard.figures.common import EXPORT_HEIGHT
from dashboard.views import commune as cv
from dashboard.views import territoire as tv


def test_items_are_stacked_and_long_values_wrapped():
    rows = f.column_layout([("A", "court"), ("B", "mot " * 20), ("C", "x")], height=400,
                           width=20)
    assert [(label, len(lines), y) for label, lines, y in rows] == [
        ("A", 1, 0),
        ("B", 4, f.LABEL_LINE + f.VALUE_LINE + f.ITEM_GAP),
        ("C", 1, 2 * (f.LABEL_LINE + f.ITEM_GAP) + 5 * f.VALUE_LINE)]
    assert all(len(line) <= 20 for line in rows[1][1])


def test_what_does_not_fit_is_cut_with_an_ellipsis():
    one = f.LABEL_LINE + f.VALUE_LINE + f.ITEM_GAP
    rows = f.column_layout([("A", "a"), ("B", "mot " * 30), ("C", "c")],
                           height=one + f.LABEL_LINE + 2 * f.VALUE_LINE, width=20)
    assert [label for label, _, _ in rows] == ["A", "B"]  # C left out
    assert len(rows[1][1]) == 2 and rows[1][1][-1].endswith(" …")


def test_the_figure_has_its_title_columns_and_source():
    fig = f.commune_figure("Annonay (07010) — Ma commune", "CA Annonay Rhône Agglo",
                           [("Population", "17 274 habitants")],
                           [("ORT", "signée le 24/04/2019"), ("QPV", "<b>1</b>")],
                           "Source : INSEE")
    d = fig.to_dict()
    assert go.Figure(d).to_dict() == d  # plotly accepts it unchanged
    layout = d["layout"]
    assert layout["title"]["text"] == "<b>Annonay (07010) — Ma commune</b>"
    assert layout["title"]["subtitle"]["text"] == "CA Annonay Rhône Agglo"
    assert layout["height"] == EXPORT_HEIGHT
    texts = {(a["name"], a["text"]) for a in layout["annotations"]}
    assert ("label", "Population") in texts and ("value", "<b>17 274 habitants</b>") in texts
    assert ("value", "<b>&lt;b&gt;1&lt;/b&gt;</b>") in texts  # outside text is data
    assert ("source", "Source : INSEE") in texts
    xs = {a["text"]: a["x"] for a in layout["annotations"] if a["name"] == "label"}
    assert xs["Population"] == 0 and xs["ORT"] == f.COLUMN_WIDTH + f.GUTTER


def test_the_slide_of_annonay_is_the_first_chart_of_its_profile():
    charts = tv.profile_charts("200072015", "07010")
    chart = charts[0]
    assert (chart.key, chart.graph_id) == ("commune", "territoire-graph-commune")
    assert chart.indicator == "ma-commune-annonay-07010"
    layout = chart.figure["layout"]
    assert layout["meta"]["title"] == "Annonay (07010) — Ma commune"
    labels = [a["text"] for a in layout["annotations"] if a["name"] == "label"]
    assert labels[:2] == ["Population", "Résidences principales"]
    assert "Action Cœur de Ville" in labels and "Bailleurs engagés" in labels
    source = next(a["text"] for a in layout["annotations"] if a["name"] == "source")
    assert source.startswith("Sources : INSEE, COG et populations légales 2026 ; INSEE, "
                             "recensement, ménages 2021 ; SDES, RPLS au 1er janvier 2024")
    assert "AURA-HLM, engagement des bailleurs sociaux" in source.replace("<br>", " ")
    values = [a["text"] for a in layout["annotations"] if a["name"] == "value"]
    assert values[0] == "<b>17\u202f274 habitants (+0,2\u00a0% par an, 2015-2021)</b>"
    assert chart.summary == cv.summary(cv.commune_profile("07010"))
    assert [c.key for c in tv.profile_charts("200072015")][0] == "parts"  # no commune


def test_every_item_of_a_full_slide_fits():
    """The communes with the most items still show every label on the slide."""
    for code in ("07010", "43112", "01014", "15031", "69123"):
        profile = cv.commune_profile(code)
        left, right = cv.slide_pairs(profile)
        shown = [label for pairs in (left, right) for label, _, _ in f.column_layout(pairs)]
        assert shown == [label for label, _ in left + right], code
