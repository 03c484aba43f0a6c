"""Tables of the territory profile: the programme communes and the comparison."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import registry
from dashboard.components.regions import scroll_region
from dashboard.data import sources
from dashboard.formatting import fmt_int, fmt_pct
from dashboard.views import territoire as tv

from .territoire_base import PREFIX

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


def comparison_table(codes: tuple[str, ...]) -> html.Div:
    table = tv.cached_comparison(codes)
    head = ["Territoire", "Part de logements sociaux", "Population en commune de programme",
            "Communes de programme", "Taux d'engagement des bailleurs"]
    body = []
    for rec in table.to_dict("records"):
        name = f"{rec['nom']} (région)" if rec["region"] else rec["nom"]
        body.append(html.Tr([
            html.Th(name, scope="row"), html.Td(fmt_pct(rec["taux_logements_sociaux"])),
            html.Td(fmt_pct(rec["part_population_programme"])),
            html.Td(f"{fmt_int(rec['communes_programme'])} sur {fmt_int(rec['nb_communes'])}"),
            html.Td(fmt_pct(rec["taux_engagement"])),
        ], className="territoire-row-region" if rec["region"] else None))
    return scroll_region(dbc.Table(
        [html.Thead(html.Tr([html.Th(h, scope="col") for h in head])), html.Tbody(body)],
        id=f"{PREFIX}-table-comparaison", striped=True, size="sm",
        className="territoire-table"), "Comparaison des territoires")


