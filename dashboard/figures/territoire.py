"""Figures of the territory profile (one EPCI), and their one-sentence summaries.

Builders are pure: tables in, figure out, each through `common.finish`
(title, territory, source and demonstration label inside the layout). The
private `_*_figure` builders return a `plain.PlainFigure` (no validation: the
profile's first view is not spent in plotly's validators); the public
`*_figure` functions return the same figure as a validated `go.Figure`. No data
access here: `views/territoire.py` gives the tables of one EPCI, calls these
builders and memoises the charts.

This module holds the shared pieces, the share of social housing per commune
and the landlords' engagement; the map, the calendar and the comparison are in
`territoire_carte.py`, `territoire_calendrier.py`, `territoire_comparaison.py`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from ..data import bailleurs
from ..data.sources import CALCULATIONS, source_line
from ..formatting import MISSING, NBSP, fmt_dec, fmt_int, fmt_pct, is_missing, plural
from ..french import among, capitalize, in_territory
from ..palette import ordinal_colorscale
from . import bailleurs as landlord_figures
from .common import (
    ACCENT,
    PRIMARY,
    SOURCE_BAILLEURS,
    SOURCE_BAILLEURS_DEMO,
    TEXT,
    WRAP,
    empty_figure,
    finish,
    value_axis,
    wrap,
)
from .common import add_note as _bottom_note  # the names engagement_figure uses
from .common import align_left as _align_left
from .common import pin_title as _title_top
from .common import wrap_source as _wrap_source
from .plain import PlainFigure

SRU_LABEL = "Commune soumise à la loi SRU"
SRU_TARGET_LABEL = "Objectif SRU de la commune"
SRU_NOTE = ("Hachures : commune soumise à l'article 55 de la loi SRU (inventaire officiel "
            "2025) ; trait noir : son objectif légal, qui s'applique à son taux légal SRU, "
            "pas à la part RPLS des barres.")
SRU_NONE = ("Objectif SRU non applicable ici : aucune commune de l'intercommunalité n'est "
            "soumise à l'article 55 de la loi SRU (inventaire 2025).")
SHARE_THRESHOLD = 20.0
"""Share quoted in the summary sentence ("3 communes sur 12 atteignent 20 %")."""
SOURCE_SHARES = source_line("rpls", "communes", "sru", extra=(CALCULATIONS,))
REFERENCE_COLOR = "#7b8794"  # 3.6:1 on white: enough for a bar
SRU_COLOR = ACCENT
MAP_LINE = "#7b8794"
SELECTED_LINE = "#f5a300"
MAX_ALL_BARS = 25
"""Above this many communes, the bar chart shows only communes with social housing."""
BAR_PX = 22
MESSAGE_WRAP = 48

Figure = go.Figure | PlainFigure
"""What the builders return: a `PlainFigure`, or a `go.Figure` (empty figures, landlords)."""


def _trace(kind: str, **props: object) -> dict:
    """A trace as a plain dict (what `go.Bar(...)` etc. give once validated)."""
    return {"type": kind, **props}


@lru_cache(maxsize=8)
def named_colorscale(name: str) -> list[list]:
    """A named plotly colour scale as the list `go.Choropleth` turns it into (a new list
    each time; plotly's validation runs once per name)."""
    return [list(step) for step in _colorscale(name)]


@lru_cache(maxsize=16)
def _colorscale(name: str) -> tuple[tuple, ...]:
    return tuple(tuple(step) for step in go.Choropleth(colorscale=name).to_plotly_json()[
        "colorscale"])


def as_go(fig: Figure) -> go.Figure:
    """A `go.Figure` (validated by plotly) of a builder's figure."""
    return fig if isinstance(fig, go.Figure) else go.Figure(fig.to_dict())


def fmt_points(diff: float | None) -> str:
    """A difference of two rates in percentage points: "+1,2 pt", "−3,4 pts", "0,0 pt"."""
    if is_missing(diff) or math.isinf(float(diff)):
        return MISSING
    value = round(float(diff), 1)
    sign = "+" if value > 0 else ("\u2212" if value < 0 else "")
    unit = "pt" if abs(value) < 2 else "pts"
    return f"{sign}{fmt_dec(abs(value), 1)}{NBSP}{unit}"


# --- share of social housing per commune ----------------------------------------------------

@dataclass(frozen=True)
class Reference:
    """A reference share drawn as a grey bar above the communes (EPCI, department, region)."""

    label: str
    value: float


def shown_communes(shares: pd.DataFrame, selected: str | None = None,
                   max_all: int = MAX_ALL_BARS) -> tuple[pd.DataFrame, int, int]:
    """Communes drawn in the bar chart: all of them up to `max_all`, else those
    with social housing (and the selected one). Returns (rows, communes without
    social housing left out, communes without a share left out)."""
    has_rate = shares["taux_logements_sociaux"].notna()
    keep = has_rate
    left_zero = 0
    if len(shares) > max_all:
        zero = has_rate & (shares["logements_sociaux"] == 0)
        keep = has_rate & (~zero | (shares["code_insee"] == selected))
        left_zero = int((zero & ~keep).sum())
    return shares[keep], left_zero, int((~has_rate).sum())


def _shares_figure(shares: pd.DataFrame, territory: str, references: list[Reference] = (),
                   selected: str | None = None) -> Figure:
    """Horizontal bars of each commune's share, highest first, with SRU 20/25 % lines.

    `shares` is `data.territoire.commune_shares` (sorted). Communes where the SRU
    threshold potentially applies are hatched in another colour; `selected`
    (INSEE code) is outlined in orange with its name in bold; `references` are
    grey bars on top. Above `MAX_ALL_BARS` communes, only those with social
    housing are drawn and a note says how many are left out.
    """
    title = "Part de logements sociaux par commune"
    rows, left_zero, no_rate = shown_communes(shares, selected)
    if rows.empty:
        return empty_figure(title, territory, SOURCE_SHARES,
                            wrap("Aucune commune de cette intercommunalité n'a de résidences "
                                 "principales connues.", MESSAGE_WRAP))
    order = [r.label for r in references] + rows["libelle"].tolist()
    fig = PlainFigure()
    if references:
        fig.add_trace(_trace("bar",
            name="Référence", orientation="h",
            y=[r.label for r in references], x=[r.value for r in references],
            marker={"color": REFERENCE_COLOR}, text=[fmt_pct(r.value) for r in references],
            textposition="outside", cliponaxis=False, hovertemplate="%{y} : %{text}<extra></extra>",
        ))
    sru = rows["sru_soumise"]
    top = max([*rows["taux_logements_sociaux"].tolist(), *(r.value for r in references),
               *rows.loc[sru, "sru_taux_cible"].dropna().tolist(), 0])
    x_max = max(30.0, top * 1.18)
    moved = labels_past_target(rows, x_max)
    groups = (
        ("Commune", rows[~sru], {"color": PRIMARY}),
        (SRU_LABEL, rows[sru],
         {"color": SRU_COLOR, "pattern": {"shape": "/", "fgcolor": "white", "size": 6}}),
    )
    for name, part, marker in groups:
        if not part.empty:
            fig.add_trace(_commune_bars(name, part, marker, moved))
    targets = rows[sru & rows["sru_taux_cible"].notna()]
    if not targets.empty:
        fig.add_trace(_trace("scatter",
            name=SRU_TARGET_LABEL, mode="markers", y=targets["libelle"].tolist(),
            x=targets["sru_taux_cible"].tolist(),
            marker={"symbol": "line-ns", "size": 18, "line": {"color": TEXT, "width": 3}},
            customdata=[fmt_pct(v, 0) for v in targets["sru_taux_cible"]],
            hovertemplate="<b>%{y}</b> : objectif SRU %{customdata}<extra></extra>"))
    if moved:
        # A value just short of its target: its label goes past the target line.
        past = rows[rows["libelle"].isin(moved)]
        fig.add_trace(_trace("scatter",
            name="Part (étiquette après l'objectif)", mode="text", showlegend=False,
            y=past["libelle"].tolist(), x=past["sru_taux_cible"].tolist(),
            text=[f"{NBSP}{NBSP}{fmt_pct(v)}" for v in past["taux_logements_sociaux"]],
            textposition="middle right", cliponaxis=False, hoverinfo="skip"))
    ticktext = list(order)
    widest = list(order)
    chosen = rows[rows["code_insee"] == selected] if selected else rows.iloc[0:0]
    if not chosen.empty:
        label = chosen["libelle"].iloc[0]
        widest.append(f"▶ {label}   ")  # bold and marked: a little wider
        ticktext[order.index(label)] = f"<b>▶ {_escape(label)}</b>"
        # An outline drawn over the commune's bar (barmode "overlay").
        fig.add_trace(_trace("bar",
            name=f"Sélection : {label}", orientation="h", y=[label],
            x=chosen["taux_logements_sociaux"].tolist(),
            marker={"color": "rgba(0,0,0,0)", "line": {"color": SELECTED_LINE, "width": 3}},
            hoverinfo="skip"))
    fig.update_xaxes(range=[0, x_max],
                     title={"text": "Logements sociaux pour 100 résidences principales",
                            "font": {"size": 12}})
    value_axis(fig, "x", percent=True)
    fig.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed",
                     automargin=True, ticks="", title=None, tickmode="array", tickvals=order,
                     ticktext=ticktext)
    notes = [SRU_NOTE if shares["sru_soumise"].any() else SRU_NONE]
    left_out = plural(left_zero, "non représentée", "non représentées", number=False)
    if left_zero:
        notes.append(f"{plural(left_zero, 'commune')} sans logement social {left_out}.")
    split = split_note(shares)
    if split:
        notes.append(split)
        no_rate -= int((shares["ancienne_commune"].notna()
                        & shares["taux_logements_sociaux"].isna()).sum())
    left_out = plural(no_rate, "non représentée", "non représentées", number=False)
    if no_rate:
        notes.append(f"{plural(no_rate, 'commune')} sans résidence principale connue "
                     f"{left_out}.")
    fig.update_layout(barmode="overlay", bargap=0.25, showlegend=True,
                      uniformtext={"minsize": 9, "mode": "show"})
    return finish(fig, title, territory, SOURCE_SHARES, height=260 + BAR_PX * len(order),
                  margin={"t": 128, "b": 136, "r": 48, "l": label_margin(widest)},
                  wrap_width=WRAP, legend=True, notes=[(" ".join(notes), -44)], align=True)


def split_note(shares: pd.DataFrame) -> str | None:
    """"Celles, Chalinargues… : données disponibles pour l'ancienne commune seulement
    (barre « … »)." for the split communes of `shares` (None without any)."""
    split = shares[shares["ancienne_commune"].notna()]
    if split.empty:
        return None
    parts = []
    for code, group in split.groupby("ancienne_commune", sort=True):
        bar = group.loc[group["taux_logements_sociaux"].notna(), "libelle"]
        where = f" (barre « {bar.iloc[0]} »)" if len(bar) else ""
        parts.append(f"{', '.join(sorted(group['nom']))} : données disponibles pour "
                     f"l'ancienne commune {code} seulement{where}.")
    return " ".join(parts)


LABEL_CLEARANCE = 0.2
"""Share of the x range a value label may need after its bar end (a label "23,4 %")."""


def labels_past_target(rows: pd.DataFrame, x_max: float) -> set[str]:
    """Bars (by `libelle`) whose value label, written after the bar end, would be crossed
    by the commune's SRU target line: values below their target by less than
    `LABEL_CLEARANCE` of the axis range. Their label goes after the line instead."""
    target = rows["sru_taux_cible"].where(rows["sru_soumise"].astype(bool))
    value = rows["taux_logements_sociaux"]
    close = (value < target) & (target - value < LABEL_CLEARANCE * x_max)
    return set(rows.loc[close.fillna(False), "libelle"])


def _commune_bars(name: str, part: pd.DataFrame, marker: dict,
                  moved: set[str] = frozenset()) -> dict:
    return _trace("bar",
        name=name, orientation="h", y=part["libelle"].tolist(),
        x=part["taux_logements_sociaux"].tolist(), marker=marker,
        text=[fmt_pct(v) for v in part["taux_logements_sociaux"]], textposition="outside",
        texttemplate=["" if label in moved else "%{text}" for label in part["libelle"]],
        cliponaxis=False,
        customdata=[[fmt_int(ls), fmt_int(rp), " (estimées)" if est else ""]
                    for ls, rp, est in zip(part["logements_sociaux"],
                                           part["residences_principales"], part["estimee"],
                                           strict=True)],
        hovertemplate=("<b>%{y}</b> : %{text}<br>%{customdata[0]} logements sociaux, "
                       "%{customdata[1]} résidences principales%{customdata[2]}<extra></extra>"),
    )


def shares_summary(shares: pd.DataFrame, territory: str, epci_rate: float,
                   departement: str, departement_rate: float, region_rate: float) -> str:
    """"Dans la CA X, 15,4 % des résidences principales sont des logements sociaux,
    contre … en Ardèche …; 2 des 5 communes atteignent 20 % …, 1 des 5 communes est sans
    logement social" (`territory` is the EPCI's name, `departement` the department's)."""
    over = shares[shares["taux_logements_sociaux"] >= SHARE_THRESHOLD]
    none = int((shares["logements_sociaux"] == 0).sum())
    text = (f"{capitalize(in_territory('epci', territory))}, {fmt_pct(epci_rate)} des "
            f"résidences principales sont des logements sociaux, contre "
            f"{fmt_pct(departement_rate)} {in_territory('departement', departement)} et "
            f"{fmt_pct(region_rate)} dans la région ; ")
    n = len(shares)
    twenty = fmt_pct(SHARE_THRESHOLD, 0)
    reach = among(len(over), n, "commune", feminine=True, verb=("atteint", "atteignent"))
    if over.empty:
        text += f"{reach} {twenty}"
    else:
        first = over.iloc[0]
        text += (f"{reach} {twenty} ou plus (la plus élevée : {first['nom']}, "
                 f"{fmt_pct(first['taux_logements_sociaux'])})")
    if none:
        text += (f", {among(none, n, 'commune', feminine=True, verb=('est', 'sont'))} "
                 "sans logement social")
    return text + "."


def label_margin(labels: list[str], font_px: float = 12, most: int = 260) -> int:
    """Left margin (px) that fits the longest axis label, within [60, `most`]."""
    longest = max((len(str(t)) for t in labels), default=0)
    return int(min(most, max(60, 18 + 0.58 * font_px * longest)))


def _escape(text: str) -> str:
    """Plotly templates: keep braces and angle brackets of names literal."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("%{", "%&#123;"))


# --- landlord engagement ---------------------------------------------------------------------

def _ordinal_colorscale(colors: tuple[str, ...]) -> list[list]:
    """One flat band per colour (`palette.ordinal_colorscale`)."""
    return ordinal_colorscale(colors)


def engagement_figure(grid: pd.DataFrame, territory: str, demo: bool) -> go.Figure:
    """`_engagement_figure` as a validated `go.Figure`."""
    return as_go(_engagement_figure(grid, territory, demo))


def _engagement_figure(grid: pd.DataFrame, territory: str, demo: bool) -> PlainFigure:
    """Landlord × programme commune heat map of the highest engagement level.

    `grid` is `bailleurs.matrix(...)` (long form, NA = no row for the pair). The heat
    map is the "Bailleurs" page's one (`figures.bailleurs.engagement_heatmap`: same
    levels, same colours), laid out like the other charts of the profile.
    """
    title = "Engagement des bailleurs sociaux"
    if grid.empty:
        return _no_landlord_figure(territory, demo)
    source = SOURCE_BAILLEURS_DEMO if demo else SOURCE_BAILLEURS
    view = landlord_figures.whole_matrix(grid)
    heat = landlord_figures.engagement_heatmap(
        view, colorbar_title="Niveau le plus élevé", gap=3, landlord_max=None,
        commune_max=None, colorbar_len=0.9 if len(view.landlords) > 3 else 1.0)
    fig = PlainFigure([heat.to_plotly_json()])  # one trace validated, no figure validation
    fig.update_xaxes(side="bottom", tickangle=-30 if len(view.communes) > 4 else 0,
                     automargin=True, showgrid=False)
    fig.update_yaxes(autorange="reversed", automargin=True, showgrid=False)
    height = max(360, 290 + 36 * len(view.landlords))
    finish(fig, title, f"{territory} — communes de programme", source, demo=demo,
           height=height, margin={"t": 86, "b": 160, "l": label_margin(list(heat.y))})
    _title_top(fig)
    _wrap_source(fig)
    _bottom_note(fig, "Case grise (« aucune information ») : le fichier ne dit rien de ce "
                      "bailleur dans cette commune (« non sollicité » est, lui, renseigné). "
                      f"« Engagé » = « {bailleurs.ENGAGED_FROM} » ou au-delà.", yshift=-100)
    _align_left(fig)
    return fig


def _no_landlord_figure(territory: str, demo: bool) -> PlainFigure:
    """`engagement_figure` of an empty grid, as a plain figure (a test checks they agree)."""
    fig = empty_figure("Engagement des bailleurs sociaux", territory,
                       SOURCE_BAILLEURS_DEMO if demo else SOURCE_BAILLEURS,
                       wrap(landlord_figures.NO_LANDLORD_IN_EPCI, MESSAGE_WRAP), demo=demo,
                       height=300, figure=PlainFigure())
    _wrap_source(fig)
    return fig


def engagement_summary(summary: dict | None, territory: str) -> str:
    """From `data.territoire.engagement_profile` (None: landlord file unavailable)."""
    if summary is None:
        return "Engagement des bailleurs indisponible : le fichier n'a pas pu être lu."
    prefix = "Données de démonstration : " if summary.get("donnees_demonstration") else ""
    n_prog = summary["communes_programme"]
    where = in_territory("epci", territory)
    head = f"{prefix}{where}" if prefix else capitalize(where)
    if not n_prog:
        return f"{head}, aucune commune de programme."
    rate = summary["taux_engagement"]
    present = summary["bailleurs"]
    return (f"{head}, "
            f"{plural(summary['bailleurs_engages'], 'bailleur engagé', 'bailleurs engagés')} "
            f"sur {plural(present, 'bailleur renseigné', 'bailleurs renseignés')} dans le "
            f"fichier ; {landlord_figures.engaged_communes(summary['communes_engagees'], n_prog)}"
            f" ({fmt_pct(rate)}).")


def shares_figure(shares: pd.DataFrame, territory: str, references: list[Reference] = (),
                  selected: str | None = None) -> go.Figure:
    """`_shares_figure` as a validated `go.Figure`."""
    return as_go(_shares_figure(shares, territory, references, selected))
