"""What a page says when it shows a territory: the document title, a live announcement.

A page about one territory adds `page_announcement(...)` to its layout: a hidden
element whose data attributes hold the browser tab's title ("CA Annonay Rhône
Agglo — Logement social et revitalisation — AURA-HLM") and the sentence a screen
reader announces ("Profil de la CA Annonay Rhône Agglo affiché"). assets/a11y.js
applies them whenever a new territory is shown: it sets `document.title` (Dash's
page title only knows the path, not the query string), writes the sentence into
the shell's live region (`live_region()`, in app_factory) and, after a choice made
on the page (picker, search, grid link), moves the focus to the page's heading.
"""

from __future__ import annotations

from dash import html

from ..config import TITLE
from ..data import territories
from ..french import Kind, of_territory

ANNOUNCEMENT_CLASS = "page-annonce"
"""Class of the hidden element that assets/a11y.js reads."""
LIVE_REGION_ID = "annonce-page"
"""Id of the shell's polite live region (assets/a11y.js writes into it)."""
SITE = "AURA-HLM"


def document_title(name: str, page: str | None = None) -> str:
    """The browser tab's title for a territory: "Annonay — CA Annonay Rhône Agglo — Logement
    social et revitalisation — AURA-HLM", or with `page` ("Bailleurs sociaux"):
    "CA Annonay Rhône Agglo — Bailleurs sociaux — AURA-HLM"."""
    return f"{name} — {page} — {SITE}" if page else f"{name} — {TITLE}"


def shown_message(kind: Kind, name: str, code: str | None = None, *, what: str = "Profil",
                  plural: bool = False) -> str:
    """"Profil de la CA Annonay Rhône Agglo affiché", "Profil d'Annonay affiché";
    with a plural subject: "Bailleurs sociaux du Rhône affichés"."""
    return f"{what} {of_territory(kind, name, code)} {'affichés' if plural else 'affiché'}"


def page_announcement(title: str, message: str, focus: str | None = None, key: str = ""
                      ) -> html.Div:
    """The hidden element of a territory's page: tab title, announced sentence, the id of
    the heading that takes the focus after a choice (`focus`; default: the page's h1), and
    `key`, what makes two views different (a change of it alone is announced too)."""
    data = {"data-titre": title, "data-annonce": message, "data-cle": key or message}
    if focus:
        data["data-focus"] = focus
    return html.Div(hidden=True, className=ANNOUNCEMENT_CLASS, **data)


def live_region() -> html.Div:
    """The shell's polite live region (visually hidden; assets/a11y.js fills it)."""
    return html.Div(id=LIVE_REGION_ID, role="status", className="visually-hidden",
                    **{"aria-live": "polite", "aria-atomic": "true"})


def territory_profile(epci: str, commune: str | None = None, focus: str | None = None,
                      key: str = "") -> html.Div:
    """The announcement of `/territoire` for checked codes: "CA Annonay Rhône Agglo" or,
    with a commune, "Annonay — CA Annonay Rhône Agglo" in the tab, "Profil de la CA …
    affiché" or "Profil d'Annonay affiché" read out."""
    epci_name = territories.epci_names()[epci]
    if commune:
        commune_name = str(territories.commune_index().loc[commune, "nom"])
        return page_announcement(document_title(f"{commune_name} — {epci_name}"),
                                 shown_message("commune", commune_name), focus, key)
    return page_announcement(document_title(epci_name), shown_message("epci", epci_name),
                             focus, key)


def landlord_scope(epci: str | None, departement: str | None, label: str,
                   focus: str | None = None) -> html.Div:
    """The announcement of `/bailleurs` for its checked scope (`label`: the scope's name,
    "CA Annonay Rhône Agglo", "Ardèche (07)" or the region's)."""
    what = "Bailleurs sociaux"
    if epci:
        message = shown_message("epci", territories.epci_names()[epci], what=what, plural=True)
    elif departement:
        message = shown_message("departement", territories.departement_names()[departement],
                                departement, what=what, plural=True)
    else:
        message = f"{what} de toute la région {label} affichés"
    return page_announcement(document_title(label, what), message, focus,
                             f"{epci or ''}|{departement or ''}")
