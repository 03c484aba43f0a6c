"""Text from the landlord file is drawn by Plotly as data, never as markup."""

from __future__ import annotations

import json

import pandas as pd
import plotly.io as pio
import pytest

from dashboard.data import bailleurs as b
from dashboard.figures import bailleurs as f
from dashboard.figures import territoire as t
from dashboard.figures.common import SOURCE_BAILLEURS, plotly_text
from tests.data.test_bailleurs import communes_frame, engagements_frame

LINK = '<a href="https://evil.example">X</a>'
SPAN = '<span style="color:red">Y</span>'
LINK_SHOWN = '&lt;a href="https://evil.example"&gt;X&lt;/a&gt;'
SPAN_SHOWN = '&lt;span style="color:red"&gt;Y&lt;/span&gt;'


@pytest.mark.parametrize(("text", "expected"), [
    (LINK, LINK_SHOWN),
    (SPAN, SPAN_SHOWN),
    ("Habitat & Humanisme", "Habitat &amp; Humanisme"),
    ("&lt;déjà&gt;", "&amp;lt;déjà&amp;gt;"),  # shown literally, not decoded
    ("Office <b>gras</b><br>", "Office &lt;b&gt;gras&lt;/b&gt;&lt;br&gt;"),
    ("Bailleur fictif A – OPH démo", "Bailleur fictif A – OPH démo"),
    (123, "123"),
])
def test_plotly_text(text, expected):
    assert plotly_text(text) == expected


def hostile_engagements() -> pd.DataFrame:
    df = engagements_frame()
    names = {"000000101": LINK, "000000102": SPAN, "000000103": "Habitat & Humanisme"}
    df["bailleur_nom"] = df["bailleur_siren"].map(names)
    return df


def hostile_communes() -> pd.DataFrame:
    communes = communes_frame()
    communes.loc[communes["code_insee"] == "01001", "nom"] = '<a href="https://evil.example">C</a>'
    return communes


def figure_json(fig) -> str:
    return json.dumps(json.loads(pio.to_json(fig)), ensure_ascii=False)


def assert_no_markup_from_data(fig) -> None:
    text = figure_json(fig)
    assert "<a" not in text and "</a>" not in text
    assert "<span" not in text and "</span>" not in text


def test_bailleurs_page_matrix_escapes_landlord_and_commune_names():
    view = b.cap_matrix(b.matrix(hostile_engagements(), hostile_communes(), "200000001"))
    fig = f.engagement_matrix(view, "CC A", SOURCE_BAILLEURS)
    assert_no_markup_from_data(fig)
    heat = fig.data[0]
    assert set(heat.y) == {LINK_SHOWN, SPAN_SHOWN}
    assert '&lt;a href="https://evil.e…' in heat.x  # shortened first, then escaped
    # The hover template puts the (escaped) labels in a bold line: still no live markup.
    assert heat.hovertemplate == "<b>%{y}</b><br>%{x}<br>%{customdata}<extra></extra>"


def test_bailleurs_page_matrix_region_wide_with_ampersand():
    view = b.cap_matrix(b.matrix(hostile_engagements(), hostile_communes()))
    fig = f.engagement_matrix(view, "Région", SOURCE_BAILLEURS)
    assert_no_markup_from_data(fig)
    assert "Habitat &amp; Humanisme" in fig.data[0].y


def test_rate_bars_escape_names_in_ticks_and_hover():
    rates = pd.DataFrame({
        "epci_siren": ["200000001", "200000002"],
        "epci_nom": [LINK, SPAN],
        "communes_programme": [2, 4],
        "communes_engagees": [1, 0],
        "taux_engagement": [50.0, 0.0],
        "bailleurs_engages": [1, 0],
    })
    fig = f.engagement_rate_bars(rates, "Région", SOURCE_BAILLEURS, region_rate=25.0)
    assert_no_markup_from_data(fig)
    assert list(fig.data[0].y) == [LINK_SHOWN, SPAN_SHOWN]
    assert fig.data[0].hovertext[0].startswith(f"<b>{LINK_SHOWN}</b><br>")


def test_profile_matrix_escapes_landlord_and_commune_names():
    grid = b.matrix(hostile_engagements(), hostile_communes(), "200000001")
    fig = t.engagement_figure(grid, "CC A", demo=False)
    assert_no_markup_from_data(fig)
    heat = fig.data[0]
    assert set(heat.y) == {LINK_SHOWN, SPAN_SHOWN}
    assert '&lt;a href="https://evil.example"&gt;C&lt;/a&gt;' in heat.x
