"""The territory picker (components/picker.py) as plain functions, on the committed
commune table (COG 2026: 12 departments, 172 EPCI)."""

from __future__ import annotations

from dash import dcc, html

from dashboard.components import picker
from tests.layout_tools import by_id, components

ANNONAY = "200072015"  # CA Annonay Rhône Agglo, Ardèche, 29 communes


def _labels(layout) -> dict[str, str]:
    """`for` -> text of every label."""
    return {c.htmlFor: c.children for c in components(layout) if isinstance(c, html.Label)}


def test_ids_are_prefixed_by_the_page():
    assert picker.ids("territoire") == {
        "departement": "territoire-departement",
        "epci": "territoire-epci",
        "commune": "territoire-commune",
        "compare": "territoire-comparer",
    }


def test_full_picker_labels_point_at_their_dropdowns():
    layout = picker.territory_picker("essai", departement="07", epci=ANNONAY, commune="07010",
                                     compare=["200071413"], with_compare=True)
    props = layout.to_plotly_json()["props"]
    assert props["className"] == "territory-picker"
    assert (props["role"], props["aria-label"]) == ("search", "Choix du territoire")
    assert _labels(layout) == {
        "essai-departement": "Département",
        "essai-epci": "Intercommunalité (EPCI)",
        "essai-commune": "Commune (facultatif)",
        "essai-comparer": "Comparer avec (jusqu'à 3 autres intercommunalités)",
    }
    dropdowns = [c for c in components(layout) if isinstance(c, dcc.Dropdown)]
    assert [d.id for d in dropdowns] == ["essai-departement", "essai-epci", "essai-commune",
                                         "essai-comparer"]


def test_picker_is_filled_from_the_url_codes():
    layout = picker.territory_picker("essai", departement="07", epci=ANNONAY, commune="07010",
                                     compare=["200071413"], with_compare=True)
    dep, epci, commune, compare = (by_id(layout, f"essai-{k}") for k in
                                   ("departement", "epci", "commune", "comparer"))
    # 12 departments, and the Rhône's two halves after the Rhône (69D, 69M).
    assert dep.value == "07" and len(dep.options) == 14
    assert dep.options[2] == {"label": "Ardèche (07)", "value": "07"}
    rhone = [o["value"] for o in dep.options].index("69")
    assert dep.options[rhone + 1:rhone + 3] == [
        {"label": "Rhône (hors Métropole de Lyon) (69D)", "value": "69D"},
        {"label": "Métropole de Lyon (69M)", "value": "69M"}]
    assert dep.placeholder == "Tous les départements"
    # The EPCI list is narrowed to the department.
    assert epci.value == ANNONAY and len(epci.options) == 19
    assert epci.options[0] == {"label": "CA Annonay Rhône Agglo (200072015)", "value": ANNONAY}
    assert epci.clearable is False
    assert commune.value == "07010" and len(commune.options) == 29
    assert commune.options[0] == {"label": "Annonay (07010)", "value": "07010"}
    # Comparison: any EPCI of the region, several at once.
    assert compare.multi is True and compare.value == ["200071413"]
    assert len(compare.options) == 172
    assert compare.labels["selected_count"] == "{num_selected} intercommunalités"


def test_picker_without_commune_or_compare():
    layout = picker.territory_picker("bailleurs", with_commune=False)
    assert set(_labels(layout)) == {"bailleurs-departement", "bailleurs-epci"}
    epci = by_id(layout, "bailleurs-epci")
    assert epci.value is None and len(epci.options) == 172
    assert epci.placeholder == "Choisir une intercommunalité"


def test_picker_without_epci_has_no_communes_yet():
    commune = by_id(picker.territory_picker("essai"), "essai-commune")
    assert commune.options == [] and commune.value is None


def test_dropdown_texts_are_french_without_parenthesised_plurals():
    for labels in (picker.DROPDOWN_LABELS, picker.COMPARE_LABELS):
        assert labels["search"] == "Rechercher par nom ou par code"
        assert labels["no_options_found"] == "Aucun résultat"
        assert not any("(s)" in text for text in labels.values())
    assert picker.DROPDOWN_LABELS["selected_count"] == "{num_selected} choix"


def test_epci_choices_narrow_to_a_department_and_ignore_a_bad_one():
    assert len(picker.epci_choices("07")) == 19
    assert len(picker.epci_choices(None)) == 172
    assert len(picker.epci_choices("75")) == 172  # not in the region: every EPCI
    assert len(picker.epci_choices("<script>")) == 172


def test_commune_choices_of_an_epci_and_of_a_bad_code():
    communes = picker.commune_choices(ANNONAY)
    assert len(communes) == 29 and communes[0]["value"] == "07010"
    assert picker.commune_choices(None) == []
    assert picker.commune_choices("123456789") == []
    assert picker.commune_choices("abc") == []


def test_territory_search_known_answers():
    assert picker.territory_search(None) == ""
    assert picker.territory_search(ANNONAY) == "?epci=200072015"
    assert picker.territory_search(ANNONAY, "07010") == "?epci=200072015&commune=07010"
    # The territory itself is not compared with itself; commas stay readable.
    assert picker.territory_search(ANNONAY, compare=[ANNONAY, "200071413", "200073096"]) == \
        "?epci=200072015&compare=200071413,200073096"
    assert picker.territory_search(ANNONAY, mode="presentation", vide=None) == \
        "?epci=200072015&mode=presentation"
