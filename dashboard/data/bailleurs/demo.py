"""The demonstration file: fictitious landlords on the real programme communes.

`python -m dashboard.data demo-bailleurs` writes
`data/demo/engagements_bailleurs_demo.csv` (seed `DEMO_SEED`): the app runs on
it until AURA-HLM puts its own file in `data/`. Every row is flagged
`donnees_demonstration` = True and every SIREN fails the check digit, so
`contract.is_demonstration` recognises it.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pandas as pd

from ...registry import programme_flags, programme_mask
from ..atomic import write_files_atomically
from .contract import (
    DEMO_SEED,
    ENGAGED_RANK,
    ENGAGEMENT_COLUMN_NAMES,
    ENGAGEMENT_LEVELS,
    PROGRAMMES,
    luhn_ok,
)

DEMO_TYPES: tuple[str, ...] = ("OPH", "ESH", "ESH", "Coopérative", "OPH", "ESH", "SEM",
                               "ESH", "OPH", "Coopérative", "ESH", "SEM", "OPH")
DEMO_FIRST_DATE = dt.date(2021, 1, 1)
DEMO_LAST_DATE = dt.date(2025, 12, 31)

def fictitious_sirens(n: int) -> list[str]:
    """`n` SIREN-shaped numbers that no real organisation can have.

    They start with 000000 and fail the Luhn check digit that every real SIREN
    satisfies.
    """
    out: list[str] = []
    number = 101
    while len(out) < n:
        candidate = f"000000{number:03d}"
        if not luhn_ok(candidate):
            out.append(candidate)
        number += 1
    return out


def demo_landlords() -> pd.DataFrame:
    """The fictitious landlords of the demo: letter name, type, fictitious SIREN."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    sirens = fictitious_sirens(len(DEMO_TYPES))
    return pd.DataFrame({
        "bailleur_nom": [f"Bailleur fictif {letters[i]} – {t} démo"
                         for i, t in enumerate(DEMO_TYPES)],
        "bailleur_siren": sirens,
        "bailleur_type": list(DEMO_TYPES),
    })


def generate_demo(communes: pd.DataFrame, seed: int = DEMO_SEED) -> pd.DataFrame:
    """A seeded demonstration table on the real programme communes.

    Each fictitious landlord works in its "home" department plus one to three
    others; each programme commune gets 0 to 4 of the landlords of its
    department, more and at higher levels in the EPCI drawn as "dynamic", so
    engagement is uneven across EPCI. Every row is flagged
    `donnees_demonstration = True`; the same seed gives the same table.
    """
    rng = random.Random(seed)
    landlords = demo_landlords()
    pc = communes[programme_mask(communes)].sort_values("code_insee")
    flags = programme_flags(pc).set_index(pc["code_insee"].astype(str))
    departments = sorted(pc["departement"].dropna().unique())
    active: dict[str, list[int]] = {d: [] for d in departments}
    for i in range(len(landlords)):
        home = departments[i % len(departments)] if departments else None
        others = [d for d in departments if d != home]
        chosen = ([home] if home else []) + rng.sample(others, min(len(others),
                                                                   rng.randint(1, 3)))
        for d in chosen:
            active[d].append(i)
    dynamism = {e: rng.random() ** 1.5 for e in sorted(pc["epci_siren"].dropna().unique())}
    span = (DEMO_LAST_DATE - DEMO_FIRST_DATE).days
    records = []
    for commune in pc.itertuples(index=False):
        d = dynamism.get(commune.epci_siren, 0.3)
        candidates = sorted(active.get(commune.departement, []))
        k = min(len(candidates), sum(rng.random() < 0.1 + 0.6 * d for _ in range(4)))
        programmes = [p for p in PROGRAMMES if flags.at[commune.code_insee, p]]
        weights = [3 * (1 - d) + 0.3, 2 * (1 - d) + 0.5, 0.2 + 1.2 * d, 1.8 * d, 1.2 * d]
        for i in sorted(rng.sample(candidates, k)):
            level = rng.choices(ENGAGEMENT_LEVELS, weights=weights)[0]
            rank = ENGAGEMENT_LEVELS.index(level)
            dwellings = (0 if rank < ENGAGED_RANK else rng.randint(0, 30)
                         if rank == ENGAGED_RANK else rng.randint(4, 120))
            records.append({
                **landlords.iloc[i].to_dict(),
                "code_insee": commune.code_insee,
                "programme": rng.choice(programmes),
                "niveau_engagement": level,
                "logements_concernes": dwellings,
                "date_information": (DEMO_FIRST_DATE
                                     + dt.timedelta(days=rng.randrange(span + 1))).isoformat(),
                "donnees_demonstration": True,
            })
    out = pd.DataFrame(records, columns=list(ENGAGEMENT_COLUMN_NAMES))
    return out.sort_values(["code_insee", "programme", "bailleur_siren"]).reset_index(drop=True)


def demo_csv(df: pd.DataFrame) -> str:
    """The CSV text of an engagement table (UTF-8, `,`, dates AAAA-MM-JJ, True/False)."""
    out = df[list(ENGAGEMENT_COLUMN_NAMES)].copy()
    out["date_information"] = pd.to_datetime(out["date_information"]).dt.strftime("%Y-%m-%d")
    out["donnees_demonstration"] = out["donnees_demonstration"].map(
        lambda v: "True" if v else "False")
    return out.to_csv(index=False, lineterminator="\n")


def write_demo(out: Path, communes: pd.DataFrame, seed: int = DEMO_SEED) -> pd.DataFrame:
    """Generate the demo table and write it atomically to `out`; returns it."""
    df = generate_demo(communes, seed)
    text = demo_csv(df)
    write_files_atomically(out.parent, {
        out.name: lambda p: p.write_bytes(text.encode("utf-8"))})
    return df


