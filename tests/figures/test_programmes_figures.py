"""Programmes page charts: titles, French names, source inside the layout, summaries."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.data import programmes as P
from dashboard.figures import programmes as F

from ..data.test_programmes import communes, poles  # noqa: F401  (fixtures)

NNBSP = "\u202f"


def source_text(fig) -> str:
    return next(a.text for a in fig.layout.annotations if a.name == "source").replace(
        "<br>", " ")


def test_departement_chart(communes):  # noqa: F811
    counts = P.counts_by_departement(communes)
    fig = F.departement_chart(counts)
    assert fig.layout.title.text == "<b>Communes par programme et département</b>"
    assert [t.name for t in fig.data] == ["ACV", "PVD", "AMI 2014", "VA", "ORT signée"]
    assert list(fig.data[0].y) == ["Ardèche", "Drôme"]  # French names, not codes
    assert list(fig.data[1].x) == [1, 0]
    assert fig.layout.barmode == "group"
    assert source_text(fig) == F.SOURCE_PROGRAMMES
    assert fig.layout.xaxis.fixedrange and fig.layout.dragmode is False
    assert F.departement_summary(counts) == (
        "Chaque département compte 2 communes dans au moins un programme.")
    more = P.counts_by_departement(communes[communes["nom"] != "AMI"])
    assert F.departement_summary(more) == (
        "Département qui compte le plus de communes dans au moins un programme : Ardèche (2, "
        "dont 1 Petites villes de demain) ; le moins : Drôme (1). Une commune inscrite dans "
        "plusieurs programmes apparaît dans chacun d'eux.")


def test_epci_type_chart(communes):  # noqa: F811
    types = P.counts_by_epci_type(communes)
    fig = F.epci_type_chart(types)
    assert list(fig.data[0].x) == ["Communautés<br>de communes", "Métropoles"]
    assert fig.layout.title.text == "<b>Communes par programme et type d'EPCI</b>"
    assert F.epci_type_summary(types) == (
        "Par type d'intercommunalité, communautés de communes : 2 communes en programme sur "
        "5 ; métropoles : 2 communes en programme sur 3.")


def test_ort_charts(communes):  # noqa: F811
    statuses = P.ort_status_counts(communes)
    fig = F.ort_status_chart(statuses)
    assert list(fig.data[0].y) == ["Signée", "En cours", "Non signée", "Non renseigné"]
    assert source_text(fig) == F.SOURCE_PROGRAMMES
    assert F.ort_status_summary(statuses) == (
        "Sur 5 communes de la région suivies, 3 ont signé une ORT, 1 est en cours, 1 ne l'a "
        "pas signée et 0 n'a pas de statut renseigné.")
    years = P.ort_signatures_by_year(communes)
    fig = F.ort_years_chart(years)
    assert list(fig.data[0].x) == ["2018", "2019", "2020", "2021", "2022", "2023"]
    assert fig.layout.title.text == "<b>Signatures d'ORT par année depuis 2018</b>"
    assert F.ort_years_summary(years, 1) == (
        "2 ORT signées de 2018 à 2023, dont 1 en 2020, l'année la plus active ; 1 ORT signée "
        "n'a pas de date.")


def test_acv_chart(communes):  # noqa: F811
    acv = P.acv_communes(communes)
    fig = F.acv_chart(acv)
    assert len(fig.data) == 1  # no phase: the sources do not document one
    assert list(fig.data[0].y) == ["Deux programmes"]  # the other commune has no date
    assert fig.data[0].customdata[0][0] == "26/09/2018"
    assert "phase" not in fig.to_json().lower()
    assert F.acv_summary(acv) == (
        "2 communes de la région sont dans Action Cœur de Ville ; "
        "la seule convention datée a été signée le 26/09/2018 (1 commune "
        "sans date renseignée).")
    # One date when the period is one day; one commune agrees in the singular.
    assert F.acv_summary(acv.iloc[[0, 0]].assign(code_insee=["1", "2"])).endswith(
        "leurs conventions ont été signées le 26/09/2018.")
    dated = acv.dropna(subset=["acv_date_signature"])
    assert F.acv_summary(dated) == (
        "1 commune de la région est dans Action Cœur de Ville ; "
        "sa convention a été signée le 26/09/2018.")
    later = dated.assign(acv_date_signature=pd.Timestamp("2023-08-29"))
    assert F.acv_summary(pd.concat([dated, later])).endswith(
        "signées entre le 26/09/2018 et le 29/08/2023.")


def test_hors_programme_chart_and_sentences(poles):  # noqa: F811
    hors = P.hors_programme(poles)
    counts = P.hors_programme_counts(hors, poles)
    fig = F.hors_programme_chart(counts, 0, "Auvergne-Rhône-Alpes")
    assert fig.layout.title.text == "<b>Pôles hors programme</b>"
    assert list(fig.data[0].y) == ["Ardèche", "Drôme"] and list(fig.data[0].x) == [3, 1]
    assert source_text(fig) == F.SOURCE_HORS_PROGRAMME
    assert "niveaux de centralité" in source_text(fig) and "inventaire SRU" in source_text(fig)
    sentence = F.hors_programme_sentence(P.hors_programme_summary(hors), 0, "Région")
    assert sentence == (
        "Région : 4 pôles ne sont dans aucun programme (ni ACV, ni PVD, ni AMI centres-bourgs, "
        "ni Villages d'avenir) : 2 centres structurants et 2 centres intermédiaires ; ils "
        f"comptent 25{NNBSP}900 habitants ; 2 sont soumis à la loi SRU et 1 a signé une ORT.")
    assert F.hors_programme_chart_summary(counts, 0, False) == (
        "4 pôles hors programme ; département qui en compte le plus : Ardèche (3).")
    filtered = P.hors_programme(poles, 8000)
    assert F.hors_programme_sentence(P.hors_programme_summary(filtered), 8000, "Région") == (
        f"Région : 2 pôles de 8{NNBSP}000 habitants ou plus ne sont dans aucun programme (ni "
        "ACV, ni PVD, ni AMI centres-bourgs, ni Villages d'avenir) : 1 centre structurant et "
        f"1 centre intermédiaire ; ils comptent 20{NNBSP}000 habitants ; 2 sont soumis à la loi "
        "SRU et aucun n'a signé d'ORT.")
    titled = F.hors_programme_chart(P.hors_programme_counts(filtered, poles), 8000, "Région")
    assert titled.layout.title.text == f"<b>Pôles hors programme (8{NNBSP}000 hab. ou plus)</b>"
    empty = P.hors_programme_summary(hors.iloc[0:0])
    assert "aucun des pôles" in F.hors_programme_sentence(empty, 0, "Région")


@pytest.mark.parametrize("builder", ["departement_chart", "epci_type_chart"])
def test_charts_handle_an_empty_table(communes, builder):  # noqa: F811
    table = (P.counts_by_departement if builder == "departement_chart"
             else P.counts_by_epci_type)(communes.iloc[0:0])
    fig = getattr(F, builder)(table)
    assert source_text(fig) == F.SOURCE_PROGRAMMES


def test_chart_config_removes_zoom_and_names_the_png():
    config = F.chart_config("avancement-ort", "Auvergne-Rhône-Alpes")
    assert {"zoom2d", "pan2d"} <= set(config["modeBarButtonsToRemove"])
    assert config["toImageButtonOptions"]["filename"].startswith(
        "avancement-ort_auvergne-rhone-alpes_")


def test_ort_years_summary_of_one_year_names_one_year():
    one = pd.DataFrame({"annee": [2020], "signatures": [1]})
    assert F.ort_years_summary(one) == "1 ORT signée en 2020."
    assert F.ort_years_summary(one.assign(signatures=3), 2) == (
        "3 ORT signées en 2020 ; 2 ORT signées n'ont pas de date.")
