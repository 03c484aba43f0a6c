"""French 404 page (Dash pages shows the module named not_found_404)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

dash.register_page(__name__, title="Page introuvable — AURA-HLM", name="Page introuvable")


def layout(**_query) -> dbc.Container:
    return dbc.Container(
        [
            html.H1("Page introuvable", className="h2 mt-4"),
            html.P("Cette adresse ne correspond à aucune page du tableau de bord. "
                   "Le lien est peut-être incomplet ou la page a été déplacée."),
            dcc.Link("Retour à l'accueil", href=dash.get_relative_path("/"),
                     className="btn btn-primary"),
        ],
        fluid="lg",
    )
