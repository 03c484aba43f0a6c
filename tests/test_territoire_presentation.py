"""The presentation mode's heading (pages/territoire_presentation.py), without a browser."""

from __future__ import annotations

from dashboard.pages.territoire_presentation import presentation_layout
from dashboard.views import territoire as tv

ANNONAY = "200072015"


def _heading(layout) -> tuple[str, str]:
    """The h1's text and the region's label of a presentation layout."""
    bar = layout.children[0]
    title = bar.children[0].children[0]
    assert title.id == "territoire-titre"
    return title.children, layout.to_plotly_json()["props"]["aria-label"]


def test_heading_names_the_commune_like_the_profile_page(dashboard_app) -> None:
    view = tv.View(ANNONAY, "07010", (), None, ())
    assert _heading(presentation_layout(view, None)) == (
        "Annonay — CA Annonay Rhône Agglo", "Présentation : Annonay — CA Annonay Rhône Agglo")


def test_heading_without_a_commune_is_the_epci(dashboard_app) -> None:
    view = tv.View(ANNONAY, None, (), None, ())
    assert _heading(presentation_layout(view, None)) == (
        "CA Annonay Rhône Agglo", "Présentation : CA Annonay Rhône Agglo")
