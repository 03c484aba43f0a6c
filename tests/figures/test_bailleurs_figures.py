"""Figures of the "Bailleurs" page, on small hand-made tables with known answers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import palette
from dashboard.data import bailleurs as b
from dashboard.figures import bailleurs as f
from dashboard.figures import territoire as t
from dashboard.figures.common import (
    ACCENT,
    DEMO_LABEL,
    PRIMARY,
    SOURCE_BAILLEURS,
    SOURCE_BAILLEURS_DEMO,
)
from tests.data.test_bailleurs import communes_frame, engagements_frame

NNBSP, NBSP = "\u202f", "\u00a0"


def plain(text: str) -> str:
    return text.replace(NNBSP, " ").replace(NBSP, " ")


def annotation_texts(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def rates_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "epci_siren": ["200000003", "200000001", "200000002"],
        "epci_nom": ["CC Trois", "CC Un", "CA Deux"],
        "communes_programme": [2, 4, 5],
        "communes_engagees": [2, 2, 0],
        "taux_engagement": [100.0, 50.0, 0.0],
        "bailleurs_engages": [3, 1, 0],
    })


def view_epci_a() -> b.MatrixView:
    return b.cap_matrix(b.matrix(engagements_frame(), communes_frame(), "200000001"))


def assert_finished(fig, title: str, territory: str, source: str, demo: bool) -> None:
    meta = fig.layout.meta
    assert (meta["title"], meta["territory"], meta["source"], meta["demo"]) == (
        title, territory, source, demo)
    assert title in fig.layout.title.text
    assert fig.layout.title.subtitle.text == territory
    texts = annotation_texts(fig)
    assert any(source in t for t in texts)
    assert any(DEMO_LABEL in t for t in texts) is demo


# --- source ------------------------------------------------------------------------------

def test_source_line():
    assert f.source_line(True, dt.date(2021, 1, 1), dt.date(2025, 1, 1)) == SOURCE_BAILLEURS_DEMO
    assert f.source_line(False) == SOURCE_BAILLEURS
    assert f.source_line(False, dt.date(2024, 5, 1), dt.date(2024, 5, 1)) == (
        f"{SOURCE_BAILLEURS}, informations du 01/05/2024")
    assert f.source_line(False, dt.date(2021, 1, 2), dt.date(2025, 12, 31)) == (
        f"{SOURCE_BAILLEURS}, informations du 02/01/2021 au 31/12/2025")
    assert "AURA-HLM" in f.source_line(False)


# --- engagement rate by EPCI -------------------------------------------------------------

def test_rate_bars_order_reference_and_labels():
    fig = f.engagement_rate_bars(rates_frame(), "Ain (01)", SOURCE_BAILLEURS,
                                 region_rate=48.26, highlight="200000001", demo=True)
    assert_finished(fig, f.RATE_TITLE, "Ain (01)", SOURCE_BAILLEURS, True)
    bar = fig.data[0]
    assert bar.orientation == "h"
    assert list(bar.y) == ["CC Trois", "CC Un", "CA Deux"]  # the table's order, first on top
    assert fig.layout.yaxis.autorange == "reversed"
    assert list(bar.x) == [100.0, 50.0, 0.0]
    # Every rate with its denominator: never a bare "100 %" for one commune of one.
    assert [plain(t) for t in bar.text] == ["100 % (2/2)", "50 % (2/4)", "0 % (0/5)"]
    assert f.rate_labels(rates_frame().iloc[0:1].assign(communes_programme=1,
                                                        communes_engagees=1)) == [
        f"100{NBSP}% (1/1)"]
    assert list(bar.marker.color) == [PRIMARY, ACCENT, PRIMARY]
    assert "2 communes sur 4" in plain(bar.hovertext[1])
    line = next(s for s in fig.layout.shapes if s.name == "ref-Région")
    assert line.x0 == line.x1 == 48.26
    assert "Région : 48,3 %" in [plain(t) for t in annotation_texts(fig)]
    assert fig.layout.height >= 360


def test_rate_bars_department_reference_and_height():
    many = pd.concat([rates_frame()] * 20, ignore_index=True)
    many["epci_siren"] = [f"2{i:08d}" for i in range(len(many))]
    many["epci_nom"] = [f"CC numéro {i}" for i in range(len(many))]
    fig = f.engagement_rate_bars(many, "Ain (01)", SOURCE_BAILLEURS, region_rate=40.0,
                                 reference=("Ain", 35.0))
    assert {s.name for s in fig.layout.shapes} == {"ref-Région", "ref-Ain"}
    assert fig.layout.height == f.BAR_STEP * 60 + 190
    assert fig.layout.title.y == pytest.approx(1 - 8.4 / fig.layout.height)
    assert not fig.layout.meta["demo"]


def test_rate_bars_empty():
    fig = f.engagement_rate_bars(rates_frame().iloc[0:0], "Cantal (15)", SOURCE_BAILLEURS,
                                 region_rate=40.0, demo=True)
    assert any("Aucune intercommunalité" in t for t in annotation_texts(fig))
    assert fig.layout.meta["demo"] is True


def test_rate_summary_states_range_and_region():
    text = plain(f.engagement_rate_summary(rates_frame(), "de la région", 48.26))
    assert text == ("Sur les 3 intercommunalités de la région ayant au moins une commune de "
                    "programme, la part des communes de programme avec au moins un bailleur "
                    "engagé va de 0,0 % (CA Deux) à 100,0 % (CC Trois) ; elle est de 48,3 % "
                    "dans l'ensemble de la région.")
    ties = rates_frame().assign(taux_engagement=[100.0, 0.0, 0.0])
    text = plain(f.engagement_rate_summary(ties, "de l'Ain", 40.0, ("dans l'Ain", 33.3)))
    assert "Sur les 3 intercommunalités de l'Ain ayant" in text
    assert "va de 0,0 % (CA Deux et 1 autre) à 100,0 % (CC Trois)" in text
    assert text.endswith("et de 33,3 % dans l'Ain.")
    same = plain(f.engagement_rate_summary(ties.assign(taux_engagement=50.0), "de l'Ain",
                                           None))
    assert same == ("Dans chacune des 3 intercommunalités de l'Ain ayant au moins une commune "
                    "de programme, la part des communes de programme avec au moins un bailleur "
                    "engagé est de 50,0 %.")
    assert "Aucune intercommunalité du Cantal" in f.engagement_rate_summary(
        rates_frame().iloc[0:0], "du Cantal", 40.0)


@pytest.mark.parametrize(("engaged", "total", "expected"), [
    (2, 4, "Dans la CC Un, 2 des 4 communes de programme ont au moins un bailleur engagé, "
           "soit 50,0 %"),
    (1, 4, "Dans la CC Un, 1 des 4 communes de programme a au moins un bailleur engagé, "
           "soit 25,0 %"),
    (0, 4, "Dans la CC Un, aucune des 4 communes de programme n'a de bailleur engagé, "
           "soit 0,0 %"),
    (1, 1, "Dans la CC Un, la seule commune de programme a au moins un bailleur engagé, "
           "soit 100,0 %"),
    (3, 3, "Dans la CC Un, les 3 communes de programme ont au moins un bailleur engagé, "
           "soit 100,0 %"),
])
def test_rate_summary_of_one_epci_agrees(engaged, total, expected):
    one = rates_frame().iloc[1:2].assign(communes_engagees=engaged, communes_programme=total,
                                        taux_engagement=100 * engaged / total)
    text = plain(f.engagement_rate_summary(one, "de la CC Un", 40.0))
    assert text == expected + " ; elle est de 40,0 % dans l'ensemble de la région."


# --- matrix ------------------------------------------------------------------------------

def test_matrix_levels_and_colours_are_ordered():
    assert f.MATRIX_LABELS == ("aucune information", "non sollicité", "sollicité",
                               "partenaire de la convention", "opération engagée",
                               "opération livrée")
    assert list(f.LEVEL_COLORS) == list(f.MATRIX_LABELS)
    assert len(set(f.LEVEL_COLORS.values())) == 6
    scale = f.matrix_colorscale()
    assert len(scale) == 12
    assert [c for _, c in scale[::2]] == list(f.LEVEL_COLORS.values())
    assert scale[0][0] == 0 and scale[-1][0] == 1
    # bands are contiguous and increasing
    stops = [p for p, _ in scale]
    assert stops == sorted(stops)


def test_matrix_colours_are_the_palette():
    assert list(f.LEVEL_COLORS.values()) == [palette.NO_DATA, *palette.ORDINAL]


def colour_of_each_cell(heat) -> dict[tuple[str, str], str]:
    """(landlord label, commune label) -> colour drawn, read from the trace's colour scale."""
    bands = [c for _, c in heat.colorscale[::2]]
    span = heat.zmax - heat.zmin
    return {(y, x): bands[int((v - heat.zmin) / span * len(bands))]
            for y, row in zip(heat.y, heat.z, strict=True)
            for x, v in zip(heat.x, row, strict=True)}


def test_both_pages_draw_a_level_in_the_same_colour():
    grid = b.matrix(engagements_frame(), communes_frame(), "200000001")
    page = f.engagement_matrix(f.whole_matrix(grid), "CC A", SOURCE_BAILLEURS).data[0]
    profile = t.engagement_figure(grid, "CC A", demo=False).data[0]
    colours = colour_of_each_cell(page)
    assert len(colours) == 4  # 2 landlords × 2 communes
    assert colour_of_each_cell(profile) == colours
    levels = dict(zip(zip(grid["bailleur_nom"], grid["commune_nom"], strict=True),
                      grid["niveau"], strict=True))
    for cell, colour in colours.items():
        level = levels[cell]
        expected = palette.NO_DATA if pd.isna(level) else palette.ORDINAL[int(level)]
        assert colour == expected, cell
    assert {c for c in colours.values()} >= {palette.NO_DATA, palette.ORDINAL[4]}


def test_matrix_cells():
    rows, cols, z = f.matrix_cells(view_epci_a())
    # L1 (2 rows) before L2 (1 row), both engaged on Alpha; Alpha (2 landlords) first
    assert rows == ["Bailleur fictif A – OPH démo", "Bailleur fictif B – ESH démo"]
    assert cols == ["Alpha", "Bravo"]
    # L1: Alpha "opération engagée" (3), Bravo "sollicité" (1); L2: Alpha "livrée" (4), Bravo none
    assert z == [[4, 2], [5, 0]]


def test_matrix_figure():
    fig = f.engagement_matrix(view_epci_a(), "CC A", SOURCE_BAILLEURS_DEMO, demo=True)
    assert_finished(fig, f.MATRIX_TITLE, "CC A", SOURCE_BAILLEURS_DEMO, True)
    heat = fig.data[0]
    assert heat.type == "heatmap"
    assert [list(r) for r in heat.z] == [[4, 2], [5, 0]]
    assert [list(r) for r in heat.customdata] == [
        ["opération engagée", "sollicité"], ["opération livrée", "aucune information"]]
    assert (heat.zmin, heat.zmax) == (-0.5, 5.5)
    assert list(heat.colorbar.tickvals) == [0, 1, 2, 3, 4, 5]
    assert list(heat.colorbar.ticktext) == list(f.MATRIX_LABELS)
    assert fig.layout.yaxis.autorange == "reversed"


def test_matrix_empty_says_why():
    empty = b.cap_matrix(b.matrix(engagements_frame(), communes_frame(), "200000003"))
    fig = f.engagement_matrix(empty, "CC C", SOURCE_BAILLEURS, empty_message="Rien ici.")
    assert "Rien ici." in annotation_texts(fig)
    long = f.engagement_matrix(empty, "CC C", SOURCE_BAILLEURS, empty_message="mot " * 40)
    message = next(a.text for a in long.layout.annotations if a.name == "message")
    assert message.count("<br>") == 2  # wrapped: an annotation does not wrap by itself
    assert not fig.layout.meta["demo"]


def test_matrix_summary():
    text = plain(f.matrix_summary(view_epci_a(), "de la CC A", ["Alpha", "Bravo"]))
    assert text == ("Sur les 2 communes de programme de la CC A, 2 bailleurs sont renseignés "
                    "dans le fichier ; dans la matrice, 2 des 4 cases sont au niveau "
                    "« partenaire de la convention » ou au-delà, aucune case n'est « non "
                    "sollicité » et 1 case est sans information (rien dans le fichier pour ce "
                    "bailleur dans cette commune).")
    # "non sollicité" (a row) is counted apart from "no information" (no row).
    view_b = b.cap_matrix(b.matrix(engagements_frame(), communes_frame(), "200000002"))
    assert plain(f.matrix_summary(view_b, "de la CA B", ["Delta", "Echo"])) == (
        "Sur les 2 communes de programme de la CA B, 1 bailleur est renseigné dans le "
        "fichier ; dans la matrice, 1 des 2 cases est au niveau « partenaire de la "
        "convention » ou au-delà, 1 case est « non sollicité » et aucune case n'est sans "
        "information (rien dans le fichier pour ce bailleur dans cette commune).")
    grid = b.matrix(engagements_frame(), communes_frame())
    capped = plain(f.matrix_summary(b.cap_matrix(grid, 2, 3), "de la région", ["a"] * 5))
    assert "la matrice montre les 2 bailleurs les plus engagés et les 3 communes" in capped
    empty = b.cap_matrix(grid.iloc[0:0])
    assert plain(f.matrix_summary(empty, "de la CA X", ["Annonay"])) == (
        "Le fichier ne renseigne aucun bailleur sur la commune de programme de la CA X "
        "(Annonay) : aucune information.")
    assert "pas de matrice" in f.matrix_summary(empty, "de CC C", [])


# --- counts by type ----------------------------------------------------------------------

def test_type_counts_bars_and_summary():
    counts = b.counts_by_type(engagements_frame(), communes_frame())
    fig = f.type_counts_bars(counts, "Région", SOURCE_BAILLEURS, demo=True)
    assert_finished(fig, f.TYPES_TITLE, "Région", SOURCE_BAILLEURS, True)
    names = [t.name for t in fig.data]
    assert names[:2] == ["Bailleurs renseignés", "Bailleurs engagés"]
    assert names[2] == "Engagements"
    assert "partenaire de la convention" in fig.data[2].hovertemplate
    for trace in fig.data:
        assert list(trace.x) == ["OPH", "ESH", "Coopérative", "SEM"]
    assert list(fig.data[0].y) == [1, 1, 0, 1]
    assert list(fig.data[2].y) == [1, 2, 0, 1]
    assert fig.data[2].xaxis == "x2"
    text = plain(f.type_counts_summary(counts, "de la région"))
    assert text == ("Sur les communes de programme de la région, 3 bailleurs sont renseignés "
                    "dans le fichier, dont 3 engagés ; engagements (un bailleur dans une "
                    "commune pour un programme) par type d'organisme : OPH 1, ESH 2, "
                    "Coopérative 0, SEM 1.")
    one = counts.assign(bailleurs=[1, 0, 0, 0], bailleurs_engages=0)
    assert plain(f.type_counts_summary(one, "de la CC C")).startswith(
        "Sur les communes de programme de la CC C, 1 bailleur est renseigné dans le fichier, "
        "dont aucun engagé ;")
    none = counts.assign(bailleurs=0, bailleurs_engages=0, lignes_engagees=0)
    assert f.type_counts_summary(none, "de la CC C") == (
        "Le fichier ne renseigne aucun bailleur sur les communes de programme de la CC C.")


@pytest.mark.parametrize("builder", ["rate", "matrix", "types"])
def test_every_chart_carries_the_demo_label(builder):
    counts = b.counts_by_type(engagements_frame(), communes_frame())
    fig = {
        "rate": lambda: f.engagement_rate_bars(rates_frame(), "R", SOURCE_BAILLEURS_DEMO,
                                               region_rate=1.0, demo=True),
        "matrix": lambda: f.engagement_matrix(view_epci_a(), "R", SOURCE_BAILLEURS_DEMO,
                                              demo=True),
        "types": lambda: f.type_counts_bars(counts, "R", SOURCE_BAILLEURS_DEMO, demo=True),
    }[builder]()
    assert any(DEMO_LABEL in t for t in annotation_texts(fig))
    assert any(t == SOURCE_BAILLEURS_DEMO for t in annotation_texts(fig))
