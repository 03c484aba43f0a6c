"""Figures of the "Bailleurs" page and their one-sentence French summaries.

Pure functions: tables of `dashboard.data.bailleurs` -> `go.Figure` (title,
territory, source and demonstration label inside the layout, through
`common.finish`) or -> str (the summary shown under the chart).
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..data.bailleurs import ENGAGED_FROM, ENGAGED_RANK, ENGAGEMENT_LEVELS, MatrixView
from ..data.sources import LANDLORDS
from ..data.sources import source_line as sources_line
from ..formatting import fmt_date, fmt_int, fmt_pct, plural
from ..french import among, capitalize, in_territory
from ..palette import NO_DATA, ORDINAL, ordinal_colorscale
from ..registry import enumeration
from .common import (
    ACCENT,
    GRID,
    MUTED,
    PRIMARY,
    SOURCE_BAILLEURS_DEMO,
    TEXT,
    empty_figure,
    finish,
    plotly_text,
    value_axis,
)

NO_INFORMATION = "aucune information"
"""A landlord and commune the file says nothing about (no row), unlike « non sollicité »
(a row saying the landlord was not asked)."""
NOT_IN_FILE = "rien dans le fichier pour ce bailleur dans cette commune"
MATRIX_LABELS: tuple[str, ...] = (NO_INFORMATION, *ENGAGEMENT_LEVELS)
"""Categories of the matrix, in order: no row, then the five levels lowest first."""

LEVEL_COLORS: dict[str, str] = dict(zip(MATRIX_LABELS, (NO_DATA, *ORDINAL), strict=True))
"""The one palette of engagement levels (`palette.ORDINAL`), grey (`palette.NO_DATA`) for no
row: both landlord heat maps (this page's matrix and the territory profile's) use it."""

NO_LANDLORD_IN_EPCI = ("Aucun bailleur renseigné sur les communes de programme de cette "
                       "intercommunalité.")

RATE_TITLE = "Communes de programme avec au moins un bailleur engagé"
MATRIX_TITLE = "Engagement de chaque bailleur par commune"
TYPES_TITLE = "Bailleurs et engagements par type d'organisme"

PRESENT_COLOR = "#9ecae1"
WRAP_AT = 60  # characters per line of a message drawn in a figure
BAR_STEP = 18  # pixels per intercommunality in the rate chart
TITLE_TOP_PX = 8.4  # where `finish` puts the title of a 420-pixel figure
LABEL_MAX = 38
COMMUNE_LABEL_MAX = 24


def source_line(demo: bool, first: dt.date | None = None, last: dt.date | None = None) -> str:
    """The source of every landlord chart: the demonstration notice or AURA-HLM with dates."""
    if demo:
        return SOURCE_BAILLEURS_DEMO
    base = sources_line(extra=(LANDLORDS,))
    if first is None or last is None:
        return base
    if first == last:
        return f"{base}, informations du {fmt_date(first)}"
    return f"{base}, informations du {fmt_date(first)} au {fmt_date(last)}"


def _short(text: str, limit: int | None) -> str:
    return text if limit is None or len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _pin_title(fig: go.Figure) -> go.Figure:
    """Keep the title at the top of a tall figure.

    `finish` places it at 98 % of the figure's height, i.e. 8 px down at 420 px
    but 60 px down (over the plot) at 3 000 px: pin it at 8 px whatever the height.
    """
    height = fig.layout.height or 420
    fig.update_layout(title_y=1 - TITLE_TOP_PX / height)
    return fig


def _the_communes(n: int) -> str:
    """"la commune" / "les 12 communes"."""
    return "la commune" if n == 1 else f"les {fmt_int(n)} communes"


# --- engagement rate by EPCI -------------------------------------------------------------

def rate_labels(rates: pd.DataFrame) -> list[str]:
    """The label of each bar, with its denominator: "33 % (3/9)", "100 % (1/1)"."""
    return [f"{fmt_pct(t, 0)} ({fmt_int(e)}/{fmt_int(p)})"
            for t, e, p in zip(rates["taux_engagement"], rates["communes_engagees"],
                               rates["communes_programme"], strict=True)]


def engaged_communes(engaged: int, total: int) -> str:
    """"2 des 4 communes de programme ont au moins un bailleur engagé", "la seule commune
    de programme a …", "aucune des 4 communes de programme n'a de bailleur engagé"."""
    subject = among(engaged, total, "commune de programme", "communes de programme",
                    feminine=True)
    return subject + (" de bailleur engagé" if engaged == 0 else " au moins un bailleur engagé")


def engagement_rate_bars(rates: pd.DataFrame, territory: str, source: str, *,
                         region_rate: float | None, reference: tuple[str, float] | None = None,
                         highlight: str | None = None, demo: bool = False) -> go.Figure:
    """Horizontal bars of `taux_engagement`, in the order of `rates` (first on top).

    `rates` is `bailleurs.epci_rates(...)`. The regional rate (and an optional
    other reference, e.g. the department's) is drawn as a vertical line;
    `highlight` (a SIREN) gets the accent colour.
    """
    if rates.empty:
        return empty_figure(RATE_TITLE, territory, source,
                            "Aucune intercommunalité de ce territoire n'a de commune de programme.",
                            demo=demo)
    names = [_short(str(n), LABEL_MAX) for n in rates["epci_nom"]]
    # Two EPCI may share a shortened name: keep categories unique.
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            names[i] = f"{name} ({rates['epci_siren'].iloc[i]})"
    names = [plotly_text(n) for n in names]
    values = rates["taux_engagement"].astype(float).tolist()
    hover = [f"<b>{plotly_text(nom)}</b><br>{fmt_pct(t)} : {plural(e, 'commune')} sur "
             f"{fmt_int(p)} avec un bailleur engagé"
             for nom, t, e, p in zip(rates["epci_nom"], values, rates["communes_engagees"],
                                     rates["communes_programme"], strict=True)]
    colors = [ACCENT if s == highlight else PRIMARY for s in rates["epci_siren"]]
    fig = go.Figure(go.Bar(
        x=values, y=names, orientation="h", marker={"color": colors},
        text=rate_labels(rates), textposition="outside", cliponaxis=False,
        textfont={"size": 11, "color": TEXT}, hovertext=hover, hoverinfo="text",
        name="Taux d'engagement",
    ))
    lines = [("Région", region_rate, MUTED, "dash")]
    if reference is not None:
        lines.append((reference[0], reference[1], ACCENT, "dot"))
    for i, (label, value, color, dash) in enumerate(lines):
        if value is None:
            continue
        fig.add_shape(type="line", xref="x", yref="paper", x0=value, x1=value, y0=0, y1=1,
                      line={"color": color, "width": 2, "dash": dash}, name=f"ref-{label}")
        fig.add_annotation(x=value, xref="x", y=1, yref="paper", yanchor="bottom",
                           yshift=2 + 16 * i, showarrow=False,
                           text=f"{label} : {fmt_pct(value)}", font={"size": 11, "color": color},
                           bgcolor="rgba(255,255,255,0.85)", name=f"ref-{label}")
    fig.update_yaxes(autorange="reversed", automargin=True, tickfont={"size": 11})
    value_axis(fig, "x", percent=True)
    fig.update_xaxes(range=[0, 124], tickvals=[0, 25, 50, 75, 100],
                     title={"text": "Part des communes de programme avec au moins un bailleur "
                                    "engagé", "font": {"size": 11, "color": MUTED}})
    height = max(360, BAR_STEP * len(rates) + 190)
    fig.update_layout(showlegend=False, bargap=0.25)
    return _pin_title(finish(fig, RATE_TITLE, territory, source, demo=demo, height=height,
                             margin={"t": 110, "r": 24, "b": 90}))


def engagement_rate_summary(rates: pd.DataFrame, where: str, region_rate: float | None,
                            reference: tuple[str, float | None] | None = None) -> str:
    """"Sur les 127 intercommunalités … va de 0,0 % (…) à 100,0 % (…) ; 36,2 % dans la région."

    `where` is "de l'Ardèche" / "de la région"; `reference` is (where, rate) of another
    territory, where being "en Ardèche" ("et de 33,3 % en Ardèche").
    """
    region = ("" if region_rate is None
              else f" ; elle est de {fmt_pct(region_rate)} dans l'ensemble de la région")
    ref = ("" if reference is None or reference[1] is None
           else f" et de {fmt_pct(reference[1])} {reference[0]}")
    if rates.empty:
        return (f"Aucune intercommunalité {where} n'a de commune de programme "
                f"({enumeration()}){region}.")
    if len(rates) == 1:
        row = rates.iloc[0]
        engaged = int(row["communes_engagees"])
        return (f"{capitalize(in_territory('epci', str(row['epci_nom'])))}, "
                f"{engaged_communes(engaged, int(row['communes_programme']))}, "
                f"soit {fmt_pct(row['taux_engagement'])}{region}{ref}.")
    values = rates["taux_engagement"]

    def extreme(value: float) -> str:
        group = rates[values == value].sort_values("epci_nom")
        name = str(group["epci_nom"].iloc[0])
        others = len(group) - 1
        return name if others == 0 else f"{name} et {plural(others, 'autre')}"

    low, high = values.min(), values.max()
    if low == high:
        return (f"Dans chacune des {fmt_int(len(rates))} intercommunalités {where} ayant au "
                f"moins une commune de programme, la part des communes de programme avec au "
                f"moins un bailleur engagé est de {fmt_pct(low)}{region}{ref}.")
    return (f"Sur les {fmt_int(len(rates))} intercommunalités {where} ayant au moins une "
            f"commune de programme, la part des communes de programme avec au moins un "
            f"bailleur engagé va de {fmt_pct(low)} ({extreme(low)}) à {fmt_pct(high)} "
            f"({extreme(high)}){region}{ref}.")


# --- landlord × commune matrix -----------------------------------------------------------

def _unique_labels(labels: list[str], codes: list[str], limit: int | None) -> list[str]:
    """Shortened, unique labels, escaped for Plotly (names from the landlord file are data)."""
    short = [_short(label, limit) for label in labels]
    counts = pd.Series(short).value_counts()
    return [plotly_text(f"{s} ({c})" if counts[s] > 1 else s)
            for s, c in zip(short, codes, strict=True)]


def matrix_colorscale() -> list[list]:
    """Discrete colour scale: one flat band per category of `MATRIX_LABELS`."""
    return ordinal_colorscale(tuple(LEVEL_COLORS.values()))


def whole_matrix(grid: pd.DataFrame) -> MatrixView:
    """Every landlord and commune of a `bailleurs.matrix` grid, in the grid's order."""
    landlords = list(dict.fromkeys(grid["bailleur_siren"]))
    communes = list(dict.fromkeys(grid["code_insee"]))
    return MatrixView(grid.reset_index(drop=True), landlords, communes, len(landlords),
                      len(communes))


def matrix_cells(view: MatrixView, landlord_max: int | None = LABEL_MAX,
                 commune_max: int | None = COMMUNE_LABEL_MAX
                 ) -> tuple[list[str], list[str], list[list[int]]]:
    """(landlord labels, commune labels, z) with z = 0 for no row, rank + 1 otherwise.

    Labels are shortened to `*_max` characters (None: kept whole), made unique and
    escaped with `plotly_text`: they are drawn as ticks and hover text.
    """
    # Plain lists: a pivot of these few cells cost more than the whole figure.
    frame = view.frame
    sirens, codes = frame["bailleur_siren"].tolist(), frame["code_insee"].tolist()
    landlord_names, commune_names, levels = {}, {}, {}
    for siren, code, landlord, commune, level in zip(
            sirens, codes, frame["bailleur_nom"].tolist(), frame["commune_nom"].tolist(),
            frame["niveau"].tolist(), strict=True):
        landlord_names.setdefault(siren, landlord)  # the first row's name
        commune_names.setdefault(code, commune)
        if (siren, code) in levels:
            raise ValueError("Index contains duplicate entries, cannot reshape")
        levels[siren, code] = level
    rows = [str(landlord_names[s]) for s in view.landlords]
    cols = [str(commune_names[c]) for c in view.communes]
    z = [[0 if pd.isna(v := levels.get((s, c))) else int(v) + 1 for c in view.communes]
         for s in view.landlords]
    return (_unique_labels(rows, view.landlords, landlord_max),
            _unique_labels(cols, view.communes, commune_max), z)


def engagement_heatmap(view: MatrixView, *, colorbar_title: str = "Niveau d'engagement",
                       gap: int = 2, colorbar_len: float = 1.0,
                       landlord_max: int | None = LABEL_MAX,
                       commune_max: int | None = COMMUNE_LABEL_MAX) -> go.Heatmap:
    """The one landlord × commune heat map trace: highest level of each pair, coloured
    with `LEVEL_COLORS` (grey "aucune information" for a pair without row)."""
    rows, cols, z = matrix_cells(view, landlord_max, commune_max)
    n = len(MATRIX_LABELS)
    return go.Heatmap(
        z=z, x=cols, y=rows, zmin=-0.5, zmax=n - 0.5, colorscale=matrix_colorscale(),
        customdata=[[MATRIX_LABELS[v] for v in row] for row in z], xgap=gap, ygap=gap,
        name="Niveau d'engagement",
        hovertemplate="<b>%{y}</b><br>%{x}<br>%{customdata}<extra></extra>",
        colorbar={"title": {"text": colorbar_title, "side": "top", "font": {"size": 11}},
                  "tickvals": list(range(n)), "ticktext": list(MATRIX_LABELS),
                  "tickfont": {"size": 11}, "thickness": 14, "len": colorbar_len,
                  "lenmode": "fraction", "outlinewidth": 0, "ticks": ""},
    )


def engagement_matrix(view: MatrixView, territory: str, source: str, *, demo: bool = False,
                      empty_message: str = "") -> go.Figure:
    """Heat-map landlord × programme commune, coloured by the highest level of each pair."""
    if view.frame.empty:
        message = empty_message or ("Le fichier ne renseigne aucun bailleur sur ce "
                                    "territoire.")
        return empty_figure(MATRIX_TITLE, territory, source,
                            "<br>".join(textwrap.wrap(message, WRAP_AT)), demo=demo)
    heat = engagement_heatmap(view)
    rows, cols = list(heat.y), list(heat.x)
    fig = go.Figure(heat)
    fig.update_yaxes(autorange="reversed", automargin=True, tickfont={"size": 11},
                     showgrid=False)
    fig.update_xaxes(tickangle=-45, automargin=False, tickfont={"size": 11}, showgrid=False,
                     side="bottom")
    label_len = max(len(c) for c in cols)  # labels at 45°: about 5 px down per character
    bottom = 56 + 5 * min(label_len, COMMUNE_LABEL_MAX + 8)
    height = 30 * max(len(rows), 6) + 90 + bottom
    fig.update_layout(plot_bgcolor="white")
    return _pin_title(finish(fig, MATRIX_TITLE, territory, source, demo=demo, height=height,
                             margin={"b": bottom, "r": 16, "t": 90}))


def matrix_summary(view: MatrixView, where: str, programme_communes: list[str]) -> str:
    """What the matrix shows, in one or two sentences, with its counts."""
    n_prog = len(programme_communes)
    if n_prog == 0:
        return (f"Aucune commune {where} n'est dans un programme de revitalisation "
                f"({enumeration()}) : pas de matrice.")
    if view.frame.empty:
        names = ", ".join(programme_communes[:5]) + (" …" if n_prog > 5 else "")
        return (f"Le fichier ne renseigne aucun bailleur sur {_the_communes(n_prog)} de "
                f"programme {where} ({names}) : {NO_INFORMATION}.")
    frame = view.frame
    cells = len(frame)
    hot = int((frame["niveau"] >= ENGAGED_RANK).fillna(False).sum())
    not_asked = int((frame["niveau"] == 0).fillna(False).sum())
    none = int(frame["niveau"].isna().sum())
    present = view.total_landlords
    text = (f"Sur {_the_communes(view.total_communes)} de programme {where}, "
            f"{plural(present, 'bailleur est renseigné', 'bailleurs sont renseignés')} dans le "
            f"fichier ; dans la matrice, "
            f"{among(hot, cells, 'case', feminine=True, verb=('est', 'sont'))} au niveau "
            f"« {ENGAGED_FROM} » ou au-delà, {_cases(not_asked)} « non sollicité » et "
            f"{_cases(none, 'sans information', 'sans information')} ({NOT_IN_FILE}).")
    if len(view.landlords) < view.total_landlords or len(view.communes) < view.total_communes:
        shown_l = plural(len(view.landlords), "bailleur")
        shown_c = plural(len(view.communes), "commune")
        text += (f" Pour rester lisible, la matrice montre les {shown_l} les plus engagés et "
                 f"les {shown_c} où le plus de bailleurs sont présents.")
    return text


def _cases(n: int, singular: str = "", plural_form: str = "") -> str:
    """"aucune case n'est", "1 case est", "3 cases sont" (+ an attribute, agreed)."""
    if n == 0:
        head = "aucune case n'est"
    else:
        head = f"{plural(n, 'case')} {'est' if n == 1 else 'sont'}"
    attribute = singular if n < 2 else plural_form
    return f"{head} {attribute}".rstrip()


# --- counts by landlord type -------------------------------------------------------------

HOVER_NOTES = {
    "bailleurs_engages": f"<br>(au niveau « {ENGAGED_FROM} » ou au-delà dans au moins une "
                         "commune)",
    "lignes_engagees": f"<br>(un bailleur dans une commune pour un programme, au niveau "
                       f"« {ENGAGED_FROM} » ou au-delà)",
}


def type_counts_bars(counts: pd.DataFrame, territory: str, source: str, *,
                     demo: bool = False) -> go.Figure:
    """Landlords present and engaged (left) and engaged rows (right) per landlord type."""
    types = counts["bailleur_type"].tolist()
    fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.12)
    series = (
        ("Bailleurs renseignés", "bailleurs", PRESENT_COLOR, 1),
        ("Bailleurs engagés", "bailleurs_engages", PRIMARY, 1),
        ("Engagements", "lignes_engagees", ACCENT, 2),
    )
    for name, column, color, col in series:
        values = counts[column].astype(int).tolist()
        fig.add_trace(go.Bar(
            x=types, y=values, name=name, marker={"color": color},
            text=[fmt_int(v) for v in values], textposition="outside", cliponaxis=False,
            hovertemplate=f"%{{x}}<br>{name} : %{{text}}{HOVER_NOTES.get(column, '')}"
                          "<extra></extra>",
        ), row=1, col=col)
    value_axis(fig, "y")
    top = max(1, int(counts[["bailleurs", "bailleurs_engages"]].to_numpy().max()))
    rows_top = max(1, int(counts["lignes_engagees"].max()))
    fig.update_yaxes(range=[0, top * 1.2], title={"text": "Bailleurs", "font": {"size": 11}},
                     dtick=1 if top <= 8 else None, row=1, col=1)
    fig.update_yaxes(range=[0, rows_top * 1.2], dtick=1 if rows_top <= 8 else None,
                     title={"text": "Engagements", "font": {"size": 11}}, row=1, col=2)
    fig.update_xaxes(showgrid=False, linecolor=GRID)
    fig.update_layout(barmode="group", bargap=0.25,
                      legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02,
                              "yanchor": "bottom", "font": {"size": 11}})
    return finish(fig, TYPES_TITLE, territory, source, demo=demo, height=440,
                  margin={"t": 120, "b": 70})


def type_counts_summary(counts: pd.DataFrame, where: str) -> str:
    """"Sur les communes de programme de …, 13 bailleurs sont renseignés dans le fichier,
    dont 13 engagés ; engagements par type d'organisme : …"."""
    present = int(counts["bailleurs"].sum())
    hot = int(counts["bailleurs_engages"].sum())
    if present == 0:
        return (f"Le fichier ne renseigne aucun bailleur sur les communes de programme "
                f"{where}.")
    detail = ", ".join(f"{t} {fmt_int(n)}" for t, n in
                       zip(counts["bailleur_type"], counts["lignes_engagees"], strict=True))
    return (f"Sur les communes de programme {where}, "
            f"{plural(present, 'bailleur est renseigné', 'bailleurs sont renseignés')} dans "
            f"le fichier, dont {plural(hot, 'engagé') if hot else 'aucun engagé'} ; "
            f"engagements (un bailleur dans une commune pour un programme) par type "
            f"d'organisme : {detail}.")
