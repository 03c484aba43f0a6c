"""The naive reference for the benchmark: the territory profile written the way
tutorials do it. Kept in bench/ only, never served to users.

Every callback reloads nothing but recomputes everything from the full table,
builds its figures with plotly.express and embeds the full commune geometry
of the region in the map figure, as a typical first version would. Same
content as the real profile: KPI, commune shares, commune map, programme
table, milestones, landlords.
"""

from __future__ import annotations

import json

import dash
import pandas as pd
import plotly.express as px
from dash import Input, Output, dash_table, dcc, html

from dashboard import config
from dashboard.data import store

DATA = config.tables_dir()
TABLE = pd.read_parquet(DATA / "communes.parquet")
with open(DATA / "geo" / "communes.geojson", encoding="utf-8") as fh:
    GEOMETRY = json.load(fh)
ENGAGEMENTS = store.engagements_table()

app = dash.Dash(__name__, compress=True)
server = app.server
EPCI = TABLE.drop_duplicates("epci_siren")[["epci_siren", "epci_nom"]].sort_values("epci_nom")
app.layout = html.Div([
    dcc.Dropdown(id="epci", options=[{"label": n, "value": s} for s, n in EPCI.values],
                 value=EPCI["epci_siren"].iloc[0]),
    html.Div(id="kpi"),
    dcc.Graph(id="parts"), dcc.Graph(id="carte"), dcc.Graph(id="calendrier"),
    dcc.Graph(id="bailleurs"), html.Div(id="programmes"),
])


@app.callback(Output("kpi", "children"), Output("parts", "figure"), Output("carte", "figure"),
              Output("calendrier", "figure"), Output("bailleurs", "figure"),
              Output("programmes", "children"), Input("epci", "value"))
def update(epci):
    df = TABLE.copy()
    sub = df[df["epci_siren"] == epci]
    dep = df[df["departement"] == sub["departement"].mode()[0]]
    kpi = []
    for name, part in (("EPCI", sub), ("Département", dep), ("Région", df)):
        rate = 100 * part["logements_sociaux"].sum() / part["residences_principales"].sum()
        kpi.append(html.P(f"{name} : {part['population'].sum()} habitants, {rate:.1f} %"))
    parts = px.bar(sub.sort_values("taux_logements_sociaux"), x="taux_logements_sociaux",
                   y="nom", orientation="h", color="sru_seuil_applicable",
                   title="Part des logements sociaux")
    parts.add_vline(x=20)
    parts.add_vline(x=25)
    carte = px.choropleth(sub, geojson=GEOMETRY, locations="code_insee",
                          featureidkey="properties.code_insee", color="taux_logements_sociaux",
                          hover_name="nom", title="Carte des communes")
    carte.update_geos(fitbounds="locations", visible=False)
    events = []
    for _, row in sub.iterrows():
        if row["acv"] and pd.notna(row["acv_date_signature"]):
            events.append({"date": row["acv_date_signature"], "commune": row["nom"],
                           "programme": "ACV"})
        if row["ort_statut"] == "Signée" and pd.notna(row["ort_date_signature"]):
            events.append({"date": row["ort_date_signature"], "commune": row["nom"],
                           "programme": "ORT"})
    events = pd.DataFrame(events, columns=["date", "commune", "programme"])
    calendrier = px.scatter(events, x="date", y="commune", color="programme",
                            title="Jalons des programmes")
    eng = ENGAGEMENTS.merge(df[["code_insee", "epci_siren", "nom"]], on="code_insee")
    eng = eng[eng["epci_siren"] == epci]
    bail = px.density_heatmap(eng, x="nom", y="bailleur_nom", z="logements_concernes",
                              title="Bailleurs")
    prog = sub[sub["acv"] | sub["pvd"] | sub["ami_centres_bourgs"] | sub["ort_statut"].notna()]
    table = dash_table.DataTable(
        data=prog[["nom", "acv", "pvd", "ami_centres_bourgs", "ort_statut"]].astype(str)
        .to_dict("records"))
    return kpi, parts, carte, calendrier, bail, table


if __name__ == "__main__":
    app.run(port=8051)
