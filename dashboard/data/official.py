"""Readers for the official files of issue 9 (census, SRU, PVD 2024, QPV 2024, typologies).

Groundwork only: nothing here is wired into the build, the column contract or
the pages yet. Each reader takes `data/raw/` (and, when codes must be mapped,
the COG 2026 reference of `reference()`), and returns clean, typed frames
indexed by the COG 2026 commune code (`code_insee`) or the EPCI SIREN, plus
French problem lines for the build log. Pure pandas, no Dash.

Issue-9 decisions these readers implement:

- Main residences = census 2021 households (`menages_2021`), for every
  commune; Lyon's (and Paris's, Marseille's) arrondissements and merged
  communes are summed through the same `CodeMapper` the build uses for RPLS;
  a commune split after the census keeps one figure for the former commune
  (`MainResidences.splits`), never divided among its pieces nor given to one
  of them; census codes that map to no COG 2026 commune and COG 2026
  communes with no census figure are listed, never filled in silently.
- SRU = the ministry's inventory: subject / déficitaire / carencée /
  exemptée, legal rate (null when the source prints no usable rate, or an
  impossible one: a French problem line names the commune), target 20 or
  25 %, inventory dwellings, 2025 levy in euros.
- PVD = the January 2024 list with adhesion dates; a commune still flagged
  PVD in the 2023 ANCT table but absent from that list has left the
  programme (`pvd_sortie`).
- QPV 2024: distinct QPV per commune, and a territory counts a QPV spanning
  several communes once (`distinct_qpv`).
- Villages d'avenir = `id_va` of the ANCT table, mapped to COG 2026.
- Centrality (INRAE-CESAER) and density grid levels as written in the
  source; EPCI growth of the social stock 2019-2023 as published.

Left for the wiring (after the registry refactor of issue 8): the build
columns (residences_principales from `main_residences`, the split-commune
display "données disponibles pour l'ancienne commune seulement", the sru_*,
pvd_date_adhesion, villages_avenir, qpv_2024, centralite, densite columns,
the EPCI growth), their entries in the column contract (`columns.py`,
`SCHEMA.md`), the programme registry, the method page's per-column files,
and the build log lines built from the `problems` and report frames here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .cog import CodeMapper, MappingReport, remap
from .sources import RAW_FILES, SourceError, read_csv

CENTRALITY_LEVELS = (
    "Centre majeur d'équipements et de services",
    "Centre structurant d'équipements et de services",
    "Centre intermédiaire d'équipements et de services",
    "Centre local d'équipements et de services",
    "Communes non centre",
)
# Printed by the source for 129 communes of the DROM: read as "no level".
CENTRALITY_UNDEFINED = " - undefined"

DENSITY_LEVELS = (
    "Grands centres urbains",
    "Centres urbains intermédiaires",
    "Petites villes",
    "Ceintures urbaines",
    "Bourgs ruraux",
    "Rural à habitat dispersé",
    "Rural à habitat très dispersé",
)

SRU_TARGETS = {"20%": 20, "25%": 25}


@dataclass(frozen=True)
class Reference:
    """The COG 2026 communes and the code mapper the build uses."""

    communes: pd.DataFrame  # code_insee, nom, departement, region, epci_siren, population
    mapper: CodeMapper

    def region_codes(self, region: str) -> set[str]:
        """COG 2026 commune codes of a region (INSEE code, e.g. "84")."""
        return set(self.communes.loc[self.communes["region"] == region, "code_insee"])


def reference(raw_dir: Path) -> Reference:
    """Read the COG 2026 communes and build the mapper (same inputs as the build)."""
    communes = read_csv(raw_dir, "communes", ["code_insee", "nom", "departement", "region",
                                              "epci_siren", "population"],
                        numeric=("population",))
    others = read_csv(raw_dir, "deleguees", ["code_insee", "nom", "type", "commune_parent"])
    return Reference(communes=communes, mapper=CodeMapper.from_frames(communes, others))


def _remap(df: pd.DataFrame, column: str, ref: Reference, key: str
           ) -> tuple[pd.DataFrame, MappingReport]:
    return remap(df, column, ref.mapper, RAW_FILES[key])


def _flag(df: pd.DataFrame, column: str, file: str) -> pd.Series:
    """A 0/1 text column as booleans; anything else is a SourceError."""
    bad = ~df[column].isin(["0", "1"])
    if bad.any():
        raise SourceError(f"{file} : colonne {column} : valeur inattendue "
                          f"{df.loc[bad, column].iloc[0]!r} (0 ou 1 attendu)")
    return df[column] == "1"


# --- census: main residences ---------------------------------------------------------------

def _name_key(name: str) -> str:
    """Name without accents, case, punctuation or leading article (census names drop it)."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"^(l'|le |la |les )", "", text)
    return re.sub(r"[^a-z0-9]", "", text)


@dataclass
class MainResidences:
    """Census 2021 main residences and populations on COG 2026 communes.

    - `communes`: one row per COG 2026 commune (index `code_insee`):
      `menages_2021`, `population_2015`, `population_2021` (Int64, NA for the
      pieces of a split commune and for communes with no census figure),
      `codes_recensement` (census codes summed, comma-separated),
      `ancienne_commune` (the former commune's code for the pieces of a split
      commune, else NA), `recensement_absent` (True: no census figure at all).
    - `splits`: one row per census commune split into several COG 2026
      communes: `ancienne_commune`, `nom_ancienne_commune`, `communes` (the
      pieces, comma-separated), `epci_siren`, `menages_2021`,
      `population_2015`, `population_2021` (the whole former commune).
    - `unmapped`: census rows whose code is no COG 2026 commune nor a
      delegated/associated commune or arrondissement of one (`insee_com`,
      `commune`, `insee_reg`, `menages_2021`): their households are attributed
      to no commune.
    - `report`: what the code mapping did.
    """

    communes: pd.DataFrame
    splits: pd.DataFrame
    unmapped: pd.DataFrame
    report: MappingReport

    def problems(self) -> list[str]:
        """French lines for the build log: splits, unattributed rows, missing communes."""
        out = [f"recensement : {r.nom_ancienne_commune} ({r.ancienne_commune}) scindée en "
               f"{r.communes} ; chiffres donnés pour l'ancienne commune seulement"
               for r in self.splits.itertuples()]
        out += [f"recensement : {r.commune} ({r.insee_com}) ne correspond à aucune commune "
                f"du COG 2026 ; ses {r.menages_2021} ménages ne sont attribués à aucune commune"
                for r in self.unmapped.itertuples()]
        missing = self.communes.index[self.communes["recensement_absent"]]
        if len(missing):
            out.append(f"recensement : aucun chiffre pour {len(missing)} commune(s) du COG 2026 : "
                       + ", ".join(missing[:20]) + (" ..." if len(missing) > 20 else ""))
        return out


def detect_splits(census: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """Census communes split into several COG 2026 communes.

    `census`: rows with `insee_com`, `commune`, `population_2021`,
    `code_cog2026` (after mapping). `communes`: the COG 2026 list. The stored
    files carry no split history, so a split is recognised by its traces: COG
    2026 communes that no census code reaches (the pieces that got their own
    code back) and, in the same EPCI, exactly one census commune that kept
    its code but not its name and lost population (the former commune). When
    an EPCI has orphans and zero or several such candidates, nothing is
    guessed: the orphans stay without census figure.
    Returns `ancienne_commune`, `nom_ancienne_commune`, `epci_siren`,
    `pieces` (list of COG 2026 codes, the former code first).
    """
    reached = set(census["code_cog2026"].dropna())
    ref = communes.set_index("code_insee")
    unreached = np.array([code not in reached for code in ref.index], dtype=bool)
    orphans = ref[unreached & ref["epci_siren"].notna().to_numpy()]
    kept = census[census["insee_com"] == census["code_cog2026"]].join(
        ref[["nom", "epci_siren", "population"]], on="insee_com")
    kept = kept[kept["epci_siren"].isin(set(orphans["epci_siren"]))
                & (kept["population_2021"] > kept["population"])]
    changed = kept[np.array([_name_key(a) != _name_key(b) for a, b in
                             zip(kept["commune"], kept["nom"], strict=True)], dtype=bool)]
    rows = []
    for siren, group in orphans.groupby("epci_siren", sort=True):
        candidates = changed[changed["epci_siren"] == siren]
        if len(candidates) != 1:
            continue
        former = candidates.iloc[0]
        rows.append({"ancienne_commune": former["insee_com"],
                     "nom_ancienne_commune": former["commune"], "epci_siren": siren,
                     "pieces": [former["insee_com"], *sorted(group.index)]})
    return pd.DataFrame(rows, columns=["ancienne_commune", "nom_ancienne_commune",
                                       "epci_siren", "pieces"])


def main_residences(raw_dir: Path, ref: Reference | None = None) -> MainResidences:
    """Census 2021 households (= main residences) and populations per COG 2026 commune.

    Arrondissements and merged communes are summed into their COG 2026
    commune by the build's `CodeMapper`; a split commune's figures are kept
    whole for the former commune (see `MainResidences`).
    """
    ref = ref or reference(raw_dir)
    numbers = ("population_2015", "population_2021", "menages_2021")
    census = read_csv(raw_dir, "menages", ["insee_com", "insee_reg", "commune", "commune_type",
                                           *numbers], numeric=numbers)
    if census["insee_com"].duplicated().any():
        code = census.loc[census["insee_com"].duplicated(), "insee_com"].iloc[0]
        raise SourceError(f"{RAW_FILES['menages']} : code {code} présent deux fois")
    if census[list(numbers)].isna().any().any():
        row = census[census[list(numbers)].isna().any(axis=1)].iloc[0]
        raise SourceError(f"{RAW_FILES['menages']} : chiffre manquant pour {row['commune']} "
                          f"({row['insee_com']})")
    census, report = _remap(census, "insee_com", ref, "menages")
    unmapped = census.loc[census["code_cog2026"].isna(),
                          ["insee_com", "commune", "insee_reg", "menages_2021"]]
    unmapped = unmapped.reset_index(drop=True).astype({"menages_2021": "int64"})
    splits = detect_splits(census, ref.communes)

    mapped = census.dropna(subset=["code_cog2026"])
    sums = mapped.groupby("code_cog2026")[list(numbers)].sum()
    sources: dict[str, list[str]] = {}
    for code, target in sorted(zip(mapped["insee_com"], mapped["code_cog2026"], strict=True)):
        sources.setdefault(target, []).append(code)
    codes = pd.Series({k: ",".join(v) for k, v in sources.items()}, dtype="string")
    out = pd.DataFrame(index=pd.Index(ref.communes["code_insee"], name="code_insee"))
    out = out.join(sums.astype("Int64")).join(codes.rename("codes_recensement"))
    out["ancienne_commune"] = pd.Series(pd.NA, index=out.index, dtype="string")
    split_rows = []
    for row in splits.itertuples():
        whole = out.loc[row.ancienne_commune, list(numbers)]
        split_rows.append({"ancienne_commune": row.ancienne_commune,
                           "nom_ancienne_commune": row.nom_ancienne_commune,
                           "communes": ",".join(row.pieces), "epci_siren": row.epci_siren,
                           **{n: int(whole[n]) for n in numbers}})
        out.loc[row.pieces, list(numbers)] = pd.NA
        out.loc[row.pieces, "ancienne_commune"] = row.ancienne_commune
    out["codes_recensement"] = out["codes_recensement"].astype("string")
    out["recensement_absent"] = out["menages_2021"].isna() & out["ancienne_commune"].isna()
    split_frame = pd.DataFrame(split_rows, columns=[
        "ancienne_commune", "nom_ancienne_commune", "communes", "epci_siren", *numbers])
    return MainResidences(communes=out, splits=split_frame, unmapped=unmapped, report=report)


# --- SRU inventory ---------------------------------------------------------------------------

_PERCENT = re.compile(r"^\s*(\d+(?:,\d+)?)\s*%\s*$")
_EUROS = re.compile(r"^\s*(-?\d{1,3}(?:[ \u00a0\u202f]?\d{3})*(?:,\d+)?)\s*€\s*$")


def parse_percent_fr(text: str) -> float | None:
    """"12,5 %" or "26,10%" -> 12.5 / 26.1; None when the text is not such a percent."""
    match = _PERCENT.match(str(text))
    return float(match.group(1).replace(",", ".")) if match else None


def parse_euros_fr(text: str) -> float | None:
    """"1 234 567 €" or "46 559,19 €" -> a float in euros; None when unreadable."""
    match = _EUROS.match(str(text))
    if not match:
        return None
    digits = re.sub(r"[ \u00a0\u202f]", "", match.group(1)).replace(",", ".")
    return float(digits)


SRU_COLUMNS = {
    "code": "Code_INSEE_commune",
    "nom": "Nom_commune",
    "epci": "Code_SIREN_EPCI",
    "soumise": "Commune_sru_au_01_01_2025",
    "soumise_2024": "Commune_sru_au_01_01_2024",
    "inventaire": "Nombre_lls_ Inventaire_au_01_01_2024",
    "taux": "Taux_SRU_au_01_01_2024",
    "deficitaire": "commune_deficitaire",
    "carencee": "Commune_carencée",
    "exemptee": "Commune_exemptée_2023_2025",
    "cible": "Taux_cible_commune_2023_2025",
    "prelevement": "Prélèvement_net_2025_dont_majoration",
}


@dataclass
class OfficialTable:
    """A reader's clean frame and the French problem lines found while reading."""

    table: pd.DataFrame
    problems: list[str] = field(default_factory=list)


def sru_inventory(raw_dir: Path, ref: Reference | None = None) -> OfficialTable:
    """The official SRU status (article 55) per COG 2026 commune, subject communes only.

    Columns: `nom` (as published, upper case), `epci_siren_sru`,
    `sru_soumise` (in the 2025 perimeter), `sru_soumise_2024`,
    `sru_deficitaire`, `sru_carencee`, `sru_exemptee` (booleans),
    `sru_taux` (legal rate at 1/1/2024 in percent, Float64; null when the
    source prints no rate, an unreadable one or one outside 0-100),
    `sru_taux_libelle` (the source text when it is not a plain rate:
    "Pas d'inventaire", ">25%", "Hors SRU", or the rejected value),
    `sru_taux_cible` (20 or 25), `sru_logements_sociaux_inventaire` (Int64,
    null for "Pas d'inventaire" / "NC"), `sru_prelevement_2025` (net levy in
    euros, Float64). Problems: rejected rates, codes outside the COG 2026.
    """
    ref = ref or reference(raw_dir)
    file = RAW_FILES["sru"]
    c = SRU_COLUMNS
    df = read_csv(raw_dir, "sru", list(c.values()), sep=";")
    problems: list[str] = []
    df, _ = _remap(df, c["code"], ref, "sru")
    for code, name in df.loc[df["code_cog2026"].isna(), [c["code"], c["nom"]]].itertuples(
            index=False):
        problems.append(f"SRU : {name} ({code}) ne correspond à aucune commune du COG 2026 ; "
                        "ligne ignorée")
    df = df.dropna(subset=["code_cog2026"])
    dup = df["code_cog2026"].duplicated(keep=False)
    if dup.any():
        raise SourceError(f"{file} : plusieurs lignes pour la commune "
                          f"{df.loc[dup, 'code_cog2026'].iloc[0]} (COG 2026)")

    rates: list[float | None] = []
    labels: list[str | None] = []
    for code, name, text in df[[c["code"], c["nom"], c["taux"]]].itertuples(index=False):
        value = parse_percent_fr(text)
        label = None
        if value is None:
            label = text
            if "%" in str(text) and not str(text).startswith(">"):
                problems.append(f"SRU : taux illisible pour {name} ({code}) : « {text} » ; "
                                "valeur laissée vide")
        elif not 0 <= value <= 100:
            problems.append(f"SRU : taux impossible pour {name} ({code}) : « {text} » "
                            "(hors de 0 à 100 %) ; valeur laissée vide")
            value, label = None, text
        rates.append(value)
        labels.append(label)

    stock = df[c["inventaire"]]
    numeric_stock = stock.str.fullmatch(r"\d+")
    known = {"Pas d'inventaire", "NC"}
    if (~numeric_stock & ~stock.isin(known)).any():
        raise SourceError(f"{file} : nombre de logements de l'inventaire illisible "
                          f"{stock[~numeric_stock & ~stock.isin(known)].iloc[0]!r}")
    targets = df[c["cible"]].map(SRU_TARGETS)
    if targets.isna().any():
        raise SourceError(f"{file} : taux cible inattendu "
                          f"{df.loc[targets.isna(), c['cible']].iloc[0]!r} (20% ou 25% attendu)")
    levy = df[c["prelevement"]].map(parse_euros_fr)
    if levy.isna().any():
        raise SourceError(f"{file} : montant de prélèvement illisible "
                          f"{df.loc[levy.isna(), c['prelevement']].iloc[0]!r}")

    table = pd.DataFrame({
        "nom": pd.array(df[c["nom"]].to_numpy(), dtype="string"),
        "epci_siren_sru": pd.array(df[c["epci"]].to_numpy(), dtype="string"),
        "sru_soumise": _flag(df, c["soumise"], file).to_numpy(),
        "sru_soumise_2024": _flag(df, c["soumise_2024"], file).to_numpy(),
        "sru_deficitaire": _flag(df, c["deficitaire"], file).to_numpy(),
        "sru_carencee": _flag(df, c["carencee"], file).to_numpy(),
        "sru_exemptee": _flag(df, c["exemptee"], file).to_numpy(),
        "sru_taux": pd.array(rates, dtype="Float64"),
        "sru_taux_libelle": pd.array(labels, dtype="string"),
        "sru_taux_cible": pd.array(targets.to_numpy(), dtype="Int64"),
        "sru_logements_sociaux_inventaire": pd.array(
            pd.to_numeric(stock.where(numeric_stock)).to_numpy(), dtype="Int64"),
        "sru_prelevement_2025": pd.array(levy.to_numpy(), dtype="Float64"),
    }, index=pd.Index(df["code_cog2026"].to_numpy(), name="code_insee"))
    return OfficialTable(table.sort_index(), problems)


# --- programmes ------------------------------------------------------------------------------

def pvd_2024(raw_dir: Path, ref: Reference | None = None) -> OfficialTable:
    """Petites villes de demain, list of January 2024, per COG 2026 commune.

    Columns: `pvd` (True: in the 2024 list), `pvd_id`, `pvd_date_adhesion`
    (datetime64, date of the adhesion agreement; NaT when the list gives
    none), `pvd_sortie` (True: flagged PVD in the 2023 ANCT table but absent
    from the 2024 list, i.e. left the programme; such rows have `pvd` False).
    """
    ref = ref or reference(raw_dir)
    df = read_csv(raw_dir, "pvd_2024", ["insee_com", "id_pvd", "date_signature"])
    df, _ = _remap(df, "insee_com", ref, "pvd_2024")
    problems = [f"PVD 2024 : code {code} hors du COG 2026 ; ligne ignorée"
                for code in df.loc[df["code_cog2026"].isna(), "insee_com"]]
    df = df.dropna(subset=["code_cog2026"]).sort_values(["code_cog2026", "date_signature"])
    df = df.drop_duplicates("code_cog2026")
    try:
        dates = pd.to_datetime(df["date_signature"], format="%Y-%m-%d")
    except ValueError:
        raise SourceError(f"{RAW_FILES['pvd_2024']} : date d'adhésion illisible "
                          "(AAAA-MM-JJ attendu)") from None
    members = pd.DataFrame({
        "pvd": True, "pvd_id": pd.array(df["id_pvd"].to_numpy(), dtype="string"),
        "pvd_date_adhesion": dates.astype("datetime64[ns]").to_numpy(), "pvd_sortie": False,
    }, index=pd.Index(df["code_cog2026"].to_numpy(), name="code_insee"))

    anct = read_csv(raw_dir, "anct", ["insee_com", "id_pvd"])
    anct, _ = _remap(anct, "insee_com", ref, "anct")
    before = set(anct.loc[anct["id_pvd"].notna(), "code_cog2026"].dropna())
    left = sorted(before - set(members.index))
    gone = pd.DataFrame({"pvd": False, "pvd_id": pd.array([pd.NA] * len(left), dtype="string"),
                         "pvd_date_adhesion": pd.NaT, "pvd_sortie": True},
                        index=pd.Index(left, name="code_insee"))
    table = pd.concat([members, gone]).sort_index()
    table["pvd_date_adhesion"] = table["pvd_date_adhesion"].astype("datetime64[ns]")
    table["pvd_id"] = table["pvd_id"].astype("string")
    return OfficialTable(table, problems)


def qpv_2024(raw_dir: Path, ref: Reference | None = None) -> OfficialTable:
    """Quartiers prioritaires 2024 per COG 2026 commune (communes with a QPV only).

    Columns: `qpv_2024` (number of distinct QPV touching the commune, int64),
    `qpv_codes` (the QPV codes, comma-separated, sorted). A QPV spanning
    several communes is listed under each: use `distinct_qpv` to count a
    territory's QPV.
    """
    ref = ref or reference(raw_dir)
    df = read_csv(raw_dir, "qpv_2024", ["insee_com", "code_qp"])
    df, _ = _remap(df, "insee_com", ref, "qpv_2024")
    problems = [f"QPV 2024 : code {code} hors du COG 2026 ; ligne ignorée"
                for code in df.loc[df["code_cog2026"].isna(), "insee_com"]]
    df = df.dropna(subset=["code_cog2026", "code_qp"])
    df["code_qp"] = df["code_qp"].str.split(",")
    pairs = df.explode("code_qp")
    pairs["code_qp"] = pairs["code_qp"].str.strip()
    pairs = pairs[pairs["code_qp"] != ""].drop_duplicates(["code_cog2026", "code_qp"])
    by_commune: dict[str, list[str]] = {}
    for commune, qpv in sorted(zip(pairs["code_cog2026"], pairs["code_qp"], strict=True)):
        by_commune.setdefault(commune, []).append(qpv)
    index = pd.Index(list(by_commune), name="code_insee", dtype="str")
    table = pd.DataFrame({
        "qpv_2024": pd.array([len(v) for v in by_commune.values()], dtype="int64"),
        "qpv_codes": pd.array([",".join(v) for v in by_commune.values()], dtype="string"),
    }, index=index)
    return OfficialTable(table, problems)


def distinct_qpv(table: pd.DataFrame, codes: set[str] | list[str]) -> int:
    """Number of distinct QPV 2024 over a set of communes (a shared QPV counts once)."""
    rows = table.loc[table.index.isin(list(codes)), "qpv_codes"]
    return len({q for value in rows for q in value.split(",")})


def villages_avenir(raw_dir: Path, ref: Reference | None = None) -> OfficialTable:
    """Villages d'avenir (2024) per COG 2026 commune, from `id_va` of the ANCT table.

    Columns: `villages_avenir` (always True), `va_id` (the ANCT identifier;
    the first one when several old communes map onto one commune).
    """
    ref = ref or reference(raw_dir)
    df = read_csv(raw_dir, "anct", ["insee_com", "id_va"])
    df = df.dropna(subset=["id_va"])
    df, _ = _remap(df, "insee_com", ref, "anct")
    problems = [f"Villages d'avenir : code {code} hors du COG 2026 ; ligne ignorée"
                for code in df.loc[df["code_cog2026"].isna(), "insee_com"]]
    df = df.dropna(subset=["code_cog2026"]).sort_values(["code_cog2026", "id_va"])
    df = df.drop_duplicates("code_cog2026")
    table = pd.DataFrame({"villages_avenir": True,
                          "va_id": pd.array(df["id_va"].to_numpy(), dtype="string")},
                         index=pd.Index(df["code_cog2026"].to_numpy(), name="code_insee"))
    return OfficialTable(table, problems)


# --- typologies and EPCI growth --------------------------------------------------------------

def _levels(raw_dir: Path, key: str, column: str, allowed: tuple[str, ...],
            undefined: str | None = None) -> pd.Series:
    df = read_csv(raw_dir, key, ["insee_com", column])
    if df["insee_com"].duplicated().any():
        raise SourceError(f"{RAW_FILES[key]} : code "
                          f"{df.loc[df['insee_com'].duplicated(), 'insee_com'].iloc[0]} "
                          "présent deux fois")
    values = df[column].where(df[column] != undefined) if undefined else df[column]
    bad = values.notna() & ~values.isin(allowed)
    if bad.any():
        raise SourceError(f"{RAW_FILES[key]} : niveau inconnu {values[bad].iloc[0]!r} "
                          f"(commune {df.loc[bad, 'insee_com'].iloc[0]})")
    return pd.Series(values.astype("string").to_numpy(),
                     index=pd.Index(df["insee_com"].to_numpy(), name="code_insee"))


def centralities(raw_dir: Path) -> pd.Series:
    """INRAE-CESAER centrality level per commune (COG 2026 code), as written in the source.

    One of `CENTRALITY_LEVELS`; NA where the source prints " - undefined"
    (communes of the DROM).
    """
    return _levels(raw_dir, "centralites", "niveau_centralite", CENTRALITY_LEVELS,
                   CENTRALITY_UNDEFINED).rename("centralite")


def density(raw_dir: Path) -> pd.Series:
    """INSEE communal density grid level (7 levels, `DENSITY_LEVELS`) per commune (COG 2026)."""
    return _levels(raw_dir, "densite", "niveau_densite", DENSITY_LEVELS).rename("densite")


def rpls_growth_epci(raw_dir: Path) -> pd.Series:
    """Average annual growth of the social stock 2019-2023 per EPCI (SIREN), in % per year.

    As published by the Observatoire des territoires (one decimal); NA where
    the source printed "N/A - division par 0". Grand Paris is given by EPT
    and Paris (75056), not by the Métropole du Grand Paris.
    """
    df = read_csv(raw_dir, "rpls_evolution", ["epci_siren", "taux_evolution_annuel_ls_2019_2023"],
                  numeric=("taux_evolution_annuel_ls_2019_2023",))
    if df["epci_siren"].duplicated().any():
        raise SourceError(f"{RAW_FILES['rpls_evolution']} : EPCI "
                          f"{df.loc[df['epci_siren'].duplicated(), 'epci_siren'].iloc[0]} "
                          "présent deux fois")
    return pd.Series(pd.array(df["taux_evolution_annuel_ls_2019_2023"], dtype="Float64"),
                     index=pd.Index(df["epci_siren"].to_numpy(), name="epci_siren"),
                     name="evolution_annuelle_ls_2019_2023")
