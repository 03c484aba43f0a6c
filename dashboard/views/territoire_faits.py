"""Sentences of the territory profile's official facts (pure: dicts of
`data.territoire_officiel` in, French sentences out): the legal SRU status,
the PVD exits and ORT milestone, the trends of the social stock and of the
population, and the selected commune's context.
"""

from __future__ import annotations

import math

from ..data.sources import BY_KEY, PVD_LIST_MONTH, SRU_INVENTORY_DATE, source_line
from ..formatting import NBSP, fmt_dec, fmt_int, fmt_pct, is_missing, plural

SRU_SOURCE = source_line("sru")
LS_TREND_SOURCE = source_line("rpls_evolution")
POP_TREND_SOURCE = source_line("menages")
CONTEXT_SOURCE = source_line("densite", "centralites")
WHY_RATES_DIFFER = (
    "Les deux taux diffèrent : le taux légal SRU rapporte les logements de l'inventaire "
    f"de l'État au {SRU_INVENTORY_DATE}, qui compte plus que le parc des bailleurs sociaux "
    "(par exemple certains foyers et des logements privés conventionnés), aux résidences "
    "principales des fichiers fiscaux, quand la part RPLS rapporte le seul parc des "
    "bailleurs sociaux (RPLS) aux ménages du recensement 2021.")
NO_SRU = "objectif SRU non applicable ici"


def fmt_growth(value: float | None) -> str:
    """A signed rate per year: "+1,5 %", "−0,4 %", "0,0 %"."""
    if is_missing(value) or math.isinf(float(value)):
        return "n.d."
    rounded = round(float(value), 1)
    sign = "+" if rounded > 0 else ("\u2212" if rounded < 0 else "")
    return f"{sign}{fmt_dec(abs(rounded), 1)}{NBSP}%"


def fmt_euros(value: float) -> str:
    """"123 457 €" (rounded to the euro)."""
    return f"{fmt_int(round(value))}{NBSP}€"


def sru_detail(f: dict) -> str:
    """"dont 2 déficitaires et 1 carencée ; prélèvement 2025 : 12 345 €" (or "non
    déficitaire", "aucune déficitaire" ; "aucun prélèvement en 2025")."""
    n = f["communes_sru_soumises"]
    parts = [plural(k, one, many) for k, one, many in (
        (f["communes_sru_deficitaires"], "déficitaire", "déficitaires"),
        (f["communes_sru_carencees"], "carencée", "carencées")) if k]
    detail = ("dont " + " et ".join(parts) if parts
              else "non déficitaire" if n == 1 else "aucune déficitaire")
    levy = f["sru_prelevement_2025"]
    money = (f"prélèvement 2025 : {fmt_euros(levy)}" if levy
             else "aucun prélèvement en 2025")
    return f"{detail} ; {money}"


def sru_sentence(f: dict) -> str:
    """The EPCI's communes subject to article 55 of the SRU law and the 2025 levy."""
    n = f["communes_sru_soumises"]
    if not n:
        return ("Aucune commune soumise à l'article 55 de la loi SRU (inventaire 2025) : "
                f"{NO_SRU}.")
    subject = plural(n, "commune soumise", "communes soumises")
    return f"{subject} à l'article 55 de la loi SRU (inventaire 2025), {sru_detail(f)}."


def ls_trend_sentence(f: dict) -> str:
    """"Parc social : +1,5 % par an de 2019 à 2023." (EPCI, as published)."""
    value = f["evolution_annuelle_ls_2019_2023"]
    if is_missing(value):
        return "Parc social : évolution 2019-2023 non publiée pour cette intercommunalité."
    return f"Parc social : {fmt_growth(value)} par an de 2019 à 2023."


def population_trend_sentence(f: dict) -> str:
    """"Population : −0,4 % par an de 2015 à 2021." (sum of the communes with both
    censuses; the communes without a series are named by count)."""
    value = f["evolution_population"]
    if is_missing(value):
        return "Population : évolution 2015-2021 non disponible."
    text = f"Population : {fmt_growth(value)} par an de 2015 à 2021"
    missing = f.get("communes_sans_serie", 0)
    if missing:
        text += f" (hors {plural(missing, 'commune')} sans chiffre propre au recensement)"
    return text + "."


def ort_milestone_sentence(f: dict) -> str | None:
    """Counts of the 18-month ORT milestone of the EPCI's PVD communes (None without)."""
    counts = f["jalons_ort"]
    if not sum(counts.values()):
        return None
    words = {
        "ORT signée dans les 18 mois": ("signée dans les délais", "signées dans les délais"),
        "ORT signée après 18 mois": ("signée après 18 mois", "signées après 18 mois"),
        "ORT pas encore signée": ("pas encore signée", "pas encore signées"),
        "ORT signée, date inconnue": ("signée à une date inconnue",
                                      "signées à une date inconnue"),
    }
    parts = [plural(n, *words[k]) for k, n in counts.items() if n]
    return ("Jalon Petites villes de demain (ORT à signer dans les 18 mois suivant "
            f"l'adhésion) : {', '.join(parts)}.")


def pvd_exit_sentence(f: dict) -> str | None:
    """The communes that left PVD (None without)."""
    names = f["pvd_sorties"]
    if not names:
        return None
    verb = "est sortie" if len(names) == 1 else "sont sorties"
    return (f"{', '.join(names)} {verb} du programme Petites villes de demain (absente "
            f"de la liste de {PVD_LIST_MONTH} : {BY_KEY['pvd_2024'].citation}).").replace(
        "(absente", "(absentes" if len(names) > 1 else "(absente")


def commune_sru_sentence(c: dict) -> str:
    """The selected commune's legal SRU status beside its RPLS share."""
    share = ("non connue pour la commune seule" if c.get("ancienne_commune")
             else fmt_pct(c["taux_logements_sociaux"]))
    if not c["sru_soumise"]:
        return (f"{c['nom']} n'est pas soumise à l'article 55 de la loi SRU (inventaire "
                f"2025) : {NO_SRU} ; part RPLS : {share}.")
    status = ("carencée" if c["sru_carencee"] else "déficitaire" if c["sru_deficitaire"]
              else "exemptée" if c["sru_exemptee"] else "objectif atteint")
    legal = ("pas d'inventaire" if is_missing(c["sru_taux"])
             else f"taux légal {fmt_pct(c['sru_taux'], 2)}")  # as published
    target = ("" if is_missing(c["sru_taux_cible"])
              else f", objectif {fmt_pct(c['sru_taux_cible'], 0)}")
    return (f"{c['nom']} est soumise à l'article 55 de la loi SRU : {legal}{target} "
            f"({status}), contre une part RPLS de {share}. {WHY_RATES_DIFFER}")


def split_sentence(c: dict) -> str | None:
    """A split commune: the figure of the former commune, not a share of its own."""
    old = c["ancienne_commune"]
    if old is None:
        return None
    return (f"Données disponibles pour l'ancienne commune seulement : l'ancienne commune "
            f"{old['code']} ({', '.join(old['communes'])}) compte "
            f"{plural(old['logements_sociaux'], 'logement social', 'logements sociaux')} pour "
            f"{fmt_int(old['residences_principales'])} résidences principales, soit "
            f"{fmt_pct(old['taux_logements_sociaux'])} ; la part propre à {c['nom']} n'est "
            "pas connue.")


def commune_trend_sentence(c: dict) -> str:
    if is_missing(c["evolution_population"]):
        return ("Population de la commune : évolution 2015-2021 non disponible (pas de "
                "chiffre propre au recensement).")
    return (f"Population de la commune : {fmt_growth(c['evolution_population'])} par an de "
            f"2015 à 2021 ({fmt_int(c['population_2015'])} puis "
            f"{fmt_int(c['population_2021'])} habitants).")


def context_sentence(c: dict) -> str:
    """Density level and centrality of the selected commune."""
    density = c["niveau_densite"] or "non renseignée"
    centrality = c["centralite"] or "non renseignée"
    return f"Densité : {density} ; centralité : {centrality}."


def fact_lines(f: dict) -> list[tuple[str, str, str | None]]:
    """(key, sentence, source line or None) of the EPCI's official facts, in the order
    of the profile and of the export's index."""
    items = [("sru", sru_sentence(f), SRU_SOURCE),
             ("jalon-ort", ort_milestone_sentence(f), None),
             ("sortie-pvd", pvd_exit_sentence(f), None),
             ("evolution-ls", ls_trend_sentence(f), LS_TREND_SOURCE),
             ("evolution-population", population_trend_sentence(f), POP_TREND_SOURCE)]
    return [(key, text, source) for key, text, source in items if text]


def commune_lines(c: dict) -> list[tuple[str, str, str | None]]:
    """(key, sentence, source line or None) of the selected commune's facts."""
    items = [("sru", commune_sru_sentence(c), SRU_SOURCE),
             ("ancienne-commune", split_sentence(c), None),
             ("evolution", commune_trend_sentence(c), POP_TREND_SOURCE),
             ("contexte", context_sentence(c), CONTEXT_SOURCE)]
    return [(key, text, source) for key, text, source in items if text]
