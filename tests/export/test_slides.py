"""16:9 slide pages and A4 print pages of the profile charts (pure functions, no browser)."""

from __future__ import annotations

import copy

import pytest

ANNONAY = "200072015"
BOURG = "200071751"  # 74 communes: the bar chart needs several slides
CLERMONT = "246300701"  # 16 communes with a dated ORT: the calendar needs several slides
AURILLAC = "241500230"  # a 9-commune calendar: fits one slide
PORTES = "200070852"  # CC Usses et Rhône: no landlord row on its programme communes: empty heat map


@pytest.fixture(scope="module")
def slides():
    from dashboard.data import store
    from dashboard.export import slides

    store.communes()
    return slides


@pytest.fixture(scope="module")
def figs():
    from dashboard.figures import territoire

    return territoire


@pytest.fixture(scope="module")
def tv():
    from dashboard.views import territoire

    return territoire


def _bar_rows(page: dict) -> list[str]:
    """Communes of a page in their drawn order (the references come first)."""
    drawn = {y for t in page["data"] for y in t.get("y") or () if t["name"] != "Référence"}
    return [y for y in page["layout"]["yaxis"]["categoryarray"] if y in drawn]


def test_tall_bar_chart_is_split_into_balanced_16_9_pages(slides, figs, tv):
    chart = tv.shares_chart(BOURG)
    before = copy.deepcopy(chart.figure)
    pages = slides.chart_pages(chart)

    shown, _, _ = figs.shown_communes(tv.cached_commune_shares(BOURG))
    communes = shown["libelle"].tolist()
    assert len(pages) == 5
    sizes = [len(_bar_rows(p.figure)) for p in pages]
    assert max(sizes) - min(sizes) <= 1  # balanced, no stub page
    capacity = slides.rows_per_page(chart.figure, "parts", 540) - 3
    assert max(sizes) <= capacity
    # Every commune once, in the ranking order, across the pages.
    assert [y for p in pages for y in _bar_rows(p.figure)] == communes
    references = ["Ensemble de l'EPCI", "Département : Ain", "Région Auvergne-Rhône-Alpes"]
    x_ranges = set()
    for number, page in enumerate(pages, start=1):
        layout = page.figure["layout"]
        assert (layout["width"], layout["height"]) == (960, 540)
        assert page.title == f"Part de logements sociaux par commune ({number}/5)"
        assert layout["title"]["text"] == f"<b>{page.title}</b>"
        assert page.indicator == f"taux-logements-sociaux-{number}-sur-5"
        # Each slide is self-explanatory: references, axis, source and notes.
        assert layout["yaxis"]["categoryarray"][:3] == references
        assert len(layout["yaxis"]["tickvals"]) == len(layout["yaxis"]["ticktext"])
        assert any(a.get("name") == "source" and "RPLS" in a["text"]
                   for a in layout["annotations"])
        x_ranges.add(tuple(layout["xaxis"]["range"]))
        assert page.summary == chart.summary
    assert len(x_ranges) == 1  # same scale on every page
    assert pages[0].rows == (1, sizes[0]) and pages[-1].rows[1] == len(communes)
    assert chart.figure == before  # the cached chart is not changed


def test_legend_keeps_its_distance_from_the_top_in_pixels(slides, figs, tv):
    chart = tv.shares_chart(BOURG)
    old = chart.figure["layout"]
    page = slides.chart_pages(chart)[0].figure["layout"]
    for key in ("title", "legend"):
        from_top_before = (1 - old[key]["y"]) * old["height"]
        from_top_after = (1 - page[key]["y"]) * page["height"]
        assert from_top_after == pytest.approx(from_top_before)


def test_selected_commune_stays_outlined_on_its_page(slides, figs, tv):
    pages = slides.chart_pages(tv.shares_chart(BOURG, "01053"))
    outline = [p for p in pages for t in p.figure["data"]
               if t["name"].startswith("Sélection") and t["y"]]
    assert len(outline) == 1 and outline[0].number == 1
    ticks = outline[0].figure["layout"]["yaxis"]["ticktext"]
    assert "<b>▶ Bourg-en-Bresse</b>" in ticks


def test_calendar_is_split_by_commune_and_small_charts_are_not(slides, figs, tv):
    calendar = slides.chart_pages(tv.timeline_chart(CLERMONT))
    assert len(calendar) == 2
    communes = [set(y for t in p.figure["data"] for y in t["y"]) for p in calendar]
    assert [len(c) for c in communes] == [8, 8]
    (nine,) = slides.chart_pages(tv.timeline_chart(AURILLAC))  # fits: not split
    assert len({y for t in nine.figure["data"] for y in t["y"]}) == 9
    assert nine.count == 1 and nine.indicator == "calendrier-programmes"
    assert (nine.figure["layout"]["width"], nine.figure["layout"]["height"]) == (960, 540)
    assert all(len(t["y"]) == len(t["textposition"]) for p in calendar
               for t in p.figure["data"])
    (single,) = slides.chart_pages(tv.map_chart(ANNONAY))
    assert single.indicator == "carte-taux-logements-sociaux" and single.count == 1
    assert single.figure["layout"]["height"] == 540
    # The map's outlines are shared with the cached chart, not copied.
    assert single.figure["data"][1]["geojson"] is tv.map_chart(ANNONAY).figure["data"][1][
        "geojson"]


def test_profile_pages_cover_every_chart_of_the_view(slides):
    pages = slides.profile_pages(ANNONAY, None, (BOURG,))
    assert [p.key for p in pages if p.number == 1] == ["chiffres", "parts", "carte",
                                                       "calendrier", "bailleurs",
                                                       "comparaison", "programmes"]
    for page in pages:  # every page is a 16:9 slide
        assert (page.figure["layout"]["width"], page.figure["layout"]["height"]) == (960, 540)
    assert len({p.indicator for p in pages}) == len(pages)
    assert slides.profile_pages(ANNONAY, None, (BOURG,)) is pages  # memoized on codes


def test_print_pages_fit_an_a4_page(slides, figs, tv):
    assert slides.needs_print_pages(tv.shares_chart(BOURG))
    assert not slides.needs_print_pages(tv.map_chart(BOURG))
    pages = slides.print_pages(BOURG, "parts")
    assert len(pages) == 2
    for page in pages:
        assert page.figure["layout"]["width"] == slides.PRINT_WIDTH
        assert page.figure["layout"]["height"] == slides.PRINT_HEIGHT


def test_any_chart_of_the_view_gets_slides_and_empty_ones_none(slides, tv, monkeypatch):
    """A chart added to `profile_charts` (the commune block) gets its slide without a
    list of keys; a chart that only says there is nothing to draw gets none."""
    from dashboard.data import store
    from dashboard.views.chart import Chart

    extra = Chart("commune", "territoire-graph-commune", "ma-commune",
                  {"data": [{"type": "bar", "x": [1], "y": ["a"]}],
                   "layout": {"height": 400, "meta": {"title": "Ma commune"}}}, "Résumé.")
    real = tv.profile_charts
    monkeypatch.setattr(tv, "profile_charts", lambda *a, **k: [*real(*a, **k), extra])
    store.reset()
    try:
        pages = slides.profile_pages(PORTES)
        keys = [p.key for p in pages]
        empty = [c.key for c in slides.empty_charts(PORTES)]
        assert "bailleurs" in empty and "parts" not in empty
        assert "commune" in keys and not set(empty) & set(keys)
        assert slides.is_empty(tv.engagement_chart(PORTES).figure)
        assert not slides.is_empty(tv.engagement_chart(BOURG).figure)
    finally:
        monkeypatch.undo()
        store.reset()


def test_key_figures_slide_has_the_programme_counts_like_with_like(slides):
    page = slides.key_page(ANNONAY)
    assert page.key == "chiffres" and page.indicator == "chiffres-cles"
    layout = page.figure["layout"]
    assert (layout["width"], layout["height"]) == (960, 540)
    assert layout["meta"]["title"] == "Chiffres clés"
    cells = [a["text"] for a in layout["annotations"] if a.get("name") == "cellule"]
    for label in ("Population", "Part de logements sociaux", "Communes en Action Cœur de Ville",
                  "Communes en Petites villes de demain", "Communes en ORT signée",
                  "Communes soumises à la loi SRU", "Bailleurs engagés"):
        assert label in cells, label
    # Counts with their share of the department, shares with the gap in points.
    assert "50\u202f761" in cells
    assert "334\u202f231 (soit 15,2\u00a0%)" in cells
    assert "15,5\u00a0%" in cells and "9,2\u00a0% (+6,2\u00a0pts)" in cells
    # Every row fits above the source line.
    rows = [a["y"] for a in layout["annotations"] if a.get("name") == "cellule"]
    assert min(rows) > 0


def test_programme_table_slides_split_when_long(slides):
    from dashboard.export import key_slides
    from dashboard.views import territoire as tv

    (page,) = slides.programme_pages(ANNONAY)
    cells = [a["text"] for a in page.figure["layout"]["annotations"]
             if a.get("name") == "cellule"]
    assert "Annonay" in cells and "Charnas" in cells
    assert page.title == "Communes de programme : état d'avancement"
    rows = tv.programme_rows(CLERMONT) * 3
    figures = key_slides.programme_figures(rows, "X")
    assert len(figures) >= 2
    chunks = key_slides.paginate(rows, key_slides.PROGRAMME_COLUMNS, key_slides.table_room())
    assert sum(len(c) for c in chunks) == len(rows)
    assert max(len(c) for c in chunks) - min(len(c) for c in chunks) <= 1
    for fig in figures:
        assert min(a["y"] for a in fig["layout"]["annotations"]
                   if a.get("name") == "cellule") > 0
    assert key_slides.programme_figures([], "X") == []


def _notes(page) -> str:
    return " ".join(a.get("text", "") for a in page.figure["layout"].get("annotations", ()))


def test_exported_slides_carry_the_official_facts(slides):
    """What the exporter renders (the ZIP, the camera): hatched SRU bars with their note,
    "objectif SRU non applicable ici" where no commune is subject, PVD adhesion dates."""
    from dashboard.figures import territoire as figs

    parts = [p for p in slides.profile_pages(AURILLAC) if p.key == "parts"]
    hatched = [t for p in parts for t in p.figure["data"] if t.get("name") == figs.SRU_LABEL]
    assert hatched and all(t["marker"]["pattern"]["shape"] == "/" for t in hatched)
    assert sum(len(t["y"]) for t in hatched) == 3  # the 3 subject communes, once each
    assert all("Hachures : commune soumise" in _notes(p).replace("<br>", " ") for p in parts)
    none = [p for p in slides.profile_pages(PORTES) if p.key == "parts"]
    assert all("Objectif SRU non applicable ici" in _notes(p) for p in none)
    assert not [t for p in none for t in p.figure["data"] if t.get("name") == figs.SRU_LABEL]
    (calendar,) = [p for p in slides.profile_pages(AURILLAC) if p.key == "calendrier"]
    (pvd,) = [t for t in calendar.figure["data"]
              if t["name"] == "Adhésion à Petites villes de demain"]
    assert set(pvd["text"]) == {"15/09/2021"} and len(pvd["y"]) == 7
    # The presentation draws the same facts, in larger type, its notes under the slide.
    from dashboard.export import presentation

    shown = [s for s in presentation.presentation_slides(PORTES) if s.page.key == "parts"]
    assert all("Objectif SRU non applicable ici" in s.notes[0] for s in shown)
    assert all(a["font"]["size"] >= presentation.FONT
               for s in shown for a in s.page.figure["layout"]["annotations"] if "font" in a)
