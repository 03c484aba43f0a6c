"""The regional map: full figure, Patch content, colour scales and text summary."""

from __future__ import annotations

import json
import math

import pandas as pd
import plotly
import pytest

from dashboard.data import regional as R
from dashboard.figures import regional as F
from dashboard.figures.common import DEMO_LABEL, SOURCE_BAILLEURS_DEMO
from dashboard.views.regional import map_patch

from ..data.test_regional import A, B, C, make_communes, make_engagements

NNBSP, NBSP = "\u202f", "\u00a0"

GEOJSON = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "id": code, "properties": {"nom": code},
     "geometry": {"type": "Polygon",
                  "coordinates": [[[x, 45.0], [x + 1, 45.0], [x + 1, 46.0], [x, 45.0]]]}}
    for code, x in ((A, 3.0), (B, 4.0), (C, 5.0))
]}


@pytest.fixture
def epci() -> pd.DataFrame:
    communes = make_communes([
        {"epci_siren": A, "epci_nom": "CC Alpha", "logements_sociaux": 50,
         "residences_principales": 100.0, "acv": True, "pvd": True},
        {"epci_siren": A, "epci_nom": "CC Alpha", "logements_sociaux": 10,
         "residences_principales": 400.0, "ort_statut": "Signée"},
        {"epci_siren": B, "epci_nom": "CA Beta", "logements_sociaux": 300,
         "residences_principales": 1000.0},
        {"epci_siren": C, "epci_nom": "CA Gamma", "logements_sociaux": 20,
         "residences_principales": 100.0, "ami_centres_bourgs": True},
    ])
    engagements = make_engagements([("000000101", "07001", "ACV", "opération livrée")])
    return R.epci_frame(communes, engagements)


def kpis(epci: pd.DataFrame) -> dict:
    return {"taux_logements_sociaux": 16.39, "communes_programme": 3,
            "part_population_programme": 60.0, "communes_engagees": 1,
            "taux_engagement": 100 / 3}


def annotation(fig, name):
    return next(a for a in fig.layout.annotations if a.name == name)


def test_choropleth_carries_geometry_title_and_source(epci):
    fig = F.choropleth(epci, GEOJSON, R.INDICATORS["logement-social"])
    anchor, trace = fig.data
    assert anchor.type == "scattergeo" and anchor.hoverinfo == "skip"  # no CDN topojson
    assert trace.type == "choropleth" and F.MAP_TRACE == 1
    assert trace.geojson == GEOJSON and trace.featureidkey == "id"
    assert list(trace.locations) == [A, B, C]
    assert fig.layout.geo.visible is False and fig.layout.geo.projection.type == "mercator"
    assert list(fig.layout.geo.lonaxis.range) == pytest.approx([2.94, 6.06])
    assert fig.layout.title.text == "<b>Part de logements sociaux</b>"
    assert annotation(fig, "source").text == F.SOURCES["logement-social"]
    assert fig.layout.height is None  # sized by its box; the PNG keeps 960 × 540
    assert list(trace.customdata[0][:2]) == ["CC Alpha", f"12,0{NBSP}%"]
    assert "20 %" in " ".join(trace.colorbar.ticktext).replace(NBSP, " ")


def test_map_patch_has_values_and_texts_but_no_geometry(epci):
    patch = map_patch(F.light_figure(epci, R.INDICATORS["communes-programme"]).to_plotly_json())
    text = json.dumps(patch.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)
    assert "geojson" not in text and "coordinates" not in text
    ops = {tuple(op["location"]): op["params"]["value"]
           for op in patch.to_plotly_json()["operations"] if op["operation"] == "Assign"}
    assert ops[("data", 1, "z")] == [2, 0, 1]
    assert ops[("data", 1, "colorbar")]["title"]["text"] == "Communes en programme"
    assert ops[("layout", "title", "text")] == "<b>Nombre de communes en programme</b>"
    assert any("ANCT" in a["text"] for a in ops[("layout", "annotations")])
    assert ("layout", "height") not in ops


def test_engagement_map_is_labelled_demonstration(epci):
    fig = F.choropleth(epci, GEOJSON, R.INDICATORS["engagement-bailleurs"], demo=True)
    assert annotation(fig, "demo").text == f"<b>{DEMO_LABEL}</b>"
    assert annotation(fig, "source").text.replace("<br>", " ").startswith(
        SOURCE_BAILLEURS_DEMO)
    trace = fig.data[1]
    # CA Beta has no programme commune: grey, labelled "sans objet".
    assert trace.z[1] < 0 and trace.customdata[1][1] == "sans objet"
    assert trace.colorscale[0][1] == F.NO_VALUE_COLOR
    assert trace.colorbar.ticktext[0] == F.NO_VALUE_TICK
    patch = map_patch(F.light_figure(epci, R.INDICATORS["engagement-bailleurs"], demo=True)
                      .to_plotly_json())
    assert DEMO_LABEL in json.dumps(patch.to_plotly_json(), ensure_ascii=False)


def test_color_scale_continuous_and_classes():
    rates = F.color_scale(pd.Series([3.0, 36.4]), "pct", "Blues", F.SRU_TICKS)
    assert rates["zmin"] == 0 and rates["tickvals"][-1] == 40
    assert rates["zmax"] > 40  # the top label stays clear of the colour bar title
    assert rates["ticktext"][rates["tickvals"].index(25.0)] == f"25{NBSP}%<br>SRU"
    counts = F.color_scale(pd.Series([0, 1, 16, math.nan]), "int", "Purples")
    assert counts["tickvals"] == [-1, 0, 1, 2, 3, 4, 5]
    assert counts["ticktext"][-1] == "5 et +" and counts["ticktext"][0] == F.NO_VALUE_TICK
    assert counts["z"] == [0.0, 1.0, 5.0, -1.0]
    small = F.color_scale(pd.Series([0, 2]), "int", "Purples")
    assert small["ticktext"] == ["0", "1", "2"] and small["zmax"] == 2.5


@pytest.mark.parametrize(("high", "step"), [(36.4, 10), (100, 25), (16, 5), (0, 1),
                                            (math.nan, 1)])
def test_nice_step(high, step):
    assert F.nice_step(high, target=4) == step


def test_map_summary_sentences(epci):
    social = F.map_summary(epci, kpis(epci), R.INDICATORS["logement-social"])
    assert social == (f"Dans la région, 16,4{NBSP}% des résidences principales sont des "
                      f"logements sociaux ; la part va de 12,0{NBSP}% (CC Alpha) à "
                      f"30,0{NBSP}% (CA Beta).")
    programmes = F.map_summary(epci, kpis(epci), R.INDICATORS["communes-programme"])
    assert "va de 0 (CA Beta) à 2 (CC Alpha)" in programmes
    engagement = F.map_summary(epci, kpis(epci), R.INDICATORS["engagement-bailleurs"],
                               demo=True)
    assert engagement.startswith("Données de démonstration : dans la région")
    assert "(1 sur 3)" in engagement and "; 1 n'a aucune commune de programme" in engagement
    every = epci.assign(communes_programme=epci["communes_programme"].clip(lower=1))
    assert F.map_summary(every, kpis(every), R.INDICATORS["engagement-bailleurs"]).endswith(
        "; toutes ont au moins une commune de programme.")


def test_wrapped_finish_keeps_long_sources_inside_the_figure():
    import plotly.graph_objects as go

    long_source = "Sources : " + " ; ".join(["ANCT, programme Action Cœur de Ville"] * 6)
    fig = F.wrapped_finish(go.Figure(), "Titre", "Région", long_source, height=400, width=80)
    text = annotation(fig, "source").text
    lines = text.split("<br>")
    assert len(lines) > 1 and all(len(line) <= 80 for line in lines)
    extra = F.SOURCE_LINE_HEIGHT * (len(lines) - 1)
    assert fig.layout.height == 400 + extra
    assert fig.layout.margin.b == 64 + extra
    assert annotation(fig, "source").yshift == -44


def test_map_config_names_the_png_and_disables_scroll_zoom():
    config = F.map_config(R.INDICATORS["logement-social"])
    assert config["scrollZoom"] is False and config["locale"] == "fr"
    assert config["toImageButtonOptions"]["filename"].startswith(
        "part-de-logements-sociaux_auvergne-rhone-alpes_")
