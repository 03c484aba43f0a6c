"""Presentation slides (dashboard/export/presentation.py): slide size, text floor, the
caption lifted out of the chart, nothing of the commune block left out."""

from __future__ import annotations

from dashboard.export import presentation as pr
from dashboard.export import slides
from dashboard.views import commune as commune_view

ANNONAY = "200072015"
BOURG = "200071751"


def _fonts(node: object) -> list[float]:
    if isinstance(node, dict):
        found = [v["size"] for k, v in node.items()
                 if k in slides.FONT_KEYS and isinstance(v, dict)
                 and isinstance(v.get("size"), int | float)]
        return found + [s for k, v in node.items() if k != "geojson" for s in _fonts(v)]
    if isinstance(node, list):
        return [s for item in node for s in _fonts(item)]
    return []


def test_every_slide_is_small_and_its_text_at_least_the_floor():
    shown = pr.presentation_slides(ANNONAY, "07010", (BOURG,))
    keys = [s.page.key for s in shown]
    assert keys[0] == "commune" and keys[-1] == slides.PROGRAMME_TABLE
    assert {"parts", "carte", "calendrier", "bailleurs", "comparaison"} <= set(keys)
    for slide in shown:
        layout = slide.page.figure["layout"]
        assert (layout["width"], layout["height"]) == (pr.WIDTH, pr.HEIGHT), slide.page.title
        assert min(_fonts(slide.page.figure)) >= pr.FONT, slide.page.title
        # Notes and source are under the slide, not in it.
        names = {a.get("name") for a in layout.get("annotations", ())}
        assert not names & {"note", "source"}, slide.page.title
        assert slide.notes and slide.notes[-1], slide.page.title  # the source, last
    # 1280×720: 18 px once scaled.
    assert pr.FONT * pr.MIN_SCALE == 18


def test_the_caption_is_plain_text_and_the_bottom_margin_shrinks():
    chart = next(c for c in slides.tv.profile_charts(ANNONAY) if c.key == "parts")
    figure, notes = pr.lift_caption(chart.figure)
    assert notes[0].startswith("Hachures : commune soumise")
    assert notes[-1].startswith("Sources : SDES, RPLS")
    assert all("<br>" not in n for n in notes)
    assert figure["layout"]["margin"]["b"] < chart.figure["layout"]["margin"]["b"]
    assert chart.figure["layout"]["annotations"]  # the shared figure is untouched


def test_the_commune_block_is_whole_over_its_slides():
    shown = [s for s in pr.presentation_slides(ANNONAY, "07010") if s.page.key == "commune"]
    assert [s.page.title for s in shown] == [
        f"Annonay (07010) — Ma commune ({n}/{len(shown)})" for n in range(1, len(shown) + 1)]
    left, right = commune_view.slide_pairs(commune_view.commune_profile("07010"))
    labels = [a["text"] for s in shown for a in s.page.figure["layout"]["annotations"]
              if a.get("name") == "label"]
    assert len(labels) == len(left) + len(right)  # nothing left out, nothing cut
    values = " ".join(a["text"] for s in shown for a in s.page.figure["layout"]["annotations"]
                      if a.get("name") == "value")
    assert "…" not in values


def test_the_exported_slides_are_unchanged():
    # The ZIP's pages stay 960×540 with their source inside.
    page = slides.profile_pages(ANNONAY)[1]
    assert (page.figure["layout"]["width"], page.figure["layout"]["height"]) == (960, 540)
    assert any(a.get("name") == "source" for a in page.figure["layout"]["annotations"])


CLERMONT = "246300701"  # 21 communes, 16 in a programme


def test_a_wide_heat_map_gets_steeper_names_and_a_colour_bar_line_per_level():
    (first, *_) = [s for s in pr.presentation_slides(CLERMONT) if s.page.key == "bailleurs"]
    layout = first.page.figure["layout"]
    assert layout["xaxis"]["tickangle"] == pr.STEEP_ANGLE
    (heat,) = [t for t in first.page.figure["data"] if t.get("colorbar")]
    bar = heat["colorbar"]
    assert bar["lenmode"] == "pixels"
    assert bar["len"] >= len(bar["ticktext"]) * pr.FONT * 1.5  # a line per level


def test_close_map_names_are_thinned_and_the_first_kept():
    chart = next(c for c in slides.tv.profile_charts(CLERMONT) if c.key == "carte")
    (names,) = [t for t in chart.figure["data"] if t.get("name") == "Noms des communes"]
    (slide,) = [s for s in pr.presentation_slides(CLERMONT) if s.page.key == "carte"]
    (shown,) = [t for t in slide.page.figure["data"] if t.get("name") == "Noms des communes"]
    assert shown["text"][0] == names["text"][0] == "Clermont-Ferrand"
    assert 1 <= len(shown["text"]) < len(names["text"])
    assert len(shown["lon"]) == len(shown["lat"]) == len(shown["text"])


def test_the_share_legend_is_at_the_side_and_pages_hold_more_rows():
    shown = [s for s in pr.presentation_slides(ANNONAY) if s.page.key == "parts"]
    layout = shown[0].page.figure["layout"]
    assert layout["legend"]["orientation"] == "v"
    assert layout["margin"]["t"] == pr.SIDE_LEGEND_TOP
    assert len(shown) == 3  # 21 communes shown with the 3 reference bars on each


def test_split_pages_keep_each_bar_label_template():
    # A per-bar texttemplate ("" for a label moved past its SRU target) follows its bar.
    for page in slides.profile_pages(CLERMONT):
        for trace in page.figure["data"]:
            template = trace.get("texttemplate")
            if isinstance(template, list):
                assert len(template) == len(trace["y"]), page.title


def test_the_programme_table_cells_stay_in_their_columns():
    from dashboard.export import key_slides

    rows = slides.tv.programme_rows(CLERMONT)
    for figure in key_slides.programme_figures(rows, "Clermont", pr.WIDTH, pr.HEIGHT,
                                               caption=True):
        cells = [a for a in figure["layout"]["annotations"] if a.get("name") == "cellule"]
        assert min(a["font"]["size"] for a in cells) >= key_slides.PRESENTATION_TABLE_FONT
        assert not [a for a in figure["layout"]["annotations"] if a.get("name") == "source"]
