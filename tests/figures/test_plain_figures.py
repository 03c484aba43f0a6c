"""Plain-dict figures: plotly accepts every profile chart unchanged."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from dashboard.data import store
from dashboard.figures import territoire as t
from dashboard.figures.plain import PlainFigure
from dashboard.views import territoire as tv

# Annonay (ACV; with a commune chosen and two EPCI compared), an EPCI without
# programme commune (empty calendar), Métropole de Lyon (many bars).
VIEWS = (
    ("200072015", None, ()),
    ("200072015", "07010", ("200073096", "200046977")),
    ("200046977", None, ()),
)


def test_plain_figure_updates_like_plotly():
    plain, ref = PlainFigure(), go.Figure()
    for fig in (plain, ref):
        fig.update_layout(title={"text": "A", "font": {"size": 17}}, height=300,
                          margin={"l": 10, "b": 20})
        fig.update_layout(title={"y": 0.9}, margin={"b": 40})
        fig.update_xaxes(range=[0, 30], ticksuffix=" %")
        fig.update_yaxes(categoryorder="array", categoryarray=["b", "a"])
        fig.add_shape(type="line", x0=20, x1=20, y0=0, y1=1, yref="y domain")
        fig.add_annotation(text="source", x=0, y=0, showarrow=False, name="source")
    plain.add_trace({"type": "bar", "x": [1.5, None], "y": ["a", "b"], "name": "n"})
    ref.add_trace(go.Bar(x=[1.5, None], y=["a", "b"], name="n"))
    assert plain.to_dict() == ref.to_dict()
    assert plain.layout.margin.b == 40 and plain.layout.title.font.size == 17
    plain.update_layout(height=None)  # None removes a property, as in plotly
    assert "height" not in plain.to_dict()["layout"]
    plain.layout.annotations[0].text = "changed"
    assert plain.to_dict()["layout"]["annotations"][0]["text"] == "changed"


@pytest.mark.parametrize(("epci", "commune", "compare"), VIEWS)
def test_profile_charts_are_valid_and_unchanged_by_plotly(epci, commune, compare):
    charts = tv.profile_charts(epci, commune, compare)
    first = ["commune"] if commune else []  # the "Ma commune" slide comes first
    assert [c.key for c in charts][:len(first) + 4] == [*first, "parts", "carte", "calendrier",
                                                         "bailleurs"]
    for chart in charts:
        validated = go.Figure(chart.figure).to_dict()  # raises on an invalid property
        assert validated == chart.figure, chart.key


def test_public_builders_still_return_validated_figures():
    shares = tv.cached_commune_shares("200072015")
    fig = t.shares_figure(shares, "CA Annonay Rhône Agglo")
    assert isinstance(fig, go.Figure)
    assert fig.to_dict() == t.as_go(t._shares_figure(shares, "CA Annonay Rhône Agglo")).to_dict()
    assert store.communes() is not None


@pytest.mark.parametrize("demo", [True, False])
def test_the_plain_empty_landlord_figure_is_the_heat_map_builders(demo):
    empty = tv.cached_matrix("200072015").iloc[0:0]
    expected = t.engagement_figure(empty, "CC Vide", demo).to_dict()
    assert t._no_landlord_figure("CC Vide", demo).to_dict() == expected


def test_an_epci_without_landlord_rows_gets_the_empty_heat_map():
    codes = sorted(store.communes()["epci_siren"].dropna().unique())
    siren = next(c for c in codes if tv.cached_matrix(c).empty)
    chart = tv.engagement_chart(siren)
    name = tv.cached_profile(siren)["nom"]
    demo = store.engagements().demo
    assert chart.figure == t.engagement_figure(tv.cached_matrix(siren), name,
                                               demo).to_dict()
