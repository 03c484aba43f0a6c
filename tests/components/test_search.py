"""The territory search box (components/search.py) as plain functions, on the committed
commune table."""

from __future__ import annotations

import dash
import pytest
from dash import dcc, html, no_update

from dashboard.components import search as component
from dashboard.data import search
from tests.layout_tools import by_id, components

LANGEAC = "Langeac (43112) — CC des Rives du Haut Allier"


def test_layout_is_labelled_and_ships_no_option():
    layout = component.search_bar("essai")
    props = layout.to_plotly_json()["props"]
    assert props["className"] == "territory-search"
    assert (props["role"], props["aria-labelledby"]) == ("search", "essai-recherche-libelle")
    (label,) = [c for c in components(layout) if isinstance(c, html.Label)]
    assert label.children == "Rechercher une commune ou une intercommunalité"
    assert (label.htmlFor, label.id) == ("essai-recherche", "essai-recherche-libelle")
    dropdown = by_id(layout, "essai-recherche")
    assert isinstance(dropdown, dcc.Dropdown)
    assert dropdown.options == [] and dropdown.value is None
    assert dropdown.searchable is True and dropdown.search_order == "original"
    assert dropdown.placeholder == "Nom, code INSEE ou SIREN"
    assert dropdown.labels["no_options_found"] == (
        "Aucun résultat. Essayez un nom, un code INSEE ou un SIREN.")
    assert "(s)" not in str(layout.to_plotly_json())


def test_options_for_what_was_typed():
    options = component.options_for("saint etienne", None)
    assert len(options) == search.MAX_RESULTS
    assert options[0] == {
        "label": "Saint-Étienne (42218) — Saint-Étienne Métropole",
        "value": "commune:42218",
        "search": "saint etienne 42218 saint etienne",
    }
    assert options[1]["value"] == "epci:244200770"
    assert component.options_for("langeac", None)[0]["label"] == LANGEAC


def test_options_keep_what_was_typed_so_the_browser_keeps_them():
    # Dash's dropdown filters again by the typed words (no accent folding): every word
    # typed is in each option's search text.
    for typed in ("st etienne", "SAINT-ÉTIENNE", "larbresle"):
        for opt in component.options_for(typed, None):
            assert all(word in opt["search"].lower() for word in typed.lower().split())


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_nothing_typed_keeps_the_choice_only(typed):
    assert component.options_for(typed, None) == []
    (kept,) = component.options_for(typed, "commune:43112")
    assert kept["value"] == "commune:43112" and kept["label"] == LANGEAC
    assert component.options_for(typed, "commune:<script>") == []


def test_no_result():
    assert component.options_for("xyzzy", None) == []
    assert component.options_for("43300", None) == []  # a postcode


def test_destination(monkeypatch):
    monkeypatch.setattr(dash, "get_relative_path", lambda path: "/base" + path)
    assert component.destination("commune:43112") == (
        "/base/territoire?epci=200073393&commune=43112")
    assert component.destination("epci:200072015") == "/base/territoire?epci=200072015"
    for untrusted in (None, "", "commune:99999", "epci:43112", "javascript:alert(1)", 3, ["x"]):
        assert component.destination(untrusted) is no_update

