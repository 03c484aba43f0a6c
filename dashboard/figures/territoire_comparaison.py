"""Figure of the territory profile: the EPCI compared on three rates, then their region,
and its one-sentence summary. Pure: table in, figure out.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..data.sources import CALCULATIONS, LANDLORDS, source_line
from ..formatting import fmt_pct, is_missing
from .common import CATEGORICAL, PROGRAMME_SOURCES, finish, value_axis
from .plain import PlainFigure
from .territoire import REFERENCE_COLOR, Figure, _escape, _trace, as_go

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


def comparison_figure(table: pd.DataFrame, territory: str, demo: bool) -> go.Figure:
    """`_comparison_figure` as a validated `go.Figure`."""
    return as_go(_comparison_figure(table, territory, demo))
