"""The regional map: the region's EPCI coloured by one indicator.

The geometry (`geojson`) is in the figure built for the page; changing the
indicator sends the values, colours, hover and texts only (`light_figure`, made
into a `dash.Patch` by `views.regional`), never the geometry. EPCI without a
value (no programme commune for the engagement rate) are drawn in grey,
labelled "sans objet" on the colour bar.
"""

from __future__ import annotations

import math
import textwrap

import pandas as pd
import plotly.colors as pcolors
import plotly.graph_objects as go

from .. import registry
from ..data.programmes import SOURCE_KEYS
from ..data.regional import REGION_NOM, Extremes, Indicator, extremes
from ..data.sources import BY_KEY as RAW_SOURCES
from ..data.sources import CALCULATIONS, LANDLORDS, source_line
from ..formatting import fmt_int, fmt_pct, plural
from .common import SOURCE_BAILLEURS_DEMO, finish, graph_config

MAP_PATCH_PROPS = ("locations", "z", "customdata", "colorscale", "zmin", "zmax", "colorbar",
                "hovertemplate")
MAP_TRACE = 1  # index of the choropleth in the page's figure
MAP_HEIGHT = 540
MAP_TERRITORY = f"{REGION_NOM}, EPCI {RAW_SOURCES['epci'].vintage}"
NO_VALUE_COLOR = "#c4c9d0"
NO_VALUE_LABEL = "sans objet"
NO_VALUE_TICK = "sans<br>objet"  # colour bar label (two short lines)
BORDER_COLOR = "#ffffff"
COLORSCALES = {
    "logement-social": "Blues",
    "communes-programme": "Purples",
    "population-programme": "Greens",
    "engagement-bailleurs": "Oranges",
}
SOURCES = {
    "logement-social": source_line("rpls", "communes", extra=(CALCULATIONS,)),
    "communes-programme": source_line(*SOURCE_KEYS),
    "population-programme": source_line(*SOURCE_KEYS, "communes"),
    "engagement-bailleurs": source_line(*SOURCE_KEYS),
}
SOURCE_BAILLEURS = source_line(extra=(LANDLORDS,))
SOURCE_LINE_HEIGHT = 13
SOURCE_WIDTH = 120  # characters per source line (readable in a 960 px wide PNG)


# --- shared helpers (also used by figures/programmes.py) ---------------------------------

def wrapped_finish(fig: go.Figure, title: str, territory: str, source: str, *,
                   demo: bool = False, height: int = 420, margin: dict | None = None,
                   width: int = SOURCE_WIDTH) -> go.Figure:
    """`common.finish`, with a long source line wrapped and the bottom margin grown
    so that every line stays inside the figure (and its PNG export)."""
    full = (SOURCE_BAILLEURS_DEMO + " — " + source) if demo and \
        source != SOURCE_BAILLEURS_DEMO else source
    lines = textwrap.wrap(full, width=width, break_long_words=False) or [full]
    extra = SOURCE_LINE_HEIGHT * (len(lines) - 1)
    margin = dict(margin or {})
    bottom = margin.get("b", 64) + extra
    margin["b"] = bottom
    finish(fig, title, territory, source, demo=demo, height=height + extra, margin=margin)
    fig.update_annotations(selector={"name": "source"}, text="<br>".join(lines),
                           yshift=-(bottom - 20 - extra))
    return fig


def nice_step(high: float, target: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 × 10^k) giving about `target` ticks up to `high`."""
    if not high or high <= 0 or math.isnan(high):
        return 1.0
    raw = high / target
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def _fmt(value: float, kind: str, digits: int = 1) -> str:
    return fmt_pct(value, digits) if kind == "pct" else fmt_int(value)


MAX_CLASSES = 6  # counts: one colour per value up to 5, then "5 ou plus"


SRU_TICKS = {20.0: "20 %<br>SRU", 25.0: "25 %<br>SRU"}


def color_scale(values: pd.Series, kind: str, name: str,
                references: dict[float, str] | None = None) -> dict:
    """z (grey sentinel for NaN), zmin/zmax, colorscale and colour bar ticks.

    Rates ("pct"): a continuous scale from 0 to the first round tick above the
    maximum. Counts ("int"): one colour per value, the last class "N ou plus"
    when the values go higher. Missing values get a grey class under the
    scale, labelled "sans objet".
    """
    if kind == "int":
        return _classes(values, name)
    finite = values.dropna().astype(float)
    high = float(finite.max()) if not finite.empty else 0.0
    step = nice_step(high, target=4)
    top = step * max(1, math.ceil(high / step - 1e-9)) if high > 0 else step
    ticks = [i * step for i in range(int(round(top / step)) + 1)]
    labels = [_fmt(t, kind, 0 if float(t).is_integer() else 1) for t in ticks]
    for value, label in (references or {}).items():  # e.g. the SRU thresholds
        if 0 <= value <= top:
            marks = dict(zip(ticks, labels, strict=True))
            marks[value] = label.replace(" ", "\u00a0", 1)  # "20 %" never split
            ticks, labels = map(list, zip(*sorted(marks.items()), strict=True))
    shades = pcolors.sample_colorscale(name, [0.15 + 0.85 * i / 8 for i in range(9)])
    missing = values.isna()
    if missing.any():
        gap = top * 0.4  # wide enough for its label on a phone
        zmin = -gap
        f = gap / (top + gap)
        scale = [[0.0, NO_VALUE_COLOR], [f, NO_VALUE_COLOR]] + [
            [f + (1 - f) * i / 8, c] for i, c in enumerate(shades)]
        z = values.astype(float).where(~missing, -gap / 2)
        ticks = [-gap / 2, *ticks]
        labels = [NO_VALUE_TICK, *labels]
    else:
        zmin = 0.0
        scale = [[i / 8, c] for i, c in enumerate(shades)]
        z = values.astype(float)
    # The bar ends a little above the top tick: its label stays clear of the title.
    return {"z": [round(v, 4) for v in z.tolist()], "zmin": zmin, "zmax": top * 1.06,
            "colorscale": scale, "tickvals": ticks, "ticktext": labels,
            "labels": "outside"}


def _classes(values: pd.Series, name: str) -> dict:
    """A stepped scale for counts: 0, 1, 2, … and "N ou plus" (N = MAX_CLASSES - 1)."""
    finite = values.dropna().astype(float)
    high = int(finite.max()) if not finite.empty else 0
    cap = high if high < MAX_CLASSES else MAX_CLASSES - 1
    n = cap + 1
    shades = (pcolors.sample_colorscale(name, [0.15 + 0.85 * i / (n - 1) for i in range(n)])
              if n > 1 else pcolors.sample_colorscale(name, [0.5]))
    labels = [fmt_int(i) for i in range(n)]
    if high > cap:
        labels[-1] = f"{fmt_int(cap)} et +"
    colors = list(shades)
    ticks = list(range(n))
    missing = values.isna()
    z = values.astype(float).clip(upper=cap)
    if missing.any():
        colors = [NO_VALUE_COLOR, *colors]
        ticks = [-1, *ticks]
        labels = [NO_VALUE_TICK, *labels]
        z = z.where(~missing, -1.0)
    first = ticks[0]
    k = len(colors)
    scale = []
    for i, c in enumerate(colors):
        scale += [[i / k, c], [(i + 1) / k, c]]
    return {"z": z.tolist(), "zmin": first - 0.5, "zmax": cap + 0.5, "colorscale": scale,
            "tickvals": ticks, "ticktext": labels, "labels": "outside"}


def _details(epci: pd.DataFrame, indicator: Indicator) -> list[str]:
    key = indicator.key
    if key == "logement-social":
        return [plural(n, "logement social", "logements sociaux")
                for n in epci["logements_sociaux"]]
    if key == "communes-programme":
        programmes = registry.PROGRAMMES
        counts = zip(*(epci[p.total] for p in programmes), strict=True)
        return [", ".join(f"{p.short} {fmt_int(c)}" for p, c in zip(programmes, row, strict=True))
                + f" (sur {plural(n, 'commune')})"
                for row, n in zip(counts, epci["nb_communes"], strict=True)]
    if key == "population-programme":
        return [plural(n, "habitant") for n in epci["population"]]
    return [
        "aucune commune de programme" if not p else
        f"{plural(e, 'commune')} sur {fmt_int(p)} ; "
        f"{plural(b, 'bailleur engagé', 'bailleurs engagés')}"
        if not pd.isna(e) else "données indisponibles"
        for e, p, b in zip(epci["communes_engagees"], epci["communes_programme"],
                           epci["bailleurs_engages"], strict=True)
    ]


def _outside(epci: pd.DataFrame, details: list[str]) -> list[str]:
    """`details` with a second line for an EPCI that crosses the regional border."""
    if "hors_region_texte" not in epci:
        return details
    return [d + (f"<br>S'étend hors région ({extra}) : chiffres de toutes ses communes"
                 if extra else "")
            for d, extra in zip(details, epci["hors_region_texte"], strict=True)]


def _values_fr(epci: pd.DataFrame, indicator: Indicator) -> list[str]:
    out = []
    for v in epci[indicator.column]:
        if pd.isna(v):
            out.append(NO_VALUE_LABEL)
        else:
            out.append(plural(v, "commune") if indicator.kind == "int" else
                       _fmt(v, indicator.kind))
    return out


def _source(indicator: Indicator, demo: bool) -> str:
    if indicator.landlords and not demo:
        return SOURCE_BAILLEURS + " — " + SOURCES[indicator.key]
    return SOURCES[indicator.key]


def light_figure(epci: pd.DataFrame, indicator: Indicator, demo: bool = False) -> go.Figure:
    """The map without geometry: what changes with the indicator."""
    scale = color_scale(epci[indicator.column], indicator.kind, COLORSCALES[indicator.key],
                        SRU_TICKS if indicator.key == "logement-social" else None)
    label = indicator.label + (" (démonstration)" if indicator.landlords and demo else "")
    trace = go.Choropleth(
        locations=epci["epci_siren"].tolist(),
        z=scale["z"], zmin=scale["zmin"], zmax=scale["zmax"], zauto=False,
        colorscale=scale["colorscale"],
        customdata=[list(r) for r in zip(epci["epci_nom"], _values_fr(epci, indicator),
                                         _outside(epci, _details(epci, indicator)),
                                         strict=True)],
        hovertemplate=(f"<b>%{{customdata[0]}}</b><br>{label} : %{{customdata[1]}}"
                       "<br>%{customdata[2]}<br><i>Cliquer pour ouvrir la fiche</i>"
                       "<extra></extra>"),
        # Horizontal, under the map: the map keeps the whole width (phones).
        colorbar={"title": {"text": indicator.short, "side": "top"},
                  "orientation": "h", "x": 0.5, "xanchor": "center", "y": 0,
                  "yanchor": "top", "ypad": 6, "len": 0.75, "thickness": 12, "tickangle": 0,
                  "tickvals": scale["tickvals"], "ticktext": scale["ticktext"],
                  "outlinewidth": 0},
        marker={"line": {"color": BORDER_COLOR, "width": 0.6}},
        featureidkey="id",
        name="",
    )
    fig = go.Figure(trace)
    title = indicator.title  # the demonstration label is drawn by `finish`
    wrapped_finish(fig, title, MAP_TERRITORY, _source(indicator, demo),
                   demo=demo and indicator.landlords, height=MAP_HEIGHT,
                   margin={"l": 8, "r": 8, "b": 124})
    fig.update_layout(
        geo={"visible": False, "projection": {"type": "mercator"}, "bgcolor": "white"},
        uirevision="carte-epci",
        dragmode=False,
        # No fixed height: the graph fills its box, sized by CSS (smaller on a
        # phone); the PNG export keeps its own 960 × 540 size.
        height=None,
        autosize=True,
    )
    return fig


def geo_bounds(geojson: dict) -> tuple[float, float, float, float]:
    """(lon_min, lon_max, lat_min, lat_max) of a GeoJSON layer (AURA's box if empty)."""
    lons: list[float] = []
    lats: list[float] = []

    def walk(coords) -> None:
        if coords and isinstance(coords[0], int | float):
            lons.append(float(coords[0]))
            lats.append(float(coords[1]))
        else:
            for part in coords or ():
                walk(part)

    for feature in geojson.get("features", ()):
        walk((feature.get("geometry") or {}).get("coordinates"))
    if not lons:
        return (2.06, 7.19, 44.11, 46.81)
    return (min(lons), max(lons), min(lats), max(lats))


def _anchor(lon: float, lat: float) -> go.Scattergeo:
    """An invisible lon/lat point drawn first.

    plotly.js fetches a world topojson from its CDN when the *first* trace of a
    geo subplot has a `locationmode`, which a GeoJSON choropleth always has
    (plotly.js issue #6767): with this trace first, nothing is fetched.
    """
    return go.Scattergeo(lon=[lon], lat=[lat], mode="markers",
                         marker={"size": 1, "opacity": 0}, hoverinfo="skip",
                         showlegend=False, name="")


def choropleth(epci: pd.DataFrame, geojson: dict, indicator: Indicator,
               demo: bool = False, geojson_url: str | None = None) -> go.Figure:
    """The full map: geometry of the EPCI layer and the indicator's colours.

    Trace 0 is an invisible anchor point (see `_anchor`), trace 1
    (`MAP_TRACE`) the choropleth. With `geojson_url`, the trace points at the
    layer's address (plotly.js fetches it once; the browser caches it) and
    `geojson` only gives the map's bounds.
    """
    light = light_figure(epci, indicator, demo)
    light.update_traces(geojson=geojson_url or geojson)
    lon0, lon1, lat0, lat1 = geo_bounds(geojson)
    pad_lon, pad_lat = (lon1 - lon0) * 0.02, (lat1 - lat0) * 0.02
    fig = go.Figure(data=[_anchor((lon0 + lon1) / 2, (lat0 + lat1) / 2), *light.data],
                    layout=light.layout)
    # Explicit ranges fill the plot area better than fitbounds="locations".
    fig.update_geos(fitbounds=False, lonaxis_range=[lon0 - pad_lon, lon1 + pad_lon],
                    lataxis_range=[lat0 - pad_lat, lat1 + pad_lat])
    return fig


def map_config(indicator: Indicator) -> dict:
    """Graph config of the map: PNG named after the indicator; no scroll zoom."""
    return {**graph_config(indicator.label, REGION_NOM), "scrollZoom": False}


# --- text summary --------------------------------------------------------------------------

def _who(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else f"{len(names)} intercommunalités"


def _range(ext: Extremes, kind: str, word: str) -> str:
    return (f"{word} va de {_fmt(ext.low, kind)} ({_who(ext.low_names)}) à "
            f"{_fmt(ext.high, kind)} ({_who(ext.high_names)})")


def map_summary(epci: pd.DataFrame, kpis: dict, indicator: Indicator,
                demo: bool = False) -> str:
    """One French sentence stating the regional value and the range over the EPCI."""
    key = indicator.key
    ext = extremes(epci, indicator.column, 0 if indicator.kind == "int" else 1)
    if key == "logement-social":
        head = (f"Dans la région, {fmt_pct(kpis['taux_logements_sociaux'])} des résidences "
                "principales sont des logements sociaux")
        tail = _range(ext, "pct", "la part") if ext else ""
    elif key == "communes-programme":
        head = (f"Dans la région, {fmt_int(kpis['communes_programme'])} communes sont dans au "
                f"moins un programme ({registry.enumeration()})")
        tail = _range(ext, "int", "le nombre par intercommunalité") if ext else ""
    elif key == "population-programme":
        head = (f"Dans la région, {fmt_pct(kpis['part_population_programme'])} des habitants "
                "vivent dans une commune de programme")
        tail = _range(ext, "pct", "la part") if ext else ""
    else:
        if ext is None or pd.isna(kpis.get("taux_engagement")):
            return "Les données d'engagement des bailleurs ne sont pas disponibles."
        prefix = "Données de démonstration : d" if demo else "D"
        without = int((epci["communes_programme"] == 0).sum())
        head = (f"{prefix}ans la région, au moins un bailleur social est engagé dans "
                f"{fmt_pct(kpis['taux_engagement'])} des communes de programme "
                f"({fmt_int(kpis['communes_engagees'])} sur "
                f"{fmt_int(kpis['communes_programme'])})")
        verb = "n'a" if without == 1 else "n'ont"
        grey = ("toutes ont au moins une commune de programme" if without == 0 else
                f"{fmt_int(without)} {verb} aucune commune de programme (en gris)")
        tail = (_range(ext, "pct", "le taux") + f" parmi les {fmt_int(ext.count)} "
                f"intercommunalités qui en ont ; {grey}")
    return f"{head} ; {tail}." if tail else f"{head}."
