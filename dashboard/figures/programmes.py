"""Charts of the programmes page (tables of `data.programmes` -> figures) and the
one-sentence summaries shown under them."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .. import registry
from ..data.programmes import SOURCE_KEYS
from ..data.regional import REGION_NOM
from ..data.sources import BY_KEY as RAW_SOURCES
from ..data.sources import source_line
from ..formatting import fmt_date, fmt_int, plural
from .common import ACCENT, GRID, MUTED, graph_config, value_axis
from .regional import wrapped_finish as _wrapped_finish

SOURCE_WIDTH = 95  # characters per source line: charts are half a page wide


def wrapped_finish(fig: go.Figure, title: str, territory: str, source: str, **kwargs
                   ) -> go.Figure:
    """`regional.wrapped_finish` for a half-width chart that does not zoom or pan
    (a drag on a projected slide must not change the view)."""
    fig.update_xaxes(fixedrange=True)
    fig.update_yaxes(fixedrange=True)
    fig.update_layout(dragmode=False)
    return _wrapped_finish(fig, title, territory, source, width=SOURCE_WIDTH, **kwargs)


ZOOM_BUTTONS = ("zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "resetScale2d")


def fixed(config: dict) -> dict:
    """A graph config without the zoom and pan buttons (charts that do not zoom)."""
    return {**config, "modeBarButtonsToRemove": [*config["modeBarButtonsToRemove"],
                                                 *ZOOM_BUTTONS]}


def chart_config(indicator: str, territory: str) -> dict:
    """`graph_config` without the zoom and pan buttons (fixed charts)."""
    return fixed(graph_config(indicator, territory))


SOURCE_PROGRAMMES = source_line(*SOURCE_KEYS)
ORT_STATUS_COLORS = {
    "Signée": registry.BY_KEY["ORT"].color,
    "En cours": "#E69F00",
    "Non signée": "#52606d",
    "Non renseigné": "#9aa5b1",
}
SOURCE_HORS_PROGRAMME = source_line("centralites", *SOURCE_KEYS, "sru", "rpls", "communes")


def _communes(values) -> list[str]:
    """"1 commune", "3 communes" for each count (hover texts)."""
    return [plural(int(v), "commune") for v in values]


def _hbar_layout(fig: go.Figure, n_rows: int, legend: bool = True) -> None:
    fig.update_yaxes(autorange="reversed", automargin=True, ticks="", showgrid=False)
    value_axis(fig, "x")
    fig.update_xaxes(rangemode="tozero", automargin=True)
    if legend:
        fig.update_layout(legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom",
                                  "traceorder": "normal", "title": {"text": ""}})


# --- communes per programme ------------------------------------------------------------------

def departement_chart(counts: pd.DataFrame) -> go.Figure:
    """Grouped horizontal bars: communes per programme, per department (French names)."""
    fig = go.Figure()
    names = counts["departement_nom"].tolist()
    for prog in registry.PROGRAMMES:
        fig.add_trace(go.Bar(
            y=names, x=counts[prog.key].tolist(), orientation="h", name=prog.short,
            marker_color=prog.color,
            customdata=[[c, fmt_int(n)] for c, n in
                        zip(_communes(counts[prog.key]), counts["nb_communes"], strict=True)],
            hovertemplate=(f"<b>%{{y}}</b><br>{prog.label} : %{{customdata[0]}} "
                           "sur %{customdata[1]}<extra></extra>"),
        ))
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    _hbar_layout(fig, len(names))
    fig.update_xaxes(title={"text": "Nombre de communes"})
    return wrapped_finish(fig, "Communes par programme et département",
                          REGION_NOM, SOURCE_PROGRAMMES, height=120 + 48 * len(names),
                          margin={"t": 110})


def departement_summary(counts: pd.DataFrame) -> str:
    if counts.empty:
        return "Aucune commune."
    top = counts.sort_values(["programme", "departement"], ascending=[False, True]).iloc[0]
    low = counts.sort_values(["programme", "departement"], ascending=[True, True]).iloc[0]
    if top["programme"] == low["programme"]:
        return (f"Chaque département compte {fmt_int(top['programme'])} communes dans au "
                "moins un programme.")
    return (f"Département qui compte le plus de communes dans au moins un programme : "
            f"{top['departement_nom']} ({fmt_int(top['programme'])}, dont "
            f"{fmt_int(top['PVD'])} Petites villes de demain) ; le moins : "
            f"{low['departement_nom']} ({fmt_int(low['programme'])}). Une commune inscrite dans "
            "plusieurs programmes apparaît dans chacun d'eux.")


def epci_type_chart(counts: pd.DataFrame) -> go.Figure:
    """Grouped bars: communes per programme, per type of EPCI."""
    fig = go.Figure()
    names = [n.replace(" ", "<br>", 1) for n in counts["type_nom"]]
    for prog in registry.PROGRAMMES:
        fig.add_trace(go.Bar(
            x=names, y=counts[prog.key].tolist(), name=prog.short,
            marker_color=prog.color,
            text=[fmt_int(v) for v in counts[prog.key]], textposition="outside",
            cliponaxis=False,
            customdata=[[c, fmt_int(n)] for c, n in
                        zip(_communes(counts[prog.key]), counts["nb_communes"], strict=True)],
            hovertemplate=(f"{prog.label} : %{{customdata[0]}} sur "
                           "%{customdata[1]}<extra></extra>"),
        ))
    fig.update_layout(barmode="group", bargap=0.3,
                      legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"})
    value_axis(fig, "y")
    fig.update_xaxes(showgrid=False, automargin=True)
    fig.update_yaxes(title={"text": "Nombre de communes"}, rangemode="tozero")
    return wrapped_finish(fig, "Communes par programme et type d'EPCI",
                          f"{REGION_NOM}, EPCI {RAW_SOURCES['epci'].vintage}", SOURCE_PROGRAMMES,
                          height=440, margin={"t": 110})


def epci_type_summary(counts: pd.DataFrame) -> str:
    parts = [f"{row['type_nom'].lower()} : {plural(row['programme'], 'commune')} en programme "
             f"sur {fmt_int(row['nb_communes'])}" for _, row in counts.iterrows()]
    return ("Par type d'intercommunalité, " + " ; ".join(parts) + "."
            if parts else "Aucune commune.")


# --- ORT -------------------------------------------------------------------------------------

def ort_status_chart(statuses: pd.DataFrame) -> go.Figure:
    """Horizontal bars: communes of the ORT follow-up per status."""
    fig = go.Figure(go.Bar(
        y=statuses["statut"].tolist(), x=statuses["communes"].tolist(), orientation="h",
        marker_color=[ORT_STATUS_COLORS.get(s, MUTED) for s in statuses["statut"]],
        text=[fmt_int(v) for v in statuses["communes"]], textposition="outside",
        cliponaxis=False, customdata=_communes(statuses["communes"]),
        hovertemplate="<b>%{y}</b> : %{customdata}<extra></extra>",
    ))
    _hbar_layout(fig, len(statuses), legend=False)
    fig.update_xaxes(title={"text": "Nombre de communes"})
    fig.update_layout(showlegend=False)
    return wrapped_finish(fig, "Avancement des ORT",
                          REGION_NOM + ", communes du suivi national des opérations de "
                          "revitalisation de territoire",
                          SOURCE_PROGRAMMES, height=320)


def ort_status_summary(statuses: pd.DataFrame) -> str:
    counts = dict(zip(statuses["statut"], statuses["communes"], strict=True))
    total = sum(counts.values())

    def n(status: str, one: str, many: str) -> str:
        value = int(counts.get(status, 0))
        return f"{fmt_int(value)} {one if value <= 1 else many}"

    signed = n("Signée", "a signé", "ont signé")
    running = n("En cours", "est en cours", "sont en cours")
    refused = n("Non signée", "ne l'a pas signée", "ne l'ont pas signée")
    unknown = n("Non renseigné", "n'a pas de statut renseigné", "n'ont pas de statut renseigné")
    return (f"Sur {fmt_int(total)} communes de la région suivies, {signed} une ORT, "
            f"{running}, {refused} et {unknown}.")


def ort_years_chart(years: pd.DataFrame) -> go.Figure:
    """Bars: ORT signatures per year since 2018."""
    fig = go.Figure(go.Bar(
        x=[str(y) for y in years["annee"]], y=years["signatures"].tolist(),
        marker_color=ORT_STATUS_COLORS["Signée"],
        text=[fmt_int(v) for v in years["signatures"]], textposition="outside",
        cliponaxis=False,
        customdata=[[plural(int(v), "ORT signée", "ORT signées"), fmt_int(c)]
                    for v, c in zip(years["signatures"], years["cumul"], strict=True)],
        hovertemplate=("<b>%{x}</b> : %{customdata[0]}<br>%{customdata[1]} depuis "
                       f"{years['annee'].iloc[0] if len(years) else ''}<extra></extra>"),
    ))
    value_axis(fig, "y")
    fig.update_xaxes(type="category", showgrid=False)
    fig.update_yaxes(title={"text": "ORT signées"}, rangemode="tozero")
    fig.update_layout(showlegend=False)
    since = int(years["annee"].iloc[0]) if len(years) else 2018
    return wrapped_finish(fig, f"Signatures d'ORT par année depuis {since}",
                          REGION_NOM + ", date de signature de l'ORT", SOURCE_PROGRAMMES,
                          height=320)


def ort_years_summary(years: pd.DataFrame, without_date: int = 0) -> str:
    if years.empty or years["signatures"].sum() == 0:
        return "Aucune ORT signée avec une date connue."
    top = years.sort_values(["signatures", "annee"], ascending=[False, True]).iloc[0]
    first, last = int(years["annee"].iloc[0]), int(years["annee"].iloc[-1])
    total = int(years["signatures"].sum())
    span = f"en {first}" if first == last else f"de {first} à {last}"
    text = f"{plural(total, 'ORT signée', 'ORT signées')} {span}"
    if first != last:
        text += (f", dont {fmt_int(top['signatures'])} en {int(top['annee'])}, l'année la "
                 "plus active")
    if without_date:
        verb = "ORT signée n'a" if without_date == 1 else "ORT signées n'ont"
        text += f" ; {fmt_int(without_date)} {verb} pas de date"
    return text + "."


# --- ACV -------------------------------------------------------------------------------------

def acv_chart(acv: pd.DataFrame) -> go.Figure:
    """Dots: date of the ACV convention of each commune (no phase: the sources do not
    document a phase 1 / phase 2 split)."""
    dated = acv.dropna(subset=["acv_date_signature"])
    fig = go.Figure(go.Scatter(
        x=dated["acv_date_signature"].tolist(), y=dated["nom"].tolist(), mode="markers",
        name="Convention ACV",
        marker={"size": 11, "color": registry.BY_KEY["ACV"].color,
                "line": {"width": 1, "color": "white"}},
        customdata=[[fmt_date(d), e or "", fmt_int(a) if pd.notna(a) else "n.d.",
                     fmt_int(b) if pd.notna(b) else "n.d."]
                    for d, e, a, b in zip(dated["acv_date_signature"], dated["epci_nom"],
                                          dated["acv_actions_en_cours"],
                                          dated["acv_actions_livrees"], strict=True)],
        hovertemplate=("<b>%{y}</b> (%{customdata[1]})<br>Convention signée le "
                       "%{customdata[0]}<br>Actions en cours : %{customdata[2]} ; livrées : "
                       "%{customdata[3]}<extra></extra>"),
    ))
    fig.update_yaxes(autorange="reversed", categoryorder="array",
                     categoryarray=dated["nom"].tolist(), automargin=True, showgrid=True,
                     gridcolor=GRID)
    fig.update_xaxes(tickformat="%b %Y", gridcolor=GRID, automargin=True,
                     title={"text": "Date de signature de la convention"})
    fig.update_layout(showlegend=False)
    return wrapped_finish(fig, "Conventions Action Cœur de Ville",
                          REGION_NOM + f", {fmt_int(len(acv))} communes ACV",
                          SOURCE_PROGRAMMES, height=150 + 22 * max(len(dated), 3),
                          margin={"t": 110})


def acv_summary(acv: pd.DataFrame) -> str:
    dated = acv.dropna(subset=["acv_date_signature"])
    if dated.empty:
        return (f"{plural(len(acv), 'commune')} en Action Cœur de Ville, sans date de "
                "convention.")
    first = dated["acv_date_signature"].min()
    last = dated["acv_date_signature"].max()
    head = (f"{plural(len(acv), 'commune de la région est', 'communes de la région sont')} "
            "dans Action Cœur de Ville ; ")
    if len(acv) == 1:
        signed = "sa convention a été signée"
    elif len(dated) == 1:
        signed = "la seule convention datée a été signée"
    else:
        signed = "leurs conventions ont été signées"
    when = (f"le {fmt_date(first)}" if fmt_date(first) == fmt_date(last)
            else f"entre le {fmt_date(first)} et le {fmt_date(last)}")
    text = f"{head}{signed} {when}"
    missing = len(acv) - len(dated)
    if missing:
        text += f" ({plural(missing, 'commune')} sans date renseignée)"
    return text + "."


# --- pôles hors programme --------------------------------------------------------------------

POLES = ("pôles (centres structurants ou intermédiaires d'équipements et de services, "
         "typologie INRAE-CESAER des centralités)")


def _above(seuil: int) -> str:
    """" de 3 500 habitants ou plus" when the optional population filter is set."""
    return f" de {fmt_int(seuil)} habitants ou plus" if seuil else ""


def hors_programme_chart(counts: pd.DataFrame, seuil: int, territory: str) -> go.Figure:
    """Horizontal bars: pôles hors programme per place."""
    fig = go.Figure(go.Bar(
        y=counts["nom"].tolist(), x=counts["communes"].tolist(), orientation="h",
        marker_color=ACCENT,
        text=[fmt_int(v) for v in counts["communes"]], textposition="outside",
        cliponaxis=False,
        customdata=[[plural(int(c), "pôle"), fmt_int(p)] for c, p in
                    zip(counts["communes"], counts["population"], strict=True)],
        hovertemplate=("<b>%{y}</b> : %{customdata[0]} hors programme<br>%{customdata[1]} "
                       "habitants<extra></extra>"),
    ))
    _hbar_layout(fig, len(counts), legend=False)
    fig.update_xaxes(title={"text": "Nombre de pôles"})
    fig.update_layout(showlegend=False)
    title = "Pôles hors programme" + (f" ({fmt_int(seuil)} hab. ou plus)" if seuil else "")
    return wrapped_finish(fig, title, territory, SOURCE_HORS_PROGRAMME,
                          height=140 + 30 * max(len(counts), 3))


def none_of() -> str:
    """"ni ACV, ni PVD, ni AMI centres-bourgs, ni Villages d'avenir" (the pôle rule)."""
    return ", ".join(f"ni {p.phrase}" for p in registry.pole_programmes())


def hors_programme_sentence(summary: dict, seuil: int, territory: str) -> str:
    n = summary["communes"]
    if n == 0:
        return (f"{territory} : aucun des {POLES}{_above(seuil)} n'est hors programme.")
    verb = "n'est" if n == 1 else "ne sont"
    they = "il" if n == 1 else "ils"
    structurants = plural(summary["structurants"], "centre structurant",
                          "centres structurants")
    intermediaires = plural(summary["intermediaires"], "centre intermédiaire",
                            "centres intermédiaires")
    text = (f"{territory} : {plural(n, 'pôle')}{_above(seuil)} {verb} dans aucun programme "
            f"({none_of()}) : {structurants} et {intermediaires} ; "
            f"{they} {'compte' if n == 1 else 'comptent'} "
            f"{fmt_int(summary['population'])} habitants")
    sru, ort = summary["sru"], summary["ort_signee"]
    subject = ("aucun n'est soumis" if sru == 0 else
               f"{fmt_int(sru)} {'est soumis' if sru == 1 else 'sont soumis'}")
    signed = ("aucun n'a signé d'ORT" if ort == 0 else
              f"{fmt_int(ort)} {'a signé' if ort == 1 else 'ont signé'} une ORT")
    text += f" ; {subject} à la loi SRU et {signed}"
    return text + "."


def hors_programme_chart_summary(counts: pd.DataFrame, seuil: int, by_epci: bool) -> str:
    if counts.empty or counts["communes"].sum() == 0:
        return f"Aucun pôle{_above(seuil)} hors programme."
    top = counts.sort_values(["communes", "nom"], ascending=[False, True]).iloc[0]
    place = "intercommunalité" if by_epci else "département"
    total = int(counts["communes"].sum())
    return (f"{plural(total, 'pôle')}{_above(seuil)} hors programme ; {place} qui en "
            f"compte le plus : {top['nom']} ({fmt_int(top['communes'])}).")
