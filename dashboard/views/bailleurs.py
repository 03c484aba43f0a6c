"""View of the "Bailleurs" page: checked codes -> data -> figures -> sentences.

`check_view` turns the URL's untrusted `?epci=` / `?departement=` into checked
codes (with a French sentence for each refused one); `landlord_view` assembles
everything the page shows for checked codes (KPIs, the three charts as
`views.chart.Chart`, their summaries), memoised on the codes with `store.memo`.
The landlord file is read through `store.engagements()`: an invalid file gives
its one French sentence in `LandlordView.error`, never an exception.
No Dash here: the page (`pages/bailleurs.py`) lays out what this returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import NamedTuple
from urllib.parse import parse_qs

import pandas as pd

from .. import registry
from ..data import bailleurs, store, territories
from ..figures import bailleurs as figs
from ..formatting import MISSING, fmt_int, fmt_pct, plural
from ..french import in_territory, of_territory
from .chart import Chart

RATE, MATRIX, TYPES = "taux", "matrice", "types"
GRAPH_IDS: dict[str, str] = {RATE: "bailleurs-taux", MATRIX: "bailleurs-matrice",
                             TYPES: "bailleurs-types"}
INDICATORS: dict[str, str] = {RATE: "taux d'engagement des bailleurs",
                              MATRIX: "engagement des bailleurs par commune",
                              TYPES: "bailleurs par type"}


# --- codes of the URL ------------------------------------------------------------------------

class Scope(NamedTuple):
    """The territory of the view: its codes, its label and the phrase used in sentences."""

    epci: str | None
    departement: str | None
    territory: str
    where: str


@store.memo(maxsize=1)
def region_name() -> str:
    """Name of the region of the commune table ("Auvergne-Rhône-Alpes")."""
    return str(store.communes()["region_nom"].iloc[0])


def scope_for(epci: str | None, departement: str | None) -> Scope:
    """Label ("CA Annonay Rhône Agglo", "Ardèche (07)", region name) of checked codes."""
    if epci:
        name = territories.epci_names()[epci]
        return Scope(epci, departement, name, of_territory("epci", name))
    if departement:
        name = territories.departement_names()[departement]
        return Scope(None, departement, f"{name} ({departement})",
                     of_territory("departement", name, departement))
    return Scope(None, None, region_name(), "de la région")


@store.memo(maxsize=1024)
def epci_in_departement(epci: str, departement: str) -> bool:
    """True when the EPCI has a commune in the department (checked codes only)."""
    return epci in {o["value"] for o in territories.epci_options(departement=departement)}


class Checked(NamedTuple):
    """The codes of a URL once checked, and the French sentences for what was refused."""

    epci: str | None
    departement: str | None
    errors: list[str]


def check_view(epci: object, departement: object) -> Checked:
    """Check `?epci=` and `?departement=`: unknown codes are dropped with a French reason,
    as is a department the EPCI has no commune in."""
    dep = territories.check_departement(departement)
    ep = territories.check_epci(epci)
    errors = [e for e in (dep.error, ep.error) if e]
    dep_code = dep.code
    if ep.code and dep_code and not epci_in_departement(ep.code, dep_code):
        errors.append(f"L'intercommunalité {territories.epci_names()[ep.code]} n'a aucune "
                      f"commune dans le département {dep_code} : le filtre départemental est "
                      "ignoré.")
        dep_code = None
    return Checked(ep.code, dep_code, errors)


def current_view(search: str) -> tuple[str | None, str | None]:
    """(epci, departement) the page shows for a query string such as "?epci=…"."""
    query: Mapping[str, list[str]] = parse_qs(search.lstrip("?"))
    checked = check_view(query.get("epci"), query.get("departement"))
    return checked.epci, checked.departement


def picked_view(changed: str, departement: object, epci: object
                ) -> tuple[str | None, str | None] | None:
    """The (epci, departement) a change of the picker leads to; None if nothing to do.

    `changed` is "departement" or "epci". A new department drops an EPCI outside
    it (clearing the department keeps the EPCI); a new EPCI keeps the department
    only if the EPCI has a commune in it. Untrusted values are checked.
    """
    dep = territories.check_departement(departement)
    ep = territories.check_epci(epci)
    if changed == "departement":
        if dep.error:
            return None
        keep = ep.code if ep.code and (dep.code is None
                                       or epci_in_departement(ep.code, dep.code)) else None
        return keep, dep.code
    if changed == "epci":
        if ep.error or not ep.code:
            return None
        keep = dep.code if dep.code and epci_in_departement(ep.code, dep.code) else None
        return ep.code, keep
    return None


# --- data of a view --------------------------------------------------------------------------

class Data(NamedTuple):
    """The tables the charts of one view need (from the data layer)."""

    demo: bool
    dates: tuple[dt.date | None, dt.date | None]
    rates: pd.DataFrame
    region: dict
    departement: dict | None
    scope: dict
    matrix: bailleurs.MatrixView
    programme_communes: list[str]
    counts: pd.DataFrame


def view_data(engagements: pd.DataFrame, demo: bool, epci: str | None,
              departement: str | None) -> Data:
    """The tables of a view of checked codes, from the landlord table."""
    communes = store.communes()
    dep_communes = bailleurs.in_departement(communes, departement)
    scope_communes = communes[communes["epci_siren"] == epci] if epci else dep_communes
    grid = bailleurs.matrix(engagements, scope_communes)
    return Data(
        demo=demo,
        dates=bailleurs.information_dates(engagements),
        rates=bailleurs.epci_rates(engagements, communes, departement),
        region=bailleurs.scope_summary(engagements, communes),
        departement=(bailleurs.scope_summary(engagements, dep_communes) if departement
                     else None),
        scope=bailleurs.scope_summary(engagements, scope_communes),
        matrix=bailleurs.cap_matrix(grid),
        programme_communes=bailleurs.programme_commune_names(scope_communes),
        counts=bailleurs.counts_by_type(engagements, scope_communes),
    )


# --- the assembled view ----------------------------------------------------------------------

class Kpi(NamedTuple):
    """One KPI card: label, value, comparisons ((scope, value) pairs), note and the unit
    shown right under the value."""

    label: str
    value: str
    comparisons: tuple[tuple[str, str], ...]
    note: str
    unit: str = ""


def with_denominator(summary: dict) -> str:
    """"33,3 % (3/9)": a rate of programme communes never shown without its counts."""
    return (f"{fmt_pct(summary['taux_engagement'])} "
            f"({fmt_int(summary['communes_engagees'])}/{fmt_int(summary['communes_programme'])})")


class LandlordView(NamedTuple):
    """What the page shows for checked codes: an error sentence, or KPIs and charts."""

    scope: Scope
    demo: bool
    error: str | None
    kpis: tuple[Kpi, ...]
    charts: dict[str, Chart]  # RATE, MATRIX, TYPES
    territories: dict[str, str]  # territory named in each chart's PNG file name


def _kpis(d: Data, s: Scope) -> tuple[Kpi, ...]:
    sc = d.scope
    comparisons: list[tuple[str, str]] = []
    if s.epci and d.departement is not None and d.departement["communes_programme"]:
        comparisons.append((territories.departement_names()[s.departement],
                            with_denominator(d.departement)))
    if (s.epci or s.departement) and d.region["communes_programme"]:
        comparisons.append(("Région", with_denominator(d.region)))
    n, total = sc["communes_engagees"], sc["communes_programme"]
    if total:
        engaged = Kpi("Communes avec au moins un bailleur engagé",
                      f"{fmt_int(n)}/{fmt_int(total)}", tuple(comparisons),
                      f"Niveau « {bailleurs.ENGAGED_FROM} » ou au-delà.",
                      f"{plural(total, 'commune', number=False)} de programme, "
                      f"soit {fmt_pct(sc['taux_engagement'])}")
    else:
        engaged = Kpi("Communes avec au moins un bailleur engagé", MISSING, tuple(comparisons),
                      f"Aucune commune de programme {in_territory_of(s)}.")
    informed = plural(sc["bailleurs"], "bailleur renseigné", "bailleurs renseignés")
    return (
        Kpi("Communes de programme", fmt_int(sc["communes_programme"]), (),
            registry.enumeration()),
        engaged,
        Kpi("Bailleurs engagés", fmt_int(sc["bailleurs_engages"]), (),
            f"Sur {informed} dans le fichier pour ces communes."),
    )


def in_territory_of(s: Scope) -> str:
    """"dans la CA …", "en Ardèche", "dans la région": where a view is, in a sentence."""
    if s.epci:
        return in_territory("epci", s.territory)
    if s.departement:
        return in_territory("departement", territories.departement_names()[s.departement],
                            s.departement)
    return "dans la région"


def _charts(d: Data, s: Scope) -> tuple[dict[str, Chart], dict[str, str]]:
    """Rate by EPCI, landlord × commune matrix and counts by type of one view."""
    source = figs.source_line(d.demo, *d.dates)
    rate_scope = scope_for(None, s.departement)  # the rate chart covers the department
    reference = None
    if s.departement and d.departement is not None:
        reference = (territories.departement_names()[s.departement],
                     d.departement["taux_engagement"])
    region_rate = d.region["taux_engagement"]
    rate_fig = figs.engagement_rate_bars(
        d.rates, rate_scope.territory, source, region_rate=region_rate, reference=reference,
        highlight=s.epci, demo=d.demo)
    rate_text = figs.engagement_rate_summary(
        d.rates, rate_scope.where, region_rate,
        (in_territory("departement", reference[0], s.departement), reference[1])
        if reference else None)
    matrix_territory = (s.territory if s.epci or s.departement
                        else f"{region_name()} : bailleurs les plus engagés")
    matrix_text = figs.matrix_summary(d.matrix, s.where, d.programme_communes)
    matrix_fig = figs.engagement_matrix(d.matrix, matrix_territory, source, demo=d.demo,
                                        empty_message=matrix_text)
    counts_fig = figs.type_counts_bars(d.counts, s.territory, source, demo=d.demo)
    made = {RATE: (rate_fig, rate_text), MATRIX: (matrix_fig, matrix_text),
            TYPES: (counts_fig, figs.type_counts_summary(d.counts, s.where))}
    charts = {key: Chart(key, GRAPH_IDS[key], INDICATORS[key], fig.to_dict(), text)
              for key, (fig, text) in made.items()}
    return charts, {RATE: rate_scope.territory, MATRIX: s.territory, TYPES: s.territory}


@store.memo(maxsize=128)
def landlord_view(epci: str | None, departement: str | None) -> LandlordView:
    """The page's view of checked codes, computed once per process and pair of codes.

    Figures are kept as dicts (never mutated afterwards): building them with
    plotly.graph_objects costs ~20 ms each.
    """
    s = scope_for(epci, departement)
    loaded = store.engagements()
    if loaded.frame is None:
        return LandlordView(s, False, loaded.error, (), {}, {})
    d = view_data(loaded.frame, loaded.demo, epci, departement)
    charts, names = _charts(d, s)
    return LandlordView(s, d.demo, None, _kpis(d, s), charts, names)
