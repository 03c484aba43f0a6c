"""Figure of the territory profile: the calendar of the programmes' dated milestones
(one row per commune), and its one-sentence summary. Pure: table in, figure out.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from .. import registry
from ..data import territoire as data
from ..data import territoire_officiel as officiel
from ..data.sources import source_line
from ..formatting import fmt_date, fmt_int
from ..french import in_territory, on_dates
from .common import GRID, MUTED, PROGRAMME_SOURCES, TEXT, WRAP, empty_figure, finish, wrap
from .plain import PlainFigure
from .territoire import MESSAGE_WRAP, Figure, _trace, as_go, label_margin

EVENT_SYMBOLS = {data.EVENT_AMI: "diamond", data.EVENT_ACV: "circle",
                 officiel.EVENT_PVD: "triangle-up", data.EVENT_ORT: "square"}
EVENT_PROGRAMME = {**data.EVENT_PROGRAMME, officiel.EVENT_PVD: officiel.PVD.key}
SOURCE_PROGRAMMES = source_line(*dict.fromkeys((*PROGRAMME_SOURCES, "pvd_2024")))
"""The programme lists and the PVD list of January 2024 (adhesion dates)."""
AMI_NOTE = "AMI centres-bourgs : la source ne donne que l'année (2014)."


def _timeline_figure(events: pd.DataFrame, territory: str, pvd_communes: int = 0,
                     today: dt.date | None = None) -> Figure:
    """Milestones since 2014 (`data.territoire.milestones` with the PVD adhesions of
    `territoire_officiel.pvd_milestones`), one row per commune. `pvd_communes` is
    kept for callers; every PVD adhesion of the 2024 list is dated."""
    title = "Calendrier des programmes depuis 2014"
    notes = [AMI_NOTE]
    if events.empty:
        return empty_figure(title, territory, SOURCE_PROGRAMMES,
                            wrap("Aucune étape datée depuis 2014 pour les communes de cette "
                                 "intercommunalité.", MESSAGE_WRAP), height=320,
                            figure=PlainFigure(), margin={"b": 100}, wrap_width=WRAP)
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


def timeline_summary(events: pd.DataFrame, territory: str, pvd_communes: int = 0) -> str:
    """"Étapes datées depuis 2014 dans la CA X — convention Action Cœur de Ville : …"
    (`territory` is the EPCI's name; a period of one day is one date)."""
    where = in_territory("epci", territory)
    if events.empty:
        return f"Aucune étape datée depuis 2014 {where}."
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
            parts.append(f"{event.lower()} : {fmt_int(len(part))} communes, "
                         f"{on_dates(part['date'].min(), part['date'].max())}")
    text = f"Étapes datées depuis 2014 {where} — " + " ; ".join(parts)
    return text.replace("convention action", "convention Action").replace(
        "signature de l'ort", "signature de l'ORT").replace(
        "lauréat ami", "lauréat AMI").replace(
        "adhésion à petites villes", "adhésion à Petites villes") + "."


def timeline_figure(events: pd.DataFrame, territory: str, pvd_communes: int = 0,
                    today: dt.date | None = None) -> go.Figure:
    """`_timeline_figure` as a validated `go.Figure`."""
    return as_go(_timeline_figure(events, territory, pvd_communes, today))
