"""One search over the communes of the table and their EPCI (no Dash here).

`search("saint etienne")` finds Saint-Étienne: names are compared folded
(accents, case, hyphens and apostrophes do not matter; "st" and "ste" also
stand for "saint" and "sainte"), and a 5-digit INSEE code or a 9-digit SIREN
finds its territory. Postcodes are not in the data: a postcode finds nothing
unless it happens to be an INSEE code.

Ranking, best first: exact name (or code), name starting with the query, a
word of the name starting with it (every word of the query starts a word of
the name), the query anywhere in the name. Communes and EPCI are mixed; within
a rank the bigger population comes first, then the name.

Each result carries its label ("Langeac (43112) — CC des Rives du Haut
Allier", "CA Annonay Rhône Agglo (EPCI, 29 communes)") and the URL of its
profile (`/territoire?epci=…&commune=…`, without the app's path prefix).
The index is built once per process from `store.communes()` and forgotten by
`store.reset()`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode

from ..formatting import plural
from . import store

PROFILE_PATH = "/territoire"
"""The page of a territory's profile (pages/territoire.py: `?epci=` and `?commune=`)."""
MAX_RESULTS = 10
"""Results returned when the caller does not say how many."""
MAX_QUERY = 80
"""Characters of a query looked at (a longer one is cut, not an error)."""

EXACT, PREFIX, WORD_PREFIX, SUBSTRING = range(4)
"""Ranks of a match, best first."""

COMMUNE, EPCI = "commune", "epci"
Kind = Literal["commune", "epci"]

ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
"""Query words that stand for a longer word of a name (the query is tried both ways)."""

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_INSEE = re.compile(r"^(?:\d{5}|2[ab]\d{3})$")
_SIREN = re.compile(r"^\d{9}$")


def fold(text: object) -> str:
    """Lower case, no accent, words separated by one space: "L'Île-d'Abeau" -> "l ile d abeau"."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_LIGATURES))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _NOT_ALNUM.sub(" ", bare).strip()


@dataclass(frozen=True)
class Result:
    """One territory found: what it is, its code, its label and its profile's URL."""

    kind: Kind
    code: str  # INSEE code of a commune, SIREN of an EPCI
    name: str
    label: str
    url: str
    population: int

    @property
    def key(self) -> str:
        """A short identifier ("commune:43112", "epci:200072015"), e.g. an option's value."""
        return f"{self.kind}:{self.code}"


def profile_url(epci: str | None, commune: str | None = None) -> str:
    """`/territoire?epci=…[&commune=…]` (without the app's path prefix)."""
    params = {k: v for k, v in (("epci", epci), ("commune", commune)) if v}
    return f"{PROFILE_PATH}?{urlencode(params)}" if params else PROFILE_PATH


def _results() -> list[Result]:
    """Every commune of the table, then every EPCI (by SIREN)."""
    df = store.communes()
    results = []
    for code, name, siren, epci, population in zip(
            df["code_insee"], df["nom"], df["epci_siren"], df["epci_nom"], df["population"],
            strict=True):
        has_epci = isinstance(siren, str) and bool(siren)
        label = f"{name} ({code}) — {epci}" if has_epci else f"{name} ({code})"
        url = profile_url(siren if has_epci else None, code)
        results.append(Result(COMMUNE, code, name, label, url, int(population)))
    members = df.dropna(subset=["epci_siren"]).groupby("epci_siren", sort=True).agg(
        name=("epci_nom", "first"), communes=("code_insee", "size"),
        population=("population", "sum"))
    for siren, row in members.iterrows():
        label = f"{row['name']} (EPCI, {plural(int(row['communes']), 'commune')})"
        results.append(Result(EPCI, str(siren), row["name"], label, profile_url(siren),
                              int(row["population"])))
    return results


class _Keys:
    """Sorted (key, position) pairs: the positions whose key equals or starts with a text."""

    def __init__(self, pairs: list[tuple[str, int]]) -> None:
        pairs.sort()
        self.keys = [k for k, _ in pairs]
        self.positions = [i for _, i in pairs]

    def equal(self, text: str) -> set[int]:
        lo, hi = bisect_left(self.keys, text), bisect_right(self.keys, text)
        return set(self.positions[lo:hi])

    def starting(self, text: str) -> set[int]:
        lo = bisect_left(self.keys, text)
        hi = bisect_left(self.keys, text + "\uffff")
        return set(self.positions[lo:hi])


@dataclass(frozen=True)
class Index:
    """The searchable form of every result (built once per process, see `index`)."""

    results: tuple[Result, ...]
    order: tuple[tuple, ...]  # sort key of each result within a rank
    names: _Keys  # folded names: "saint etienne"
    compacts: _Keys  # folded names without spaces: "saintetienne", "larbresle"
    words: _Keys  # each word of each folded name
    haystack: str  # the compact names, one per line, for the substring rank
    starts: tuple[int, ...]  # offset of each line of `haystack`
    codes: dict[str, int]  # INSEE code or SIREN -> position

    def ranked(self, query: str) -> tuple[set[int], set[int], set[int]]:
        """Positions matching a folded query at the ranks EXACT, PREFIX and WORD_PREFIX
        (a position may be in several: its best rank counts)."""
        compact = query.replace(" ", "")
        exact = self.names.equal(query) | self.compacts.equal(compact)
        prefix = self.names.starting(query) | self.compacts.starting(compact)
        word_sets = [self.words.starting(w) for w in query.split()]
        word_prefix = set.intersection(*word_sets) if word_sets else set()
        return exact, prefix, word_prefix

    def containing(self, compact: str) -> set[int]:
        """Positions whose compact name contains `compact` (the substring rank)."""
        found, at = set(), self.haystack.find(compact)
        while at != -1:
            found.add(bisect_right(self.starts, at) - 1)
            at = self.haystack.find(compact, at + 1)
        return found


@store.memo(maxsize=1)
def index() -> Index:
    """Every commune of the table and every EPCI, ready to be searched."""
    results = tuple(_results())
    folded = [fold(r.name) for r in results]
    compacts = [f.replace(" ", "") for f in folded]
    starts, offset = [], 0
    for c in compacts:
        starts.append(offset)
        offset += len(c) + 1
    return Index(
        results=results,
        order=tuple((-r.population, f, r.kind, r.code) for r, f in zip(results, folded,
                                                                         strict=True)),
        names=_Keys([(f, i) for i, f in enumerate(folded)]),
        compacts=_Keys([(c, i) for i, c in enumerate(compacts)]),
        words=_Keys([(w, i) for i, f in enumerate(folded) for w in set(f.split())]),
        haystack="\n".join(compacts),
        starts=tuple(starts),
        codes={r.code: i for i, r in enumerate(results)},
    )


def _variants(folded: str) -> tuple[str, ...]:
    """The folded query, and with its abbreviations written out ("st etienne")."""
    expanded = " ".join(ABBREVIATIONS.get(w, w) for w in folded.split())
    return (folded,) if expanded == folded else (folded, expanded)


def lookup(key: object) -> Result | None:
    """The result an identifier names ("commune:43112", "epci:200072015"); None if unknown.

    The identifier may come from a browser: anything else (wrong shape, unknown
    code, a commune code given as an EPCI) gives None.
    """
    if not isinstance(key, str) or len(key) > 20:
        return None
    kind, _, code = key.partition(":")
    idx = index()
    position = idx.codes.get(code)
    if position is None or idx.results[position].kind != kind:
        return None
    return idx.results[position]


@store.memo(maxsize=512)
def _search(folded: str, limit: int) -> tuple[Result, ...]:
    idx = index()
    bare = folded.replace(" ", "")
    if _INSEE.match(bare) or _SIREN.match(bare):
        position = idx.codes.get(bare.upper())
        return () if position is None else (idx.results[position],)
    variants = _variants(folded)
    ranked = [idx.ranked(v) for v in variants]
    chosen: list[int] = []
    seen: set[int] = set()
    for rank in (EXACT, PREFIX, WORD_PREFIX, SUBSTRING):
        if len(chosen) >= limit:
            break
        if rank == SUBSTRING:  # the costly rank: only when the others are not enough
            tier = set().union(*(idx.containing(v.replace(" ", "")) for v in variants))
        else:
            tier = set().union(*(found[rank] for found in ranked))
        fresh = sorted(tier - seen, key=idx.order.__getitem__)
        chosen.extend(fresh[:limit - len(chosen)])
        seen.update(fresh)
    return tuple(idx.results[i] for i in chosen)


def search(query: object, limit: int = MAX_RESULTS) -> tuple[Result, ...]:
    """The territories matching `query`, best first, at most `limit` (none for a blank
    query). `query` is untrusted text (a browser's search box); it is never echoed."""
    if not isinstance(query, str) or limit < 1:
        return ()
    folded = fold(query[:MAX_QUERY])
    return _search(folded, int(limit)) if folded else ()
