"""The "Ma commune" block of the territory profile (`?commune=INSEE`): what a mayor
reads first, right under the heading "Annonay — CA Annonay Rhône Agglo", before
the profile of the EPCI.

Laid out from `views.commune.commune_profile` (the same items as the slide of
the presentation mode and the ZIP image): one line per item, its full sentence
and its source line.
"""

from __future__ import annotations

from dash import html

from dashboard import registry
from dashboard.components import messages
from dashboard.french import among, capitalize, in_territory, of_territory
from dashboard.views import commune as commune_view

from .territoire_base import PREFIX

BLOCK_ID = f"{PREFIX}-ma-commune"


def commune_heading(code: str) -> str:
    """"Annonay — CA Annonay Rhône Agglo": the page's h1 with a commune."""
    return commune_view.commune_profile(code).heading


def commune_block(code: str) -> html.Section:
    """The commune's items (population, housing, SRU, social stock, zoning, programmes
    and their dates, QPV, centrality, landlords), each with its source."""
    profile = commune_view.commune_profile(code)
    heading = f"{BLOCK_ID}-titre"
    rows = []
    for item in profile.items:
        rows += [html.Dt(item.label, className="col-sm-4 col-lg-3"),
                 html.Dd([html.Span(item.detail),
                          html.Small(item.source, className="d-block text-muted")],
                         id=f"{BLOCK_ID}-{item.key}", className="col-sm-8 col-lg-9")]
    demo = ([messages.demo_banner(f"{BLOCK_ID}-bandeau-demo")]
            if profile.demo and profile.numbers["bailleurs_engages"] else [])
    return html.Section([
        html.H2(f"Ma commune : {profile.nom} ({profile.code})", id=heading,
                className="h4 territoire-section-title"),
        html.P(commune_view.summary(profile), className="lead mb-2"),
        *demo,
        html.Dl(rows, className="row territoire-ma-commune-items mb-0"),
        html.P(f"Ci-dessous : le profil {of_territory('epci', profile.epci_nom)}.",
               className="text-muted small mt-2 mb-0"),
    ], id=BLOCK_ID, className="territoire-section territoire-commune mb-3",
        **{"aria-labelledby": heading})


# --- sections with nothing to say: one sentence each ---------------------------------------

def no_programme_sentence(epci_name: str, communes: int) -> str:
    """"Dans la CC …, aucune des 12 communes n'est dans un programme de revitalisation (…)"."""
    programmes = ", ".join(p.label for p in registry.PROGRAMMES)
    where = capitalize(in_territory("epci", epci_name))
    if communes == 1:
        subject = f"la seule commune n'est dans aucun programme de revitalisation ({programmes})"
    else:
        nobody = among(0, communes, "commune", feminine=True, verb=("est", "sont"))
        subject = f"{nobody} dans un programme de revitalisation ({programmes})"
    return f"{where}, {subject} : pas de tableau des programmes ni de calendrier."


def no_landlord_sentence(epci_name: str, demo: bool) -> str:
    """"Dans la CC …, aucun bailleur social n'est renseigné sur une commune de programme"."""
    source = "le fichier de démonstration" if demo else "le fichier d'engagement d'AURA-HLM"
    return (f"{capitalize(in_territory('epci', epci_name))}, aucun bailleur social n'est "
            f"renseigné sur une commune de programme dans {source} : pas de tableau "
            "d'engagement.")


def empty_note(sentence: str, key: str) -> html.P:
    """A section that has nothing to show, said in one sentence."""
    return html.P(sentence, id=f"{PREFIX}-{key}-vide", className="territoire-vide mb-0")
