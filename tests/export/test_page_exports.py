"""Meetings and exports on the territory page: buttons, ZIP callback, print parts and
presentation mode, as plain functions (the browser tests are in tests/browser)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile

import pytest
from dash import no_update

from tests.jobs.fakes import MemoryStore
from tests.layout_tools import by_id, components, text, with_class

ANNONAY = "200072015"
BOURG = "200071751"


@pytest.fixture(scope="module")
def page(dashboard_app):
    from dashboard.pages import territoire

    return territoire


# --- buttons and print parts of the profile ----------------------------------------------------

def test_profile_has_export_print_and_presentation_controls(page):
    layout = page.layout(epci=ANNONAY, commune="07010", compare=BOURG)
    assert text(by_id(layout, "territoire-export-zip")) == "Exporter les graphiques (ZIP)"
    assert text(by_id(layout, "territoire-imprimer")) == "Imprimer / PDF"
    assert by_id(layout, "territoire-export-download") is not None
    toggle = by_id(layout, "territoire-mode-presentation")
    assert toggle.href == (f"/territoire?epci={ANNONAY}&commune=07010&compare={BOURG}"
                           "&mode=presentation")
    header = text(by_id(layout, "territoire-entete-impression"))
    assert "CA Annonay Rhône Agglo" in header
    assert f"imprimé le {dt.date.today():%d/%m/%Y}" in header
    assert "print-only" in by_id(layout, "territoire-entete-impression").className


def test_no_export_buttons_without_a_territory(page):
    layout = page.layout()
    assert by_id(layout, "territoire-export-zip") is None
    assert by_id(layout, "territoire-entete-impression") is None
    # ?mode=presentation without a territory: the ordinary invitation.
    assert by_id(page.layout(mode="presentation"), "territoire-invitation") is not None


def test_tall_chart_gets_a4_print_pages(page):
    from dashboard.export import slides

    layout = page.layout(epci=BOURG)
    blocks = with_class(layout, "print-pages")
    assert len(blocks) == 1  # the bar chart of 74 communes; the others fit a page
    graphs = [c for c in components(blocks[0]) if type(c).__name__ == "Graph"]
    assert len(graphs) == len(slides.print_pages(BOURG, "parts"))
    assert all(g.config["staticPlot"] for g in graphs)
    assert blocks[0].to_plotly_json()["props"]["aria-hidden"] == "true"
    (replaced,) = with_class(layout, "print-replaced")
    assert by_id(replaced, "territoire-graph-parts") is not None
    # A small EPCI has none.
    assert with_class(page.layout(epci=ANNONAY), "print-pages") == []


# --- presentation mode ---------------------------------------------------------------------------

def test_presentation_layout(page):
    from dashboard.export import presentation

    layout = page.layout(epci=ANNONAY, commune="07010", mode="presentation")
    mode = by_id(layout, "territoire-presentation")  # after the screen-reader announcement
    assert "presentation-mode" in mode.className
    assert text(by_id(layout, "territoire-titre")) == "Annonay — CA Annonay Rhône Agglo"
    sections = with_class(layout, "presentation-slide")
    pages = [s.page for s in presentation.presentation_slides(ANNONAY, "07010", ())]
    assert len(sections) == len(pages) + 1  # key figures (HTML cards) first
    assert pages[-1].key == "programmes"  # the programme table last
    assert by_id(layout, "territoire-kpi-programmes") is not None  # programme counts
    assert ["is-active" in s.className for s in sections] == [True] + [False] * len(pages)
    assert text(by_id(layout, "territoire-presentation-compteur")) == f"1 / {len(sections)}"
    graph = by_id(layout, "territoire-graph-parts-diapo-1")
    assert graph.figure["layout"]["width"] == presentation.WIDTH
    assert graph.config["responsive"] is False
    assert graph.config["toImageButtonOptions"]["filename"].startswith(
        "taux-logements-sociaux-1-sur-")
    # Notes and source under each chart, in HTML (they wrap at the screen's width).
    notes = [text(c) for c in with_class(layout, "presentation-notes")]
    assert len(notes) == len(pages) and notes[-1].startswith("Sources : ")
    summaries = [text(c) for c in with_class(layout, "presentation-summary")]
    assert summaries[0].startswith("Annonay (CA Annonay Rhône Agglo) : ")  # "Ma commune" first
    assert summaries[0] == pages[0].summary
    # Leaving returns to the same view; the picker is at hand.
    leave = by_id(layout, "territoire-quitter-presentation")
    assert leave.href == f"/territoire?epci={ANNONAY}&commune=07010"
    assert by_id(layout, "territoire-epci").value == ANNONAY
    assert by_id(layout, "territoire-kpi-taux") is not None


def test_presentation_shows_url_problems(page):
    layout = page.layout(epci=ANNONAY, compare="999", mode="presentation")
    assert by_id(layout, "territoire-presentation") is not None
    assert "n'est pas un code" in text(by_id(layout, "territoire-message"))


def test_picker_keeps_presentation_mode(page):
    here = f"?epci={ANNONAY}&mode=presentation"
    assert page.navigation(BOURG, None, [], None, here) == (
        f"/territoire?epci={BOURG}&mode=presentation", no_update)
    assert page.navigation(ANNONAY, None, [], None, here) == (no_update, no_update)
    # Outside the mode nothing is added.
    assert page.navigation(BOURG, None, [], None, f"?epci={ANNONAY}")[0] == (
        f"/territoire?epci={BOURG}")


# --- the ZIP callback (its body runs in a background job: tests/jobs) -----------------------

def test_zip_without_chromium_gives_a_french_message(page, monkeypatch):
    from dashboard.export import png

    png.stop()
    monkeypatch.setattr(png, "chromium_path", lambda: None)
    download, message = page.export_zip(f"?epci={ANNONAY}", store=MemoryStore())
    assert download is no_update
    assert "Chromium n'est pas installé sur le serveur" in text(message)
    assert message.color == "warning"


def test_zip_rechecks_the_codes_of_the_url(page, monkeypatch):
    calls = []
    monkeypatch.setattr(page, "build_profile_zip", lambda *a, **k: calls.append((a, k)))
    download, message = page.export_zip("?epci=<script>", store=MemoryStore())
    assert download is no_update and calls == []
    assert "Choisissez d'abord une intercommunalité" in text(message)


def test_zip_download_for_the_view(page, monkeypatch):
    from dashboard.export.territoire import ProfileZip

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("a/index.md", "x")

    def fake_zip(epci, day, render, *, commune, compare, progress):
        assert (epci, commune, compare) == (ANNONAY, "07010", (BOURG,))
        return ProfileZip("graphiques_ca-annonay-rhone-agglo_2026-11-25.zip",
                          buffer.getvalue(), 9)

    monkeypatch.setattr(page, "build_profile_zip", fake_zip)
    download, message = page.export_zip(f"?epci={ANNONAY}&commune=07010&compare={BOURG},999",
                                        store=MemoryStore())
    assert download["filename"] == "graphiques_ca-annonay-rhone-agglo_2026-11-25.zip"
    assert base64.b64decode(download["content"]) == buffer.getvalue()
    assert "9 images PNG de 1920 × 1080 pixels" in text(message)
