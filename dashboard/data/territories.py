"""Territories of the table: lookups by code and checks of codes from a URL.

Codes coming from a URL are untrusted: they are checked for shape and
existence, and the French message that explains a refusal never echoes more
than a short, plain-text excerpt of them (components render text, not HTML).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from . import store
from .official.summary import RHONE_PARTS, departement_rows

SIREN_RE = re.compile(r"^\d{9}$")
INSEE_RE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
DEPARTEMENT_RE = re.compile(r"^(?:\d{2}|2[AB]|97\d|69[DM])$")
MAX_ECHO = 30
MAX_COMPARE = 4


def excerpt(value: object) -> str:
    """A short printable excerpt of an untrusted value, for messages."""
    text = "".join(ch for ch in str(value) if ch.isprintable())
    return text if len(text) <= MAX_ECHO else text[:MAX_ECHO] + "…"


@dataclass(frozen=True)
class Lookup:
    """A checked code: `code` when valid, else `error` (French sentence)."""

    code: str | None
    error: str | None = None


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):  # ?epci=a&epci=b arrives as a list
        value = value[0] if value else None
        if value is None:
            return None
    text = str(value).strip()
    return text or None


def check_epci(value: object, df: pd.DataFrame | None = None) -> Lookup:
    """Check an EPCI SIREN from a URL against the table."""
    text = _as_text(value)
    if text is None:
        return Lookup(None)
    if not SIREN_RE.match(text):
        return Lookup(None, f"« {excerpt(text)} » n'est pas un code d'intercommunalité valide : "
                            "un SIREN compte 9 chiffres.")
    if text not in epci_names(df):
        return Lookup(None, f"Aucune intercommunalité de la région ne porte le code "
                            f"{text}.")
    return Lookup(text)


def check_commune(value: object, df: pd.DataFrame | None = None) -> Lookup:
    """Check an INSEE commune code from a URL against the table."""
    text = _as_text(value)
    if text is None:
        return Lookup(None)
    if not INSEE_RE.match(text):
        return Lookup(None, f"« {excerpt(text)} » n'est pas un code commune INSEE valide "
                            "(5 caractères, par exemple 07010).")
    if text not in commune_index(df).index:
        return Lookup(None, f"Aucune commune de la région ne porte le code INSEE {text}.")
    return Lookup(text)


def check_departement(value: object, df: pd.DataFrame | None = None) -> Lookup:
    text = _as_text(value)
    if text is None:
        return Lookup(None)
    if not DEPARTEMENT_RE.match(text):
        return Lookup(None, f"« {excerpt(text)} » n'est pas un code de département valide.")
    if text not in departement_names(df):
        return Lookup(None, f"Le département {text} n'est pas dans la région.")
    return Lookup(text)


def _table(df: pd.DataFrame | None) -> pd.DataFrame:
    return store.communes() if df is None else df


def epci_names(df: pd.DataFrame | None = None) -> dict[str, str]:
    """SIREN -> EPCI name, for the EPCI of the table."""
    rows = _table(df).dropna(subset=["epci_siren"]).drop_duplicates("epci_siren")
    return dict(zip(rows["epci_siren"], rows["epci_nom"], strict=True))


def departement_names(df: pd.DataFrame | None = None) -> dict[str, str]:
    """Code -> name of the table's departments, in code order; after the Rhône (69), its
    two halves as DREAL publishes them: `69D` Rhône (hors Métropole de Lyon) and `69M`
    Métropole de Lyon (when both have communes)."""
    table = _table(df)
    t = table.drop_duplicates("departement").sort_values("departement")
    out: dict[str, str] = {}
    for code, name in zip(t["departement"], t["departement_nom"], strict=True):
        out[code] = name
        if code == "69" and all(len(departement_rows(table, part)) for part in RHONE_PARTS):
            out.update(sorted(RHONE_PARTS.items()))
    return out


def commune_index(df: pd.DataFrame | None = None) -> pd.DataFrame:
    """The table indexed by INSEE code."""
    return _table(df).set_index("code_insee", drop=False)


def epci_options(df: pd.DataFrame | None = None, departement: str | None = None) -> list[dict]:
    """Dropdown options "Name (SIREN)", searchable by name and by code, sorted by name."""
    t = _table(df).dropna(subset=["epci_siren"])
    if departement:
        t = departement_rows(t, departement)
    t = t.drop_duplicates("epci_siren")
    rows = sorted(zip(t["epci_nom"], t["epci_siren"], strict=True),
                  key=lambda r: _sort_key(r[0]))
    return [{"label": f"{name} ({siren})", "value": siren} for name, siren in rows]


def commune_options(epci: str, df: pd.DataFrame | None = None) -> list[dict]:
    t = _table(df)
    t = t[t["epci_siren"] == epci]
    rows = sorted(zip(t["nom"], t["code_insee"], strict=True), key=lambda r: _sort_key(r[0]))
    return [{"label": f"{name} ({code})", "value": code} for name, code in rows]


def departement_options(df: pd.DataFrame | None = None) -> list[dict]:
    return [{"label": f"{name} ({code})", "value": code}
            for code, name in departement_names(df).items()]


def _sort_key(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
