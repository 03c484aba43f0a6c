"""The Celery path, for real: Debian's `redis-server` started on a free local port,
a real Celery worker (`tests.jobs.fake_worker`: the app's tasks with a fake renderer
of known speed) and the app served by gunicorn with AURA_REDIS_URL, driven through
Dash's HTTP protocol for background callbacks (start, poll with the signed cacheKey
and job, cancel).

Opens ports: run under the lock, `flock /tmp/aura-browser.lock pytest tests/jobs`.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
import requests

from tests.servers import Gunicorn, free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ANNONAY = "200072015"
OUTPUT = "..territoire-export-download.data...territoire-export-message.children.."
DELAY = 0.4  # seconds per image in the worker's fake renderer
CONFIG_RE = re.compile(r'<script id="_dash-config" type="application/json">(.*?)</script>',
                       re.S)

def wait_until(check: Callable[[], object], timeout: float, what: str) -> object:
    """Poll `check` until it returns something true (bounded)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            value = check()
        except (OSError, requests.RequestException, redis.RedisError):
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s: {what}")


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    """Stop a process we started (by its PID), politely then firmly."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("redis")
    port = free_port()
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
         "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        wait_until(lambda: redis.Redis.from_url(url).ping(), 10, "redis-server answers")
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="module")
def env(redis_url, tmp_path_factory) -> dict[str, str]:
    return {**os.environ, "AURA_REDIS_URL": redis_url,
            "AURA_JOBS_DIR": str(tmp_path_factory.mktemp("jobs")),
            "AURA_TEST_RENDER_DELAY": str(DELAY), "PYTHONPATH": str(ROOT)}


@pytest.fixture(scope="module")
def worker(env, tmp_path_factory) -> Iterator[subprocess.Popen]:
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BIN / "celery"), "-A", "tests.jobs.fake_worker", "worker", "--pool=prefork",
             "--concurrency=2", "--loglevel=INFO", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-n", f"test-{os.getpid()}@localhost"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: process.poll() is not None or b"ready." in log.read_bytes(), 90,
                   "celery worker ready")
        assert process.poll() is None, log.read_text(errors="replace")[-3000:]
        yield process
    finally:
        stop(process, 30)


class Server:
    """gunicorn serving the app with AURA_REDIS_URL (`tests.servers.Gunicorn`),
    restartable on the same port."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.gunicorn: Gunicorn | None = None

    def start(self) -> None:
        self.gunicorn = Gunicorn(
            ["app:server", "--preload", "-w", "2", "-k", "gthread", "--threads", "2",
             "-b", f"127.0.0.1:{self.port}", "--no-control-socket", "--timeout", "60"],
            env=self.env)
        wait_until(lambda: requests.get(self.url + "/", timeout=5).status_code == 200, 90,
                   "gunicorn serves the app")

    def stop(self) -> None:
        if self.gunicorn is not None:
            self.gunicorn.stop()


@pytest.fixture(scope="module")
def server(env, worker) -> Iterator[Server]:
    s = Server(env)
    s.start()
    try:
        yield s
    finally:
        s.stop()


# --- Dash's protocol for a background callback -------------------------------------------------

def end_id(server: Server, epci: str) -> str:
    """The page load's signed token, from the page's `_dash-config`."""
    html = requests.get(f"{server.url}/territoire?epci={epci}", timeout=30).text
    return json.loads(CONFIG_RE.search(html).group(1))["end_id"]


def body(epci: str, token: str, clicks: int = 1) -> dict:
    return {"output": OUTPUT,
            "outputs": [{"id": "territoire-export-download", "property": "data"},
                        {"id": "territoire-export-message", "property": "children"}],
            "inputs": [{"id": "territoire-export-zip", "property": "n_clicks",
                        "value": clicks}],
            "changedPropIds": ["territoire-export-zip.n_clicks"],
            "state": [{"id": "url", "property": "search", "value": f"?epci={epci}"},
                      {"id": "territoire-export-jeton", "property": "data", "value": token}]}


class Export:
    """One export started over HTTP, then polled like the browser does."""

    def __init__(self, server: Server, epci: str, token: str):
        self.server, self.epci, self.token = server, epci, token
        self.end_id = end_id(server, epci)
        answer = requests.post(f"{server.url}/_dash-update-component",
                               params={"endId": self.end_id}, json=body(epci, token),
                               timeout=30)
        assert answer.status_code == 200, answer.text
        handles = answer.json()
        self.cache_key, self.job = handles["cacheKey"], handles["job"]
        self.progress: list[str] = []

    def poll(self) -> dict | None:
        """One poll: the outputs when done, else None (progress recorded)."""
        answer = requests.post(
            f"{self.server.url}/_dash-update-component",
            params={"endId": self.end_id, "cacheKey": self.cache_key, "job": self.job},
            json=body(self.epci, self.token), timeout=30)
        assert answer.status_code in (200, 204), answer.text
        data = answer.json() if answer.status_code == 200 and answer.content else {}
        if "progress" in data:
            self.progress.append(data["progress"]["territoire-export-etat.children"])
        return data.get("response")

    def result(self, timeout: float = 60) -> dict:
        return wait_until(self.poll, timeout, f"export of {self.epci} done")

    def cancel(self) -> None:
        answer = requests.post(
            f"{self.server.url}/_dash-update-component",
            params={"endId": self.end_id, "cancelJob": self.job},
            json={"output": "territoire-export-annuler.id",
                  "outputs": {"id": "territoire-export-annuler", "property": "id"},
                  "inputs": [{"id": "territoire-export-annuler", "property": "n_clicks",
                              "value": 1}],
                  "changedPropIds": ["territoire-export-annuler.n_clicks"], "state": []},
            timeout=30)
        assert answer.status_code in (200, 204), answer.text


def zip_of(response: dict) -> zipfile.ZipFile:
    data = response["territoire-export-download"]["data"]
    return zipfile.ZipFile(io.BytesIO(base64.b64decode(data["content"])))


def epcis(count: int) -> list[str]:
    from dashboard.data import territories

    codes = sorted(territories.epci_names())
    return [ANNONAY, *[c for c in codes if c != ANNONAY][:count - 1]]


def pages_of(epci: str) -> int:
    from dashboard.export import slides

    return len(slides.profile_pages(epci, None, ()))


# --- the tests -----------------------------------------------------------------------------------

def test_an_export_completes_with_its_progress(server):
    export = Export(server, ANNONAY, "a")
    response = export.result()
    total = pages_of(ANNONAY)
    with zip_of(response) as zf:
        assert len([n for n in zf.namelist() if n.endswith(".png")]) == total
        assert any(n.endswith("index.html") for n in zf.namelist())
    assert any(p.endswith(f" / {total} images") for p in export.progress), export.progress
    message = json.dumps(response["territoire-export-message"], ensure_ascii=False)
    assert f"{total} images PNG" in message


def test_two_exports_at_once_both_complete(server):
    code = epcis(2)[1]
    first, second = Export(server, code, "b1"), Export(server, code, "b2")
    assert first.cache_key.split("~")[0] != second.cache_key.split("~")[0]
    responses = [first.result(), second.result()]
    for response in responses:
        with zip_of(response) as zf:
            assert len([n for n in zf.namelist() if n.endswith(".png")]) == pages_of(code)


def test_a_result_survives_an_app_restart(server):
    code = epcis(3)[2]
    export = Export(server, code, "c")
    server.stop()
    server.start()  # same port, new processes: the handles are checked against Redis
    with zip_of(export.result()) as zf:
        assert len([n for n in zf.namelist() if n.endswith(".png")]) == pages_of(code)


def test_a_cancelled_export_leaves_nothing_behind(server, redis_url):
    client = redis.Redis.from_url(redis_url)
    code = epcis(4)[3]
    export = Export(server, code, "d")
    wait_until(lambda: export.poll() is None and any(
        p.startswith("1 / ") for p in export.progress), 20, "first image rendered")
    export.cancel()
    key, job = export.cache_key.split("~")[0], export.job.split("~")[0]
    leftovers = (key, f"{key}-progress", f"{key}-set_props", f"celery-task-meta-{job}",
                 f"aura-hlm:cancel:{job}")
    wait_until(lambda: client.exists(f"celery-task-meta-{job}") == 0
               and not client.exists(*leftovers), 20, "cancelled job's keys removed")
    # Give a late write the time of two images, then check again: still nothing.
    time.sleep(2 * DELAY)
    assert client.exists(*leftovers) == 0
    assert not client.keys(f"aura-hlm:zip:{code}:*")  # not memoised either
    assert export.poll() is None  # the page gets nothing for it
    # The worker is still healthy: a new export of the same view completes.
    again = Export(server, code, "d2")
    with zip_of(again.result()) as zf:
        assert len([n for n in zf.namelist() if n.endswith(".png")]) == pages_of(code)
