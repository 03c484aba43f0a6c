"""The selected commune's block of the territory profile (`?commune=INSEE`)."""

from __future__ import annotations

from dash import html

from dashboard.views import territoire as tv
from dashboard.views import territoire_faits as faits

from .territoire_base import PREFIX
from .territoire_chiffres import _fact_items


def commune_block(code: str) -> html.Div:
    """The selected commune: legal SRU rate beside its RPLS share, split status,
    population trend, density and centrality."""
    c = tv.cached_commune_context(code)
    return html.Div([
        html.H3(f"Commune sélectionnée : {c['nom']}", className="h5"),
        html.Ul(_fact_items(faits.commune_lines(c), f"{PREFIX}-commune-selectionnee")),
    ], id=f"{PREFIX}-commune-selectionnee", className="territoire-commune mb-3")


