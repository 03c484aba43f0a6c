"""The profile of one EPCI: `/territoire?epci=SIREN[&commune=INSEE][&compare=SIREN,SIREN]`.

What an adviser projects in a meeting and a mayor opens for their territory:
key figures beside the department and the region, the share of social housing
of each commune (bars and map), the programmes and their calendar, the
landlords' engagement, and a comparison with up to three other EPCI.

The URL holds the view: a choice in the picker navigates to a new URL and the
router rebuilds the layout, so `layout` only checks the codes and asks for the
memoized `profile_content`. Codes from the URL are untrusted: checked by
`territories`, and any refusal is a French message (plain text) with a way back.

Meetings and exports: "Exporter les graphiques (ZIP)" renders every chart of
the view as 16:9 PNG on the server (`dashboard.export`), as a background job
(`dashboard.jobs`) with a progress bar and a cancel button; "Imprimer / PDF" prints
an A4 document (assets/print.css; charts too tall for a page are printed as
A4 pages of the chart, `slides.print_pages`); `?mode=presentation` shows one
chart per screen in large type (assets/presentation.css and .js: ←/→,
PageUp/PageDown), and the picker keeps the mode while it is on.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import parse_qs

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import jobs
from dashboard.app_factory import TITLE
from dashboard.components import cards, chart, messages, picker
from dashboard.components.cards import Comparison
from dashboard.components.regions import scroll_region
from dashboard.data import profile, territories
from dashboard.export import slides
from dashboard.export.png import ExportUnavailable
from dashboard.export.profile import PIXELS, Progress, build_profile_zip
from dashboard.figures import territoire as figs
from dashboard.figures.common import EXPORT_HEIGHT, EXPORT_WIDTH, graph_config
from dashboard.formatting import fmt_date, fmt_int, fmt_pct

PATH = "/territoire"
PREFIX = "territoire"
IDS = picker.ids(PREFIX)
MAX_OTHERS = territories.MAX_COMPARE - 1
"""Other EPCI that can be compared with the profile's one (four in all)."""
MAX_ITEMS = 12
"""Items of `?compare=` looked at, at most (a long list is cut, not parsed)."""
PRESENTATION = "presentation"
"""`?mode=presentation`: one chart per screen, large type, for a projector."""
EXPORT_LABEL = "Exporter les graphiques (ZIP)"

dash.register_page(
    __name__,
    path=PATH,
    name="Territoire",
    title=f"Profil d'un territoire — {TITLE}",
    description="Profil d'une intercommunalité : logement social, programmes de "
                "revitalisation, engagement des bailleurs.",
)


# --- the view asked for by the URL ------------------------------------------------------------

class View(NamedTuple):
    """Checked codes of a URL and the French sentences explaining what was refused.

    (A NamedTuple, not a dataclass: Dash pages runs this module before it is in
    `sys.modules`, which dataclasses need.)
    """

    epci: str | None
    commune: str | None
    compare: tuple[str, ...]
    departement: str | None
    problems: tuple[str, ...]


def _departements_of(siren: str) -> set[str]:
    return {d["departement"] for d in profile.cached_profile(siren)["departements"]}


def _commune_epci(code: str) -> str | None:
    siren = territories.commune_index().at[code, "epci_siren"]
    return None if siren is None or siren != siren else str(siren)


def check_view(epci: object = None, commune: object = None, compare: object = None,
               departement: object = None) -> View:
    """Check the query values of a `/territoire` URL (all untrusted)."""
    problems: list[str] = []
    found = territories.check_epci(epci)
    if found.error:
        problems.append(found.error)
    siren = found.code

    chosen = None
    found = territories.check_commune(commune)
    if found.error:
        problems.append(found.error)
    elif found.code:
        home = _commune_epci(found.code)
        if siren is None and epci is None and home:
            siren = home  # ?commune=07010 alone: the profile of its EPCI
        if home == siren:
            chosen = found.code
        elif siren:
            name = territories.commune_index().at[found.code, "nom"]
            problems.append(
                f"La commune {name} ({found.code}) n'appartient pas à "
                f"{territories.epci_names()[siren]} : elle n'est pas mise en évidence.")

    others: list[str] = []
    if compare is not None:
        items = compare if isinstance(compare, list | tuple) else str(compare).split(",")
        items = [i for i in (str(x).strip() for x in list(items)[:MAX_ITEMS]) if i]
        for item in items:
            found = territories.check_epci(item)
            if found.error:
                problems.append(found.error)
            elif found.code and found.code != siren and found.code not in others:
                others.append(found.code)
        if len(others) > MAX_OTHERS:
            problems.append(
                f"Au plus {territories.MAX_COMPARE} intercommunalités peuvent être comparées "
                f"(celle du profil et {MAX_OTHERS} autres) : les suivantes sont ignorées.")
            others = others[:MAX_OTHERS]

    found = territories.check_departement(departement)
    if found.error:
        problems.append(found.error)
    return View(siren, chosen, tuple(others) if siren else (), found.code, tuple(problems))


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


PROGRAMME_KPIS = (
    ("communes_acv", "acv", "Communes Action Cœur de Ville"),
    ("communes_pvd", "pvd", "Communes Petites villes de demain"),
    ("communes_ami_centres_bourgs", "ami", "Communes lauréates de l'AMI centres-bourgs (2014)"),
    ("ort_signees", "ort", "Communes avec une ORT signée"),
)


def kpi_rows(p: dict, engagement: dict | None, demo: bool) -> list:
    """The key figures of the EPCI, each beside its department and region."""
    t = p["epci"]
    n = t["nb_communes"]
    estimated = p["communes_estimees"]
    rp_note = (f"Estimées pour {fmt_int(estimated)} commune{'s' if estimated > 1 else ''} sur "
               f"{fmt_int(n)} (absentes du recensement)." if estimated else
               f"Mesurées pour les {fmt_int(n)} communes (recensement 2021).")
    def card_id(key: str) -> str:
        return f"{PREFIX}-kpi-{key}"
    first = [
        cards.kpi_card("Population", fmt_int(t["population"]),
                       _count_comparisons(p, "population"),
                       note=f"{fmt_int(n)} commune{'s' if n > 1 else ''}",
                       card_id=card_id("population")),
        cards.kpi_card("Résidences principales", fmt_int(t["residences_principales"]),
                       _count_comparisons(p, "residences_principales"), note=rp_note,
                       card_id=card_id("residences")),
        cards.kpi_card("Logements sociaux", fmt_int(t["logements_sociaux"]),
                       _count_comparisons(p, "logements_sociaux"),
                       note="Parc des bailleurs sociaux (RPLS au 1er janvier 2024).",
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
        note = (f"Sur {fmt_int(engagement['communes_programme'])} commune(s) de programme, dès "
                f"« partenaire de la convention ».")
        if demo:
            note = "Données de démonstration (bailleurs fictifs). " + note
        landlords = cards.kpi_card(
            "Bailleurs engagés", fmt_int(engagement["bailleurs_engages"]),
            [Comparison(p["departement_nom"],
                        fmt_int(engagement["bailleurs_engages_departement"])),
             Comparison(p["region_nom"], fmt_int(engagement["bailleurs_engages_region"]))],
            note=note, card_id=card_id("bailleurs"))
    third = [
        cards.kpi_card("Population en commune de programme",
                       fmt_pct(t["part_population_programme"]),
                       _share_comparisons(p, "part_population_programme"),
                       note=f"{fmt_int(t['communes_programme'])} commune(s) en ACV, PVD, AMI "
                            "centres-bourgs ou ORT signée.",
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

def _print_pages(c: figs.Chart, codes: tuple) -> html.Div:
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


def _chart_card(c: figs.Chart, territory: str, day: dt.date, codes: tuple | None = None):
    """The chart card; with `codes` (epci, commune, compare) a tall chart also gets its
    A4 print pages."""
    if codes is None or not slides.needs_print_pages(c):
        return chart.chart_card(c.graph_id, c.figure, figs.chart_config(c, territory, day),
                                c.summary)
    card = chart.chart_card(c.graph_id, c.figure, figs.chart_config(c, territory, day),
                            c.summary, className="print-replaced")
    return html.Div([card, _print_pages(c, codes)])


def _programme_table(siren: str) -> html.Div:
    rows = profile.programme_display(profile.cached_programme_communes(siren))
    if not rows:
        return html.P("Aucune commune de cette intercommunalité n'est dans un programme de "
                      "revitalisation (ACV, PVD, AMI centres-bourgs 2014, ORT signée).",
                      className="territoire-empty")
    head = ["Commune", "Programme(s)", "Phase ACV", "Convention ACV", "ORT",
            "Actions ACV"]
    keys = ["commune", "programmes", "acv_phase", "acv_convention", "ort", "actions"]
    return scroll_region(dbc.Table(
        [html.Caption("Communes de programme : état d'avancement (ANCT, DGALN, CGET)."),
         html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
         html.Tbody([html.Tr([html.Th(r[keys[0]], scope="row"),
                              *[html.Td(r[k]) for k in keys[1:]]]) for r in rows])],
        id=f"{PREFIX}-table-programmes", striped=True, hover=False, size="sm",
        className="territoire-table",
    ), "Communes de programme")


def _comparison_table(codes: tuple[str, ...]) -> html.Div:
    table = profile.cached_comparison(codes)
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


@lru_cache(maxsize=256)
def _content(epci: str, commune: str | None, compare: tuple[str, ...], day: dt.date) -> html.Div:
    p = profile.cached_profile(epci)
    name = p["nom"]
    engagements = profile.load_engagements()
    charts = {c.key: c for c in figs.profile_charts(epci, commune, compare)}
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
                 kpi_rows(p, profile.cached_engagement(epci), engagements.demo)),
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
    others = tuple(c for c in compare if c != epci)[:MAX_OTHERS]
    return _content(epci, commune, others, dt.date.today())


def _invitation() -> html.Div:
    return html.Div(
        [html.P("Choisissez une intercommunalité (EPCI) ci-dessus pour afficher son profil : "
                "logement social de ses communes, programmes de revitalisation, engagement des "
                "bailleurs sociaux.", className="lead"),
         html.P("La recherche accepte le nom ou le code SIREN ; le département restreint la "
                "liste. Une commune peut ensuite être mise en évidence.",
                className="text-muted")],
        id=f"{PREFIX}-invitation", className="territoire-invitation",
    )


def _is_presentation(mode: object) -> bool:
    first = mode[0] if isinstance(mode, list | tuple) and mode else mode
    return first == PRESENTATION


def _view_search(view: View, departement: str | None, mode: str | None = None) -> str:
    return picker.territory_search(view.epci, view.commune, list(view.compare),
                                   departement=departement, mode=mode)


def _actions(view: View, departement: str | None) -> html.Div:
    """Meeting and export buttons of a profile (hidden in print)."""
    presentation = dash.get_relative_path(PATH) + _view_search(view, departement, PRESENTATION)
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


def _print_header(name: str, day: dt.date) -> html.Div:
    """Shown only in print (assets/print.css): what the document is, and when."""
    return html.Div([
        html.P("AURA-HLM — Logement social et revitalisation des centres-villes",
               className="print-header-site mb-0"),
        html.P(f"Profil de territoire : {name} — imprimé le {fmt_date(day)}",
               className="print-header-title mb-0"),
    ], className="print-only print-header", id=f"{PREFIX}-entete-impression")


def layout(epci: object = None, commune: object = None, compare: object = None,
           departement: object = None, mode: object = None, **_other: object):
    """The page for the query values of the URL (untrusted, checked here)."""
    view = check_view(epci, commune, compare, departement)
    name = territories.epci_names()[view.epci] if view.epci else None
    departement = view.departement
    if departement and view.epci and departement not in _departements_of(view.epci):
        departement = None  # a filter of the EPCI list that would hide the chosen EPCI
    problem = None
    if view.problems:
        back = PATH + picker.territory_search(view.epci) if view.epci else PATH
        problem = messages.problem(
            "Adresse incomplète ou erronée", view.problems,
            back_href=dash.get_relative_path(back),
            back_label=(f"Revenir au profil de {name}" if name
                        else "Choisir une intercommunalité"),
            alert_id=f"{PREFIX}-message")
    if view.epci and _is_presentation(mode):
        return presentation_layout(view, departement, problem)
    children = []
    if name:
        children.append(_print_header(name, dt.date.today()))
    children += [
        html.H1(name or "Profil d'un territoire", className="h2 mt-4 mb-2",
                id=f"{PREFIX}-titre"),
        html.Div(picker.territory_picker(PREFIX, departement=departement, epci=view.epci,
                                         commune=view.commune, compare=list(view.compare),
                                         with_compare=True),
                 className="territoire-picker mb-3"),
    ]
    if problem is not None:
        children.append(problem)
    if view.epci:
        children.append(_actions(view, departement))
    children.append(profile_content(view.epci, view.commune, view.compare) if view.epci
                    else _invitation())
    return dbc.Container(children, fluid="xl", className="territoire-page pb-5")


# --- presentation mode: one chart per screen --------------------------------------------------

def _slide(children: list, number: int, count: int, label: str, className: str = ""
           ) -> html.Section:
    return html.Section(
        children, id=f"{PREFIX}-diapo-{number}",
        className=f"presentation-slide {className}".strip()
                  + (" is-active" if number == 1 else ""),
        **{"aria-roledescription": "diapositive", "aria-label": f"{number} sur {count} : {label}",
           "data-slide": str(number)})


def _graph_slide(page: slides.Page, territory: str, day: dt.date, number: int,
                 count: int) -> html.Section:
    # No toolbar on a projected slide (the ZIP export gives the same 16:9 images).
    config = {**graph_config(page.indicator, territory, day), "responsive": False,
              "displayModeBar": False}
    graph = dcc.Graph(id=f"{page.graph_id}-diapo-{page.number}", figure=page.figure,
                      config=config, className="presentation-graph-plot",
                      style={"width": f"{EXPORT_WIDTH}px", "height": f"{EXPORT_HEIGHT}px"})
    return _slide([html.Div(html.Div(graph, className="presentation-graph-inner"),
                            className="presentation-graph"),
                   html.P(page.summary, className="chart-summary presentation-summary")],
                  number, count, page.title, "presentation-chart")


@lru_cache(maxsize=64)
def _presentation_slides(epci: str, commune: str | None, compare: tuple[str, ...],
                         day: dt.date) -> tuple[html.Section, ...]:
    p = profile.cached_profile(epci)
    pages = slides.profile_pages(epci, commune, compare)
    count = len(pages) + 1
    rows = kpi_rows(p, profile.cached_engagement(epci), profile.load_engagements().demo)
    first = _slide([html.H2("Chiffres clés", className="presentation-slide-title"),
                    rows[0], rows[2]], 1, count, "Chiffres clés", "presentation-kpis")
    return (first, *[_graph_slide(page, p["nom"], day, i, count)
                     for i, page in enumerate(pages, start=2)])


def presentation_layout(view: View, departement: str | None,
                        problem: dbc.Alert | None = None) -> html.Div:
    """The profile as slides: key figures, then one chart (page) per screen with its
    summary. assets/presentation.js moves between them (←/→, PageUp/PageDown)."""
    name = territories.epci_names()[view.epci]
    others = tuple(c for c in view.compare if c != view.epci)[:MAX_OTHERS]
    content = _presentation_slides(view.epci, view.commune, others, dt.date.today())
    count = len(content)
    leave = dash.get_relative_path(PATH) + _view_search(view, departement)
    switcher = html.Details([
        html.Summary("Changer de territoire", className="btn btn-outline-light"),
        html.Div(picker.territory_picker(PREFIX, departement=departement, epci=view.epci,
                                         commune=view.commune, compare=list(view.compare),
                                         with_compare=True),
                 className="presentation-picker-panel"),
    ], className="presentation-picker", id=f"{PREFIX}-presentation-territoire")
    bar = html.Div([
        html.Div([
            html.H1(name, id=f"{PREFIX}-titre", className="presentation-title"),
            html.Span(f"1 / {count}", id=f"{PREFIX}-presentation-compteur",
                      className="presentation-counter", **{"aria-live": "polite"}),
        ], className="presentation-heading"),
        html.Div([
            html.Button("← Précédent", id=f"{PREFIX}-presentation-precedent", type="button",
                        className="btn btn-outline-light presentation-prev",
                        title="Diapositive précédente (← ou Page préc.)", disabled=True),
            html.Button("Suivant →", id=f"{PREFIX}-presentation-suivant", type="button",
                        className="btn btn-outline-light presentation-next",
                        title="Diapositive suivante (→ ou Page suiv.)", disabled=count < 2),
            switcher,
            dcc.Link("Quitter la présentation", href=leave,
                     id=f"{PREFIX}-quitter-presentation",
                     className="btn btn-light presentation-leave"),
        ], className="presentation-controls"),
    ], className="presentation-bar")
    stage = html.Div(list(content), className="presentation-stage",
                     id=f"{PREFIX}-presentation-diapos")
    children = [bar]
    if problem is not None:
        children.append(html.Div(problem, className="presentation-problem"))
    children += [stage, html.P("← → ou Page préc. / Page suiv. : changer de diapositive ; "
                               "Échap : quitter la présentation.",
                               className="presentation-help mb-0")]
    return html.Div(children, id=f"{PREFIX}-presentation", className="presentation-mode",
                    role="region", **{"aria-label": f"Présentation : {name}",
                                      "data-view": _view_search(view, departement)})


# --- navigation: a choice changes the URL -------------------------------------------------------

picker.register_picker(PREFIX)


def target_search(epci: object, commune: object, compare: object, departement: object = None,
                  epci_changed: bool = False, mode: str | None = None
                  ) -> tuple[str | None, list[str]]:
    """The query string of the view chosen in the picker, and the compared EPCI kept.

    None when there is no EPCI to show. Changing the EPCI drops the commune; a
    commune of another EPCI is dropped; at most three other EPCI are kept;
    `mode="presentation"` is kept in the query string.
    """
    siren = territories.check_epci(epci).code
    if siren is None:
        return None, []
    code = None if epci_changed else territories.check_commune(commune).code
    if code and _commune_epci(code) != siren:
        code = None
    others: list[str] = []
    values = compare if isinstance(compare, list | tuple) else ([compare] if compare else [])
    for value in values[:MAX_ITEMS]:
        other = territories.check_epci(value).code
        if other and other != siren and other not in others:
            others.append(other)
    others = others[:MAX_OTHERS]
    dep = territories.check_departement(departement).code
    if dep and dep not in _departements_of(siren):
        dep = None
    mode = PRESENTATION if mode == PRESENTATION else None
    return picker.territory_search(siren, code, others, departement=dep, mode=mode), others


def query_values(search: str | None) -> dict[str, str | list[str]]:
    """The query string as Dash pages hands it to `layout` (one value, or a list)."""
    parsed = parse_qs((search or "").removeprefix("?"), keep_blank_values=True)
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


def navigation(epci: object, commune: object, compare: object, departement: object,
               current_search: str | None):
    """(href or no_update, compared EPCI or no_update) for the picker's values.

    Compared with the view of the current URL: when the page is rendered the
    picker's values fire this callback too (its output, the shell's Location, is
    not part of the new content), and then they are the URL's view: nothing to do,
    so a French message about the URL stays on screen.
    """
    if not isinstance(compare, list | tuple):  # a multi-dropdown's value, untrusted
        compare = [compare] if isinstance(compare, str) and compare else []
    query = query_values(current_search)
    current = check_view(**{k: v for k, v in query.items()
                            if k in ("epci", "commune", "compare", "departement")})
    values = (epci or None, commune or None, list(compare or []))
    if values == (current.epci, current.commune, list(current.compare)):
        return no_update, no_update
    search, others = target_search(
        epci, commune, compare, departement, epci_changed=epci != current.epci,
        mode=PRESENTATION if _is_presentation(query.get("mode")) else None)
    if search is None:
        return no_update, no_update
    href = no_update if search == (current_search or "") else (
        dash.get_relative_path(PATH) + search)
    kept = no_update if list(compare or []) == others else others
    return href, kept


@callback(
    Output("url", "href", allow_duplicate=True),
    Output(IDS["compare"], "value"),
    Input(IDS["epci"], "value"),
    Input(IDS["commune"], "value"),
    Input(IDS["compare"], "value"),
    State(IDS["departement"], "value"),
    State("url", "search"),
    prevent_initial_call=True,
)
def _navigate(epci, commune, compare, departement, search):
    return navigation(epci, commune, compare, departement, search)


# --- export of every chart as PNG (ZIP), as a background job ---------------------------------

def _alert(message: str) -> dbc.Alert:
    return dbc.Alert(message, color="warning", id=f"{PREFIX}-export-alerte",
                     className="mt-2 mb-0")


def _download(built: dict) -> dict:
    """`dcc.Download` data (as `dcc.send_bytes` makes it) from a memoised ZIP."""
    return {"content": built["content"], "filename": built["filename"], "type": None,
            "base64": True}


def _done_message(built: dict):
    images = built["images"]
    text = (f"{built['filename']} : {fmt_int(images)} image{'s' if images > 1 else ''} PNG "
            f"de {PIXELS} pixels et un index.")
    failed = built.get("failed") or []
    if not failed:
        return html.Span(text, className="d-block mt-2 text-muted")
    names = ", ".join(f"« {t} »" for t in failed)
    return dbc.Alert(
        f"{text} {fmt_int(len(failed))} graphique{'s' if len(failed) > 1 else ''} n'"
        f"{'ont' if len(failed) > 1 else 'a'} pas pu être produit{'s' if len(failed) > 1 else ''}"
        f" sur le serveur et {'sont absents' if len(failed) > 1 else 'est absent'} du ZIP "
        f"(voir l'index) : {names}.", color="warning", id=f"{PREFIX}-export-alerte",
        className="mt-2 mb-0")


def export_zip(search: str | None, progress: Progress | None = None, *,
               render: Callable[..., bytes] | None = None,
               store: jobs.ResultStore | None = None) -> tuple:
    """(dcc.Download data or no_update, message) for the view of the URL's query string.

    Runs in the background job. The codes are checked again here (never trusted from
    the client). `progress(done, total)` follows the images. The ZIP of a view is
    memoised for the day in the job store (`store`, default `jobs.result_store()`). A
    failing chart is left out (the message and the index say so); a server without
    Chromium, or no image at all, gives a French message in the page, not an error.
    """
    query = query_values(search)
    view = check_view(**{k: v for k, v in query.items()
                         if k in ("epci", "commune", "compare", "departement")})
    if view.epci is None:
        return no_update, _alert("Choisissez d'abord une intercommunalité : l'export "
                                 "concerne les graphiques de son profil.")
    day = dt.date.today()
    store = jobs.result_store() if store is None else store
    key = jobs.memo_key("zip", view.epci, view.commune or "", ",".join(view.compare),
                        day.isoformat())
    built = store.get(key)
    if built is None:
        with jobs.render_slot(key):
            built = store.get(key)  # made by another job while this one waited?
            if built is None:
                try:
                    result = build_profile_zip(view.epci, day, render, commune=view.commune,
                                               compare=view.compare, progress=progress)
                except ExportUnavailable as err:
                    return no_update, _alert(str(err))
                built = {"filename": result.filename, "images": result.images,
                         "failed": list(result.failed),
                         "content": base64.b64encode(result.data).decode("ascii")}
                store.set(key, built)
                return _download(built), _done_message(built)
    if progress is not None:
        total = built["images"] + len(built.get("failed") or [])
        progress(total, total)
    return _download(built), _done_message(built)


def progress_values(done: int, total: int) -> tuple[int, int, str, str]:
    """The progress bar's value, maximum, label, and the visible text "3 / 9 images"."""
    text = f"{fmt_int(done)} / {fmt_int(total)} image{'s' if total > 1 else ''}"
    return done, max(total, 1), text, text


@callback(
    Output(f"{PREFIX}-export-download", "data"),
    Output(f"{PREFIX}-export-message", "children"),
    Input(f"{PREFIX}-export-zip", "n_clicks"),
    State("url", "search"),
    State(f"{PREFIX}-export-jeton", "data"),
    background=True,
    manager=jobs.manager(),
    interval=500,
    prevent_initial_call=True,
    running=[(Output(f"{PREFIX}-export-zip", "disabled"), True, False),
             (Output(f"{PREFIX}-export-zip", "children"), "Préparation des images…",
              EXPORT_LABEL),
             (Output(f"{PREFIX}-export-progression", "className"), "export-progress mt-2",
              "export-progress mt-2 d-none"),
             (Output(f"{PREFIX}-export-annuler", "disabled"), False, True)],
    progress=[Output(f"{PREFIX}-export-barre", "value"),
              Output(f"{PREFIX}-export-barre", "max"),
              Output(f"{PREFIX}-export-barre", "label"),
              Output(f"{PREFIX}-export-etat", "children")],
    progress_default=[0, 1, "", "Démarrage…"],
    cancel=[Input(f"{PREFIX}-export-annuler", "n_clicks")],
)
def _export_zip(set_progress, n_clicks, search, _token):
    """The ZIP export, in a job process (embedded queue) or a Celery worker. `_token`
    (one per page) keeps two pages exporting the same view from sharing one job."""
    if not n_clicks:
        return no_update, no_update

    def report(done: int, total: int) -> None:
        jobs.raise_if_cancelled()
        set_progress(progress_values(done, total))

    with jobs.job_scope():
        return export_zip(search, report)
