"""French messages (components/messages.py) and scrollable regions (components/regions.py)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.messages import demo_banner, problem
from dashboard.components.regions import scroll_region
from tests.layout_tools import components


def _text(node) -> str:
    parts = []
    for c in components(node):
        if isinstance(c.children, str):
            parts.append(c.children)
        elif isinstance(c.children, list | tuple):
            parts += [x for x in c.children if isinstance(x, str)]
    return " ".join(parts)


def test_problem_says_what_is_wrong_and_offers_a_way_back():
    alert = problem("Intercommunalité inconnue",
                    ["Aucune intercommunalité de la région ne porte le code 123456789.",
                     "Choisissez-en une dans la liste."])
    assert isinstance(alert, dbc.Alert)
    assert (alert.id, alert.color) == ("message-erreur", "warning")
    title, first, second, rule, link = alert.children
    assert isinstance(title, html.H2) and title.children == "Intercommunalité inconnue"
    assert "alert-heading" in title.className
    assert [first.children, second.children] == [
        "Aucune intercommunalité de la région ne porte le code 123456789.",
        "Choisissez-en une dans la liste."]
    assert isinstance(rule, html.Hr)
    assert isinstance(link, dcc.Link)
    assert (link.href, link.children) == ("/", "Revenir à la vue régionale")


def test_problem_with_its_own_way_back_and_id():
    alert = problem("Paramètre non valide", ["Le seuil doit être un nombre entier."],
                    back_href="/programmes", back_label="Revenir aux programmes",
                    alert_id="alerte-programmes")
    assert alert.id == "alerte-programmes"
    link = alert.children[-1]
    assert (link.href, link.children) == ("/programmes", "Revenir aux programmes")


def test_demo_banner_says_the_landlords_are_fictitious():
    banner = demo_banner()
    assert isinstance(banner, dbc.Alert)
    assert (banner.id, banner.color, banner.className) == ("bandeau-demo", "danger",
                                                           "demo-banner")
    strong = banner.children[0]
    assert isinstance(strong, html.Strong)
    assert strong.children == "Données de démonstration. "
    text = _text(banner)
    assert "fictifs" in text and "Méthode et sources" in text
    assert demo_banner("territoire-bandeau-demo").id == "territoire-bandeau-demo"


def test_scroll_region_is_a_named_focusable_region():
    table = html.Table(html.Tr(html.Td("1")))
    region = scroll_region(table, "Communes de l'intercommunalité", className="mb-3")
    props = region.to_plotly_json()["props"]
    assert region.children is table
    assert props["className"] == "table-responsive mb-3"
    assert props["tabIndex"] == "0"
    assert props["role"] == "region"
    assert props["aria-label"] == "Communes de l'intercommunalité"
    assert scroll_region(table, "x").className == "table-responsive"
