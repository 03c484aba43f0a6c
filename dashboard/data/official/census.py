"""Census 2021: households (= main residences) and populations on COG 2026 communes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ...formatting import plural
from ..cog import MappingReport
from ..sources import RAW_FILES, SourceError, read_csv
from .common import Reference, _remap, reference


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
            out.append("recensement : aucun chiffre pour "
                       f"{plural(len(missing), 'commune')} du COG 2026 : "
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


SPLIT_COLUMNS = ("code_insee", "nom", "commune_avant", "nom_avant")


def split_pieces(splits: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """The communes restored by a split, one row per piece, in code order: code_insee,
    nom (COG 2026), commune_avant and nom_avant (the former commune, as the census names
    it). `splits` is `MainResidences.splits`, `communes` the COG 2026 list: the table
    the map layer draws split communes from, derived from the files (no transcription).
    """
    names = dict(zip(communes["code_insee"], communes["nom"], strict=True))
    rows = [{"code_insee": code, "nom": names[code], "commune_avant": r.ancienne_commune,
             "nom_avant": r.nom_ancienne_commune}
            for r in splits.itertuples() for code in r.communes.split(",")]
    out = pd.DataFrame(rows, columns=list(SPLIT_COLUMNS))
    return out.sort_values("code_insee").reset_index(drop=True)


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
