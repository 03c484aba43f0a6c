"""French sentence builders: the words around a territory's name, counts and dates.

Pure functions (no data access), tested with known answers:

- `in_territory` / `of_territory`: the preposition and article a name takes
  ("à Annonay", "au Puy-en-Velay", "dans la CA Annonay Rhône Agglo", "en Ardèche",
  "dans le Rhône"; "d'Annonay", "de la Drôme", "du Rhône");
- `among`: a part of a whole with its verb agreed ("1 des 3 communes a",
  "2 des 3 communes ont", "aucune des 3 communes n'a", "les 3 communes ont");
- `on_date` / `on_dates`: a date or a period ("le 29/08/2023", "du 01/02/2023 au
  29/08/2023", and "le 29/08/2023" for a period of one day);
- `capitalize`: the first letter of a sentence ("Dans la CA …");
- `ordinal` / `rank`: a rank ("1re", "1er", "12e"; "12e sur 172").

Counts agree through `formatting.plural` (singular for 0 and 1, never "(s)").
The departments' articles are facts of the language, typed here for the twelve
departments of Auvergne-Rhône-Alpes (region 84).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, NamedTuple

from .data.official.summary import RHONE_PARTS
from .formatting import MISSING, fmt_date, fmt_int, plural

Kind = Literal["commune", "epci", "departement", "region"]

VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸŒÆ")
"""First letters before which "de" and "ne" are elided (d', n'). An initial "h" is not:
whether it is mute differs from word to word."""


class Article(NamedTuple):
    """How a name is used with a preposition: its article and how one says "in" it."""

    article: str  # "le ", "la ", "l'", "les " or "" (no article)
    into: str  # "dans" or "en"


DEPARTEMENTS: dict[str, Article] = {
    "01": Article("l'", "dans"),    # l'Ain
    "03": Article("l'", "dans"),    # l'Allier
    "07": Article("l'", "en"),      # l'Ardèche: en Ardèche
    "15": Article("le ", "dans"),   # le Cantal
    "26": Article("la ", "dans"),   # la Drôme
    "38": Article("l'", "en"),      # l'Isère: en Isère
    "42": Article("la ", "dans"),   # la Loire
    "43": Article("la ", "en"),     # la Haute-Loire: en Haute-Loire
    "63": Article("le ", "dans"),   # le Puy-de-Dôme
    "69": Article("le ", "dans"),   # le Rhône
    "73": Article("la ", "en"),     # la Savoie: en Savoie
    "74": Article("la ", "en"),     # la Haute-Savoie: en Haute-Savoie
    "69D": Article("le ", "dans"),  # le Rhône (hors Métropole de Lyon)
    "69M": Article("la ", "dans"),  # la Métropole de Lyon
}
"""Article and "in" of each department of region 84, by code, and of the Rhône's two
halves as DREAL publishes them (`69D`, `69M`: `data.official.summary.RHONE_PARTS`)."""

DEPARTEMENT_CODES: dict[str, str] = {
    "Ain": "01", "Allier": "03", "Ardèche": "07", "Cantal": "15", "Drôme": "26",
    "Isère": "38", "Loire": "42", "Haute-Loire": "43", "Puy-de-Dôme": "63", "Rhône": "69",
    "Savoie": "73", "Haute-Savoie": "74",
    **{name: code for code, name in RHONE_PARTS.items()},
}
"""Code of each department of region 84, by name: a department named without its code
("en Ardèche") finds its article here."""

REGIONS: dict[str, Article] = {
    "84": Article("", "en"),  # en Auvergne-Rhône-Alpes, d'Auvergne-Rhône-Alpes
}

_FEMININE_HEADS = ("CC ", "CA ", "CU ", "Communauté ", "Métropole ")
"""EPCI names starting with a feminine noun ("la CA …", "la Métropole de Lyon")."""
_MASCULINE_HEADS = ("Grand ", "Pays ", "Syndicat ")
"""EPCI names starting with a masculine noun ("le Grand Annecy")."""


def capitalize(text: str) -> str:
    """The first letter in upper case, the rest unchanged: "dans la CA …" -> "Dans la CA …"."""
    return text[:1].upper() + text[1:]


def _elided(word: str, text: str) -> str:
    """"de" + text -> "de Lyon" / "d'Annonay" (the same for "ne": "n'a")."""
    return f"{word[0]}'{text}" if text[:1] in VOWELS else f"{word} {text}"


def _split_article(name: str) -> tuple[str, str]:
    """A commune's own article and the rest: "Le Puy-en-Velay" -> ("le", "Puy-en-Velay")."""
    for article in ("Les ", "Le "):
        if name.startswith(article):
            return article.strip().lower(), name[len(article):]
    return "", name


def _epci_article(name: str) -> str:
    if name.startswith(_FEMININE_HEADS):
        return "la "
    if name.startswith(_MASCULINE_HEADS):
        return "le "
    return ""  # "Saint-Étienne Métropole", "Grenoble-Alpes-Métropole": a proper name


def _with_article(kind: Kind, name: str, code: str | None) -> Article:
    if kind == "epci":
        return Article(_epci_article(name), "dans")
    table = DEPARTEMENTS if kind == "departement" else REGIONS
    if code is None and kind == "departement":
        code = DEPARTEMENT_CODES.get(name)
    if code is None and kind == "region" and name == "Auvergne-Rhône-Alpes":
        code = "84"
    known = table.get(code or "")
    if known is not None:
        return known
    raise KeyError(code)


def in_territory(kind: Kind, name: str, code: str | None = None) -> str:
    """"In" a territory: "à Annonay", "au Puy-en-Velay", "aux Vans",
    "dans la CA Annonay Rhône Agglo", "dans la Métropole de Lyon", "en Ardèche",
    "dans le Rhône", "dans l'Ain", "en Auvergne-Rhône-Alpes".

    A department or region is named by its code (`code`): one outside the table
    reads "dans le département Gironde" / "dans la région Bretagne".
    """
    if kind == "commune":
        article, rest = _split_article(name)
        return {"le": f"au {rest}", "les": f"aux {rest}"}.get(article, f"à {name}")
    try:
        found = _with_article(kind, name, code)
    except KeyError:
        return f"dans le département {name}" if kind == "departement" else (
            f"dans la région {name}")
    if found.into == "en":
        return f"en {name}"
    return f"dans {found.article}{name}"


def of_territory(kind: Kind, name: str, code: str | None = None) -> str:
    """"Of" a territory: "d'Annonay", "du Puy-en-Velay", "de la CA Annonay Rhône Agglo",
    "de Saint-Étienne Métropole", "de l'Ardèche", "du Rhône", "de la Drôme",
    "d'Auvergne-Rhône-Alpes" ("soit 15 % de la population de l'Ardèche")."""
    if kind == "commune":
        article, rest = _split_article(name)
        return {"le": f"du {rest}", "les": f"des {rest}"}.get(article, _elided("de", name))
    try:
        article = _with_article(kind, name, code).article
    except KeyError:
        return f"du département {name}" if kind == "departement" else f"de la région {name}"
    if article == "le ":
        return f"du {name}"
    if article == "les ":
        return f"des {name}"
    return f"de {article}{name}" if article else _elided("de", name)


def among(n: int, total: int, singular: str, plural_form: str | None = None, *,
          verb: tuple[str, str] = ("a", "ont"), feminine: bool = False) -> str:
    """A part of a whole and its verb, agreed:

    - "1 des 3 communes a", "2 des 3 communes ont";
    - all of them: "les 3 communes ont", and one of one: "la seule commune a";
    - none: "aucune des 3 communes n'a" (the verb takes "ne"; the rest of the
      sentence is the caller's: "n'a signé aucune ORT");
    - none of none: "aucune commune n'a".

    `verb` is (singular, plural) of the verb; `feminine` chooses "la seule" / "aucune".
    """
    if n < 0 or total < 0 or n > total:
        raise ValueError(f"a part of a whole needs 0 <= n <= total (got {n} of {total})")
    nouns = plural(total, singular, plural_form, number=False)
    one, many = verb
    if n == 0:
        none = "aucune" if feminine else "aucun"
        subject = f"{none} des {fmt_int(total)} {nouns}" if total else f"{none} {singular}"
        return f"{subject} {_elided('ne', one)}"
    if n == total == 1:
        return f"{'la seule' if feminine else 'le seul'} {singular} {one}"
    if n == total:
        return f"les {fmt_int(total)} {nouns} {many}"
    return f"{fmt_int(n)} des {fmt_int(total)} {nouns} {one if n < 2 else many}"


MISSING_DATE = "à une date non renseignée"
"""What `on_date` and `on_dates` say when no date is known."""

Day = dt.date | dt.datetime | str | None


def _known(value: Day) -> str | None:
    """"dd/mm/yyyy", or None for a missing or unreadable date."""
    text = fmt_date(value)
    return None if text == MISSING else text


def _ordinal(text: str) -> tuple[int, int, int]:
    """"dd/mm/yyyy" -> (yyyy, mm, dd), to put two dates in order."""
    day, month, year = (int(part) for part in text.split("/"))
    return year, month, day


def on_date(day: Day) -> str:
    """"le 29/08/2023"; `MISSING_DATE` when the date is not known."""
    text = _known(day)
    return MISSING_DATE if text is None else f"le {text}"


def on_dates(start: Day, end: Day) -> str:
    """A period: "du 01/02/2023 au 29/08/2023" (in date order), "le 29/08/2023" when
    both ends are the same day, "depuis le 01/02/2023" / "jusqu'au 29/08/2023" when one
    end is unknown, `MISSING_DATE` when both are.

    Dates are what `formatting.fmt_date` reads (date, datetime, Timestamp, ISO text).
    """
    first, last = _known(start), _known(end)
    if first is None and last is None:
        return MISSING_DATE
    if last is None:
        return f"depuis le {first}"
    if first is None:
        return f"jusqu'au {last}"
    if first == last:
        return f"le {first}"
    if _ordinal(last) < _ordinal(first):
        first, last = last, first
    return f"du {first} au {last}"


def ordinal(n: int, *, feminine: bool = False) -> str:
    """A rank as French writes it: "1er" / "1re" (feminine), then "2e", "12e", "1 000e"."""
    if n < 1:
        raise ValueError(f"a rank starts at 1 (got {n})")
    if n == 1:
        return "1re" if feminine else "1er"
    return f"{fmt_int(n)}e"


def rank(n: int, total: int, *, feminine: bool = False) -> str:
    """"12e sur 172", "1re sur 172", "1re sur 1" (the caller names what is counted)."""
    if not 1 <= n <= total:
        raise ValueError(f"a rank needs 1 <= n <= total (got {n} of {total})")
    return f"{ordinal(n, feminine=feminine)} sur {fmt_int(total)}"
