"""Every chart of a profile as PNG: file names, index, ZIP, and real kaleido renders."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from PIL import Image, ImageStat

ANNONAY = "200072015"
BOURG = "200071751"
DAY = dt.date(2026, 11, 25)
NAME_RE = re.compile(r"^[a-z0-9-]+_[a-z0-9-]+_\d{4}-\d{2}-\d{2}\.png$")


@pytest.fixture(scope="module")
def export():
    from dashboard.data import store
    from dashboard.export import territoire as profile

    store.communes()
    return profile


def fake_render(fig, width, height, scale):
    """A tiny PNG standing for kaleido's output (fast tests of names and ZIP)."""
    buffer = io.BytesIO()
    Image.new("RGB", (int(width * scale), int(height * scale)), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_file_names_say_what_the_chart_shows(export):
    charts = export.render_profile(ANNONAY, DAY, fake_render)
    names = [c.filename for c in charts]
    assert len(set(names)) == len(names)
    assert all(NAME_RE.match(n) for n in names), names  # no spaces, no accents
    assert names[0] == "chiffres-cles_ca-annonay-rhone-agglo_2026-11-25.png"
    assert names[1] == "taux-logements-sociaux-1-sur-2_ca-annonay-rhone-agglo_2026-11-25.png"
    assert "carte-taux-logements-sociaux_ca-annonay-rhone-agglo_2026-11-25.png" in names
    assert names[-1] == "communes-programme_ca-annonay-rhone-agglo_2026-11-25.png"
    assert [c.title for c in charts][:3] == ["Chiffres clés",
                                             "Part de logements sociaux par commune (1/2)",
                                             "Part de logements sociaux par commune (2/2)"]


def test_index_lists_files_titles_summaries_and_the_split(export):
    charts = export.render_profile(ANNONAY, DAY, fake_render)
    text = export.index_text(ANNONAY, charts, DAY)
    assert text.startswith("Graphiques du profil : CA Annonay Rhône Agglo (200072015)\n")
    assert "Exportés le 25/11/2026" in text and "1920 × 1080 pixels" in text
    for chart in charts:
        assert f"- {chart.filename} : {chart.title}\n" in text
    assert "découpés en plusieurs images numérotées" in text
    assert "« Part de logements sociaux par commune »" in text
    summary = next(c.summary for c in charts if c.page.key == "parts")
    assert f"  Résumé : {summary}" in text
    assert "  Sources : SDES, RPLS au 1er janvier 2024" in text
    # Plain text, no Markdown: no headings, code spans, emphasis or links.
    for mark in ("#", "`", "**", "]("):
        assert mark not in text, mark


def test_html_index_lists_each_image_with_title_summary_and_source(export):
    from html.parser import HTMLParser

    charts = export.render_profile(ANNONAY, DAY, fake_render)
    page = export.index_html(ANNONAY, charts, DAY)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"fr\">")
    assert '<meta charset="utf-8">' in page

    class Images(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found = []

        def handle_starttag(self, tag, attrs):
            if tag == "img":
                self.found.append(dict(attrs))
            assert tag not in ("script", "link", "iframe"), tag

    parser = Images()
    parser.feed(page)
    assert [i["src"] for i in parser.found] == [c.filename for c in charts]
    assert [i["alt"] for i in parser.found] == [c.title for c in charts]
    assert "http" not in page  # nothing from elsewhere
    assert "Chiffres clés" in page and "Sources : SDES, RPLS au 1er janvier 2024" in page
    assert "CA Annonay Rhône Agglo, 15,5\u00a0%" in page


def test_empty_charts_give_no_image_and_one_sentence(export):
    charts = export.render_profile("200070852", DAY, fake_render)  # CC Usses et Rhône
    assert not any(c.page.key == "bailleurs" for c in charts)
    text = export.index_text("200070852", charts, DAY)
    assert "« Engagement des bailleurs sociaux » : pas d'image, rien à représenter." in text


def test_zip_holds_one_png_per_chart_page_and_the_index(export):
    from dashboard.export import slides

    filename, data = export.profile_zip(ANNONAY, DAY, fake_render, compare=(BOURG,))
    assert filename == "graphiques_ca-annonay-rhone-agglo_2026-11-25.zip"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert zf.testzip() is None
        pngs = [n for n in names if n.endswith(".png")]
        pages = slides.profile_pages(ANNONAY, None, (BOURG,))
        assert len(pngs) == len(pages)
        charts = {p.key for p in pages}
        assert charts == {"chiffres", "parts", "carte", "calendrier", "bailleurs",
                          "comparaison", "programmes"}
        assert any("comparaison-intercommunalites_" in n for n in pngs)
        folder = "graphiques_ca-annonay-rhone-agglo_2026-11-25"
        assert f"{folder}/index.html" in names and f"{folder}/LISEZMOI.txt" in names
        assert not [n for n in names if n.endswith(".md")]
        index = zf.read(f"{folder}/index.html").decode("utf-8")
        assert all(f'src="{n.split("/")[-1]}"' in index for n in pngs)
        image = Image.open(io.BytesIO(zf.read(pngs[0])))
        assert image.size == (1920, 1080)


# --- real renders (kaleido + Debian's Chromium) ------------------------------------------------

def _not_blank(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (1920, 1080)
    assert ImageStat.Stat(image.convert("L")).var[0] > 100
    return image


def test_real_zip_of_a_profile(export):
    from dashboard.export import slides

    _, data = export.profile_zip(ANNONAY, DAY)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        pngs = sorted(n for n in zf.namelist() if n.endswith(".png"))
        assert len(pngs) == len(slides.profile_pages(ANNONAY))
        images = {n.split("/")[-1].split("_")[0]: _not_blank(zf.read(n)) for n in pngs}
    # The map is drawn offline (no topojson from a CDN): blue communes are there.
    import numpy as np

    rgb = np.asarray(images["carte-taux-logements-sociaux"].convert("RGB")).astype(int)
    blue = int(((rgb[..., 2] > 150) & (rgb[..., 0] < 120)).sum())
    assert blue > 5000


def test_french_text_of_a_profile_page_renders_with_accents(export):
    """The exported page of the landlords' chart carries title, territory, demo label and
    source inside the image (checked in the SVG kaleido draws from the same page)."""
    import kaleido

    from dashboard.export import png, slides

    pages = {p.key: p for p in slides.profile_pages(BOURG) if p.number == 1}
    with png._lock:
        if not png._started:
            png._start()
        svg = kaleido.calc_fig_sync(pages["bailleurs"].figure,
                                    opts={"format": "svg", "width": 960, "height": 540})
        bars = kaleido.calc_fig_sync(pages["parts"].figure,
                                     opts={"format": "svg", "width": 960, "height": 540})
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    assert "Engagement des bailleurs sociaux" in text
    assert "CA du Bassin de Bourg-en-Bresse" in text
    assert "DONNÉES DE DÉMONSTRATION" in text
    assert "Données de démonstration" in text  # source line
    assert "Ã" not in text
    bars_text = bars.decode("utf-8") if isinstance(bars, bytes) else bars
    assert "Part de logements sociaux par commune (1/5)" in bars_text
    assert "Région Auvergne-Rhône-Alpes" in bars_text and "Département : Ain" in bars_text
    assert "Sources : SDES, RPLS au 1er janvier 2024" in bars_text


@pytest.mark.parametrize("epci", ["200040574", "200066637"])
def test_real_zip_of_the_two_territories_whose_map_failed(export, epci):
    """CC Beaujolais Pierres Dorées and CC Hautes Terres (communes without geometry made
    plotly throw): the ZIP is delivered, every chart is in it or named in the index as
    not produced."""
    built = export.build_profile_zip(epci, DAY)
    with zipfile.ZipFile(io.BytesIO(built.data)) as zf:
        names = zf.namelist()
        index = zf.read(next(n for n in names if n.endswith("LISEZMOI.txt"))).decode("utf-8")
    pngs = [n.split("/")[-1] for n in names if n.endswith(".png")]
    assert built.images == len(pngs) >= 3
    for line in (x for x in index.splitlines() if x.startswith("- ") and ".png : " in x):
        filename = line[2:].split(" : ")[0]
        assert filename in pngs or "image non produite" in line, line
    assert len(built.failed) == index.count("image non produite")


def test_index_carries_the_official_facts_with_their_sources(export):
    """The ZIP's index repeats the profile's official facts (slide notes)."""
    charts = export.render_profile("200041366", DAY, fake_render)  # CC Rhône Crussol
    text = export.index_text("200041366", charts, DAY, commune="07102")
    facts = text[text.index("FAITS OFFICIELS"):text.index("FICHIERS")]
    assert ("- 2 communes soumises à l'article 55 de la loi SRU (inventaire 2025), dont 2 "
            "déficitaires et 2 carencées ; prélèvement 2025 : 869\u202f085\u00a0€. (Source : "
            "Ministère du Logement, inventaire SRU 2025)") in facts
    assert ("- Parc social : +3,5\u00a0% par an de 2019 à 2023. (Source : ANCT, Observatoire "
            "des territoires, évolution du parc social 2019-2023)") in facts
    assert "Commune sélectionnée : Guilherand-Granges" in facts
    assert "taux légal 12,25\u00a0%, objectif 25\u00a0%" in facts
    assert "Densité : Grands centres urbains" in facts


def test_shares_png_page_draws_the_legal_targets(export):
    """The exported bars are the view's: each subject commune's target, no 20/25 % line."""
    from dashboard.export import slides

    pages = [p for p in slides.profile_pages("200041366") if p.key == "parts"]
    traces = [t for p in pages for t in p.figure["data"]]
    targets = [t for t in traces if t.get("name") == "Objectif SRU de la commune"]
    assert sorted(x for t in targets for x in t["x"]) == [25, 25]
    shapes = [s for p in pages for s in p.figure["layout"].get("shapes", [])]
    assert not [s for s in shapes if str(s.get("name", "")).startswith("sru-")]


def test_rendered_slides_show_the_sru_note_and_the_pvd_dates(export):
    """Kaleido draws the official facts into the images: the SRU note of a territory
    without subject commune and the PVD adhesion dates of the calendar."""
    import kaleido

    from dashboard.export import png, slides

    pages = {p.key: p for p in slides.profile_pages("200070852") if p.number == 1}
    calendar = next(p for p in slides.profile_pages("241500230") if p.key == "calendrier")
    with png._lock:
        if not png._started:
            png._start()
        parts = kaleido.calc_fig_sync(pages["parts"].figure,
                                      opts={"format": "svg", "width": 960, "height": 540})
        dates = kaleido.calc_fig_sync(calendar.figure,
                                      opts={"format": "svg", "width": 960, "height": 540})
    parts = parts.decode("utf-8") if isinstance(parts, bytes) else parts
    dates = dates.decode("utf-8") if isinstance(dates, bytes) else dates
    assert "Objectif SRU non applicable ici" in parts
    assert "15/09/2021" in dates and "Adhésion à Petites villes de demain" in dates
