"""Layout of the territory profile under the picker: key figures, charts, tables,
export buttons (what `pages/territoire.py` shows for checked codes).

Everything here is laid out from what `views.territoire` returns; the whole
content of one view is memoised on codes (`store.memo`), since the router
rebuilds the layout at each URL change.
"""

from __future__ import annotations

import datetime as dt
import uuid

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import registry
from dashboard.components import cards, chart, messages, picker
from dashboard.components.cards import Comparison
from dashboard.components.regions import scroll_region
from dashboard.data import sources, store
from dashboard.data.bailleurs import ENGAGED_FROM
from dashboard.export import slides
from dashboard.export.territoire import PIXELS
from dashboard.figures import territoire as figs
from dashboard.formatting import fmt_date, fmt_int, fmt_pct, plural
from dashboard.french import capitalize
from dashboard.views import territoire as tv
from dashboard.views import territoire_faits as faits
from dashboard.views.chart import Chart

PATH = "/territoire"
PREFIX = "territoire"
EXPORT_LABEL = "Exporter les graphiques (ZIP)"


# --- key figures --------------------------------------------------------------------------------

def _share_comparisons(p: dict, key: str) -> list[Comparison]:
    value = p["epci"][key]
    return [
        Comparison(p["departement_nom"], fmt_pct(p["departement_totals"][key]),
                   figs.fmt_points(value - p["departement_totals"][key])),
        Comparison(p["region_nom"], fmt_pct(p["region_totals"][key]),
                   figs.fmt_points(value - p["region_totals"][key])),
    ]


def _count_comparisons(p: dict, key: str) -> list[Comparison]:
    return [Comparison(p["departement_nom"], fmt_int(p["departement_totals"][key])),
            Comparison(p["region_nom"], fmt_int(p["region_totals"][key]))]


PROGRAMME_KPIS = tuple((p.total, p.key.split()[0].lower(), f"Communes en {p.label}")
                       for p in registry.PROGRAMMES)
"""(count key of `aggregate.totals`, card id suffix, label) of each programme's card."""
RPLS = sources.BY_KEY["rpls"]
PRODUCERS = ", ".join(dict.fromkeys(sources.BY_KEY[p.source].producer
                                    for p in registry.PROGRAMMES))


def _sru_card(f: dict):
    n = f["communes_sru_soumises"]
    note = (capitalize(faits.sru_detail(f)) + "." if n
            else "Objectif SRU non applicable ici.")
    return cards.kpi_card("Communes soumises à la loi SRU", fmt_int(n),
                          note=f"{note} {faits.SRU_SOURCE}.",
                          card_id=f"{PREFIX}-kpi-sru")


def _fact_items(lines: list[tuple[str, str, str | None]], prefix: str) -> list[html.Li]:
    return [html.Li([text, html.Span(f" ({source})", className="text-muted small")
                     if source else None], id=f"{prefix}-{key}") for key, text, source in lines]


def _facts(f: dict) -> html.Ul:
    """The official facts of the EPCI, each with its source."""
    return html.Ul(_fact_items(faits.fact_lines(f), f"{PREFIX}-fait"),
                   id=f"{PREFIX}-faits", className="territoire-faits")


def _commune_block(code: str) -> html.Div:
    """The selected commune: legal SRU rate beside its RPLS share, split status,
    population trend, density and centrality."""
    c = tv.cached_commune_context(code)
    return html.Div([
        html.H3(f"Commune sélectionnée : {c['nom']}", className="h5"),
        html.Ul(_fact_items(faits.commune_lines(c), f"{PREFIX}-commune-selectionnee")),
    ], id=f"{PREFIX}-commune-selectionnee", className="territoire-commune mb-3")


def kpi_rows(p: dict, engagement: dict | None, demo: bool,
             facts: dict | None = None) -> list:
    """The key figures of the EPCI, each beside its department and region."""
    t = p["epci"]
    n = t["nb_communes"]
    estimated = p["communes_estimees"]
    rp_note = (f"Estimées pour {plural(estimated, 'commune')} sur "
               f"{fmt_int(n)} (absentes du recensement)." if estimated else
               "Mesurées pour " + ("la commune" if n == 1 else f"les {fmt_int(n)} communes")
               + " (recensement 2021).")
    split = (facts or {}).get("communes_ancienne_commune", 0)
    if split:
        rp_note += (f" {plural(split, 'commune issue', 'communes issues')} d'une scission : "
                    "données disponibles pour l'ancienne commune seulement.")
    def card_id(key: str) -> str:
        return f"{PREFIX}-kpi-{key}"
    first = [
        cards.kpi_card("Population", fmt_int(t["population"]),
                       _count_comparisons(p, "population"),
                       note=plural(n, "commune"),
                       card_id=card_id("population")),
        cards.kpi_card("Résidences principales", fmt_int(t["residences_principales"]),
                       _count_comparisons(p, "residences_principales"), note=rp_note,
                       card_id=card_id("residences")),
        cards.kpi_card("Logements sociaux", fmt_int(t["logements_sociaux"]),
                       _count_comparisons(p, "logements_sociaux"),
                       note=f"Parc des bailleurs sociaux ({RPLS.title} {RPLS.vintage}).",
                       card_id=card_id("logements")),
        cards.kpi_card("Part de logements sociaux", fmt_pct(t["taux_logements_sociaux"]),
                       _share_comparisons(p, "taux_logements_sociaux"),
                       note="Pour 100 résidences principales ; ce n'est pas le taux légal SRU.",
                       card_id=card_id("taux")),
    ]
    second = [cards.kpi_card(label, fmt_int(t[key]), _count_comparisons(p, key),
                             card_id=card_id(slug))
              for key, slug, label in PROGRAMME_KPIS]
    if engagement is None:
        landlords = cards.kpi_card("Bailleurs engagés", "n.d.",
                                   note="Fichier d'engagement des bailleurs illisible.",
                                   card_id=card_id("bailleurs"))
    else:
        note = (f"Sur {plural(engagement['communes_programme'], 'commune')} de programme, "
                f"dès « {ENGAGED_FROM} ».")
        if demo:
            note = "Données de démonstration (bailleurs fictifs). " + note
        landlords = cards.kpi_card(
            "Bailleurs engagés", fmt_int(engagement["bailleurs_engages"]),
            [Comparison(p["departement_nom"],
                        fmt_int(engagement["bailleurs_engages_departement"])),
             Comparison(p["region_nom"], fmt_int(engagement["bailleurs_engages_region"]))],
            note=note, card_id=card_id("bailleurs"))
    third = [*([_sru_card(facts)] if facts is not None else []),
        cards.kpi_card("Population en commune de programme",
                       fmt_pct(t["part_population_programme"]),
                       _share_comparisons(p, "part_population_programme"),
                       note=f"{plural(t['communes_programme'], 'commune')} en "
                            f"{registry.enumeration()}.",
                       card_id=card_id("population-programme")),
        landlords,
    ]
    return [cards.kpi_row(first, row_id=f"{PREFIX}-kpi-logement"),
            cards.kpi_row(second, row_id=f"{PREFIX}-kpi-programmes"),
            cards.kpi_row(third, row_id=f"{PREFIX}-kpi-autres")]


def _straddle_note(p: dict) -> str | None:
    if not p["a_cheval"]:
        return None
    parts = ", ".join(f"{d['departement_nom']} ({fmt_pct(d['part_population'])} de la "
                      "population)" for d in p["departements"])
    return (f"Intercommunalité à cheval sur {len(p['departements'])} départements : {parts}. "
            f"Les comparaisons se font avec le département qui en rassemble la plus grande "
            f"part : {p['departement_nom']}.")


# --- the profile ----------------------------------------------------------------------------------

def _print_pages(c: Chart, codes: tuple) -> html.Div:
    """A4 pages of a chart too tall for one printed page: laid out off screen (so plotly
    measures its labels) and shown instead of the chart by assets/print.css."""
    pages = slides.print_pages(codes[0], c.key, codes[1], codes[2])
    graphs = [html.Div(dcc.Graph(
        id=f"{c.graph_id}-impression-{p.number}", figure=p.figure,
        config={"staticPlot": True, "displayModeBar": False, "responsive": False},
        style={"width": f"{slides.PRINT_WIDTH}px", "height": f"{slides.PRINT_HEIGHT}px"}),
        className="print-page") for p in pages]
    return html.Div([*graphs, html.P(c.summary, className="chart-summary")],
                    className="print-pages", **{"aria-hidden": "true"})


def _chart_card(c: Chart, territory: str, day: dt.date, codes: tuple | None = None):
    """The chart card; with `codes` (epci, commune, compare) a tall chart also gets its
    A4 print pages."""
    if codes is None or not slides.needs_print_pages(c):
        return chart.chart_card(c.graph_id, c.figure, c.config(territory, day),
                                c.summary)
    card = chart.chart_card(c.graph_id, c.figure, c.config(territory, day),
                            c.summary, className="print-replaced")
    return html.Div([card, _print_pages(c, codes)])


def _programme_table(siren: str) -> html.Div:
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


def _comparison_table(codes: tuple[str, ...]) -> html.Div:
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


def _section(title: str, section_id: str, children: list) -> html.Section:
    heading = f"{section_id}-titre"
    return html.Section(
        [html.H2(title, id=heading, className="h4 territoire-section-title"),
         *[c for c in children if c is not None]],
        id=section_id, className="territoire-section", **{"aria-labelledby": heading})


@store.memo(maxsize=256)
def _content(epci: str, commune: str | None, compare: tuple[str, ...], day: dt.date) -> html.Div:
    p = tv.cached_profile(epci)
    facts = tv.cached_facts(epci)
    name = p["nom"]
    engagements = store.engagements()
    charts = {c.key: c for c in tv.profile_charts(epci, commune, compare)}
    codes = (epci, commune, compare)
    straddle = _straddle_note(p)
    intro = [
        html.P([f"{fmt_int(p['epci']['nb_communes'])} communes, département de comparaison : "
                f"{p['departement_nom']} ({p['departement']}), région {p['region_nom']}. "
                f"SIREN {p['siren']}."], className="territoire-intro mb-1"),
    ]
    if straddle:
        intro.append(html.P(straddle, className="territoire-straddle mb-1",
                            id=f"{PREFIX}-a-cheval"))
    sections = [
        html.Div(intro, className="mb-3"),
        _section("Chiffres clés", f"{PREFIX}-chiffres",
                 [*kpi_rows(p, tv.cached_engagement(epci), engagements.demo, facts),
                  _facts(facts), _commune_block(commune) if commune else None]),
        _section("Logement social par commune", f"{PREFIX}-communes", [dbc.Row([
            dbc.Col(_chart_card(charts["parts"], name, day, codes), xs=12, lg=7),
            dbc.Col(html.Div(_chart_card(charts["carte"], name, day),
                             className="territoire-map-sticky"), xs=12, lg=5),
        ])]),
        _section("Programmes de revitalisation", f"{PREFIX}-programmes", [
            _programme_table(epci),
            _chart_card(charts["calendrier"], name, day, codes),
        ]),
        _section("Engagement des bailleurs sociaux", f"{PREFIX}-bailleurs", [
            messages.demo_banner(f"{PREFIX}-bandeau-demo") if engagements.demo else None,
            dbc.Alert(engagements.error, color="warning") if engagements.error else None,
            _chart_card(charts["bailleurs"], name, day, codes),
        ]),
    ]
    if "comparaison" in charts:
        sections.append(_section("Comparaison avec d'autres intercommunalités",
                                 f"{PREFIX}-comparaison", [
            _chart_card(charts["comparaison"], name, day),
            _comparison_table((epci, *compare)),
        ]))
    return html.Div(sections, id=f"{PREFIX}-profil")


def profile_content(epci: str, commune: str | None = None,
                    compare: tuple[str, ...] | list[str] = ()) -> html.Div:
    """Everything under the picker for checked codes (memoized: the router rebuilds the
    layout at each URL change). For benchmarks and the page."""
    others = tuple(c for c in compare if c != epci)[:tv.MAX_OTHERS]
    return _content(epci, commune, others, dt.date.today())


def invitation() -> html.Div:
    return html.Div(
        [html.P("Choisissez une intercommunalité (EPCI) ci-dessus pour afficher son profil : "
                "logement social de ses communes, programmes de revitalisation, engagement des "
                "bailleurs sociaux.", className="lead"),
         html.P("La recherche accepte le nom ou le code SIREN ; le département restreint la "
                "liste. Une commune peut ensuite être mise en évidence.",
                className="text-muted")],
        id=f"{PREFIX}-invitation", className="territoire-invitation",
    )


def view_search(view: tv.View, departement: str | None, mode: str | None = None) -> str:
    return picker.territory_search(view.epci, view.commune, list(view.compare),
                                   departement=departement, mode=mode)


def actions(view: tv.View, departement: str | None) -> html.Div:
    """Meeting and export buttons of a profile (hidden in print)."""
    presentation = dash.get_relative_path(PATH) + view_search(view, departement, tv.PRESENTATION)
    return html.Div([
        html.Div([
            dbc.Button(EXPORT_LABEL, id=f"{PREFIX}-export-zip", color="primary", outline=True,
                       title=f"Tous les graphiques de ce profil en images PNG de {PIXELS} "
                             "pixels (16:9), dans un fichier ZIP"),
            dbc.Button("Imprimer / PDF", id=f"{PREFIX}-imprimer", color="primary",
                       outline=True, title="Document A4 du profil (impression ou PDF)"),
            dcc.Link("Mode présentation", href=presentation, id=f"{PREFIX}-mode-presentation",
                     className="btn btn-outline-primary",
                     title="Plein écran, un graphique par écran, touches ← → pour avancer"),
        ], className="d-flex flex-wrap gap-2"),
        html.Div([
            html.Div([
                html.Span("Export en cours : ", className="me-1"),
                html.Span("Démarrage…", id=f"{PREFIX}-export-etat", className="fw-semibold",
                          **{"aria-live": "polite"}),
                dbc.Button("Annuler l'export", id=f"{PREFIX}-export-annuler", color="secondary",
                           outline=True, size="sm", className="ms-auto", disabled=True),
            ], className="d-flex align-items-center gap-2 mb-1"),
            dbc.Progress(id=f"{PREFIX}-export-barre", value=0, max=1, label="",
                         style={"height": "1.25rem"}),
        ], id=f"{PREFIX}-export-progression", className="export-progress mt-2 d-none",
           role="group", **{"aria-label": "Progression de l'export des graphiques"}),
        dcc.Store(id=f"{PREFIX}-export-jeton", data=uuid.uuid4().hex),
        dcc.Download(id=f"{PREFIX}-export-download"),
        html.Div(id=f"{PREFIX}-export-message", role="status"),
    ], className="territoire-actions mb-3")


def print_header(name: str, day: dt.date) -> html.Div:
    """Shown only in print (assets/print.css): what the document is, and when."""
    return html.Div([
        html.P("AURA-HLM — Logement social et revitalisation des centres-villes",
               className="print-header-site mb-0"),
        html.P(f"Profil de territoire : {name} — imprimé le {fmt_date(day)}",
               className="print-header-title mb-0"),
    ], className="print-only print-header", id=f"{PREFIX}-entete-impression")

