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
from collections.abc import Callable

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, html, no_update

from dashboard import jobs
from dashboard.components import announce, messages, picker
from dashboard.components.search import register_search, search_bar
from dashboard.config import TITLE
from dashboard.data import territories
from dashboard.export.png import ExportUnavailable
from dashboard.export.territoire import PIXELS, Progress, build_profile_zip
from dashboard.formatting import fmt_int, plural
from dashboard.french import of_territory
from dashboard.views import territoire as tv
from dashboard.views.territoire import (  # noqa: F401  (the page's URL checks, for tests)
    MAX_OTHERS,
    PRESENTATION,
    View,
    check_view,
    query_values,
)

from .territoire_commune import commune_heading
from .territoire_presentation import presentation_layout
from .territoire_profil import (
    EXPORT_LABEL,
    PATH,
    PREFIX,
    actions,
    invitation,
    print_header,
    profile_content,
    view_search,
)

IDS = picker.ids(PREFIX)

dash.register_page(
    __name__,
    order=1,
    path=PATH,
    name="Territoire",
    title=f"Profil d'un territoire — {TITLE}",
    description="Profil d'une intercommunalité : logement social, programmes de "
                "revitalisation, engagement des bailleurs.",
)


def layout(epci: object = None, commune: object = None, compare: object = None,
           departement: object = None, mode: object = None, **_other: object):
    """The page for the query values of the URL (untrusted, checked here)."""
    view = check_view(epci, commune, compare, departement)
    name = territories.epci_names()[view.epci] if view.epci else None
    departement = view.departement
    if departement and view.epci and departement not in tv.departements_of(view.epci):
        departement = None  # a filter of the EPCI list that would hide the chosen EPCI
    problem = None
    if view.problems:
        back = PATH + picker.territory_search(view.epci) if view.epci else PATH
        problem = messages.problem(
            "Adresse incomplète ou erronée", view.problems,
            back_href=dash.get_relative_path(back),
            back_label=(f"Revenir au profil {of_territory('epci', name)}" if name
                        else "Choisir une intercommunalité"),
            alert_id=f"{PREFIX}-message")
    announcement = announce.territory_profile(
        view.epci, view.commune, f"{PREFIX}-titre",
        key=view_search(view, departement, PRESENTATION if tv.is_presentation(mode) else None),
    ) if view.epci else None
    if view.epci and tv.is_presentation(mode):
        return html.Div([announcement, presentation_layout(view, departement, problem)])
    children = []
    if name:
        children.append(print_header(name, dt.date.today()))
    children += [
        html.H1(commune_heading(view.commune) if view.commune else (
            name or "Profil d'un territoire"), className="h2 mt-4 mb-2",
                id=f"{PREFIX}-titre"),
        search_bar(PREFIX),
        html.Div(picker.territory_picker(PREFIX, departement=departement, epci=view.epci,
                                         commune=view.commune, compare=list(view.compare),
                                         with_compare=True),
                 className="territoire-picker mb-3"),
    ]
    if problem is not None:
        children.append(problem)
    if view.epci:
        children.append(announcement)
        children.append(actions(view, departement))
    children.append(profile_content(view.epci, view.commune, view.compare) if view.epci
                    else invitation())
    return dbc.Container(children, fluid="xl", className="territoire-page pb-5")


# --- navigation: a choice changes the URL -------------------------------------------------------

picker.register_picker(PREFIX)
register_search(PREFIX)


def target_search(epci: object, commune: object, compare: object, departement: object = None,
                  epci_changed: bool = False, mode: str | None = None
                  ) -> tuple[str | None, list[str]]:
    """The query string of the view chosen in the picker (`views.territoire.target_view`),
    and the compared EPCI kept; None when there is no EPCI to show.
    `mode="presentation"` is kept in the query string."""
    target = tv.target_view(epci, commune, compare, departement, epci_changed)
    if target is None:
        return None, []
    mode = PRESENTATION if mode == PRESENTATION else None
    return view_search(target, target.departement, mode), list(target.compare)


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
    current = tv.view_of_search(current_search)
    values = (epci or None, commune or None, list(compare or []))
    if values == (current.epci, current.commune, list(current.compare)):
        return no_update, no_update
    search, others = target_search(
        epci, commune, compare, departement, epci_changed=epci != current.epci,
        mode=PRESENTATION if tv.is_presentation(query.get("mode")) else None)
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
    text = (f"{built['filename']} : {plural(images, 'image')} PNG "
            f"de {PIXELS} pixels et un index.")
    failed = built.get("failed") or []
    if not failed:
        return html.Span(text, className="d-block mt-2 text-muted")
    names = ", ".join(f"« {t} »" for t in failed)
    n = len(failed)
    verb = plural(n, "n'a pas pu être produit", "n'ont pas pu être produits", number=False)
    absent = plural(n, "est absent", "sont absents", number=False)
    return dbc.Alert(
        f"{text} {plural(n, 'graphique')} {verb} sur le serveur et {absent} du ZIP "
        f"(voir l'index) : {names}.", color="warning", id=f"{PREFIX}-export-alerte",
        className="mt-2 mb-0")


def export_zip(search: str | None, progress: Progress | None = None, *,
               render: Callable[..., bytes] | None = None,
               store: jobs.ResultStore | None = None,
               waiting: Callable[[int], None] | None = None) -> tuple:
    """(dcc.Download data or no_update, message) for the view of the URL's query string.

    Runs in the background job. The codes are checked again here (never trusted from
    the client). `progress(done, total)` follows the images. The ZIP of a view is
    memoised for the day in the job store (`store`, default `jobs.result_store()`).
    While the job waits for a render slot, `waiting(n)` hears how many exports come
    first (`jobs.render_slot`). A
    failing chart is left out (the message and the index say so); a server without
    Chromium, or no image at all, gives a French message in the page, not an error.
    """
    view = tv.view_of_search(search)
    if view.epci is None:
        return no_update, _alert("Choisissez d'abord une intercommunalité : l'export "
                                 "concerne les graphiques de son profil.")
    day = dt.date.today()
    store = jobs.result_store() if store is None else store
    key = jobs.memo_key("zip", view.epci, view.commune or "", ",".join(view.compare),
                        day.isoformat())
    built = store.get(key)
    if built is None:
        with jobs.render_slot(key, waiting):
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


def waiting_values(ahead: int) -> tuple[int, int, str, str]:
    """The progress outputs while the job waits its turn: "En attente : 2 exports
    avant le vôtre"."""
    text = f"En attente : {plural(ahead, 'export')} avant le vôtre"
    return 0, 1, "", text


def progress_values(done: int, total: int) -> tuple[int, int, str, str]:
    """The progress bar's value, maximum, label, and the visible text "3 / 9 images"."""
    text = f"{fmt_int(done)} / {plural(total, 'image')}"
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
        return export_zip(search, report,
                          waiting=lambda ahead: set_progress(waiting_values(ahead)))
