"""16:9 slide pages and A4 print pages of the profile charts (pure functions, no browser)."""

from __future__ import annotations

import copy

import pytest

ANNONAY = "200072015"
BOURG = "200071751"  # 74 communes: the bar chart needs several slides
CLERMONT = "246300701"  # 16 communes with a dated ORT: the calendar needs several slides


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
    assert len(calendar) == 3
    communes = [set(y for t in p.figure["data"] for y in t["y"]) for p in calendar]
    assert sum(len(c) for c in communes) == 16
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
    assert [p.key for p in pages if p.number == 1] == ["parts", "carte", "calendrier",
                                                       "bailleurs", "comparaison"]
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
