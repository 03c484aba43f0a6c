"""French messages instead of errors: unknown codes, missing data."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html


def problem(title: str, lines: list[str], back_href: str = "/",
            back_label: str = "Revenir à la vue régionale", alert_id: str = "message-erreur"
            ) -> dbc.Alert:
    """An alert that says what is wrong and offers a way back."""
    return dbc.Alert(
        [
            html.H2(title, className="h5 alert-heading"),
            *[html.P(line, className="mb-1") for line in lines],
            html.Hr(),
            dcc.Link(back_label, href=back_href, className="alert-link"),
        ],
        color="warning",
        id=alert_id,
        className="mt-3",
    )


def demo_banner(banner_id: str = "bandeau-demo") -> dbc.Alert:
    """Says that the landlord figures are demonstration data."""
    return dbc.Alert(
        [html.Strong("Données de démonstration. "),
         "Les bailleurs affichés sont fictifs, placés sur les communes réelles des programmes. "
         "Le fichier réel d'AURA-HLM les remplace sans changement de code (voir « Méthode et "
         "sources »)."],
        color="danger", id=banner_id, className="demo-banner",
    )
