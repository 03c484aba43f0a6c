"""Figures of the territory profile (one EPCI), and their one-sentence summaries.

Builders are pure: tables in, figure out, each through `common.finish`
(title, territory, source and demonstration label inside the layout). The
private `_*_figure` builders return a `plain.PlainFigure` (no validation: the
profile's first view is not spent in plotly's validators); the public
`*_figure` functions return the same figure as a validated `go.Figure`. The
`profile_charts` / `profile_figures` functions at the bottom assemble the
charts of one profile from codes and memoize them (the page and the export of
all charts share them).
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from ..data import bailleurs, geo, profile
from ..formatting import MISSING, NBSP, fmt_date, fmt_dec, fmt_int, fmt_pct, is_missing
from ..palette import ordinal_colorscale
from . import bailleurs as landlord_figures
from .common import (
    ACCENT,
    CATEGORICAL,
    EXPORT_HEIGHT,
    GRID,
    MUTED,
    PRIMARY,
    PROGRAMME_COLORS,
    SOURCE_BAILLEURS,
    SOURCE_BAILLEURS_DEMO,
    SOURCE_PROGRAMMES,
    SOURCE_RPLS,
    TEXT,
    empty_figure,
    finish,
    graph_config,
    value_axis,
)
from .plain import PlainFigure

SRU_LINES = (20.0, 25.0)
SRU_LABEL = "Seuil SRU potentiellement applicable"
SRU_CAVEAT = ("indication tirée des données publiques, pas l'inventaire SRU officiel")
REFERENCE_COLOR = "#7b8794"  # 3.6:1 on white: enough for a bar
SRU_COLOR = ACCENT
MAP_LINE = "#7b8794"
SELECTED_LINE = "#f5a300"
MAX_ALL_BARS = 25
"""Above this many communes, the bar chart shows only communes with social housing."""
BAR_PX = 22
WRAP = 105
MESSAGE_WRAP = 48

# key -> (graph id, indicator used in the PNG file name)
CHARTS: dict[str, tuple[str, str]] = {
    "parts": ("territoire-graph-parts", "taux-logements-sociaux"),
    "carte": ("territoire-graph-carte", "carte-taux-logements-sociaux"),
    "calendrier": ("territoire-graph-calendrier", "calendrier-programmes"),
    "bailleurs": ("territoire-graph-bailleurs", "engagement-bailleurs"),
    "comparaison": ("territoire-graph-comparaison", "comparaison-intercommunalites"),
}


Figure = go.Figure | PlainFigure
"""What the builders return: a `PlainFigure`, or a `go.Figure` (empty figures, landlords)."""


def _trace(kind: str, **props: object) -> dict:
    """A trace as a plain dict (what `go.Bar(...)` etc. give once validated)."""
    return {"type": kind, **props}


@lru_cache(maxsize=8)
def named_colorscale(name: str) -> list[list]:
    """A named plotly colour scale as the list `go.Choropleth` turns it into."""
    return go.Choropleth(colorscale=name).to_plotly_json()["colorscale"]


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


def _plural(n: int, singular: str, plural: str | None = None) -> str:
    return f"{fmt_int(n)} {singular if n < 2 else (plural or singular + 's')}"


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

    `shares` is `profile.commune_shares` (sorted). Communes where the SRU
    threshold potentially applies are hatched in another colour; `selected`
    (INSEE code) is outlined in orange with its name in bold; `references` are
    grey bars on top. Above `MAX_ALL_BARS` communes, only those with social
    housing are drawn and a note says how many are left out.
    """
    title = "Part de logements sociaux par commune"
    rows, left_zero, no_rate = shown_communes(shares, selected)
    if rows.empty:
        return empty_figure(title, territory, SOURCE_RPLS,
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
    sru = rows["sru_seuil_applicable"]
    groups = (
        ("Commune", rows[~sru], {"color": PRIMARY}),
        (SRU_LABEL, rows[sru],
         {"color": SRU_COLOR, "pattern": {"shape": "/", "fgcolor": "white", "size": 6}}),
    )
    for name, part, marker in groups:
        if not part.empty:
            fig.add_trace(_commune_bars(name, part, marker))
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
    top = max([*rows["taux_logements_sociaux"].tolist(), *(r.value for r in references), 0])
    fig.update_xaxes(range=[0, max(30.0, top * 1.18)],
                     title={"text": "Logements sociaux pour 100 résidences principales",
                            "font": {"size": 12}})
    value_axis(fig, "x", percent=True)
    fig.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed",
                     automargin=True, ticks="", title=None, tickmode="array", tickvals=order,
                     ticktext=ticktext)
    for x in SRU_LINES:
        fig.add_shape(type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="y domain",
                      line={"color": TEXT, "width": 1.5, "dash": "dash"}, layer="below",
                      name=f"sru-{x:.0f}")
        fig.add_annotation(text=f"SRU {fmt_pct(x, 0)}", x=x, xref="x", y=1, yref="y domain",
                           yanchor="bottom", xanchor="right" if x == SRU_LINES[0] else "left",
                           showarrow=False, font={"size": 11, "color": TEXT},
                           name=f"sru-{x:.0f}")
    notes = ["Hachures : seuil SRU potentiellement applicable (3 500 habitants ou plus, EPCI de "
             "plus de 50 000 habitants avec une commune de plus de 15 000) — " + SRU_CAVEAT
             + "."]
    if left_zero:
        notes.append(f"{_plural(left_zero, 'commune')} sans logement social "
                     f"{'non représentée' if left_zero < 2 else 'non représentées'}.")
    if no_rate:
        notes.append(f"{_plural(no_rate, 'commune')} sans résidence principale connue "
                     f"{'non représentée' if no_rate < 2 else 'non représentées'}.")
    _bottom_note(fig, " ".join(notes), yshift=-44)
    fig.update_layout(barmode="overlay", bargap=0.25, showlegend=True,
                      uniformtext={"minsize": 9, "mode": "show"})
    finish(fig, title, territory, SOURCE_RPLS, height=260 + BAR_PX * len(order),
           margin={"t": 128, "b": 136, "r": 48, "l": label_margin(widest)})
    _legend_under_title(fig)
    _wrap_source(fig)
    _align_left(fig)
    return fig


def _title_top(fig: Figure) -> int:
    """Keep the title 8 px from the top whatever the figure's height; returns the height."""
    height = fig.layout.height
    fig.update_layout(title={"y": 1 - 8 / height})
    return height


def _legend_under_title(fig: Figure) -> None:
    """Title 8 px from the top whatever the height, horizontal legend under the subtitle
    (in the top margin, above the plot)."""
    height = _title_top(fig)
    fig.update_layout(
        legend={"yref": "container", "y": 1 - 58 / height, "yanchor": "top",
                "xref": "container", "x": 0.01, "xanchor": "left", "orientation": "h",
                "font": {"size": 11.5}},
    )


def _commune_bars(name: str, part: pd.DataFrame, marker: dict) -> dict:
    return _trace("bar",
        name=name, orientation="h", y=part["libelle"].tolist(),
        x=part["taux_logements_sociaux"].tolist(), marker=marker,
        text=[fmt_pct(v) for v in part["taux_logements_sociaux"]], textposition="outside",
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
    """"À X, 15,4 % des résidences principales sont des logements sociaux, contre …"."""
    over = shares[shares["taux_logements_sociaux"] >= SRU_LINES[0]]
    none = int((shares["logements_sociaux"] == 0).sum())
    text = (f"À {territory}, {fmt_pct(epci_rate)} des résidences principales sont des "
            f"logements sociaux, contre {fmt_pct(departement_rate)} dans le département "
            f"({departement}) et {fmt_pct(region_rate)} dans la région ; ")
    n = len(shares)
    twenty = fmt_pct(SRU_LINES[0], 0)
    if over.empty:
        text += f"aucune des {fmt_int(n)} communes n'atteint {twenty}"
    else:
        first = over.iloc[0]
        verb = "atteint" if len(over) < 2 else "atteignent"
        text += (f"{_plural(len(over), 'commune')} sur {fmt_int(n)} {verb} {twenty} ou plus "
                 f"(la plus élevée : {first['nom']}, "
                 f"{fmt_pct(first['taux_logements_sociaux'])})")
    if none:
        has = "n'a" if none < 2 else "n'ont"
        text += f", {_plural(none, 'commune')} {has} aucun logement social"
    return text + "."


# --- commune map -----------------------------------------------------------------------------

def _map_figure(shares: pd.DataFrame, geometry: dict, territory: str,
                selected: str | None = None, labels: pd.DataFrame | None = None) -> Figure:
    """Communes of the EPCI coloured by share (no tiles: `go.Choropleth`, hidden basemap).

    `labels` (code_insee, lon, lat: `profile.label_points`) names some communes.
    Offline: plotly.js fetches a world topojson from its CDN when the *first*
    trace of a geo subplot has a `locationmode`, which a GeoJSON choropleth
    always has (plotly.js issue #6767). So the first trace is a lon/lat
    `Scattergeo` (the names, or an invisible point), and nothing is fetched.
    """
    title = "Carte : part de logements sociaux"
    if not geometry.get("features"):
        return empty_figure(title, territory, SOURCE_RPLS,
                            wrap("Contours des communes indisponibles pour cette "
                                 "intercommunalité.", MESSAGE_WRAP))
    fig = PlainFigure()
    fig.add_trace(_label_trace(shares, geometry, labels))
    # One location per feature: communes split since the boundaries' vintage share
    # their former commune's feature and its combined share (geo module).
    drawn = geo.map_values(shares, geometry)
    rates = drawn["taux_logements_sociaux"]
    top = float(rates.max()) if rates.notna().any() else 0.0
    zmax = max(25.0, math.ceil(top / 5) * 5)
    fig.add_trace(_trace("choropleth",
        geojson=geometry, featureidkey="id", locations=drawn["location"].tolist(),
        z=rates.tolist(), zmin=0, zmax=zmax, colorscale=named_colorscale("Blues"),
        marker={"line": {"color": MAP_LINE, "width": 0.6}},
        customdata=[[nom, fmt_pct(v)] for nom, v in zip(drawn["nom"], rates, strict=True)],
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} de logements sociaux"
                      "<extra></extra>",
        colorbar={"title": {"text": "Part (%)", "side": "top"}, "ticksuffix": " %",
                  "tickformat": ",.0f", "thickness": 14, "len": 0.8},
        name="Part de logements sociaux", showlegend=False,
    ))
    note = "Blanc : aucun logement social ; plus foncé : part plus élevée."
    if selected and selected in set(shares["code_insee"]):
        name = shares.loc[shares["code_insee"] == selected, "nom"].iloc[0]
        outline = geo.feature_ids(geometry).get(selected, selected)
        fig.add_trace(_trace("choropleth",
            geojson=profile.geometry_subset(geometry, [outline]), featureidkey="id",
            locations=[outline], z=[1],
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
            marker={"line": {"color": SELECTED_LINE, "width": 4}}, hoverinfo="skip",
            name="Commune sélectionnée", showlegend=False,
        ))
        note = f"Contour orange épais : {name} (commune sélectionnée). " + note
    _bottom_note(fig, note, yshift=-4)
    fig.update_geos(fitbounds="locations", visible=False, projection={"type": "mercator"},
                    bgcolor="white")
    fig.update_layout(showlegend=False)
    finish(fig, title, territory, SOURCE_RPLS, height=480, margin={"t": 78, "b": 72})
    _wrap_source(fig)
    return fig


def _label_trace(shares: pd.DataFrame, geometry: dict, labels: pd.DataFrame | None
                 ) -> dict:
    """Names of some communes at a point inside them (or one invisible point)."""
    if labels is None or labels.empty:
        first = geometry["features"][0]["geometry"]["coordinates"]
        while isinstance(first[0], list):
            first = first[0]
        return _trace("scattergeo", lon=[first[0]], lat=[first[1]], mode="markers",
                             marker={"size": 1, "opacity": 0}, hoverinfo="skip",
                             showlegend=False, name="")
    names = shares.set_index("code_insee")["nom"]
    return _trace("scattergeo",
        lon=labels["lon"].tolist(), lat=labels["lat"].tolist(), mode="text",
        text=[names.get(c, "") for c in labels["code_insee"]],
        textfont={"size": 12, "color": TEXT}, textposition="middle center",
        hoverinfo="skip", showlegend=False, name="Noms des communes",
    )


def map_summary(shares: pd.DataFrame, territory: str) -> str:
    rates = shares.dropna(subset=["taux_logements_sociaux"])
    if rates.empty:
        return f"La carte de {territory} ne montre aucune part connue."
    top = rates.iloc[0]
    low = rates.iloc[-1]
    none = int((rates["logements_sociaux"] == 0).sum())
    text = (f"Sur la carte des {fmt_int(len(shares))} communes de {territory}, la part va de "
            f"{fmt_pct(low['taux_logements_sociaux'])} ({low['nom']}) à "
            f"{fmt_pct(top['taux_logements_sociaux'])} ({top['nom']})")
    if none:
        verb = "apparaît" if none < 2 else "apparaissent"
        text += f" ; {_plural(none, 'commune')} sans logement social {verb} en blanc"
    return text + "."


# --- programme milestones --------------------------------------------------------------------

EVENT_SYMBOLS = {profile.EVENT_AMI: "diamond", profile.EVENT_ACV: "circle",
                 profile.EVENT_ORT: "square"}
EVENT_PROGRAMME = {profile.EVENT_AMI: "AMI centres-bourgs", profile.EVENT_ACV: "ACV",
                   profile.EVENT_ORT: "ORT"}
PVD_NOTE = ("Petites villes de demain : l'adhésion n'a pas de date dans les sources, elle "
            "n'apparaît pas sur le calendrier.")
AMI_NOTE = "AMI centres-bourgs : la source ne donne que l'année (2014)."


def _timeline_figure(events: pd.DataFrame, territory: str, pvd_communes: int = 0,
                     today: dt.date | None = None) -> Figure:
    """Milestones since 2014 (`profile.milestones`), one row per commune."""
    title = "Calendrier des programmes depuis 2014"
    notes = [AMI_NOTE, PVD_NOTE if not pvd_communes else
             PVD_NOTE.replace("l'adhésion", f"l'adhésion ({_plural(pvd_communes, 'commune')})")]
    if events.empty:
        fig = empty_figure(title, territory, SOURCE_PROGRAMMES,
                           wrap("Aucune étape datée depuis 2014 pour les communes de cette "
                                "intercommunalité.", MESSAGE_WRAP), height=320,
                           figure=PlainFigure())
        fig.update_layout(margin={"b": 100})
        _bottom_note(fig, notes[1])
        _wrap_source(fig)
        return fig
    today = today or dt.date.today()
    communes = list(dict.fromkeys(events["commune"]))
    # Date labels alternate above / below the markers of one commune, so close dates
    # (a convention, then the ORT a few months later) do not overwrite each other.
    rank = events.groupby("commune", sort=False).cumcount()
    events = events.assign(position=["top center" if r % 2 == 0 else "bottom center"
                                     for r in rank])
    fig = PlainFigure()
    for event, symbol in EVENT_SYMBOLS.items():
        part = events[events["evenement"] == event]
        if part.empty:
            continue
        labels = ["2014" if only_year else fmt_date(d)
                  for d, only_year in zip(part["date"], part["annee_seule"], strict=True)]
        fig.add_trace(_trace("scatter",
            name=event, x=part["date"].tolist(), y=part["commune"].tolist(), mode="markers+text",
            marker={"symbol": symbol, "size": 14,
                    "color": PROGRAMME_COLORS[EVENT_PROGRAMME[event]],
                    "line": {"color": "white", "width": 1}},
            text=labels, textposition=part["position"].tolist(),
            textfont={"size": 11, "color": TEXT},
            customdata=labels,
            hovertemplate=f"<b>%{{y}}</b><br>{event} : %{{customdata}}<extra></extra>",
        ))
    fig.update_xaxes(type="date", range=["2013-07-01", f"{today.year + 1}-01-01"],
                     tickformat="%Y", gridcolor=GRID, showline=True,
                     linecolor=MUTED)
    fig.update_yaxes(categoryorder="array", categoryarray=communes, autorange="reversed",
                     automargin=True, ticks="", gridcolor=GRID)
    fig.update_layout(showlegend=True)
    height = 270 + 56 * len(communes)
    finish(fig, title, territory, SOURCE_PROGRAMMES, height=height,
           margin={"t": 112, "b": 124, "l": label_margin(communes)})
    _wrap_source(fig)
    _legend_under_title(fig)
    _bottom_note(fig, " ".join(notes), yshift=-30)
    _align_left(fig)
    return fig


def wrap(text: str, width: int = WRAP) -> str:
    """Break a long note into lines (plotly does not wrap annotation text)."""
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False)) if text else text


def _wrap_source(fig: Figure, width: int = WRAP) -> None:
    """Break the source line `finish` wrote into lines of at most `width` characters."""
    bottom = fig.layout.margin.b
    for ann in fig.layout.annotations:
        if ann.name == "source":
            ann.text = wrap(ann.text.replace("<br>", " "), width)
            # The last line ends 6 px above the bottom of the image.
            ann.yshift = -(bottom - 6 - 13 * (ann.text.count("<br>") + 1))


def label_margin(labels: list[str], font_px: float = 12, most: int = 260) -> int:
    """Left margin (px) that fits the longest axis label, within [60, `most`]."""
    longest = max((len(str(t)) for t in labels), default=0)
    return int(min(most, max(60, 18 + 0.58 * font_px * longest)))


def _align_left(fig: Figure) -> None:
    """Notes and source start at the figure's left edge, under the axis labels, not at
    the plot's left edge (plotly places `paper` x=0 there)."""
    shift = -(fig.layout.margin.l - 12)
    for ann in fig.layout.annotations:
        if ann.name in ("source", "note"):
            ann.xshift = shift


def _bottom_note(fig: Figure, text: str, yshift: int = -8) -> None:
    """A note under the plot, above the source line."""
    fig.add_annotation(text=wrap(text), xref="paper", yref="paper", x=0, y=0, xanchor="left",
                       yanchor="top", yshift=yshift, showarrow=False, align="left",
                       font={"size": 10.5, "color": TEXT}, name="note")


def timeline_summary(events: pd.DataFrame, territory: str, pvd_communes: int = 0) -> str:
    pvd = (f" ; {_plural(pvd_communes, 'commune')} {'est' if pvd_communes < 2 else 'sont'} "
           "en Petites villes de demain, adhésion sans date dans les sources"
           if pvd_communes else "")
    if events.empty:
        return f"Aucune étape datée depuis 2014 à {territory}{pvd}."
    parts = []
    for event in EVENT_SYMBOLS:
        part = events[events["evenement"] == event]
        if part.empty:
            continue
        if len(part) <= 3:
            where = ", ".join(
                f"{c} ({'2014' if y else fmt_date(d)})"
                for c, d, y in zip(part["commune"], part["date"], part["annee_seule"],
                                   strict=True))
            parts.append(f"{event.lower()} : {where}")
        else:
            parts.append(f"{event.lower()} : {fmt_int(len(part))} communes, de "
                         f"{fmt_date(part['date'].min())} à {fmt_date(part['date'].max())}")
    text = f"Étapes datées depuis 2014 à {territory} — " + " ; ".join(parts)
    return text.replace("convention action", "convention Action").replace(
        "signature de l'ort", "signature de l'ORT").replace(
        "lauréat ami", "lauréat AMI") + pvd + "."


# --- landlord engagement ---------------------------------------------------------------------

def _ordinal_colorscale(colors: tuple[str, ...]) -> list[list]:
    """One flat band per colour (`palette.ordinal_colorscale`)."""
    return ordinal_colorscale(colors)


def engagement_figure(grid: pd.DataFrame, territory: str, demo: bool) -> go.Figure:
    """Landlord × programme commune heat map of the highest engagement level.

    `grid` is `bailleurs.matrix(...)` (long form, NA = no row for the pair). The heat
    map is the "Bailleurs" page's one (`figures.bailleurs.engagement_heatmap`: same
    levels, same colours), laid out like the other charts of the profile.
    """
    title = "Engagement des bailleurs sociaux"
    if grid.empty:
        return go.Figure(_no_landlord_figure(territory, demo).to_dict())
    source = SOURCE_BAILLEURS_DEMO if demo else SOURCE_BAILLEURS
    view = landlord_figures.whole_matrix(grid)
    heat = landlord_figures.engagement_heatmap(
        view, colorbar_title="Niveau le plus élevé", gap=3, landlord_max=None,
        commune_max=None, colorbar_len=0.9 if len(view.landlords) > 3 else 1.0)
    fig = go.Figure(heat)
    fig.update_xaxes(side="bottom", tickangle=-30 if len(view.communes) > 4 else 0,
                     automargin=True, showgrid=False)
    fig.update_yaxes(autorange="reversed", automargin=True, showgrid=False)
    height = max(360, 290 + 36 * len(view.landlords))
    finish(fig, title, f"{territory} — communes de programme", source, demo=demo,
           height=height, margin={"t": 86, "b": 160, "l": label_margin(list(heat.y))})
    _title_top(fig)
    _wrap_source(fig)
    _bottom_note(fig, "Case grise (« aucune information ») : le bailleur n'a pas de ligne "
                      f"pour cette commune. « Engagé » = « {bailleurs.ENGAGED_FROM} » ou "
                      "au-delà.", yshift=-100)
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
    """From `profile.engagement_profile` (None: landlord file unavailable)."""
    if summary is None:
        return "Engagement des bailleurs indisponible : le fichier n'a pas pu être lu."
    prefix = "Données de démonstration : " if summary.get("donnees_demonstration") else ""
    n_prog = summary["communes_programme"]
    if not n_prog:
        return f"{prefix}{territory} n'a aucune commune de programme."
    rate = summary["taux_engagement"]
    return (f"{prefix}à {territory}, {fmt_int(summary['bailleurs_engages'])} bailleur(s) "
            f"engagé(s) sur {fmt_int(summary['bailleurs'])} présent(s) ; "
            f"{fmt_int(summary['communes_engagees'])} des {fmt_int(n_prog)} communes de "
            f"programme ont au moins un bailleur engagé ({fmt_pct(rate)}).")


# --- comparison of EPCI ----------------------------------------------------------------------

COMPARED = (
    ("taux_logements_sociaux", "Part de logements sociaux<br>(résidences principales)"),
    ("part_population_programme", "Population vivant dans<br>une commune de programme"),
    ("taux_engagement", "Communes de programme avec<br>un bailleur engagé"),
)


def _comparison_figure(table: pd.DataFrame, territory: str, demo: bool) -> Figure:
    """Grouped bars: each EPCI (then the region, grey) on three rates."""
    title = "Comparaison des intercommunalités"
    x = [label for _, label in COMPARED]
    fig = PlainFigure()
    for i, rec in enumerate(table.to_dict("records")):
        values = [rec[key] for key, _ in COMPARED]
        color = REFERENCE_COLOR if rec["region"] else CATEGORICAL[i % len(CATEGORICAL)]
        name = f"{rec['nom']} (région)" if rec["region"] else rec["nom"]
        fig.add_trace(_trace("bar",
            name=name, x=x, y=[None if is_missing(v) else v for v in values],
            marker={"color": color}, text=[fmt_pct(v) for v in values],
            textposition="outside", cliponaxis=False,
            hovertemplate=f"<b>{_escape(name)}</b><br>%{{x}} : %{{text}}<extra></extra>",
        ))
    value_axis(fig, "y", percent=True)
    top = pd.to_numeric(table[[k for k, _ in COMPARED]].stack(), errors="coerce").max()
    fig.update_yaxes(range=[0, max(30.0, float(top) * 1.15 if pd.notna(top) else 30.0)])
    fig.update_layout(barmode="group", bargap=0.2, bargroupgap=0.05, showlegend=True)
    fig.update_xaxes(tickangle=0)
    source = (SOURCE_RPLS + " ; " + SOURCE_PROGRAMMES.removeprefix("Sources : ")
              + " ; engagement des bailleurs : "
              + SOURCE_BAILLEURS.removeprefix("Source : "))
    finish(fig, title, territory, source, demo=demo, height=520, margin={"t": 112, "b": 150})
    _wrap_source(fig, 125)
    _legend_under_title(fig)
    return fig


def _escape(text: str) -> str:
    """Plotly templates: keep braces and angle brackets of names literal."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("%{", "%&#123;"))


def comparison_summary(table: pd.DataFrame) -> str:
    epcis = table[~table["region"]]
    region = table[table["region"]].iloc[0]
    shares = ", ".join(f"{r['nom']} {fmt_pct(r['taux_logements_sociaux'])}"
                       for r in epcis.to_dict("records"))
    best = epcis.sort_values("part_population_programme", ascending=False).iloc[0]
    region_rate = fmt_pct(region["taux_logements_sociaux"])
    return (f"Part de logements sociaux : {shares}, contre {region_rate} dans la région ; "
            f"la plus forte part de population en commune de programme est "
            f"celle de {best['nom']} ({fmt_pct(best['part_population_programme'])}).")


def shares_figure(shares: pd.DataFrame, territory: str, references: list[Reference] = (),
                  selected: str | None = None) -> go.Figure:
    """`_shares_figure` as a validated `go.Figure`."""
    return as_go(_shares_figure(shares, territory, references, selected))


def map_figure(shares: pd.DataFrame, geometry: dict, territory: str,
               selected: str | None = None, labels: pd.DataFrame | None = None) -> go.Figure:
    """`_map_figure` as a validated `go.Figure`."""
    return as_go(_map_figure(shares, geometry, territory, selected, labels))


def timeline_figure(events: pd.DataFrame, territory: str, pvd_communes: int = 0,
                    today: dt.date | None = None) -> go.Figure:
    """`_timeline_figure` as a validated `go.Figure`."""
    return as_go(_timeline_figure(events, territory, pvd_communes, today))


def comparison_figure(table: pd.DataFrame, territory: str, demo: bool) -> go.Figure:
    """`_comparison_figure` as a validated `go.Figure`."""
    return as_go(_comparison_figure(table, territory, demo))


# --- the charts of one profile (memoized on codes) -------------------------------------------

@dataclass(frozen=True)
class Chart:
    """One chart of the profile: its key, graph id, file indicator, figure and summary.

    The figure is kept as a plain dict (`go.Figure.to_dict()`): about half the
    memory of a `go.Figure`, ready for `dcc.Graph`, and shared by every cached
    page that shows it. Do not change it: `go_figure()` gives a copy.
    """

    key: str
    graph_id: str
    indicator: str
    figure: dict
    summary: str

    def go_figure(self) -> go.Figure:
        """A `go.Figure` copy of the chart (for an export, or to change it)."""
        return go.Figure(self.figure)

    @property
    def height(self) -> int:
        return int(self.figure["layout"].get("height") or EXPORT_HEIGHT)


def _chart(key: str, figure: Figure, summary: str, geometry: dict | None = None) -> Chart:
    """A Chart; `geometry` replaces the map's copy of the outlines with the cached
    per-EPCI object, so all the maps of one EPCI share a single copy."""
    graph_id, indicator = CHARTS[key]
    data = figure.to_dict()
    if geometry is not None:
        for trace in data["data"]:
            if trace.get("type") == "choropleth" and len(trace.get("locations", ())) > 1:
                trace["geojson"] = geometry
    return Chart(key, graph_id, indicator, data, summary)


def _references(p: dict) -> list[Reference]:
    return [
        Reference("Ensemble de l'EPCI", p["epci"]["taux_logements_sociaux"]),
        Reference(f"Département : {p['departement_nom']}",
                  p["departement_totals"]["taux_logements_sociaux"]),
        Reference(f"Région {p['region_nom']}", p["region_totals"]["taux_logements_sociaux"]),
    ]


@lru_cache(maxsize=256)
def shares_chart(epci: str, commune: str | None = None) -> Chart:
    p = profile.cached_profile(epci)
    shares = profile.cached_commune_shares(epci)
    fig = _shares_figure(shares, p["nom"], _references(p), commune)
    text = shares_summary(shares, p["nom"], p["epci"]["taux_logements_sociaux"],
                          p["departement_nom"], p["departement_totals"]["taux_logements_sociaux"],
                          p["region_totals"]["taux_logements_sociaux"])
    return _chart("parts", fig, text)


@lru_cache(maxsize=256)
def map_chart(epci: str, commune: str | None = None) -> Chart:
    p = profile.cached_profile(epci)
    shares = profile.cached_commune_shares(epci)
    geometry = profile.cached_geometry(epci)
    fig = _map_figure(shares, geometry, p["nom"], commune, profile.cached_labels(epci))
    return _chart("carte", fig, map_summary(shares, p["nom"]), geometry)


@lru_cache(maxsize=256)
def timeline_chart(epci: str) -> Chart:
    p = profile.cached_profile(epci)
    events = profile.cached_milestones(epci)
    pvd = p["epci"]["communes_pvd"]
    return _chart("calendrier", _timeline_figure(events, p["nom"], pvd),
                  timeline_summary(events, p["nom"], pvd))


@lru_cache(maxsize=256)
def engagement_chart(epci: str) -> Chart:
    p = profile.cached_profile(epci)
    grid = profile.cached_matrix(epci)
    summary = profile.cached_engagement(epci)
    demo = profile.load_engagements().demo
    if grid is None:
        fig = empty_figure("Engagement des bailleurs sociaux",
                           p["nom"], SOURCE_BAILLEURS,
                           wrap("Fichier d'engagement des bailleurs illisible : voir « Méthode "
                                "et sources ».", MESSAGE_WRAP), height=300,
                           figure=PlainFigure())
    elif grid.empty:  # most EPCI: no landlord row on a programme commune
        fig = _no_landlord_figure(p["nom"], demo)
    else:
        fig = engagement_figure(grid, p["nom"], demo)
    return _chart("bailleurs", fig, engagement_summary(summary, p["nom"]))


@lru_cache(maxsize=256)
def comparison_chart(codes: tuple[str, ...]) -> Chart:
    table = profile.cached_comparison(codes)
    demo = profile.load_engagements().demo
    names = " – ".join(table.loc[~table["region"], "nom"])
    return _chart("comparaison", _comparison_figure(table, names, demo), comparison_summary(table))


def profile_charts(epci: str, commune: str | None = None,
                   compare: tuple[str, ...] | list[str] = ()) -> list[Chart]:
    """The charts of one profile, for checked codes (comparison only with `compare`)."""
    charts = [shares_chart(epci, commune), map_chart(epci, commune), timeline_chart(epci),
              engagement_chart(epci)]
    others = tuple(c for c in compare if c != epci)
    if others:
        charts.append(comparison_chart((epci, *others)))
    return charts


def profile_figures(epci: str, commune: str | None = None,
                    compare: tuple[str, ...] | list[str] = ()) -> list[tuple[str, go.Figure]]:
    """(indicator slug, figure) of every chart of the profile, for an export of all charts.

    The figures are copies: changing them does not change the cached ones.
    """
    return [(c.indicator, c.go_figure()) for c in profile_charts(epci, commune, compare)]


def chart_config(chart: Chart, territory: str, day: dt.date | None = None) -> dict:
    """`graph_config` of a chart; a tall chart exports at its own height, not squeezed to 16:9."""
    config = graph_config(chart.indicator, territory, day)
    if chart.height > EXPORT_HEIGHT:
        config["toImageButtonOptions"]["height"] = chart.height
    return config


def clear() -> None:
    for f in (shares_chart, map_chart, timeline_chart, engagement_chart, comparison_chart):
        f.cache_clear()
