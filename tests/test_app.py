"""The app's entry point: refuses an invalid table or map layer, serves only same-origin
files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from dashboard.data.atomic import served_dir

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SERVED = served_dir(ROOT / "data")  # the committed version the bundled data point to


def _gunicorn() -> str:
    path = BIN / "gunicorn"
    return str(path) if path.exists() else (shutil.which("gunicorn") or "gunicorn")


@pytest.fixture(scope="module")
def broken_data_dir(tmp_path_factory) -> Path:
    """A data directory whose commune table lacks the `population` column."""
    out = tmp_path_factory.mktemp("data_invalide")
    df = pd.read_parquet(SERVED / "communes.parquet")
    df.drop(columns=["population"]).to_parquet(out / "communes.parquet")
    shutil.copytree(SERVED / "geo", out / "geo")
    (out / "raw").mkdir()
    shutil.copy(ROOT / "data" / "raw" / "ref_epci_2026.csv", out / "raw")
    return out


def _data_copy(out: Path) -> Path:
    """A flat copy of the served files (valid), to damage one of them."""
    shutil.copy(SERVED / "communes.parquet", out / "communes.parquet")
    shutil.copytree(SERVED / "geo", out / "geo")
    (out / "raw").mkdir()
    shutil.copy(ROOT / "data" / "raw" / "ref_epci_2026.csv", out / "raw")
    return out


@pytest.fixture(scope="module")
def corrupt_communes_layer(tmp_path_factory) -> Path:
    """The commune map layer cut in the middle (a disk full while copying)."""
    out = _data_copy(tmp_path_factory.mktemp("carte_communes_corrompue"))
    path = out / "geo" / "communes.geojson"
    path.write_bytes(path.read_bytes()[:5000])
    return out


@pytest.fixture(scope="module")
def missing_epci_layer(tmp_path_factory) -> Path:
    out = _data_copy(tmp_path_factory.mktemp("carte_epci_absente"))
    (out / "geo" / "epci.geojson").unlink()
    return out


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"AURA_RAW_DIR", "AURA_DEBUG"}}
    env["AURA_DATA_DIR"] = str(data_dir)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _assert_refused(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode != 0
    assert "n'est pas valide" in proc.stderr
    assert "colonne « population » absente" in proc.stderr
    assert "ne démarre pas" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_python_app_refuses_invalid_table(broken_data_dir):
    proc = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=_env(broken_data_dir),
                          capture_output=True, text=True, timeout=120)
    _assert_refused(proc)
    assert proc.returncode == 1


def test_gunicorn_refuses_invalid_table(broken_data_dir):
    proc = subprocess.run(
        [_gunicorn(), "app:server", "--preload", "--no-control-socket", "-w", "1",
         "-b", "127.0.0.1:0"],
        cwd=ROOT, env=_env(broken_data_dir), capture_output=True, text=True, timeout=120,
    )
    _assert_refused(proc)


def test_gunicorn_without_preload_stops_instead_of_respawning(broken_data_dir):
    # Each worker loads the app; gunicorn must halt, not restart workers forever.
    # (One worker: when several fail at once, gunicorn 27 itself may print a
    # traceback of its HaltServer while stopping; it still stops.)
    proc = subprocess.run(
        [_gunicorn(), "app:server", "--no-control-socket", "-w", "1", "-b", "127.0.0.1:0"],
        cwd=ROOT, env=_env(broken_data_dir), capture_output=True, text=True, timeout=120,
    )
    _assert_refused(proc)


def _assert_layer_refused(proc: subprocess.CompletedProcess, name: str) -> None:
    assert proc.returncode != 0
    assert f"{name} n'est pas valide" in proc.stderr
    assert "couche cartographique illisible" in proc.stderr
    assert "ne démarre pas" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


@pytest.mark.parametrize("case, name", [("corrupt_communes_layer", "communes.geojson"),
                                        ("missing_epci_layer", "epci.geojson")])
def test_python_app_refuses_a_broken_map_layer(request, case, name):
    proc = subprocess.run([sys.executable, "app.py"], cwd=ROOT,
                          env=_env(request.getfixturevalue(case)), capture_output=True,
                          text=True, timeout=120)
    _assert_layer_refused(proc, name)
    assert proc.returncode == 1


@pytest.mark.parametrize("case, name", [("corrupt_communes_layer", "communes.geojson"),
                                        ("missing_epci_layer", "epci.geojson")])
def test_gunicorn_refuses_a_broken_map_layer(request, case, name):
    proc = subprocess.run(
        [_gunicorn(), "app:server", "--preload", "--no-control-socket", "-w", "1",
         "-b", "127.0.0.1:0"],
        cwd=ROOT, env=_env(request.getfixturevalue(case)), capture_output=True, text=True,
        timeout=120,
    )
    _assert_layer_refused(proc, name)


def test_gunicorn_serves_the_bundled_data():
    """`make run`'s command on the real table answers on the home page."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"AURA_DATA_DIR", "AURA_RAW_DIR", "AURA_DEBUG"}}
    proc = subprocess.Popen(
        [_gunicorn(), "app:server", "--preload", "--no-control-socket", "-w", "2",
         "-b", "127.0.0.1:0"],
        cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )
    try:
        port = None
        deadline = time.monotonic() + 90
        while port is None and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line and proc.poll() is not None:
                break
            match = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
            if match:
                port = int(match.group(1))
        assert port, "gunicorn n'a pas démarré"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as resp:
            assert resp.status == 200
            assert '<html lang="fr">' in resp.read().decode("utf-8")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stderr.close()


# --- in-process checks with Flask's test client -----------------------------------------

@pytest.fixture(scope="module")
def client():
    import app

    return app.server.test_client()


def test_home_is_french_and_same_origin(client):
    resp = client.get("/")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert "<title>Logement social et revitalisation — AURA-HLM</title>" in html
    urls = re.findall(r'<(?:link|script)\b[^>]*?\b(?:href|src)="([^"]*)"', html)
    assert any("/vendor/bootstrap/css/bootstrap.min.css" in u for u in urls)
    assert any(u.startswith("/assets/plotly-locale-fr.js") for u in urls)
    assert any(u.startswith("/assets/style.css") for u in urls)
    for url in urls:
        assert not re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I), url
        assert url.startswith("/"), url


def test_every_linked_file_is_served(client):
    html = client.get("/").get_data(as_text=True)
    urls = re.findall(r'<(?:link|script)\b[^>]*?\b(?:href|src)="([^"]*)"', html)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_bootstrap_is_served_from_the_package(client):
    resp = client.get("/vendor/bootstrap/css/bootstrap.min.css")
    assert resp.status_code == 200
    assert resp.mimetype == "text/css"
    assert "Bootstrap" in resp.get_data(as_text=True)[:200]
    assert resp.cache_control.max_age >= 30 * 24 * 3600
    assert resp.cache_control.public
    js = client.get("/vendor/bootstrap/js/bootstrap.bundle.min.js")
    assert js.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/vendor/bootstrap/../../app.py",
        "/vendor/bootstrap/css/../../../__init__.py",
        "/vendor/bootstrap/..%2f..%2f__init__.py",
        "/vendor/bootstrap/css/..%2f..%2f..%2fbootstrap%2f__init__.css",
        "/vendor/bootstrap/%2fetc%2fpasswd",
        "/vendor/bootstrap//etc/passwd.css",
        "/vendor/bootstrap/absent.css",
        "/vendor/autre/css/bootstrap.min.css",
    ],
)
def test_vendor_route_refuses_other_files(client, path):
    resp = client.get(path)
    assert resp.status_code == 404
    assert "root:" not in resp.get_data(as_text=True)


PREFIX_CHECK = """
from dashboard.app_factory import create_app

app = create_app(requests_pathname_prefix="/tdb/", routes_pathname_prefix="/tdb/")
client = app.server.test_client()
html = client.get("/tdb/").get_data(as_text=True)
assert 'href="/tdb/vendor/bootstrap/css/bootstrap.min.css' in html, html
assert client.get("/tdb/vendor/bootstrap/css/bootstrap.min.css").status_code == 200
print("ok")
"""


def test_create_app_honours_a_path_prefix():
    # In a subprocess: Dash's page registry is global to the process.
    proc = subprocess.run([sys.executable, "-c", PREFIX_CHECK], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
