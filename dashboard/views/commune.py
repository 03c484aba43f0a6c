"""The commune profile ("Ma commune", `/territoire?commune=INSEE`): numbers and
French sentences of one commune, each with its source line.

Pure data and sentences, memoised on codes with `store.memo` (no Dash): the
page's block (`pages/territoire_commune.py`), the slide of the presentation
mode and the ZIP image (`figures/territoire_commune.py`, through
`views.territoire.profile_charts`) all read `commune_profile`.

Every number comes from the commune table through the data layer that the
summary CLI uses (`aggregate`, `official.summary`), so
`python -m dashboard.data summary --commune INSEE` gives the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import registry
from ..data import aggregate, precomputed, proximite, store
from ..data.bailleurs import ENGAGED_RANK, level_rank
from ..data.official import summary as official
from ..data.territoire_officiel import SPLIT_STATUS, annual_growth
from ..figures import territoire_commune as figure
from ..figures.common import slug
from ..formatting import fmt_pct, is_missing, plural
from . import commune_items as li
from .chart import Chart
from .commune_items import Item, fmt_rank
from .territoire_tables import cached_commune_context, cached_commune_shares, cached_profile


@dataclass(frozen=True)
class CommuneProfile:
    """What the block, the slide and the image show of one commune."""

    code: str
    nom: str
    epci: str
    epci_nom: str
    numbers: dict
    items: tuple[Item, ...]
    demo: bool

    @property
    def heading(self) -> str:
        """"Annonay — CA Annonay Rhône Agglo" (the page's h1)."""
        return f"{self.nom} — {self.epci_nom}"

    @property
    def title(self) -> str:
        """"Annonay (07010) — Ma commune" (the slide's title)."""
        return f"{self.nom} ({self.code}) — Ma commune"


def _v(row: pd.Series, key: str) -> object:
    value = row[key]
    return None if is_missing(value) else value


# --- numbers -------------------------------------------------------------------------------

def rank_in(shares: pd.DataFrame, code: str) -> tuple[int, int] | None:
    """(rank, count) of the commune's RPLS share among `shares` (code_insee,
    taux_logements_sociaux, ancienne_commune: `cached_commune_shares` of its EPCI),
    counting only the communes with a share of their own (not split after the census);
    None when the commune has none. Rank 1 is the highest share; ties share a rank."""
    known = shares[shares["taux_logements_sociaux"].notna() & shares["ancienne_commune"].isna()]
    mine = known.loc[known["code_insee"] == code, "taux_logements_sociaux"]
    if mine.empty:
        return None
    return int((known["taux_logements_sociaux"] > float(mine.iloc[0])).sum()) + 1, len(known)


def landlords_of(frame: pd.DataFrame | None, code: str) -> list[tuple[str, str]]:
    """(name, highest level) of the landlords engaged in the commune (level
    "partenaire de la convention" or above), by name."""
    if frame is None:
        return []
    rows = frame[frame["code_insee"] == code]
    rows = rows.assign(rang=level_rank(rows["niveau_engagement"]))
    rows = rows[(rows["rang"] >= ENGAGED_RANK).fillna(False)]
    best = rows.sort_values("rang", ascending=False).drop_duplicates("bailleur_nom")
    return sorted((str(n), str(lv)) for n, lv in zip(best["bailleur_nom"],
                                                      best["niveau_engagement"], strict=True))


@store.memo(maxsize=1)
def _positions() -> dict[str, int]:
    """Row position of each INSEE code in the app's table."""
    return {code: i for i, code in enumerate(store.communes()["code_insee"])}


@store.memo(maxsize=32)
def reference_share(code: str) -> tuple[str, float]:
    """(name, RPLS share) of a reference department (INSEE code, `69M` or `69D`)."""
    df = store.communes()
    if code in official.RHONE_PARTS:
        return official.RHONE_PARTS[code], aggregate.totals(
            official.rhone_part(df, code))["taux_logements_sociaux"]
    rows = df[df["departement"] == code]
    return str(rows["departement_nom"].iloc[0]), aggregate.totals(rows)["taux_logements_sociaux"]


def reference_code(row: pd.Series) -> str:
    """The department a commune compares with: its INSEE department, or in the Rhône the
    Métropole de Lyon (`69M`) or the rest of the Rhône (`69D`), as DREAL publishes them."""
    dep = str(row["departement"])
    if dep != "69":
        return dep
    return "69M" if row["epci_type"] == official.METROPOLE_LYON_TYPE else "69D"


@store.memo(maxsize=1)
def _centroids() -> pd.DataFrame:
    """Centroids of every commune of the map layer (precomputed by the build for the layer
    served, else computed: a fraction of a second, once per process)."""
    pre = precomputed.tables()
    if pre is not None and pre.centroids is not None:
        return pre.centroids
    return proximite.centroids(store.geojson("communes"))


@store.memo(maxsize=1)
def _programme_points() -> pd.DataFrame:
    return proximite.programme_points(store.communes(), _centroids())


def numbers_of(code: str) -> dict:
    """Every number of the block for a checked commune (known-answer tests compare them
    with the summary CLI)."""
    df = store.communes()
    position = _positions()[code]
    row = df.iloc[position]
    summary = aggregate.summary_commune(df.iloc[position:position + 1], code) | \
        official.commune_facts(row)
    epci = str(row["epci_siren"])
    epci_share = cached_profile(epci)["epci"]["taux_logements_sociaux"]
    dep_code = reference_code(row)
    dep_name, dep_share = reference_share(dep_code)
    split = row["recensement_statut"] == SPLIT_STATUS
    share = None if split else summary["taux_logements_sociaux"]
    ranked = rank_in(cached_commune_shares(epci), code)
    flags = registry.programme_flags(df.iloc[position:position + 1]).iloc[0]
    out = dict(summary)
    out.update(
        population_2015=_v(row, "population_2015"), population_2021=_v(row, "population_2021"),
        evolution_population=annual_growth(_v(row, "population_2015"),
                                           _v(row, "population_2021"), 6),
        taux_commune=share, taux_epci=epci_share, taux_departement=dep_share,
        departement_reference=dep_code, departement_reference_nom=dep_name,
        ecart_epci=None if share is None else share - epci_share,
        ecart_departement=None if share is None else share - dep_share,
        rang=None if ranked is None else ranked[0],
        rang_sur=None if ranked is None else ranked[1],
        taux_vacance_ls=_v(row, "taux_vacance_ls"), taux_mobilite_ls=_v(row, "taux_mobilite_ls"),
        zonage_abc=_v(row, "zonage_abc"), zone_tendue=bool(row["zone_tendue"]),
        acv_date_signature=_v(row, "acv_date_signature"),
        acv_actions_en_cours=_v(row, "acv_actions_en_cours"),
        acv_actions_livrees=_v(row, "acv_actions_livrees"),
        ort_date_signature=_v(row, "ort_date_signature"),
        pvd_sortie=bool(row["pvd_sortie"]), qpv_2024_codes=_v(row, "qpv_2024_codes"),
        programmes=[p.key for p in registry.PROGRAMMES if flags[p.key]],
        en_programme=bool(flags[registry.ANY]),
    )
    return out


@store.memo(maxsize=256)
def commune_profile(code: str) -> CommuneProfile:
    """The "Ma commune" profile of a checked commune (memoised on its code)."""
    n = numbers_of(code)
    c = cached_commune_context(code)
    eng = store.engagements()
    found = None if eng.frame is None else landlords_of(eng.frame, code)
    near = ([] if n["en_programme"] else
            proximite.nearest(_programme_points(), _centroids(), code))
    n["bailleurs_engages"] = [name for name, _ in found or ()]
    n["communes_proches"] = near
    items = [*li.population_items(n), *li.housing_items(n, c), li.sru_item(n, c),
             li.stock_item(n), li.zonage_item(n), *li.programme_items(n),
             *li.context_items(n, near), li.landlord_item(found, eng.demo, n["en_programme"])]
    return CommuneProfile(code, str(n["nom"]), str(n["epci_siren"]), str(n["epci_nom"]), n,
                          tuple(items), eng.demo)


def summary(profile: CommuneProfile) -> str:
    """One sentence for the slide's text summary."""
    n = profile.numbers
    share = ("part de logements sociaux non connue pour la commune seule"
             if n["taux_commune"] is None else
             f"{fmt_pct(n['taux_commune'])} de logements sociaux")
    rank = "" if n["rang"] is None else f" ({fmt_rank(n['rang'], n['rang_sur'])} dans l'EPCI)"
    programmes = (", ".join(registry.BY_KEY[k].short for k in n["programmes"])
                  if n["programmes"] else "aucun programme")
    return (f"{profile.nom} ({profile.epci_nom}) : {plural(n['population'], 'habitant')}, "
            f"{share}{rank} ; programmes : {programmes}.")


GRAPH_ID = "territoire-graph-commune"
INDICATOR = "ma-commune"
LEFT = ("population", "residences", "logements-sociaux", "part", "rang", "sru", "parc",
        "zonage")
"""Items of the slide's left column (the numbers); the others but "evolution" (joined
to the population) go right."""


def slide_pairs(profile: CommuneProfile) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(left, right) columns of (label, value) of the slide."""
    values = {i.key: i.value for i in profile.items}
    left, right = [], []
    for item in profile.items:
        if item.key == "evolution":
            continue
        value = item.value
        if item.key == "population" and not is_missing(profile.numbers["evolution_population"]):
            value = f"{value} ({values['evolution']}, 2015-2021)"
        (left if item.key in LEFT else right).append((item.label, value))
    return left, right


def slide_source(profile: CommuneProfile) -> str:
    """One source line for the slide: every source of its items, once each."""
    items: list[str] = []
    for item in profile.items:
        for part in item.source.split(" : ", 1)[1].split(" ; "):
            if part not in items:
                items.append(part)
    return f"{'Source' if len(items) == 1 else 'Sources'} : {' ; '.join(items)}"


@store.memo(maxsize=256)
def commune_chart(code: str) -> Chart:
    """The block of a checked commune as a 16:9 slide (key "commune"), first chart of
    the profile: presentation mode, ZIP image."""
    profile = commune_profile(code)
    left, right = slide_pairs(profile)
    fig = figure.commune_figure(profile.title, profile.epci_nom, left, right,
                                slide_source(profile))
    indicator = f"{INDICATOR}-{slug(profile.nom)}-{code}"
    return Chart("commune", GRAPH_ID, indicator, fig.to_dict(), summary(profile))
