"""The glossary (dashboard/glossary.py) and its "ⓘ" (dashboard/components/glossary.py):
known answers, and every KPI label of every page has a definition."""

from __future__ import annotations

import re

import dash
import pytest
from dash import html

from dashboard import glossary, registry
from dashboard.components.glossary import info, label_info, term
from dashboard.data.bailleurs import ENGAGED_FROM
from dashboard.data.build import SRU_MIN_COMMUNE
from dashboard.data.official import SRU_TARGETS
from dashboard.data.sources import BY_KEY as SOURCES
from dashboard.formatting import fmt_int
from tests.layout_tools import components, text

ANNONAY = "200072015"
QUERIES = ({}, {"epci": ANNONAY}, {"epci": ANNONAY, "commune": "07010"})
"""Queries under which each page's layout is scanned (the profile needs an EPCI)."""
REQUIRED = ("ACV", "PVD", "AMI", "ORT", "QPV", "EPCI", "SRU", "RPLS", "Villages d'avenir")
ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")


def _classes(node) -> list[str]:
    return (getattr(node, "className", "") or "").split()


# --- the glossary ------------------------------------------------------------------------

def test_the_issue_terms_are_defined():
    for name in REQUIRED:
        entry = glossary.entry_for(name)
        assert entry is not None, name
        assert entry.definition


def test_every_definition_is_one_french_sentence():
    for entry in glossary.ENTRIES:
        d = entry.definition
        assert d[0].isupper() and d.endswith("."), entry.key
        assert not re.search(r"[.!?] [A-ZÀ-Ý]", d), f"{entry.key}: more than one sentence"
        assert "(s)" not in d and "  " not in d
        assert len(d) <= 320, entry.key


def test_names_are_unique_across_entries():
    names = [glossary.normalise(n) for e in glossary.ENTRIES for n in e.names]
    assert len(names) == len(set(names))
    assert len(glossary.BY_KEY) == len(glossary.ENTRIES)


def test_numbers_come_from_the_code_and_carry_a_source():
    sru = glossary.BY_KEY["sru"]
    assert f"d'au moins {fmt_int(SRU_MIN_COMMUNE)} habitants" in sru.definition
    for rate in SRU_TARGETS.values():
        assert f"{fmt_int(rate)}\u00a0%" in sru.definition
    assert sru.source == f"Source : {SOURCES['sru'].citation}."
    assert SOURCES["ami"].vintage in glossary.BY_KEY["ami"].definition
    assert glossary.BY_KEY["rpls"].source == f"Source : {SOURCES['rpls'].citation}."
    assert registry.enumeration() in glossary.BY_KEY["communes-programme"].definition
    assert f"« {ENGAGED_FROM} »" in glossary.BY_KEY["bailleurs-engages"].definition
    for entry in glossary.ACRONYMS:
        if re.search(r"\d", entry.definition):
            assert entry.source, entry.key


@pytest.mark.parametrize(("label", "keys"), [
    ("Part de logements sociaux", ["part-logements-sociaux"]),
    ("taux de logements sociaux", ["part-logements-sociaux"]),
    ("Engagement des bailleurs (démonstration)", ["engagement-bailleurs"]),
    ("Communes en Action Coeur de Ville", ["acv"]),
    ("Communes en Action Cœur de Ville", ["acv"]),
    ("Communes en ORT signée", ["ort"]),
    ("Communes en AMI centres-bourgs 2014", ["ami"]),
    ("Taux SRU et QPV de l'EPCI", ["qpv", "epci", "sru"]),
    ("Villages d’avenir", ["villages-avenir"]),
    ("Classement des intercommunalités", []),  # a plural is not the word "intercommunalité"
    ("Sortie", []),
    ("Portrait", []),  # "ORT" inside a word is not the acronym
])
def test_definitions_for_known_labels(label, keys):
    assert [e.key for e in glossary.definitions_for(label)] == keys


def test_sentence_spells_out_the_acronym():
    assert glossary.sentence(glossary.BY_KEY["acv"]).startswith(
        "ACV (Action Cœur de Ville) : programme national de l'État")
    assert glossary.sentence(glossary.BY_KEY["population"]).startswith("Population : nombre")


# --- the ⓘ component ---------------------------------------------------------------------

def test_info_is_a_native_disclosure_named_for_screen_readers():
    details = info("rpls")
    assert isinstance(details, html.Details) and _classes(details) == ["glossary-info"]
    summary, body = details.children
    assert isinstance(summary, html.Summary)
    symbol, name = summary.children
    assert symbol.children == "i"
    assert symbol.to_plotly_json()["props"]["aria-hidden"] == "true"
    assert (name.children, _classes(name)) == ("Définition : RPLS", ["visually-hidden"])
    assert text(body).startswith("RPLS : répertoire des logements locatifs des bailleurs "
                                 "sociaux. Inventaire annuel")
    assert SOURCES["rpls"].citation in text(body)


def test_label_info_gives_every_entry_a_label_names():
    details = label_info("Taux SRU et QPV de l'EPCI")
    assert [p.to_plotly_json()["props"]["data-glossary"]
            for p in components(details) if "glossary-text" in _classes(p)] == [
        "qpv", "epci", "sru"]
    assert "Définition : Taux SRU et QPV de l'EPCI" in text(details)
    assert label_info("Sortie") is None


def test_term_is_the_words_and_their_info():
    span = term("ORT")
    assert span.children[0] == "ORT" and isinstance(span.children[1], html.Details)
    assert term("Sortie").children == ["Sortie"]
    assert "Villages d'avenir" in text(term("nos villages", key="villages-avenir"))


# --- every KPI label of every page --------------------------------------------------------

def _kpi_cards(dashboard_app) -> dict[str, list]:
    """label -> the KPI cards that show it, over every registered page and query."""
    found: dict[str, list] = {}
    for page in dash.page_registry.values():
        for query in QUERIES:
            layout = page["layout"](**query) if callable(page["layout"]) else page["layout"]
            for card in components(layout):
                if "kpi-card" in _classes(card):
                    (label,) = [c for c in components(card) if "kpi-label" in _classes(c)]
                    found.setdefault(text(label), []).append(card)
    return found


def test_every_kpi_label_of_every_page_has_a_definition(dashboard_app):
    cards = _kpi_cards(dashboard_app)
    # The scan sees the pages' key figures (regional, profile, programmes, landlords).
    assert {"Part de logements sociaux", "Communes en Action Cœur de Ville",
            "Bailleurs engagés", "Communes de programme"} <= set(cards)
    for label, shown in cards.items():
        assert glossary.definitions_for(label), f"no definition for the KPI label {label!r}"
        for card in shown:
            assert [c for c in components(card) if "glossary-info" in _classes(c)], label


def test_every_acronym_in_a_kpi_label_is_defined(dashboard_app):
    acronyms = {a for label in _kpi_cards(dashboard_app) for a in ACRONYM.findall(label)}
    assert "ORT" in acronyms and "AMI" in acronyms
    for acronym in acronyms:
        assert glossary.entry_for(acronym) is not None, acronym
