"""Server-side PNG rendering (kaleido + Debian's Chromium)."""

from __future__ import annotations

import io

import plotly.graph_objects as go
import pytest
from PIL import Image, ImageStat

from dashboard.export import png
from dashboard.figures.common import finish, value_axis


def sample_figure(demo: bool = False) -> go.Figure:
    fig = go.Figure(go.Scatter(x=["2020-01-15", "2020-02-15", "2020-03-15"],
                               y=[12345.5, 23456.25, 34567.0], mode="lines+markers"))
    value_axis(fig, "y")
    return finish(fig, "Évolution des conventions signées", "CA Annonay Rhône Agglo",
                  "Source : ANCT, septembre 2024", demo=demo)


def test_png_has_slide_size_and_is_not_blank():
    data = png.render_png(sample_figure())
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (1920, 1080)
    stat = ImageStat.Stat(image.convert("L"))
    assert stat.var[0] > 100  # a blank image has a variance of 0
    dark = image.convert("L").histogram()[:128]
    dark = sum(dark)
    assert dark > 2000  # text and lines were drawn


def test_french_text_and_locale_render_in_the_export_page():
    import kaleido

    with png._lock:
        if not png._started:
            png._start()
        svg = kaleido.calc_fig_sync(sample_figure(demo=True),
                                    opts={"format": "svg", "width": 960, "height": 540})
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    assert "Évolution des conventions signées" in text
    assert "CA Annonay Rhône Agglo" in text
    assert "DÉMONSTRATION" in text
    assert "févr." in text  # month names from assets/plotly-locale-fr.js, accents intact
    assert "Ã" not in text
    assert "20 000" in text or "20\u00a0000" in text  # separators ", " (thousands space)


def test_missing_chromium_gives_a_french_message(monkeypatch: pytest.MonkeyPatch):
    png.stop()
    monkeypatch.setattr(png, "chromium_path", lambda: None)
    with pytest.raises(png.ExportUnavailable, match="Chromium n'est pas installé"):
        png.render_png(sample_figure())
