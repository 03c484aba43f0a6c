"""The programme registry: the one list of revitalisation programmes.

Every count, KPI, colour, label, landlord-contract value and sentence that names
programmes reads `PROGRAMMES` here; `programme_flags` is the only implementation
of the rule "a programme commune is ACV, PVD (January 2024 list), AMI centres-bourgs
2014, Villages d'avenir or covered by a signed ORT".

Adding a programme: a `Programme` below, its column(s) in the build and in the
column contract (`data/columns.py`), then `make data`. No Dash, no plotly here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .palette import CATEGORICAL


@dataclass(frozen=True)
class Programme:
    """One programme and how the commune table says a commune is in it."""

    key: str  # identifier: flag column name, landlord file's `programme` value
    column: str  # column of the commune table
    label: str  # full French name ("Action Cœur de Ville")
    short: str  # short label for axes and table headers ("ACV")
    phrase: str  # form used in sentences ("ORT signée")
    color: str
    source: str  # key of the raw file in `data/sources.py`
    total: str  # key of its commune count in `aggregate.totals`
    value: str | None = None  # the commune is in it when column == value; else when column is true
    counts: bool = True  # makes a "programme commune"
    counted: str = "communes"  # what its commune count counts, in French (KPI notes)
    excludes_pole: bool = True  # a member is not a "pôle hors programme" (not an ORT)

    @property
    def count_label(self) -> str:
        """Label of its commune count: "Villages d'avenir", "Communes couvertes par une
        ORT signée"."""
        return self.label if self.counted == "communes" else self.counted[:1].upper() + \
            self.counted[1:]

    def flag(self, df: pd.DataFrame) -> pd.Series:
        """Boolean Series: which rows of a commune table are in this programme."""
        col = df[self.column]
        if self.value is None:
            return col.fillna(False).astype(bool)
        return col.eq(self.value).fillna(False).astype(bool)


PROGRAMMES: tuple[Programme, ...] = (
    Programme("ACV", "acv", "Action Cœur de Ville", "ACV", "ACV", CATEGORICAL[0], "acv",
              "communes_acv"),
    # The January 2024 list: a commune that left the programme (01093) is not in it.
    Programme("PVD", "pvd_2024", "Petites villes de demain", "PVD", "PVD", CATEGORICAL[2],
              "pvd_2024", "communes_pvd"),
    Programme("AMI centres-bourgs", "ami_centres_bourgs", "AMI centres-bourgs 2014", "AMI 2014",
              "AMI centres-bourgs", CATEGORICAL[3], "ami", "communes_ami_centres_bourgs"),
    Programme("VA", "villages_avenir", "Villages d'avenir", "VA", "Villages d'avenir",
              CATEGORICAL[4], "anct", "communes_villages_avenir"),
    # An ORT is an intercommunal agreement: the count is of the communes it covers (the
    # raw ORT file does not identify agreements, so they are not counted).
    Programme("ORT", "ort_statut", "ORT signée", "ORT signée", "ORT signée", CATEGORICAL[1],
              "ort", "ort_signees", value="Signée",
              counted="communes couvertes par une ORT signée", excludes_pole=False),
)

BY_KEY: dict[str, Programme] = {p.key: p for p in PROGRAMMES}
KEYS: tuple[str, ...] = tuple(p.key for p in PROGRAMMES)
COLORS: dict[str, str] = {p.key: p.color for p in PROGRAMMES}
COLUMNS: tuple[str, ...] = tuple(dict.fromkeys(p.column for p in PROGRAMMES))
"""The commune-table columns the programme flags read."""
ANY = "programme"  # name of the "in at least one counting programme" column


def programme_flags(df: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per programme key, and `programme` (any counting one),
    on the index of `df`."""
    out = pd.DataFrame({p.key: p.flag(df).to_numpy() for p in PROGRAMMES}, index=df.index)
    counting = [p.key for p in PROGRAMMES if p.counts]
    out[ANY] = out[counting].any(axis=1) if counting else False
    return out


def pole_programmes() -> tuple[Programme, ...]:
    """The programmes whose members are not "pôles hors programme" (ACV, PVD 2024,
    AMI 2014, Villages d'avenir: an ORT signed on its own does not count)."""
    return tuple(p for p in PROGRAMMES if p.excludes_pole)


def programme_mask(df: pd.DataFrame) -> pd.Series:
    """True for the programme communes of a commune table."""
    return programme_flags(df)[ANY]


def programmes_of(df: pd.DataFrame, sep: str = ", ") -> pd.Series:
    """"ACV, ORT"-style list of the programmes of each row (registry order, keys)."""
    flags = programme_flags(df)
    keys = [p.key for p in PROGRAMMES]
    return pd.Series([sep.join(k for k in keys if row[k]) for row in
                      flags[keys].to_dict("records")], index=df.index, dtype="str")


def enumeration(conjunction: str = "ou", attr: str = "phrase", counting: bool = True) -> str:
    """French list of the programmes: "ACV, PVD, AMI centres-bourgs ou ORT signée"."""
    words = [getattr(p, attr) for p in PROGRAMMES if p.counts or not counting]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"
