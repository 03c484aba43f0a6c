"""The lines of the "Ma commune" block (pure: the numbers of `views.commune` in,
French sentences with their source lines out). Each `Item` has a short value (the
slide and image) and a full sentence (the page).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..data.sources import CALCULATIONS, LANDLORDS, PVD_LIST_MONTH, source_line
from ..formatting import MISSING, NBSP, fmt_dec, fmt_int, fmt_pct, is_missing, plural
from ..french import on_date
from . import territoire_faits as faits

POPULATION_SOURCE = source_line("communes", "menages")
RP_SOURCE = source_line("menages")
LS_SOURCE = source_line("rpls")
SHARE_SOURCE = source_line("rpls", "menages", extra=(CALCULATIONS,))
STOCK_SOURCE = source_line("rpls")
ZONAGE_SOURCE = source_line("zonage", "zone_tendue")
QPV_SOURCE = source_line("qpv_2024")
CENTRALITY_SOURCE = source_line("centralites", "densite", extra=(CALCULATIONS,))
PROGRAMME_SOURCE = {"ACV": source_line("acv"), "PVD": source_line("pvd_2024", "ort"),
                    "VA": source_line("anct"), "AMI centres-bourgs": source_line("ami"),
                    "ORT": source_line("ort")}
NEAREST_SOURCE = source_line("geo_communes", "acv", "pvd_2024", "ami", "anct", "ort",
                             extra=(CALCULATIONS,))
LANDLORD_SOURCE = source_line(extra=(LANDLORDS,))
DEMO_NOTE = "données de démonstration"
MINUS = "\u2212"

@dataclass(frozen=True)
class Item:
    """One line of the "Ma commune" block: a label, a short value (the slide), a full
    sentence (the page) and its source line."""

    key: str
    label: str
    value: str
    detail: str
    source: str


# --- formatting helpers ------------------------------------------------------------------

def fmt_points(gap: float | None) -> str:
    """A signed gap in points: "+4,2 points", "−1,3 point", "0,0 point"."""
    if is_missing(gap):
        return MISSING
    rounded = round(float(gap), 1)
    sign = "+" if rounded > 0 else (MINUS if rounded < 0 else "")
    word = plural(abs(rounded), "point", number=False)
    return f"{sign}{fmt_dec(abs(rounded), 1)}{NBSP}{word}"


def fmt_rank(rank: int, total: int) -> str:
    """"1re sur 29", "3e sur 29" (a commune: feminine ordinal)."""
    suffix = "re" if rank == 1 else "e"
    return f"{fmt_int(rank)}{suffix} sur {fmt_int(total)}"


def population_items(n: dict) -> list[Item]:
    growth = faits.fmt_growth(n["evolution_population"])
    trend = (f"{growth} par an de 2015 à 2021 ({fmt_int(n['population_2015'])} puis "
             f"{fmt_int(n['population_2021'])} habitants)"
             if not is_missing(n["evolution_population"])
             else "évolution 2015-2021 non disponible (pas de chiffre propre au recensement)")
    return [Item("population", "Population", plural(n["population"], "habitant"),
                 f"{plural(n['population'], 'habitant')} (population légale).",
                 POPULATION_SOURCE),
            Item("evolution", "Évolution 2015-2021",
                 f"{growth} par an" if not is_missing(n["evolution_population"]) else MISSING,
                 f"Population : {trend}.", POPULATION_SOURCE)]


def housing_items(n: dict, c: dict) -> list[Item]:
    old = c["ancienne_commune"]
    if old is not None:
        rp_value = f"{fmt_int(old['residences_principales'])} (ancienne commune)"
        rp_detail = faits.split_sentence(c)
    else:
        rp_value = fmt_int(n["residences_principales"])
        rp_detail = (f"{fmt_int(n['residences_principales'])} résidences principales "
                     "(ménages du recensement 2021)"
                     + (", estimées" if n["residences_principales_estimees"] else "") + ".")
    ls = n["logements_sociaux"]
    items = [Item("residences", "Résidences principales", rp_value, rp_detail, RP_SOURCE),
             Item("logements-sociaux", "Logements sociaux", fmt_int(ls),
                  f"{plural(ls, 'logement social', 'logements sociaux')} (parc des bailleurs "
                  "sociaux, RPLS).", LS_SOURCE)]
    if n["taux_commune"] is None:
        share_value = "non connue pour la commune seule"
        share_detail = ("Part des logements sociaux non connue pour la commune seule : "
                        "voir l'ancienne commune." if old is not None else
                        "Part des logements sociaux non disponible (pas de résidences "
                        "principales connues).")
    else:
        epci_gap, dep_gap = fmt_points(n["ecart_epci"]), fmt_points(n["ecart_departement"])
        share_value = (f"{fmt_pct(n['taux_commune'])} ({epci_gap} / EPCI, {dep_gap} / "
                       "département)")
        share_detail = (f"{fmt_pct(n['taux_commune'])} des résidences principales, soit "
                        f"{epci_gap} par rapport à l'EPCI ({fmt_pct(n['taux_epci'])}) et "
                        f"{dep_gap} par rapport au département de référence "
                        f"{n['departement_reference_nom']} ({fmt_pct(n['taux_departement'])}).")
    items.append(Item("part", "Part de logements sociaux (RPLS)", share_value, share_detail,
                      SHARE_SOURCE))
    if n["rang"] is not None:
        rank = fmt_rank(n["rang"], n["rang_sur"])
        items.append(Item("rang", "Rang dans l'EPCI", rank,
                          f"{rank} communes de l'EPCI pour la part de logements sociaux "
                          "(1re : la plus forte part).", SHARE_SOURCE))
    return items


def sru_item(n: dict, c: dict) -> Item:
    if not n["sru_soumise"]:
        value = "non soumise (objectif SRU non applicable)"
    else:
        status = ("carencée" if n["sru_carencee"] else "déficitaire" if n["sru_deficitaire"]
                  else "exemptée" if n["sru_exemptee"] else "non déficitaire")
        legal = ("pas de taux à l'inventaire" if is_missing(n["sru_taux"])
                 else f"taux légal {fmt_pct(n['sru_taux'], 2)}")
        target = ("" if is_missing(n["sru_taux_cible"])
                  else f", objectif {fmt_pct(n['sru_taux_cible'], 0)}")
        value = f"soumise, {legal}{target} ({status})"
    return Item("sru", "Loi SRU (article 55)", value, faits.commune_sru_sentence(c),
                faits.SRU_SOURCE)


def stock_item(n: dict) -> Item:
    vacancy, turnover = n["taux_vacance_ls"], n["taux_mobilite_ls"]
    if is_missing(vacancy) and is_missing(turnover):
        reason = ("pas de parc social" if not n["logements_sociaux"]
                  else "non publiées pour la commune")
        return Item("parc", "Vacance et rotation du parc social", f"{MISSING} ({reason})",
                    f"Vacance et rotation du parc social : {MISSING} ({reason}).", STOCK_SOURCE)
    value = f"vacance {fmt_pct(vacancy)}, rotation {fmt_pct(turnover)}"
    return Item("parc", "Vacance et rotation du parc social", value,
                f"Taux de vacance du parc social : {fmt_pct(vacancy)} ; taux de rotation "
                f"(mobilité) : {fmt_pct(turnover)}.", STOCK_SOURCE)


def zonage_item(n: dict) -> Item:
    zone = f"zone {n['zonage_abc']}" if n["zonage_abc"] else "zonage non renseigné"
    tendue = "zone tendue" if n["zone_tendue"] else "hors zone tendue"
    return Item("zonage", "Zonage ABC et zone tendue", f"{zone}, {tendue}",
                f"Zonage ABC : {n['zonage_abc'] or 'non renseigné'} ; {tendue} (taxe sur les "
                "logements vacants).",
                ZONAGE_SOURCE)


def programme_items(n: dict) -> list[Item]:
    """One item per programme the commune is in (or left), with its dates."""
    items = []
    if "ACV" in n["programmes"]:
        actions = ("" if is_missing(n["acv_actions_en_cours"]) else
                   f" ; {plural(n['acv_actions_en_cours'], 'action en cours', 'actions en cours')}"
                   f", {plural(n['acv_actions_livrees'] or 0, 'livrée')}")
        value = f"convention signée {on_date(n['acv_date_signature'])}{actions}"
        items.append(Item("acv", "Action Cœur de Ville", value, f"Action Cœur de Ville : {value}.",
                          PROGRAMME_SOURCE["ACV"]))
    if "PVD" in n["programmes"]:
        milestone = n["pvd_jalon_ort"]
        value = f"adhésion {on_date(n['pvd_date_adhesion'])}" + (
            f" ; {milestone}" if milestone else "")
        items.append(Item("pvd", "Petites villes de demain", value,
                          f"Petites villes de demain : {value} (l'ORT est à signer dans les "
                          "18 mois suivant l'adhésion).", PROGRAMME_SOURCE["PVD"]))
    elif n["pvd_sortie"]:
        items.append(Item("pvd", "Petites villes de demain", "sortie du programme",
                          "Sortie de Petites villes de demain (absente de la liste de "
                          f"{PVD_LIST_MONTH}).", PROGRAMME_SOURCE["PVD"]))
    if "VA" in n["programmes"]:
        items.append(Item("va", "Villages d'avenir", "lauréate (2024)",
                          "Commune du programme Villages d'avenir (2024).",
                          PROGRAMME_SOURCE["VA"]))
    if "AMI centres-bourgs" in n["programmes"]:
        items.append(Item("ami", "AMI centres-bourgs 2014", "lauréate",
                          "Lauréate de l'AMI « revitalisation des centres-bourgs » de 2014.",
                          PROGRAMME_SOURCE["AMI centres-bourgs"]))
    status = n["ort_statut"]
    if status:
        value = (f"signée {on_date(n['ort_date_signature'])}" if status == "Signée"
                 else status.lower())
        items.append(Item("ort", "ORT", value,
                          f"Opération de revitalisation de territoire (ORT) : {value}.",
                          PROGRAMME_SOURCE["ORT"]))
    if not n["en_programme"]:
        items.insert(0, Item("programmes", "Programmes", "aucun programme",
                             "La commune n'est dans aucun programme de revitalisation (ACV, "
                             "PVD, AMI centres-bourgs 2014, Villages d'avenir, ORT signée).",
                             source_line("acv", "pvd_2024", "ami", "anct", "ort")))
    return items


def context_items(n: dict, near: list[dict]) -> list[Item]:
    """QPV, centrality and, for a commune in no programme, the nearest programme
    communes (`near`: `data.proximite.nearest`)."""
    qpv = n["qpv_2024"] or 0
    codes = f" ({n['qpv_2024_codes'].replace(',', ', ')})" if qpv else ""
    items = [Item("qpv", "Quartiers prioritaires (QPV 2024)",
                  plural(qpv, "quartier", "quartiers") if qpv else "aucun",
                  f"{plural(qpv, 'quartier prioritaire', 'quartiers prioritaires')} de la "
                  f"politique de la ville (2024){codes}." if qpv else
                  "Aucun quartier prioritaire de la politique de la ville (2024).", QPV_SOURCE)]
    level = n["centralite"] or "non renseignée"
    pole = " ; pôle hors programme" if n["pole_hors_programme"] else ""
    density = n["niveau_densite"] or "non renseignée"
    items.append(Item("centralite", "Centralité", f"{level}{pole}",
                      f"Centralité : {level} ; densité : {density}"
                      + (" ; pôle hors programme (centre structurant ou intermédiaire "
                         "qui n'est dans aucun programme)." if pole else "."),
                      CENTRALITY_SOURCE))
    if not n["en_programme"] and near:
        parts = [f"{x['nom']} ({x['programmes']}, {fmt_dec(x['distance_km'], 1)}{NBSP}km)"
                 for x in near]
        items.append(Item("proches", "Communes de programme les plus proches",
                          ", ".join(parts),
                          "Communes de programme les plus proches (distance entre les "
                          f"centres des communes) : {', '.join(parts)}.", NEAREST_SOURCE))
    return items


def landlord_item(found: list[tuple[str, str]] | None, demo_file: bool,
                  en_programme: bool) -> Item:
    """The landlords engaged in the commune ((name, level) pairs; None: the landlord
    file is unreadable), marked when the file is the demonstration."""
    if found is None:
        return Item("bailleurs", "Bailleurs engagés", MISSING,
                    "Bailleurs engagés : fichier d'engagement illisible.", LANDLORD_SOURCE)
    demo = f" ({DEMO_NOTE})" if demo_file else ""
    if not found:
        value = "aucun" + demo
        detail = ("Aucun bailleur social engagé dans la commune" + demo
                  + ("." if en_programme else " (commune hors programme)."))
    else:
        value = ", ".join(name for name, _ in found) + demo
        detail = (plural(len(found), "bailleur engagé", "bailleurs engagés") + demo + " : "
                  + ", ".join(f"{name} ({level})" for name, level in found) + ".")
    return Item("bailleurs", "Bailleurs engagés", value, detail, LANDLORD_SOURCE)

