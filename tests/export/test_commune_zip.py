"""The ZIP of a profile with a commune (`?commune=`): named after the commune, its first
image the "Ma commune" slide; one real render of that slide (kaleido, no port)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from PIL import Image, ImageStat

from dashboard.export import slides
from dashboard.export import territoire as profile
from dashboard.export.png import render_png
from dashboard.figures.common import EXPORT_HEIGHT, EXPORT_SCALE, EXPORT_WIDTH
from dashboard.views import territoire as tv

ANNONAY = "200072015"
DAY = dt.date(2026, 11, 30)


def fake_render(fig, width, height, scale):
    buffer = io.BytesIO()
    Image.new("RGB", (int(width * scale), int(height * scale)), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_zip_says_the_commune_and_holds_its_slide():
    filename, data = profile.profile_zip(ANNONAY, DAY, fake_render, commune="07010")
    assert filename == "profil_annonay-07010_ca-annonay-rhone-agglo_2026-11-30.zip"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
    assert all(n.startswith("profil_annonay-07010_ca-annonay-rhone-agglo_2026-11-30/")
               for n in names)
    pngs = [n.split("/")[-1] for n in names if n.endswith(".png")]
    # the key figures first (as in the presentation), then the commune's slide
    assert pngs[:2] == ["chiffres-cles_ca-annonay-rhone-agglo_2026-11-30.png",
                        "ma-commune-annonay-07010_ca-annonay-rhone-agglo_2026-11-30.png"]
    assert len(pngs) == len(slides.profile_pages(ANNONAY, "07010"))
    # without a commune: the EPCI's name, no commune slide
    filename, data = profile.profile_zip(ANNONAY, DAY, fake_render)
    assert filename == "graphiques_ca-annonay-rhone-agglo_2026-11-30.zip"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert not any("ma-commune" in n for n in zf.namelist())


def test_the_commune_slide_is_one_page_at_the_slide_size():
    pages = [p for p in slides.profile_pages(ANNONAY, "07010") if p.key == "commune"]
    assert len(pages) == 1 and pages[0].count == 1
    layout = pages[0].figure["layout"]
    assert (layout["width"], layout["height"]) == (EXPORT_WIDTH, EXPORT_HEIGHT)
    assert pages[0].title == "Annonay (07010) — Ma commune"


def test_the_commune_slide_renders_as_a_1920_by_1080_png():
    chart = tv.profile_charts(ANNONAY, "07010")[0]
    png = render_png(chart.go_figure(), width=EXPORT_WIDTH, height=EXPORT_HEIGHT,
                     scale=EXPORT_SCALE)
    image = Image.open(io.BytesIO(png))
    assert image.size == (1920, 1080)
    # text drawn: the image is not blank (dark pixels of the labels and values)
    gray = image.convert("L")
    assert ImageStat.Stat(gray).extrema[0][0] < 80
    dark = sum(1 for v in gray.get_flattened_data() if v < 128)
    assert dark > 20_000
