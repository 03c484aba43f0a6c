"""Tables of the territory profile: the programme communes and the comparison."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import registry
from dashboard.components.regions import scroll_region
from dashboard.data import sources
from dashboard.views import territoire as tv
from dashboard.views import territoire_comparaison as tc

from .territoire_base import PREFIX

SOURCE = sources.source_line("rpls", "communes", "sru",
                             *(p.source for p in registry.PROGRAMMES),
                             extra=(sources.LANDLORDS,))
PRODUCERS = ", ".join(dict.fromkeys(sources.BY_KEY[p.source].producer
                                    for p in registry.PROGRAMMES))


def programme_table(siren: str) -> html.Div:
    rows = tv.programme_rows(siren)
    if not rows:
        return html.P("Aucune commune de cette intercommunalité n'est dans un programme de "
                      f"revitalisation ({registry.enumeration()}).",
                      className="territoire-empty")
    head = ["Commune", "Programmes", "Petites villes de demain", "Convention ACV", "ORT",
            "Jalon ORT (18 mois après l'adhésion PVD)", "Actions ACV"]
    keys = ["commune", "programmes", "pvd", "acv_convention", "ort", "jalon", "actions"]
    return scroll_region(dbc.Table(
        [html.Caption(f"Communes de programme : état d'avancement ({PRODUCERS})."),
         html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
         html.Tbody([html.Tr([html.Th(r[keys[0]], scope="row"),
                              *[html.Td(r[k]) for k in keys[1:]]]) for r in rows])],
        id=f"{PREFIX}-table-programmes", striped=True, hover=False, size="sm",
        className="territoire-table",
    ), "Communes de programme")


def key_figures_table(codes: tuple[str, ...]) -> html.Div:
    """The key figures of the compared EPCI and their region, one column each (shown
    just under the heading with `?compare=`)."""
    table = tc.key_figures(codes)
    names = [f"{c.name} (région)" if c.region else c.name for c in table.columns]
    region = [c.region for c in table.columns]

    def cell_class(i: int) -> str | None:
        return "territoire-col-region" if region[i] else None

    head = html.Tr([html.Th("Chiffre clé", scope="col"),
                    *[html.Th(n, scope="col", className=cell_class(i))
                      for i, n in enumerate(names)]])
    body = [html.Tr([html.Th(label, scope="row"),
                     *[html.Td(v, className=cell_class(i)) for i, v in enumerate(values)]])
            for label, values in table.rows]
    return scroll_region(dbc.Table(
        [html.Caption("Chiffres clés des intercommunalités comparées et de leur région "
                      f"({SOURCE})."),
         html.Thead(head), html.Tbody(body)],
        id=f"{PREFIX}-table-comparaison", striped=True, size="sm",
        className="territoire-table territoire-table-chiffres"), "Comparaison des territoires")
