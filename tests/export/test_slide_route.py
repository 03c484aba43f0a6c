"""`territoire/diapositives`: the slides of one profile chart for the toolbar's camera."""

from __future__ import annotations

ANNONAY = "200072015"


def test_a_chart_that_fits_gives_one_slide_the_zips_page(client):
    from dashboard.export import slides

    response = client.get(f"/territoire/diapositives?epci={ANNONAY}"
                          "&graphique=territoire-graph-carte")
    assert response.status_code == 200
    found = response.get_json()
    assert (found["width"], found["height"], found["scale"]) == (960, 540, 2)
    (page,) = found["pages"]
    assert found["archive"] is None
    assert page["filename"].startswith("carte-taux-logements-sociaux_ca-annonay-rhone-agglo_")
    assert page["filename"].endswith(".png")
    (expected,) = [p for p in slides.profile_pages(ANNONAY) if p.key == "carte"]
    assert page["figure"]["layout"]["height"] == 540
    assert page["figure"]["layout"]["title"] == expected.figure["layout"]["title"]


def test_a_tall_chart_gives_its_numbered_slides(client):
    response = client.get(f"/territoire/diapositives?epci={ANNONAY}&commune=07010"
                          "&graphique=territoire-graph-parts")
    found = response.get_json()
    assert found["archive"].startswith("taux-logements-sociaux_ca-annonay-rhone-agglo_")
    assert found["archive"].endswith("_diapositives.zip")
    pages = found["pages"]
    assert [p["title"] for p in pages] == ["Part de logements sociaux par commune (1/2)",
                                           "Part de logements sociaux par commune (2/2)"]
    assert pages[0]["filename"].startswith("taux-logements-sociaux-1-sur-2_")
    assert all(p["figure"]["layout"]["height"] == 540 for p in pages)


def test_unknown_view_or_chart_is_a_french_404(client):
    for query in (f"epci={ANNONAY}&graphique=inconnu", "epci=123&graphique=territoire-graph-carte",
                  f"epci={ANNONAY}", "graphique=territoire-graph-carte"):
        response = client.get(f"/territoire/diapositives?{query}")
        assert response.status_code == 404, query
        assert "graphique" in response.get_json()["erreur"]
