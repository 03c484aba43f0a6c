"""KPI cards (dashboard/components/cards.py) as plain functions."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.components.cards import Comparison, kpi_card, kpi_row
from tests.layout_tools import components


def _classes(node) -> list[str]:
    return (getattr(node, "className", "") or "").split()


def _by_class(node, name: str) -> list:
    return [c for c in components(node) if name in _classes(c)]


def test_kpi_card_with_comparisons_and_note():
    card = kpi_card("Part de logements sociaux", "15,4 %",
                    [Comparison("Ardèche", "9,2 %", "+6,2 pts"),
                     Comparison("Région", "16,1 %")],
                    note="Résidences principales du recensement 2021",
                    card_id="territoire-kpi-taux")
    assert isinstance(card, dbc.Card)
    assert card.id == "territoire-kpi-taux"
    assert _classes(card) == ["kpi-card", "h-100"]
    body = card.children
    assert isinstance(body, dbc.CardBody)
    head, value, comparisons, note = body.children
    assert _classes(head) == ["kpi-head"]
    label, info = head.children
    assert isinstance(label, html.H3)  # cards sit under the page's level-2 headings
    assert (label.children, _classes(label)) == ("Part de logements sociaux", ["kpi-label"])
    assert isinstance(info, html.Details) and _classes(info) == ["glossary-info"]
    assert (value.children, _classes(value)) == ("15,4 %", ["kpi-value"])
    assert isinstance(comparisons, html.Ul)
    assert "kpi-comparisons" in _classes(comparisons)
    first, second = comparisons.children
    assert [c.children for c in first.children] == ["Ardèche : ", "9,2 %", " (+6,2 pts)"]
    assert _classes(first.children[0]) == ["kpi-scope"]
    assert _classes(first.children[2]) == ["kpi-diff"]
    # No difference: no empty parentheses.
    assert [c.children for c in second.children if c is not None] == ["Région : ", "16,1 %"]
    assert _by_class(second, "kpi-diff") == []
    assert (note.children, "kpi-note" in _classes(note)) == (
        "Résidences principales du recensement 2021", True)


def test_kpi_card_without_comparisons_or_note_has_only_label_and_value():
    card = kpi_card("Population", "12 345")
    head, value = card.children.children
    assert [head.children[0].children, value.children] == ["Population", "12 345"]
    assert _by_class(card, "kpi-comparisons") == [] and _by_class(card, "kpi-note") == []
    assert card.to_plotly_json()["props"].get("id") is None


def test_kpi_card_takes_a_dict_id():
    card = kpi_card("Population", "12 345", card_id={"type": "kpi", "key": "population"})
    assert card.id == {"type": "kpi", "key": "population"}


def test_kpi_row_lays_cards_out_four_then_two_then_one_per_line():
    cards = [kpi_card(str(i), str(i)) for i in range(4)]
    row = kpi_row(cards, row_id="territoire-kpi-logement")
    assert isinstance(row, dbc.Row)
    assert row.id == "territoire-kpi-logement"
    assert _classes(row) == ["kpi-row"]
    assert len(row.children) == 4
    for col, card in zip(row.children, cards, strict=True):
        assert (col.xs, col.sm, col.lg) == (12, 6, 3)
        assert col.children is card
        assert _classes(col) == ["mb-3"]


def test_kpi_row_with_equal_shares_and_a_page_class():
    row = kpi_row([kpi_card("a", "1")] * 5, className="programmes-kpis", lg=True)
    assert _classes(row) == ["kpi-row", "programmes-kpis"]
    assert {col.lg for col in row.children} == {True}
    assert row.to_plotly_json()["props"].get("id") is None


def test_a_label_the_glossary_knows_gets_its_info_button():
    card = kpi_card("Communes en Action Cœur de Ville", "12")
    (info,) = _by_class(card, "glossary-info")
    assert [c.get("data-glossary") for c in
            (x.to_plotly_json()["props"] for x in _by_class(info, "glossary-text"))] == ["acv"]


def test_a_label_the_glossary_does_not_know_has_no_info_button():
    card = kpi_card("Nombre de réunions", "3")
    head, _value = card.children.children
    assert [type(c).__name__ for c in head.children] == ["H3"]
    assert _by_class(card, "glossary-info") == []


def test_kpi_card_unit_sits_right_under_the_value():
    # The unit ("des résidences principales") belongs to the value: it comes before the
    # comparisons (the SRU line) and the note, never after them.
    card = kpi_card("Part de logements sociaux", "16,4 %",
                    [Comparison("Seuils SRU", "20 % ou 25 % selon la commune")],
                    note="ce n'est pas le taux légal SRU", unit="des résidences principales")
    _head, value, unit, comparisons, note = card.children.children
    assert (value.children, unit.children) == ("16,4 %", "des résidences principales")
    assert _classes(unit) == ["kpi-unit"]
    assert "kpi-comparisons" in _classes(comparisons) and "kpi-note" in _classes(note)
    assert _by_class(kpi_card("Population", "1"), "kpi-unit") == []


def test_a_comparison_without_scope_is_one_phrase():
    card = kpi_card("Population", "50 761",
                    [Comparison("", "soit 15,2 % de la population de l'Ardèche")])
    (item,) = _by_class(card, "kpi-comparisons")[0].children
    assert [c.children for c in item.children if c is not None] == [
        "soit 15,2 % de la population de l'Ardèche"]
    assert _by_class(item, "kpi-scope") == []


def test_swatch_is_a_decorative_colour_square():
    from dashboard.components.cards import swatch

    square = swatch("#fde725")
    assert _classes(square) == ["pastille"]
    assert square.style == {"backgroundColor": "#fde725"}
    assert square.to_plotly_json()["props"]["aria-hidden"] == "true"
