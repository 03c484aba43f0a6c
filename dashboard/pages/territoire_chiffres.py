"""Key figures of the territory profile: the KPI cards of the EPCI, each beside its
department and region, and the official facts with their sources."""

from __future__ import annotations

from dash import html

from dashboard import registry
from dashboard.components import cards
from dashboard.components.cards import Comparison
from dashboard.data import sources
from dashboard.data.bailleurs import ENGAGED_FROM
from dashboard.figures import territoire as figs
from dashboard.formatting import fmt_int, fmt_pct, plural
from dashboard.french import capitalize
from dashboard.views import territoire_faits as faits

from .territoire_base import PREFIX


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


def facts_list(f: dict) -> html.Ul:
    """The official facts of the EPCI, each with its source."""
    return html.Ul(_fact_items(faits.fact_lines(f), f"{PREFIX}-fait"),
                   id=f"{PREFIX}-faits", className="territoire-faits")


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


