"""Figure of the territory profile: the map of the communes of one EPCI coloured by their
share of social housing, and its one-sentence summary. Pure: tables in, figure out.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from ..data import geo
from ..data import territoire as data
from ..formatting import fmt_int, fmt_pct
from ..french import among, of_territory
from .common import SOURCE_RPLS, TEXT, WRAP, empty_figure, finish, wrap
from .plain import PlainFigure
from .territoire import (
    MAP_LINE,
    MESSAGE_WRAP,
    SELECTED_LINE,
    Figure,
    _trace,
    as_go,
    named_colorscale,
)


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
    """"Sur la carte des 5 communes de la CA X, la part va de … ; 2 des 5 communes sont
    sans logement social (en blanc)" (`territory` is the EPCI's name)."""
    of = of_territory("epci", territory)
    rates = shares.dropna(subset=["taux_logements_sociaux"])
    if rates.empty:
        return f"La carte {of} ne montre aucune part connue."
    top = rates.iloc[0]
    low = rates.iloc[-1]
    none = int((rates["logements_sociaux"] == 0).sum())
    n = len(shares)
    places = "de la commune" if n == 1 else f"des {fmt_int(n)} communes"
    text = f"Sur la carte {places} {of}, la part "
    if len(rates) == 1 or low["taux_logements_sociaux"] == top["taux_logements_sociaux"]:
        text += f"est de {fmt_pct(top['taux_logements_sociaux'])} ({top['nom']})"
    else:
        text += (f"va de {fmt_pct(low['taux_logements_sociaux'])} ({low['nom']}) à "
                 f"{fmt_pct(top['taux_logements_sociaux'])} ({top['nom']})")
    if none:
        text += (f" ; {among(none, n, 'commune', feminine=True, verb=('est', 'sont'))} "
                 "sans logement social (en blanc)")
    return text + "."


def map_figure(shares: pd.DataFrame, geometry: dict, territory: str,
               selected: str | None = None, labels: pd.DataFrame | None = None) -> go.Figure:
    """`_map_figure` as a validated `go.Figure`."""
    return as_go(_map_figure(shares, geometry, territory, selected, labels))
