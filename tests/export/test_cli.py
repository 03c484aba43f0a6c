"""`python -m dashboard.export --epci SIREN [--epci ...] --out DIR`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageStat

ROOT = Path(__file__).resolve().parents[2]
ANNONAY = "200072015"
PORTES = "200040111"  # a second, different EPCI


def test_two_epci_write_two_folders_of_slide_pngs_with_an_index(tmp_path, capsys):
    from dashboard.export import slides
    from dashboard.export.cli import main

    assert main(["--epci", ANNONAY, "--epci", PORTES, "--epci", ANNONAY,
                 "--out", str(tmp_path)]) == 0
    folders = sorted(p.name for p in tmp_path.iterdir())
    assert len(folders) == 2
    assert f"ca-annonay-rhone-agglo_{ANNONAY}" in folders
    assert any(f.endswith(f"_{PORTES}") for f in folders)
    for code in (ANNONAY, PORTES):
        (folder,) = tmp_path.glob(f"*_{code}")
        pngs = sorted(folder.glob("*.png"))
        assert len(pngs) == len(slides.profile_pages(code))
        index = (folder / "LISEZMOI.txt").read_text("utf-8")
        page = (folder / "index.html").read_text("utf-8")
        for png in pngs:
            assert f"- {png.name} : " in index and f'src="{png.name}"' in page
            with Image.open(png) as image:
                assert image.size == (1920, 1080)
                assert ImageStat.Stat(image.convert("L")).var[0] > 100
    assert not list(tmp_path.glob("**/*.tmp"))
    out = capsys.readouterr().out
    assert "CA Annonay Rhône Agglo :" in out and "images PNG" in out


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard.export", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_unknown_code_exits_2_with_one_line_and_writes_nothing(tmp_path):
    result = _run("--epci", ANNONAY, "--epci", "123456789", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == ["erreur : Aucune intercommunalité de la région ne porte le code "
                     "123456789."]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_malformed_code_and_missing_option_exit_2(tmp_path, capsys):
    from dashboard.export.cli import main

    assert main(["--epci", "<b>", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "n'est pas un code d'intercommunalité valide" in err[0]
    result = _run("--out", str(tmp_path))
    assert result.returncode == 2 and "--epci" in result.stderr
