"""Programmes read from the official files: PVD (January 2024), QPV 2024, Villages d'avenir."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..sources import RAW_FILES, SourceError, read_csv
from .common import OfficialTable, Reference, _remap, reference


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
