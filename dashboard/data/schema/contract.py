"""What a table must be (`TableContract`), the error it raises and its problem lines.

A problem line is one French sentence naming the column, the rows (numbered as
the user sees them) and a few example values; `TableError` carries them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ...formatting import plural
from ..columns import COMMUNE_COLUMNS, ColumnSpec

MAX_LISTED = 8
"""Row numbers listed in one problem line before "… (N lignes)"."""


class TableError(Exception):
    """A table broke its contract; `problems` holds one French line each."""

    def __init__(self, path: Path | str, problems: Sequence[str]):
        self.path = str(path)
        self.problems = list(problems)
        super().__init__(self.message())

    def message(self) -> str:
        """"Le fichier x n'est pas valide (2 problèmes) :" then one "- " line per problem."""
        head = (f"Le fichier {self.path} n'est pas valide "
                f"({plural(len(self.problems), 'problème')}) :")
        return "\n".join([head, *(f"- {p}" for p in self.problems)])


@dataclass(frozen=True)
class TableContract:
    """What a table must be: its columns, its key and reference checks."""

    name: str
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...] = ()
    references: tuple[tuple[str, frozenset[str], str], ...] = ()  # (column, allowed, label)


def commune_contract(epci_reference: Iterable[str] | None = None) -> TableContract:
    """The commune table's contract; EPCI codes checked against the reference if given."""
    refs = ()
    if epci_reference is not None:
        refs = (("epci_siren", frozenset(epci_reference), "la liste des EPCI 2026"),)
    return TableContract("communes", COMMUNE_COLUMNS, key=("code_insee",), references=refs)


# --- problem lines ---------------------------------------------------------------------

def _rows(index: Iterable[int], offset: int) -> str:
    rows = sorted({int(i) + offset for i in index})
    listed = ", ".join(str(r) for r in rows[:MAX_LISTED])
    more = f"… ({len(rows)} lignes)" if len(rows) > MAX_LISTED else ""
    word = "ligne" if len(rows) == 1 else "lignes"
    return f"{word} {listed}{more}"


def _examples(values: Iterable[object]) -> str:
    seen: list[str] = []
    for v in values:
        text = repr(v) if isinstance(v, str) else str(v)
        if text not in seen:
            seen.append(text)
        if len(seen) == 3:
            break
    return ", ".join(seen)


def column_problem(column: str, index: Iterable[int], what: str, values: Iterable[object] = (),
                   offset: int = 1) -> str:
    """"colonne « c », lignes 2, 5 : what (ex. : 'a', 'b')"; `offset` numbers rows for the user."""
    examples = _examples(values)
    tail = f" (ex. : {examples})" if examples else ""
    return f"colonne « {column} », {_rows(index, offset)} : {what}{tail}"


def key_problem(frame: pd.DataFrame, key: Sequence[str], index: Iterable[int],
                offset: int = 1) -> str:
    """One line for the rows that share a multi-column key, with example combinations."""
    rows = sorted(index)
    combos = [" / ".join(str(v) for v in frame.loc[i, list(key)]) for i in rows]
    return (f"clé ({', '.join(key)}), {_rows(rows, offset)} : combinaison en double, chaque "
            f"combinaison doit être unique (ex. : {_examples(combos)})")
