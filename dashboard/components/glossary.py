"""The "ⓘ" beside a term: its glossary definition, one keyboard press away.

Native HTML, no callback: a `<details>` whose `<summary>` is the "ⓘ". The summary
takes the keyboard focus (Tab), Enter or Space opens and closes it, the browser
exposes it to screen readers as a button with its expanded state, and its
accessible name is "Définition : <term>" (visually hidden text; the "ⓘ" itself is
hidden from assistive technology). Styled in assets/style.css (`.glossary-*`).

    term("Part de logements sociaux")  # the words followed by their ⓘ
    info("acv")                        # the ⓘ of a glossary key alone
    label_info("Communes en Action Cœur de Ville")  # the ⓘ a KPI label needs, or None
"""

from __future__ import annotations

from dash import html

from .. import glossary

SYMBOL = "i"
"""Drawn as a circled "i" by the CSS (the "ⓘ" character is missing from many fonts)."""


def _definition(entry: glossary.Entry, with_title: bool) -> list:
    parts: list = []
    if with_title:
        parts.append(html.Strong(f"{entry.title} : "))
        parts.append(entry.definition[0].lower() + entry.definition[1:])
    else:
        if entry.expansion:
            parts.append(html.Strong(f"{entry.term} : {entry.expansion}. "))
        parts.append(entry.definition)
    if entry.source:
        parts.append(html.Span(f" {entry.source}", className="glossary-source"))
    return parts


def info_for(entries: tuple[glossary.Entry, ...] | list[glossary.Entry], name: str,
             element_id: str | None = None, titled: bool = True) -> html.Details:
    """The "ⓘ" of `name` showing the definitions of `entries` (one paragraph each),
    each introduced by its term unless `titled` is False (the name is the term)."""
    body = [html.P(_definition(e, titled), className="glossary-text mb-1",
                   **{"data-glossary": e.key}) for e in entries]
    kwargs = {"id": element_id} if element_id else {}
    return html.Details(
        [html.Summary([html.Span(SYMBOL, className="glossary-symbol", **{"aria-hidden": "true"}),
                       html.Span(f"Définition : {name}", className="visually-hidden")],
                      className="glossary-button", title=f"Définition : {name}"),
         html.Div(body, className="glossary-definition")],
        className="glossary-info", **kwargs)


def info(key: str, element_id: str | None = None) -> html.Details:
    """The "ⓘ" of one glossary entry (`glossary.BY_KEY[key]`); KeyError if unknown."""
    entry = glossary.BY_KEY[key]
    return info_for((entry,), entry.term, element_id, titled=False)


def label_info(label: str) -> html.Details | None:
    """The "ⓘ" a label needs (its own definition, or those of the acronyms and
    programmes it names); None when the glossary knows nothing in it."""
    entries = glossary.definitions_for(label)
    if not entries:
        return None
    return info_for(entries, label, titled=glossary.entry_for(label) is None)


def term(label: str, key: str | None = None) -> html.Span:
    """The words `label` followed by their "ⓘ" (the entry `key`, or the ones
    `definitions_for(label)` finds); the bare words when the glossary knows nothing."""
    ball = info(key) if key else label_info(label)
    return html.Span([label, ball] if ball is not None else [label], className="glossary-term")
