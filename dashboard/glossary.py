"""The glossary: one plain French sentence for each acronym and each KPI label.

Words a mayor reads on the dashboard (ACV, PVD, AMI, ORT, QPV, EPCI, SRU, RPLS,
Villages d'avenir, and the labels of the key-figure cards) are defined here once.
`components.glossary` shows them behind a keyboard-reachable "ⓘ", `kpi_card` adds
that "ⓘ" to its label by itself (`definitions_for(label)`), and `/methode` opens
with the officials' part of the list (`OFFICIALS`).

No number is typed here: thresholds and rates come from the build
(`data.build`, `data.official`), vintages from the source registry
(`data.sources`). No Dash here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .data.bailleurs import ENGAGED_FROM
from .data.build import SRU_MIN_COMMUNE
from .data.official import SRU_TARGETS
from .data.sources import BY_KEY as SOURCES
from .formatting import fmt_int
from .registry import enumeration


@dataclass(frozen=True)
class Entry:
    """One glossary term: its key, the name shown, its definition and source."""

    key: str  # stable identifier ("acv"), used for anchors and `info(key)`
    term: str  # name shown ("ACV", "Part de logements sociaux")
    expansion: str  # what the acronym stands for ("" for plain words)
    definition: str  # one sentence, ending with a full stop
    source: str = ""  # "Source : …" when the definition rests on a file
    aliases: tuple[str, ...] = ()  # other spellings found in labels
    acronym: bool = False  # matched as a whole, case-sensitive word in labels

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling that designates the entry (the term, its expansion, aliases)."""
        return tuple(n for n in (self.term, self.expansion, *self.aliases) if n)

    @property
    def title(self) -> str:
        """"ACV (Action Cœur de Ville)" or just the term."""
        return f"{self.term} ({self.expansion})" if self.expansion else self.term


def _pct(value: float) -> str:
    return f"{fmt_int(value)}\u00a0%"


def _source(key: str) -> str:
    return f"Source : {SOURCES[key].citation}."


_SRU_LOW, _SRU_HIGH = sorted(SRU_TARGETS.values())[0], sorted(SRU_TARGETS.values())[-1]

ACRONYMS: tuple[Entry, ...] = (
    Entry("acv", "ACV", "Action Cœur de Ville",
          "Programme national de l'État qui aide des villes moyennes à revitaliser leur "
          "centre-ville (habitat, commerce, services, espaces publics).",
          _source("acv"), acronym=True),
    Entry("pvd", "PVD", "Petites villes de demain",
          "Programme de l'État, piloté par l'ANCT, qui accompagne de petites communes jouant "
          "un rôle de centralité pour leur bassin de vie dans leur projet de revitalisation.",
          _source("pvd_2024"), acronym=True),
    Entry("ami", "AMI", "appel à manifestations d'intérêt centres-bourgs 2014",
          f"Appel à projets de l'État qui a retenu en {SOURCES['ami'].vintage} des bourgs "
          "ruraux pour les aider à revitaliser leur centre.",
          _source("ami"), aliases=("AMI centres-bourgs", "AMI 2014"), acronym=True),
    Entry("ort", "ORT", "opération de revitalisation de territoire",
          "Convention signée entre l'État, l'intercommunalité et une ou plusieurs communes "
          "pour un projet global de revitalisation du centre-ville, qui ouvre des outils "
          "juridiques et fiscaux.",
          _source("ort"), acronym=True),
    Entry("qpv", "QPV", "quartier prioritaire de la politique de la ville",
          "Quartier urbain délimité par l'État à partir du faible revenu de ses habitants, "
          "où se concentrent les moyens de la politique de la ville.",
          _source("qpv_2024"), acronym=True),
    Entry("epci", "EPCI", "établissement public de coopération intercommunale",
          "Groupement de communes (communauté de communes, d'agglomération, communauté "
          "urbaine ou métropole) qui exerce des compétences en leur nom, souvent l'habitat.",
          _source("epci"), aliases=("intercommunalité",), acronym=True),
    Entry("sru", "SRU", "loi relative à la solidarité et au renouvellement urbains",
          f"Son article 55 impose aux communes d'au moins {fmt_int(SRU_MIN_COMMUNE)} "
          "habitants des agglomérations concernées d'avoir "
          f"{_pct(_SRU_LOW)} ou {_pct(_SRU_HIGH)} de logements sociaux parmi leurs "
          "résidences principales, selon l'inventaire établi chaque année par l'État.",
          _source("sru"), acronym=True),
    Entry("rpls", "RPLS", "répertoire des logements locatifs des bailleurs sociaux",
          "Inventaire annuel, logement par logement, du parc des bailleurs sociaux, tenu "
          "par le service statistique du ministère du Logement.",
          _source("rpls"), acronym=True),
    Entry("villages-avenir", "Villages d'avenir", "",
          "Programme de l'État qui aide de petites communes rurales à mener leurs projets, "
          "avec l'appui d'un chef de projet dans chaque département.",
          f"Source : {SOURCES['anct'].producer}."),
)
"""The acronyms and programme names of the dashboard, in the order of `/methode`."""

INDICATORS: tuple[Entry, ...] = (
    Entry("population", "Population", "",
          "Nombre d'habitants qui ont leur résidence habituelle dans le territoire "
          "(population municipale légale de l'INSEE).",
          _source("communes")),
    Entry("residences-principales", "Résidences principales", "",
          "Logements occupés à l'année comme habitation principale, c'est-à-dire le nombre "
          "de ménages du recensement.",
          _source("menages")),
    Entry("logements-sociaux", "Logements sociaux", "",
          "Logements locatifs des bailleurs sociaux (offices, entreprises sociales pour "
          "l'habitat, SEM…) recensés dans le RPLS.",
          _source("rpls")),
    Entry("part-logements-sociaux", "Part de logements sociaux", "",
          "Logements sociaux du RPLS pour 100 résidences principales ; proche du taux "
          "légal SRU sans être le même calcul.",
          aliases=("Taux de logements sociaux",)),
    Entry("communes-programme", "Communes en programme", "",
          "Communes retenues dans au moins un programme de revitalisation suivi ici "
          f"({enumeration()}).",
          aliases=("Communes de programme",)),
    Entry("population-programme", "Population en commune de programme", "",
          "Part des habitants du territoire qui vivent dans une commune de programme.",
          aliases=("Part de la population",)),
    Entry("bailleurs-engages", "Bailleurs engagés", "",
          "Bailleurs sociaux qui ont atteint au moins le niveau "
          f"« {ENGAGED_FROM} » dans une commune de programme, selon le fichier "
          "d'engagement tenu par AURA-HLM.",
          aliases=("Bailleurs",)),
    Entry("engagement-bailleurs", "Engagement des bailleurs", "",
          "Part des communes de programme où au moins un bailleur social est engagé.",
          aliases=("Avec au moins un bailleur engagé", "Taux d'engagement")),
)
"""The labels of the key-figure cards (`kpi_card`)."""

ENTRIES: tuple[Entry, ...] = ACRONYMS + INDICATORS
BY_KEY: dict[str, Entry] = {e.key: e for e in ENTRIES}
OFFICIALS: tuple[Entry, ...] = ENTRIES
"""What `/methode` opens with: every term, acronyms first."""


def normalise(text: str) -> str:
    """Lower case, no accents, one space, typographic apostrophes and ligatures folded:
    "Action  Cœur de Ville" -> "action coeur de ville"."""
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("’", "'")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip().casefold()


_DECORATIONS = re.compile(r"\s*\((?:démonstration|demonstration)\)\s*$", re.IGNORECASE)


def _contains(haystack: str, needle: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


@lru_cache(maxsize=512)
def entry_for(label: str) -> Entry | None:
    """The entry whose name is exactly `label` (accents, case and a trailing
    "(démonstration)" ignored), or None."""
    wanted = normalise(_DECORATIONS.sub("", label))
    for entry in ENTRIES:
        if any(normalise(n) == wanted for n in entry.names):
            return entry
    return None


@lru_cache(maxsize=512)  # labels are a fixed set of texts; entries are constants
def definitions_for(label: str) -> tuple[Entry, ...]:
    """The entries a reader of `label` needs: the label's own entry when the glossary
    knows it, else every acronym or programme named inside it (whole words), in
    glossary order. Empty when the label says nothing the glossary knows."""
    own = entry_for(label)
    if own is not None:
        return (own,)
    found = []
    folded = normalise(label)
    for entry in ENTRIES:
        hit = (_contains(label, entry.term) if entry.acronym else False) or any(
            _contains(folded, normalise(n)) for n in entry.names
            if not (entry.acronym and n == entry.term))
        if hit:
            found.append(entry)
    return tuple(found)


def sentence(entry: Entry) -> str:
    """The definition with what the acronym stands for: "ACV (Action Cœur de Ville) :
    programme…"."""
    return f"{entry.title} : {entry.definition[0].lower()}{entry.definition[1:]}"
