"""The profile ZIP of the two territories whose communes had no geometry (a commune
nouvelle and a split commune) renders completely with the real renderer (kaleido +
Debian's Chromium): one PNG per page, none blank, the map drawn."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import numpy as np
import pytest
from PIL import Image, ImageStat

DAY = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def export():
    from dashboard.data import store
    from dashboard.export import territoire as profile

    store.communes()
    return profile


@pytest.mark.parametrize("siren", ["200040574", "200066637"])
def test_real_zip_of_a_territory_with_a_rebuilt_commune(export, siren):
    from dashboard.export import slides

    _, data = export.profile_zip(siren, DAY)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        pngs = sorted(n for n in zf.namelist() if n.endswith(".png"))
        assert len(pngs) == len(slides.profile_pages(siren))
        images = {}
        for name in pngs:
            image = Image.open(io.BytesIO(zf.read(name)))
            assert image.format == "PNG" and image.size == (1920, 1080)
            assert ImageStat.Stat(image.convert("L")).var[0] > 100, name
            images[name.split("/")[-1].split("_")[0]] = image
    rgb = np.asarray(images["carte-taux-logements-sociaux"].convert("RGB")).astype(int)
    blue = int(((rgb[..., 2] > 150) & (rgb[..., 0] < 120)).sum())
    assert blue > 5000
