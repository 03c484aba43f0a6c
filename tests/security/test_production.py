"""Production mode under gunicorn, and the real start command on broken tables.

- Dash's and Flask's debug variables in the environment do not turn on dev
  tools, debug or tracebacks: only AURA_DEV=1 / AURA_DEBUG=1 would.
- An exception inside a callback reaches the client as one French sentence
  (status 500) and the server log as a traceback.
- `make run`'s command (gunicorn -c deploy/gunicorn.conf.py) refuses a table with a
  lost leading zero or a mis-encoded name with the validator's French line.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from dashboard import config, security
from dashboard.data.atomic import served_dir
from tests.servers import GUNICORN, Gunicorn, clean_env

ROOT = Path(__file__).resolve().parents[2]

# Ids of tests/security/failing_app.py (not imported here: it would register its
# failing callback in this process).
FAILING_INPUT = "essai-panne"
FAILING_OUTPUT = "essai-panne-sortie"

DEBUG_ENV = {
    "DASH_DEBUG": "true", "DASH_UI": "true", "DASH_PROPS_CHECK": "true",
    "DASH_DEV_TOOLS_UI": "true", "DASH_DEV_TOOLS_PROPS_CHECK": "true",
    "DASH_HOT_RELOAD": "true", "DASH_SERVE_DEV_BUNDLES": "true", "DASH_PRUNE_ERRORS": "false",
    "DASH_VALIDATE_CALLBACKS": "true", "DASH_MCP_ENABLED": "true", "FLASK_DEBUG": "1",
    "AURA_FRAME_ANCESTORS": "https://www.aura-hlm.org * 'unsafe-inline' javascript:",
}


def test_dev_mode_needs_an_explicit_flag(monkeypatch):
    for name in ("AURA_DEV", "AURA_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in DEBUG_ENV.items():
        monkeypatch.setenv(name, value)
    assert not config.dev_mode()
    monkeypatch.setenv("AURA_DEV", "1")
    assert config.dev_mode()
    monkeypatch.delenv("AURA_DEV")
    monkeypatch.setenv("AURA_DEBUG", "oui")
    assert config.dev_mode()


def test_dev_tools_options_decide_every_tool():
    """`python app.py` passes these to app.run: no DASH_* variable is consulted."""
    off = security.dev_tools_options(False)
    assert off["debug"] is False
    assert not any(v for k, v in off.items() if k.startswith("dev_tools_") and k not in {
        "dev_tools_prune_errors", "dev_tools_disable_version_check"})
    assert all(v is not None for v in off.values())
    assert security.dev_tools_options(True)["dev_tools_ui"] is True


# --- gunicorn with every debug variable set ------------------------------------------------

def _request(url: str, body: dict | None = None) -> tuple[int, dict, str]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method="POST" if data else "GET",
                                 headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, dict(resp.headers), resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode("utf-8")


def _get_when_ready(url: str) -> tuple[int, dict, str]:
    deadline = time.monotonic() + 60
    while True:
        try:
            return _request(url)
        except urllib.error.URLError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="module")
def served():
    server = Gunicorn(["tests.security.failing_app:server", "-w", "1", "-b", "127.0.0.1:0",
                       "--no-control-socket"], clean_env(**DEBUG_ENV))
    yield server
    server.stop()


def test_debug_variables_do_not_turn_on_dev_tools(served):
    status, headers, page = _get_when_ready(served.url("/"))
    assert status == 200
    cfg = json.loads(re.search(r'<script id="_dash-config" type="application/json">(.*?)'
                               r"</script>", page, re.S).group(1))
    assert cfg["ui"] is False
    assert cfg["props_check"] is False
    assert cfg["validate_callbacks"] is False
    assert "hot_reload" not in cfg
    assert "python_version" not in cfg
    assert "dash_renderer.v" in page and ".min.js" in page
    assert ".dev.js" not in page  # no development bundles
    assert _request(served.url("/_reload-hash"))[0] == 404
    assert _request(served.url("/_mcp"), {"jsonrpc": "2.0", "method": "tools/list"})[0] != 200
    # AURA_FRAME_ANCESTORS: the valid origin kept, "*", 'unsafe-inline', javascript: dropped.
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors https://www.aura-hlm.org" in csp
    assert "frame-ancestors https://www.aura-hlm.org;" in csp + ";"


def test_an_error_inside_a_callback_does_not_leak(served):
    body = {
        "output": f"{FAILING_OUTPUT}.children",
        "outputs": {"id": FAILING_OUTPUT, "property": "children"},
        "inputs": [{"id": FAILING_INPUT, "property": "n_clicks", "value": 1}],
        "changedPropIds": [f"{FAILING_INPUT}.n_clicks"],
    }
    _get_when_ready(served.url("/"))
    status, headers, text = _request(served.url("/_dash-update-component"), body)
    assert status == 500
    assert headers["Content-Type"].startswith("text/plain")
    assert text.strip() == security.ERROR_MESSAGES[500]
    for leak in ("Traceback", "RuntimeError", "secret", "hunter2", ".py", 'File "'):
        assert leak not in text
    # The worker keeps serving, and the server log has the traceback.
    assert _request(served.url("/"))[0] == 200
    deadline = time.monotonic() + 10
    while "RuntimeError" not in "".join(served.lines) and time.monotonic() < deadline:
        time.sleep(0.1)
    log = "".join(served.lines)
    assert "Traceback" in log and "RuntimeError" in log and "hunter2" in log


# --- the start command on broken tables ------------------------------------------------------

def _broken_data_dir(tmp_path: Path, damage) -> Path:
    served = served_dir(ROOT / "data")
    df = pd.read_parquet(served / "communes.parquet")
    damage(df)
    df.to_parquet(tmp_path / "communes.parquet")
    shutil.copytree(served / "geo", tmp_path / "geo")
    (tmp_path / "raw").mkdir()
    shutil.copy(ROOT / "data" / "raw" / "ref_epci_2026.csv", tmp_path / "raw")
    return tmp_path


def _lost_leading_zero(df: pd.DataFrame) -> None:
    row = df.index[df["code_insee"].str.startswith("0")][3]
    df.loc[row, "code_insee"] = df.loc[row, "code_insee"].lstrip("0")


def _mis_encoded_name(df: pd.DataFrame) -> None:
    row = df.index[df["nom"].str.contains("é")][0]
    df.loc[row, "nom"] = df.loc[row, "nom"].encode("utf-8").decode("latin-1")


@pytest.mark.parametrize(("damage", "expected"), [
    (_lost_leading_zero, "le zéro initial a été perdu"),
    (_mis_encoded_name, "texte mal encodé"),
])
def test_make_run_command_refuses_a_broken_table(tmp_path, damage, expected):
    data_dir = _broken_data_dir(tmp_path, damage)
    proc = subprocess.run(
        [GUNICORN, "app:server", "-c", "deploy/gunicorn.conf.py", "-b", "127.0.0.1:0"],
        cwd=ROOT, env=clean_env(AURA_DATA_DIR=str(data_dir), **DEBUG_ENV), capture_output=True,
        text=True, timeout=120)
    assert proc.returncode != 0
    assert "n'est pas valide" in proc.stderr
    assert expected in proc.stderr
    assert "ne démarre pas" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
