"""Figures of the territory profile (one EPCI), and their one-sentence summaries.

Builders are pure: tables in, figure out, each through `common.finish`
(title, territory, source and demonstration label inside the layout). The
private `_*_figure` builders return a `plain.PlainFigure` (no validation: the
profile's first view is not spent in plotly's validators); the public
`*_figure` functions return the same figure as a validated `go.Figure`. No data
access here: `views/territoire.py` gives the tables of one EPCI, calls these
builders and memoises the charts.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from .. import registry
from ..data import bailleurs, geo
from ..data import territoire as data
from ..data.sources import CALCULATIONS, LANDLORDS, source_line
from ..formatting import MISSING, NBSP, fmt_date, fmt_dec, fmt_int, fmt_pct, is_missing, plural
from .common import (
    ACCENT,
    CATEGORICAL,
    GRID,
    MUTED,
    PRIMARY,
    PROGRAMME_SOURCES,
    SOURCE_BAILLEURS,
    SOURCE_BAILLEURS_DEMO,
    SOURCE_PROGRAMMES,
    SOURCE_RPLS,
    TEXT,
    WRAP,
    empty_figure,
    finish,
    plotly_text,
    value_axis,
    wrap,
)
from .common import add_note as _bottom_note  # the names engagement_figure uses
from .common import align_left as _align_left
from .common import pin_title as _title_top
from .common import wrap_source as _wrap_source
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
MESSAGE_WRAP = 48
ENGAGEMENT_COLORS = ("#e0ecf4", "#9ebcda", "#8c96c6", "#8856a7", "#810f7c")
"""Ordinal scale of `bailleurs.ENGAGEMENT_LEVELS`, lightest = "non sollicité" (ColorBrewer BuPu)."""

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
    left_out = plural(left_zero, "non représentée", "non représentées", number=False)
    if left_zero:
        notes.append(f"{plural(left_zero, 'commune')} sans logement social {left_out}.")
    left_out = plural(no_rate, "non représentée", "non représentées", number=False)
    if no_rate:
        notes.append(f"{plural(no_rate, 'commune')} sans résidence principale connue "
                     f"{left_out}.")
    fig.update_layout(barmode="overlay", bargap=0.25, showlegend=True,
                      uniformtext={"minsize": 9, "mode": "show"})
    return finish(fig, title, territory, SOURCE_RPLS, height=260 + BAR_PX * len(order),
                  margin={"t": 128, "b": 136, "r": 48, "l": label_margin(widest)},
                  wrap_width=WRAP, legend=True, notes=[(" ".join(notes), -44)], align=True)


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
        text += (f"{plural(len(over), 'commune')} sur {fmt_int(n)} {verb} {twenty} ou plus "
                 f"(la plus élevée : {first['nom']}, "
                 f"{fmt_pct(first['taux_logements_sociaux'])})")
    if none:
        has = "n'a" if none < 2 else "n'ont"
        text += f", {plural(none, 'commune')} {has} aucun logement social"
    return text + "."


# --- commune map -----------------------------------------------------------------------------

def _map_figure(shares: pd.DataFrame, geometry: dict, territory: str,
                selected: str | None = None, labels: pd.DataFrame | None = None) -> Figure:
    """Communes of the EPCI coloured by share (no tiles: `go.Choropleth`, hidden basemap).

    `labels` (code_insee, lon, lat: `data.territoire.label_points`) names some communes.
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
            geojson=data.geometry_subset(geometry, [outline]), featureidkey="id",
            locations=[outline], z=[1],
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
            marker={"line": {"color": SELECTED_LINE, "width": 4}}, hoverinfo="skip",
            name="Commune sélectionnée", showlegend=False,
        ))
        note = f"Contour orange épais : {name} (commune sélectionnée). " + note
    fig.update_geos(fitbounds="locations", visible=False, projection={"type": "mercator"},
                    bgcolor="white")
    fig.update_layout(showlegend=False)
    return finish(fig, title, territory, SOURCE_RPLS, height=480, margin={"t": 78, "b": 72},
                  wrap_width=WRAP, notes=[(note, -4)])


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
        text += f" ; {plural(none, 'commune')} sans logement social {verb} en blanc"
    return text + "."


# --- programme milestones --------------------------------------------------------------------

EVENT_SYMBOLS = {data.EVENT_AMI: "diamond", data.EVENT_ACV: "circle",
                 data.EVENT_ORT: "square"}
EVENT_PROGRAMME = data.EVENT_PROGRAMME
PVD_NOTE = ("Petites villes de demain : l'adhésion n'a pas de date dans les sources, elle "
            "n'apparaît pas sur le calendrier.")
AMI_NOTE = "AMI centres-bourgs : la source ne donne que l'année (2014)."


def _timeline_figure(events: pd.DataFrame, territory: str, pvd_communes: int = 0,
                     today: dt.date | None = None) -> Figure:
    """Milestones since 2014 (`data.territoire.milestones`), one row per commune."""
    title = "Calendrier des programmes depuis 2014"
    notes = [AMI_NOTE, PVD_NOTE if not pvd_communes else
             PVD_NOTE.replace("l'adhésion", f"l'adhésion ({plural(pvd_communes, 'commune')})")]
    if events.empty:
        return empty_figure(title, territory, SOURCE_PROGRAMMES,
                            wrap("Aucune étape datée depuis 2014 pour les communes de cette "
                                 "intercommunalité.", MESSAGE_WRAP), height=320,
                            figure=PlainFigure(), margin={"b": 100}, wrap_width=WRAP,
                            notes=[(notes[1], -8)])
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
                    "color": registry.COLORS[EVENT_PROGRAMME[event]],
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
    return finish(fig, title, territory, SOURCE_PROGRAMMES, height=height,
                  margin={"t": 112, "b": 124, "l": label_margin(communes)}, wrap_width=WRAP,
                  legend=True, notes=[(" ".join(notes), -30)], align=True)


def label_margin(labels: list[str], font_px: float = 12, most: int = 260) -> int:
    """Left margin (px) that fits the longest axis label, within [60, `most`]."""
    longest = max((len(str(t)) for t in labels), default=0)
    return int(min(most, max(60, 18 + 0.58 * font_px * longest)))


def timeline_summary(events: pd.DataFrame, territory: str, pvd_communes: int = 0) -> str:
    pvd = (f" ; {plural(pvd_communes, 'commune')} {'est' if pvd_communes < 2 else 'sont'} "
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
    n = len(colors)
    scale: list[list] = []
    for i, c in enumerate(colors):
        scale += [[i / n, c], [(i + 1) / n, c]]
    return scale


def engagement_figure(grid: pd.DataFrame, territory: str, demo: bool) -> go.Figure:
    """Landlord × programme commune heat map of the highest engagement level.

    `grid` is `bailleurs.matrix(...)` (long form, NA = no row for the pair).
    """
    title = "Engagement des bailleurs sociaux"
    source = SOURCE_BAILLEURS_DEMO if demo else SOURCE_BAILLEURS
    if grid.empty:
        fig = empty_figure(title, territory, source,
                           wrap("Aucun bailleur renseigné sur les communes de programme de "
                                "cette intercommunalité.", MESSAGE_WRAP), demo=demo, height=300)
        _wrap_source(fig)
        return fig
    landlords = list(dict.fromkeys(grid["bailleur_nom"]))
    communes = list(dict.fromkeys(grid["commune_nom"]))
    wide = grid.pivot_table(index="bailleur_nom", columns="commune_nom", values="niveau",
                            aggfunc="max", dropna=False).reindex(index=landlords,
                                                                  columns=communes)
    z = [[None if pd.isna(v) else int(v) for v in row] for row in wide.to_numpy()]
    labels = [[("aucune ligne" if v is None else bailleurs.ENGAGEMENT_LEVELS[v]) for v in row]
              for row in z]
    levels = bailleurs.ENGAGEMENT_LEVELS
    fig = go.Figure(go.Heatmap(
        z=z, x=[plotly_text(c) for c in communes], y=[plotly_text(n) for n in landlords],
        customdata=labels, zmin=-0.5, zmax=len(levels) - 0.5,
        colorscale=_ordinal_colorscale(ENGAGEMENT_COLORS), xgap=3, ygap=3, hoverongaps=False,
        hovertemplate="<b>%{y}</b><br>%{x} : %{customdata}<extra></extra>",
        colorbar={"title": {"text": "Niveau le plus élevé", "side": "top"},
                  "tickvals": list(range(len(levels))), "ticktext": list(levels),
                  "thickness": 14, "len": 0.9 if len(landlords) > 3 else 1.0},
    ))
    fig.update_xaxes(side="bottom", tickangle=-30 if len(communes) > 4 else 0, automargin=True,
                     showgrid=False)
    fig.update_yaxes(autorange="reversed", automargin=True, showgrid=False)
    height = max(360, 290 + 36 * len(landlords))
    finish(fig, title, f"{territory} — communes de programme", source, demo=demo,
           height=height, margin={"t": 86, "b": 160, "l": label_margin(landlords)})
    _title_top(fig)
    _wrap_source(fig)
    _bottom_note(fig, "Case blanche : le bailleur n'a pas de ligne pour cette commune. "
                      f"« Engagé » = « {bailleurs.ENGAGED_FROM} » ou au-delà.", yshift=-100)
    _align_left(fig)
    return fig


def _no_landlord_figure(territory: str, demo: bool) -> PlainFigure:
    """`engagement_figure` of an empty grid, as a plain figure (a test checks they agree)."""
    fig = empty_figure("Engagement des bailleurs sociaux", territory,
                       SOURCE_BAILLEURS_DEMO if demo else SOURCE_BAILLEURS,
                       wrap("Aucun bailleur renseigné sur les communes de programme de "
                            "cette intercommunalité.", MESSAGE_WRAP), demo=demo, height=300,
                       figure=PlainFigure())
    _wrap_source(fig)
    return fig


def engagement_summary(summary: dict | None, territory: str) -> str:
    """From `data.territoire.engagement_profile` (None: landlord file unavailable)."""
    if summary is None:
        return "Engagement des bailleurs indisponible : le fichier n'a pas pu être lu."
    prefix = "Données de démonstration : " if summary.get("donnees_demonstration") else ""
    n_prog = summary["communes_programme"]
    if not n_prog:
        return f"{prefix}{territory} n'a aucune commune de programme."
    rate = summary["taux_engagement"]
    present = summary["bailleurs"]
    return (f"{prefix}à {territory}, "
            f"{plural(summary['bailleurs_engages'], 'bailleur engagé', 'bailleurs engagés')} "
            f"sur {fmt_int(present)} {plural(present, 'présent', number=False)} ; "
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
    source = source_line("rpls", "communes", *PROGRAMME_SOURCES,
                         extra=(LANDLORDS, CALCULATIONS))
    return finish(fig, title, territory, source, demo=demo, height=520,
                  margin={"t": 112, "b": 150}, wrap_width=125, legend=True)


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
