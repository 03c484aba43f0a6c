"""Key figures of the territory profile: the KPI cards of the EPCI, each beside its
department and region, and the official facts with their sources."""

from __future__ import annotations

from dash import html

from dashboard import registry
from dashboard.components import cards
from dashboard.components.cards import Comparison
from dashboard.data import sources
from dashboard.data.bailleurs import ENGAGED_FROM
from dashboard.figures import bailleurs as landlord_figures
from dashboard.figures import territoire as figs
from dashboard.formatting import fmt_int, fmt_pct, plural
from dashboard.french import capitalize, in_territory, of_territory, rank
from dashboard.views import territoire_faits as faits
from dashboard.views.territoire_contexte import Context, Rank, epci_context

from .territoire_base import PREFIX


def _where(p: dict) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    """(kind, name, code) of the department and region the EPCI is compared with."""
    return (("departement", p["departement_nom"], p["departement"]),
            ("region", p["region_nom"], p["region"]))


def _rank_line(p: dict, found: Rank | None) -> list[Comparison]:
    """"Rang en Auvergne-Rhône-Alpes : 12e sur 172 intercommunalités" (none without rank)."""
    if found is None or found.rank is None:
        return []
    return [Comparison(f"Rang {in_territory('region', p['region_nom'], p['region'])}",
                       f"{rank(found.rank, found.total, feminine=True)} "
                       f"{plural(found.total, 'intercommunalité', number=False)}")]


def share_comparisons(p: dict, key: str, ctx: Context | None = None) -> list[Comparison]:
    """A share beside the department's and region's shares, with the gaps in points,
    and the EPCI's rank among the region's intercommunalities."""
    value = p["epci"][key]
    return [
        Comparison(p["departement_nom"], fmt_pct(p["departement_totals"][key]),
                   figs.fmt_points(value - p["departement_totals"][key])),
        Comparison(p["region_nom"], fmt_pct(p["region_totals"][key]),
                   figs.fmt_points(value - p["region_totals"][key])),
        *_rank_line(p, ctx.ranks.get(key) if ctx else None),
    ]


COUNT_NOUNS = {"population": "de la population",
               "residences_principales": "des résidences principales",
               "logements_sociaux": "des logements sociaux"}
"""What a count is a share of, in "soit 4,2 % de la population de l'Ardèche"."""


def count_comparisons(p: dict, key: str, ctx: Context,
                      astride: bool = False) -> list[Comparison]:
    """A count as a share of the department's and the region's: "soit 4,2 % de la
    population de l'Ardèche" (an EPCI astride departments: its communes in it only),
    and the rank among the region's intercommunalities when there is one."""
    lines = []
    for (kind, name, code), found in zip(_where(p), (ctx.departement[key], ctx.region[key]),
                                         strict=True):
        percent = found.percent
        text = (f"soit {fmt_pct(percent)} {COUNT_NOUNS[key]} {of_territory(kind, name, code)}"
                if percent is not None else f"aucune donnée {in_territory(kind, name, code)}")
        if astride and kind == "departement":
            text += f" (ses communes {in_territory(kind, name, code)} seulement)"
        lines.append(Comparison("", text))
    return [*lines, *_rank_line(p, ctx.ranks.get(key))]


def programme_comparisons(p: dict, key: str, ctx: Context) -> list[Comparison]:
    """Communes of a programme as a part of the department's and the region's:
    "sur 12 en Ardèche" under the EPCI's "3" (a part of the same count, never a count
    beside another territory's count); "aucune en Ardèche" when it has none."""
    lines = []
    for (kind, name, code), found in zip(_where(p), (ctx.departement[key], ctx.region[key]),
                                         strict=True):
        where = in_territory(kind, name, code)
        lines.append(Comparison("", f"sur {fmt_int(found.total)} {where}" if found.total
                                else f"aucune {where}"))
    return lines


def engaged_communes(engagement: dict) -> str:
    """"3 des 9 communes de programme ont au moins un bailleur engagé" (agreed, with the
    denominator), "Aucune commune de programme ici" when there is none."""
    n, total = engagement["communes_engagees"], engagement["communes_programme"]
    if total == 0:
        return "Aucune commune de programme ici"
    return capitalize(landlord_figures.engaged_communes(n, total))


def landlord_comparisons(p: dict, engagement: dict) -> list[Comparison]:
    """The EPCI's engaged landlords among those of the department and the region."""
    lines = []
    for (kind, name, code), total in zip(
            _where(p), (engagement["bailleurs_engages_departement"],
                        engagement["bailleurs_engages_region"]), strict=True):
        lines.append(Comparison("", f"sur {plural(total, 'bailleur engagé', 'bailleurs engagés')}"
                                    f" {in_territory(kind, name, code)}"))
    return lines


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
    """The key figures of the EPCI, each compared like with like with its department and
    region (shares of their counts, gaps in points, rank among the region's EPCI)."""
    t = p["epci"]
    ctx = epci_context(p["siren"], p["departement"], p["region"])
    astride = bool(p.get("a_cheval"))
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
                       count_comparisons(p, "population", ctx, astride),
                       note=plural(n, "commune"),
                       card_id=card_id("population")),
        cards.kpi_card("Résidences principales", fmt_int(t["residences_principales"]),
                       count_comparisons(p, "residences_principales", ctx, astride), note=rp_note,
                       card_id=card_id("residences")),
        cards.kpi_card("Logements sociaux", fmt_int(t["logements_sociaux"]),
                       count_comparisons(p, "logements_sociaux", ctx, astride),
                       note=f"Parc des bailleurs sociaux ({RPLS.title} {RPLS.vintage}).",
                       card_id=card_id("logements")),
        cards.kpi_card("Part de logements sociaux", fmt_pct(t["taux_logements_sociaux"]),
                       share_comparisons(p, "taux_logements_sociaux", ctx),
                       note="Pour 100 résidences principales ; ce n'est pas le taux légal SRU.",
                       card_id=card_id("taux")),
    ]
    second = [cards.kpi_card(label, fmt_int(t[key]), programme_comparisons(p, key, ctx),
                             card_id=card_id(slug))
              for key, slug, label in PROGRAMME_KPIS]
    if engagement is None:
        landlords = cards.kpi_card("Bailleurs engagés", "n.d.",
                                   note="Fichier d'engagement des bailleurs illisible.",
                                   card_id=card_id("bailleurs"))
    else:
        note = (f"{engaged_communes(engagement)} (niveau « {ENGAGED_FROM} » ou au-delà)."
                if engagement["communes_programme"] else f"{engaged_communes(engagement)}.")
        if demo:
            note = "Données de démonstration (bailleurs fictifs). " + note
        landlords = cards.kpi_card(
            "Bailleurs engagés", fmt_int(engagement["bailleurs_engages"]),
            landlord_comparisons(p, engagement),
            note=note, card_id=card_id("bailleurs"))
    third = [*([_sru_card(facts)] if facts is not None else []),
        cards.kpi_card("Population en commune de programme",
                       fmt_pct(t["part_population_programme"]),
                       share_comparisons(p, "part_population_programme", ctx),
                       note=f"{plural(t['communes_programme'], 'commune')} en "
                            f"{registry.enumeration()}.",
                       card_id=card_id("population-programme")),
        landlords,
    ]
    return [cards.kpi_row(first, row_id=f"{PREFIX}-kpi-logement"),
            cards.kpi_row(second, row_id=f"{PREFIX}-kpi-programmes"),
            cards.kpi_row(third, row_id=f"{PREFIX}-kpi-autres")]


