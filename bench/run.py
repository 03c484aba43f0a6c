"""Benchmark of the dashboard against a naive build. Not a test: it measures.

    python bench/run.py [--quick] [--only latency] [--json PATH]

Everything runs on 127.0.0.1, with the gunicorn settings the README deploys
(bench/server.py), side by side in one run so the ratios hold on a noisy
machine:

1. Start-up: from launching gunicorn to the first page served.
2. Filter-change latency (server side): the territory profile's callback at the
   first view of each EPCI (caches empty; the build's precomputed slices are
   allowed), then for N changes of EPCI (warm), p50/p95; side by side with
   bench/naive_app.py (plotly.express, full table and full geometry at every
   callback).
3. Bytes per filter change: response bodies as served (gzip), ours and naive.
4. First load in headless Chromium: time until every chart of the profile is
   drawn and bytes transferred, with the app's plotly.js and with the full
   plotly.js (`AURA_PLOTLY_BUNDLE=full`): both servers up at once, loads
   alternated (ours, full, ours…), medians (`alternated_first_load`).
5. Load: 32 concurrent connections for 30 s (10 s with --quick) on the main
   callback: throughput, p50/p99, errors, worker memory.
6. Memory: RSS of each worker after a long run of distinct views (2 000; 300
   with --quick), then with the PNG export's Chromium (counted apart).
7. Exports: p95 of a cheap request (an EPCI change) while 4 ZIP exports run,
   divided by its p95 at rest; failed exports.
8. Scale: first views on the France-wide table; latency ratio.

`--only latency` runs parts 1 to 3 only (start-up, first views, warm changes,
the naive build, bytes per change: a few minutes), for work on the first view;
there each first view is followed by one request to the naive build (both
servers up), so both see the same load on a shared machine.

Prints each figure with its goal (met / not met); --json writes the figures.
`--only premier-chargement` / `--only exports` measures one part alone (a few
minutes); `--detail` lists every request of the first load.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

from bench.server import Server, descendants, serve, settings  # noqa: E402 - after the path is set

DISPATCH = "/_dash-update-component"

_local = threading.local()


def request(server: Server, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    """One HTTP request on a kept-alive connection (one per thread and server).

    A kept-alive connection the server closed while it sat idle (gunicorn's
    keep-alive timeout) is reopened once; any other failure is raised.
    """
    key = f"conn{server.port}"
    hdrs = {"Accept-Encoding": "gzip", **(headers or {})}
    if body is not None:
        hdrs["Content-Type"] = "application/json"
    for attempt in (1, 2):
        conn = getattr(_local, key, None)
        reused = conn is not None
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
            setattr(_local, key, conn)
        try:
            conn.request(method, path, body=body, headers=hdrs)
            resp = conn.getresponse()
            data = resp.read()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            conn.close()
            setattr(_local, key, None)
            if reused and attempt == 1:
                continue
            raise
        except (http.client.HTTPException, OSError):
            conn.close()
            setattr(_local, key, None)
            raise
        return resp.status, data, dict(resp.getheaders())
    raise AssertionError("unreachable")


# --- callbacks ---------------------------------------------------------------------------

def router_body(path: str, search: str) -> bytes:
    """The body Dash's renderer posts when the URL changes (pages router)."""
    return json.dumps({
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"},
                    {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.search"],
        "state": [],
    }).encode()


def naive_body(epci: str) -> bytes:
    outs = [("kpi", "children"), ("parts", "figure"), ("carte", "figure"),
            ("calendrier", "figure"), ("bailleurs", "figure"), ("programmes", "children")]
    return json.dumps({
        "output": ".." + "...".join(f"{i}.{p}" for i, p in outs) + "..",
        "outputs": [{"id": i, "property": p} for i, p in outs],
        "inputs": [{"id": "epci", "property": "value", "value": epci}],
        "changedPropIds": ["epci.value"],
        "state": [],
    }).encode()


def post(server: Server, body: bytes) -> tuple[float, int]:
    """(milliseconds, compressed bytes) of one callback request."""
    start = time.perf_counter()
    status, data, _ = request(server, "POST", "/_dash-update-component", body)
    ms = (time.perf_counter() - start) * 1000
    if status != 200:
        raise RuntimeError(f"callback answered {status}: {data[:300]!r}")
    return ms, len(data)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass
class Latency:
    samples: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return percentile(self.samples, 0.5)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 0.95)


def epci_codes() -> list[str]:
    import pandas as pd

    from dashboard.data.atomic import served_dir

    df = pd.read_parquet(served_dir(ROOT / "data") / "communes.parquet", columns=["epci_siren"])
    return sorted(df["epci_siren"].dropna().unique())


def measure_changes(server: Server, bodies: list[bytes], warmup: int = 3) -> Latency:
    for body in bodies[:warmup]:
        post(server, body)
    result = Latency()
    for body in bodies:
        ms, size = post(server, body)
        result.samples.append(ms)
        result.sizes.append(size)
    return result


def change_sequence(codes: list[str], n: int, seed: int = 7) -> list[str]:
    """n EPCI codes, each different from the previous one (a filter change)."""
    rng = random.Random(seed)
    seq = [rng.choice(codes)]
    while len(seq) < n:
        code = rng.choice(codes)
        if code != seq[-1]:
            seq.append(code)
    return seq


# --- first load --------------------------------------------------------------------------

FIRST_LOAD_JS = """
const done = arguments[arguments.length - 1];
const expected = arguments[0];
const t0 = performance.timing.navigationStart;
function ready() {
  const graphs = document.querySelectorAll('.js-plotly-plot');
  const drawn = Array.from(graphs).filter(g => g.querySelector('.main-svg'));
  return drawn.length >= expected ? drawn.length : 0;
}
function poll() {
  const n = ready();
  if (n) {
    const entries = performance.getEntriesByType('resource');
    const nav = performance.getEntriesByType('navigation')[0];
    const bytes = entries.reduce((s, e) => s + (e.transferSize || 0), 0)
      + (nav ? nav.transferSize : 0);
    done({ms: performance.now(), graphs: n, bytes: bytes, requests: entries.length + 1});
  } else { setTimeout(poll, 20); }
}
poll();
"""


CHROME_ARGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-background-networking", "--disable-component-update",
               "--no-first-run", "--window-size=1366,768")
"""Chromium options of every first-load measure: headless, 1366×768, no background traffic."""


def _chrome_driver():
    """A headless Chromium (Debian's, when on PATH) with a fresh profile: empty cache."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    chromium = shutil.which("chromium")
    if chromium:
        options.binary_location = chromium
    return webdriver.Chrome(options=options)


IDLE_CPU_SHARE = 0.05
"""A fresh Chromium is settled when its processes use under 5 % of one core…"""
IDLE_WINDOW_S = 0.25
"""…over a quarter of a second."""
SETTLE_MAX_S = 20.0


def _settled(driver, cpu_s: Callable[[], float] | None = None,
             clock: Callable[[], float] = time.monotonic,
             sleep: Callable[[float], None] = time.sleep) -> float:
    """Wait until a fresh Chromium has finished starting up; the seconds it took.

    Started, Chromium keeps working for a few seconds (its own internal pages,
    profile set-up), on the same 2 cores as the page and the server; a user's
    browser is already running. Measured on the profile's first load: the loads
    that started at once were 0.5 s slower with both plotly.js, and varied twice as
    much. Settled means: the CPU time of chromedriver's process tree (`cpu_s`) grew
    by less than `IDLE_CPU_SHARE` of one core over `IDLE_WINDOW_S`; at most
    `SETTLE_MAX_S`.
    """
    cpu_s = cpu_s or _tree_cpu_s(driver.service.process.pid)
    start = clock()
    before = cpu_s()
    while clock() - start < SETTLE_MAX_S:
        sleep(IDLE_WINDOW_S)
        now = cpu_s()
        if now - before < IDLE_CPU_SHARE * IDLE_WINDOW_S:
            break
        before = now
    return clock() - start


def _tree_cpu_s(pid: int) -> Callable[[], float]:
    """A function giving the CPU seconds used so far by process `pid` and its children."""
    import psutil

    root = psutil.Process(pid)

    def cpu_s() -> float:
        total = 0.0
        for proc in (root, *root.children(recursive=True)):
            try:
                times = proc.cpu_times()
            except psutil.Error:  # gone between the listing and the reading
                continue
            total += times.user + times.system
        return total

    return cpu_s


def first_load(server: Server, path: str, expected_graphs: int, runs: int = 3) -> dict:
    results = []
    for _ in range(runs):
        driver = _chrome_driver()
        try:
            driver.set_script_timeout(60)
            settle_s = _settled(driver)
            driver.get(server.base + path)
            results.append({**driver.execute_async_script(FIRST_LOAD_JS, expected_graphs),
                            "settle_s": settle_s})
        finally:
            driver.quit()
    best = sorted(results, key=lambda r: r["ms"])[len(results) // 2]
    return {"first_load_s": round(best["ms"] / 1000, 3), "first_load_bytes": int(best["bytes"]),
            "first_load_requests": best["requests"], "graphs": best["graphs"],
            "first_load_browser_settle_s": round(best["settle_s"], 2)}


FIRST_LOAD_DETAIL_JS = """
const done = arguments[arguments.length - 1];
const expected = arguments[0];
function poll() {
  const graphs = document.querySelectorAll('.js-plotly-plot');
  const drawn = Array.from(graphs).filter(g => g.querySelector('.main-svg'));
  if (drawn.length < expected) { setTimeout(poll, 20); return; }
  const entries = performance.getEntriesByType('navigation')
    .concat(performance.getEntriesByType('resource'));
  const charts = {name: '(graphiques dessinés)', type: 'mesure', transfer: 0, encoded: 0,
                  decoded: 0, end_ms: Math.round(performance.now())};
  const nav = performance.getEntriesByType('navigation')[0];
  const scripts = {name: '(scripts exécutés : DOMContentLoaded)', type: 'mesure', transfer: 0,
                   encoded: 0, decoded: 0, end_ms: Math.round(nav.domContentLoadedEventEnd)};
  done([charts, scripts].concat(entries.map(e => ({
                          name: e.name, type: e.initiatorType || 'navigation',
                          transfer: e.transferSize || 0, encoded: e.encodedBodySize || 0,
                          decoded: e.decodedBodySize || 0,
                          end_ms: Math.round(e.responseEnd)}))));
}
poll();
"""


def first_load_detail(server: Server, path: str, expected_graphs: int) -> list[dict]:
    """Every request of a first load (fresh profile), until the charts are drawn:
    address (without host), initiator, bytes transferred (headers included),
    body bytes as sent (compressed) and decoded, and when it ended (ms); and two
    moments: every script run (DOMContentLoaded) and every chart drawn."""
    driver = _chrome_driver()
    try:
        driver.set_script_timeout(60)
        _settled(driver)
        driver.get(server.base + path)
        entries = driver.execute_async_script(FIRST_LOAD_DETAIL_JS, expected_graphs)
    finally:
        driver.quit()
    for entry in entries:
        entry["name"] = entry["name"].removeprefix(server.base)
    return entries


def detail_table(entries: list[dict]) -> str:
    """The requests of a first load, largest first, with totals (French numbers)."""
    lines = [f"{'octets transférés':>18} {'corps compressé':>16} {'décompressé':>12} "
             f"{'fin (ms)':>9}  requête"]
    for e in sorted(entries, key=lambda e: -e["transfer"]):
        name = e["name"] if len(e["name"]) <= 90 else e["name"][:87] + "…"
        lines.append(f"{_n(e['transfer']):>18} {_n(e['encoded']):>16} {_n(e['decoded']):>12} "
                     f"{_n(e['end_ms']):>9}  {name} ({e['type']})")
    lines.append(f"{_n(sum(e['transfer'] for e in entries)):>18} "
                 f"{_n(sum(e['encoded'] for e in entries)):>16} "
                 f"{_n(sum(e['decoded'] for e in entries)):>12} "
                 f"{_n(max(e['end_ms'] for e in entries)):>9}  total, "
                 f"{len(entries)} requêtes")
    return "\n".join(lines)


# --- load --------------------------------------------------------------------------------

def load_test(server: Server, bodies: list[bytes], seconds: float, connections: int = 32
              ) -> dict:
    """`connections` threads posting callbacks back to back for `seconds`."""
    stop = time.perf_counter() + seconds
    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker(i: int) -> None:
        local: list[float] = []
        k = i
        while time.perf_counter() < stop:
            body = bodies[k % len(bodies)]
            k += connections
            try:
                ms, _ = post(server, body)
                local.append(ms)
            except Exception:  # noqa: BLE001 - counted, reported
                with lock:
                    errors[0] += 1
        with lock:
            lat.extend(local)

    rss_before = server.worker_rss_mb()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return {
        "load_seconds": round(elapsed, 1), "load_connections": connections,
        "load_requests": len(lat), "load_rps": round(len(lat) / elapsed, 1),
        "load_p50_ms": round(percentile(lat, 0.5), 1) if lat else None,
        "load_p99_ms": round(percentile(lat, 0.99), 1) if lat else None,
        "load_errors": errors[0],
        "worker_rss_mb_before": rss_before, "worker_rss_mb_after": server.worker_rss_mb(),
    }


# --- scale -------------------------------------------------------------------------------

@contextmanager
def france_data_dir():
    """A data folder holding the France-wide table beside the region's other files."""
    from dashboard.data.atomic import served_dir

    out = ROOT / "data" / "france"
    region = served_dir(ROOT / "data")
    stamp = out / "built-from"  # the region's build the France table was made with
    if (not (served_dir(out) / "communes.parquet").is_file()
            or not stamp.is_file() or stamp.read_text("utf-8") != region.name):
        subprocess.run([PYTHON, "-m", "dashboard.data", "build", "--region", "all"], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)
        stamp.write_text(region.name, "utf-8")
    with tempfile.TemporaryDirectory(prefix="aura-france-") as tmp:
        tmp_path = Path(tmp)
        for name in ("raw", "demo", "templates", "SCHEMA.md", "SOURCES.md"):
            src = ROOT / "data" / name
            if src.exists():
                (tmp_path / name).symlink_to(src)
        for name in ("geo", "build_info.json"):  # served files of the region's build
            (tmp_path / name).symlink_to(region / name)
        (tmp_path / "communes.parquet").symlink_to(served_dir(out) / "communes.parquet")
        precomputed = served_dir(out) / "precomputed"
        if precomputed.is_dir():  # the build's slices of the France table
            (tmp_path / "precomputed").symlink_to(precomputed)
        yield tmp_path


# --- memory after a long run ---------------------------------------------------------------

def distinct_views(n: int, seed: int = 13) -> list[bytes]:
    """Router bodies of `n` distinct profile views: an EPCI with one of its communes
    highlighted (4 000 possible), in a seeded order."""
    import pandas as pd

    from dashboard.data.atomic import served_dir

    df = pd.read_parquet(served_dir(ROOT / "data") / "communes.parquet",
                         columns=["code_insee", "epci_siren"])
    pairs = sorted((str(e), str(c)) for c, e in df.dropna().itertuples(index=False))
    random.Random(seed).shuffle(pairs)
    return [router_body("/territoire", f"?epci={e}&commune={c}") for e, c in pairs[:n]]


def long_run(server: Server, bodies: list[bytes], threads: int = 4) -> dict:
    """Send every body once (`threads` clients); worker RSS before and after."""
    before = server.worker_rss_mb()
    errors = [0]
    lock = threading.Lock()

    def client(i: int) -> None:
        for body in bodies[i::threads]:
            try:
                post(server, body)
            except Exception:  # noqa: BLE001 - counted, reported
                with lock:
                    errors[0] += 1

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return {"memory_views": len(bodies), "memory_view_errors": errors[0],
            "memory_worker_rss_mb_start": before,
            "memory_worker_rss_mb_after_views": server.worker_rss_mb()}


# --- exports while others browse ---------------------------------------------------------

def _json(data: bytes, headers: dict[str, str]) -> dict:
    if headers.get("Content-Encoding", headers.get("content-encoding", "")) == "gzip":
        data = gzip.decompress(data)
    return json.loads(data) if data else {}


def _end_id(server: Server) -> str | None:
    """The signed page-load token Dash's renderer sends with background callbacks."""
    status, data, headers = request(server, "GET", "/territoire")
    if headers.get("Content-Encoding", headers.get("content-encoding", "")) == "gzip":
        data = gzip.decompress(data)
    match = re.search(rb'<script id="_dash-config" type="application/json">(.*?)</script>',
                      data, re.S)
    if status != 200 or not match:
        return None
    return json.loads(match.group(1)).get("end_id")


@contextmanager
def fresh_jobs_dir() -> Iterator[dict[str, str]]:
    """The environment of a server whose embedded export queue starts empty: its own
    `AURA_JOBS_DIR` (short: Chromium's sockets go under it), removed afterwards.
    Without it, the ZIPs memoised for the day by an earlier run (or by the tests)
    would be served without rendering, and the exports would cost nothing."""
    path = tempfile.mkdtemp(prefix="aura-bench-jobs-")
    try:
        yield {"AURA_JOBS_DIR": path}
    finally:
        shutil.rmtree(path, ignore_errors=True)


class CallbackExport:
    """The profile's "Exporter les graphiques (ZIP)" button, as the browser calls it.

    One POST to the export callback: a synchronous callback answers with the ZIP;
    a Dash background callback answers with a job (cacheKey, job) that is polled
    with the same body, as Dash's renderer does, until the ZIP comes back.
    Either way `export()` returns True when a ZIP was delivered.
    """

    OUTPUTS = (("territoire-export-download", "data"),
               ("territoire-export-message", "children"))
    POLL_S = 0.25
    TIMEOUT_S = 300.0

    def body(self, epci: str) -> bytes:
        return json.dumps({
            "output": ".." + "...".join(f"{i}.{p}" for i, p in self.OUTPUTS) + "..",
            "outputs": [{"id": i, "property": p} for i, p in self.OUTPUTS],
            "inputs": [{"id": "territoire-export-zip", "property": "n_clicks", "value": 1}],
            "changedPropIds": ["territoire-export-zip.n_clicks"],
            "state": [{"id": "url", "property": "search", "value": f"?epci={epci}"},
                      # each page has its own token, so two pages never share a job
                      {"id": "territoire-export-jeton", "property": "data",
                       "value": uuid.uuid4().hex}],
        }).encode()

    def export(self, server: Server, epci: str) -> bool:
        body = self.body(epci)
        end_id = _end_id(server)
        query = {"endId": end_id} if end_id else {}
        deadline = time.perf_counter() + self.TIMEOUT_S
        while time.perf_counter() < deadline:
            path = DISPATCH + (("?" + urlencode(query)) if query else "")
            status, data, headers = request(server, "POST", path, body)
            if status == 204:
                time.sleep(self.POLL_S)
                continue
            if status != 200:
                return False
            answer = _json(data, headers)
            if "cacheKey" in answer and "job" in answer:  # a background job: poll it
                query.update(cacheKey=answer["cacheKey"], job=answer["job"])
                time.sleep(self.POLL_S)
                continue
            download = answer.get("response", {}).get(self.OUTPUTS[0][0], {}).get("data")
            if download:
                return str(download.get("filename", "")).endswith(".zip")
            if "cacheKey" in query:  # still running (progress only)
                time.sleep(self.POLL_S)
                continue
            return False
        return False


def export_blocking(server: Server, cheap: list[bytes], export_codes: list[str],
                    exporter: CallbackExport | None = None) -> dict:
    """p95 of cheap requests at rest, then while len(export_codes) exports run at once."""
    exporter = exporter or CallbackExport()
    rest = measure_changes(server, cheap, warmup=3)
    results: list[bool] = []
    lock = threading.Lock()

    def run_export(code: str) -> None:
        try:
            ok = exporter.export(server, code)
        except Exception:  # noqa: BLE001 - an export that fails is counted
            ok = False
        with lock:
            results.append(ok)

    threads = [threading.Thread(target=run_export, args=(c,)) for c in export_codes]
    start = time.perf_counter()
    for t in threads:
        t.start()
    busy = Latency()
    k = 0
    while any(t.is_alive() for t in threads) or len(busy.samples) < 5:
        ms, size = post(server, cheap[k % len(cheap)])
        busy.samples.append(ms)
        busy.sizes.append(size)
        k += 1
    for t in threads:
        t.join()
    return {
        "export_count": len(export_codes),
        "export_seconds": round(time.perf_counter() - start, 1),
        "export_errors": results.count(False),
        "cheap_p95_rest_ms": round(rest.p95, 1),
        "cheap_p95_exports_ms": round(busy.p95, 1),
        "cheap_requests_during_exports": len(busy.samples),
        "export_block_ratio": round(busy.p95 / rest.p95, 2),
    }


# --- main --------------------------------------------------------------------------------

def _first_line(path: str, prefix: str = "") -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line
    except OSError:
        pass
    return ""


def machine() -> str:
    cpu = _first_line("/proc/cpuinfo", "model name").split(":", 1)[-1].strip()
    mem_kb = _first_line("/proc/meminfo", "MemTotal").split()
    ram = f"{round(int(mem_kb[1]) / 1024 / 1024)} Go" if len(mem_kb) > 1 else "?"
    debian = _first_line("/etc/debian_version").strip()
    chromium = ""
    if shutil.which("chromium"):
        try:
            out = subprocess.run(["chromium", "--version"], capture_output=True, text=True,
                                 timeout=30).stdout.strip()
            chromium = ", " + out
        except (OSError, subprocess.SubprocessError):
            pass
    return (f"{platform.node()}, {os.cpu_count()} cœurs, {cpu}, {ram}, Debian {debian}, "
            f"Python {platform.python_version()}{chromium}")


def latency_figures(cold: Latency, ours: Latency, naive: Latency) -> dict:
    """The first-view, warm and naive latencies, their ratios and the bytes per change."""
    return {
        "latency_p50_ms": round(ours.p50, 2), "latency_p95_ms": round(ours.p95, 2),
        "latency_cold_p50_ms": round(cold.p50, 2), "latency_cold_p95_ms": round(cold.p95, 2),
        "cold_requests": len(cold.samples),
        "naive_latency_p50_ms": round(naive.p50, 2),
        "naive_latency_p95_ms": round(naive.p95, 2),
        "naive_requests": len(naive.samples),
        "speedup_p50": round(naive.p50 / ours.p50, 1),
        "speedup_cold_p50": round(naive.p50 / cold.p50, 1),
        "bytes_per_change": int(statistics.median(ours.sizes)),
        "naive_bytes_per_change": int(statistics.median(naive.sizes)),
    }


def run_latency(quick: bool) -> dict:
    """Parts 1 to 3 only (`--only latency`): start-up, the first view of each EPCI
    (caches empty), warm changes, then the naive build on the same changes."""
    n = 200 if quick else 400
    codes = epci_codes()
    cold_codes = random.Random(11).sample(codes, 40 if quick else len(codes))
    sequence = change_sequence(codes, n)
    body = {c: router_body("/territoire", f"?epci={c}") for c in codes}
    figures: dict = {"machine": machine(), "server": settings(), "quick": quick,
                     "only": "latency", "requests": n}
    naive_n = len(cold_codes)
    print(f"1-3. démarrage, puis {len(cold_codes)} premières vues (à froid), chacune suivie "
          f"d'un changement d'EPCI de la version naïve, puis {n} changements d'EPCI…",
          flush=True)
    with serve("naive_app", cwd=ROOT / "bench", env={"PYTHONPATH": str(ROOT)}) as slow:
        measure_changes(slow, [naive_body(c) for c in sequence[-2:]], warmup=0)
        with serve("app") as server:
            figures["startup_s"] = round(server.startup_s, 2)
            cold, naive = Latency(), Latency()
            for code, other in zip(cold_codes, sequence[:naive_n], strict=True):
                for result, target, data in ((cold, server, body[code]),
                                             (naive, slow, naive_body(other))):
                    ms, size = post(target, data)  # alternated: the same load on both
                    result.samples.append(ms)
                    result.sizes.append(size)
            measure_changes(server, [body[c] for c in codes], warmup=0)  # both workers warm
            ours = measure_changes(server, [body[c] for c in sequence], warmup=0)
    figures.update(latency_figures(cold, ours, naive))
    return figures


def alternated_first_load(code: str, quick: bool, detail: bool = False) -> dict:
    """First load of one EPCI's profile with the app's plotly.js and with the full
    one, side by side: two servers up at once, loads alternated (ours, full, ours,
    full…), median of each and their ratio; with `detail`, every request of one load
    of each is printed, largest first."""
    page = f"/territoire?epci={code}"
    with serve("app") as ours, serve("app", env={"AURA_PLOTLY_BUNDLE": "full"}) as full:
        for server in (ours, full):  # warm both servers' first view
            request(server, "GET", page)
            post(server, router_body("/territoire", f"?epci={code}"))
        runs: dict[str, list[dict]] = {"ours": [], "full": []}
        for _ in range(3 if quick else 7):
            runs["ours"].append(first_load(ours, page, expected_graphs=4, runs=1))
            runs["full"].append(first_load(full, page, expected_graphs=4, runs=1))
        if detail:
            for label, server in (("plotly.js de l'application", ours),
                                  ("plotly.js complet", full)):
                print(f"\nRequêtes du premier chargement ({label}) :")
                print(detail_table(first_load_detail(server, page, expected_graphs=4)))
    mid = {k: sorted(v, key=lambda r: r["first_load_s"])[len(v) // 2] for k, v in runs.items()}
    return {**mid["ours"],
            "first_load_s_full_bundle": mid["full"]["first_load_s"],
            "first_load_bytes_full_bundle": mid["full"]["first_load_bytes"],
            "first_load_runs": len(runs["ours"]),
            "first_load_ratio_full_bundle": round(
                mid["ours"]["first_load_s"] / mid["full"]["first_load_s"], 2)}


def run(quick: bool) -> dict:
    n = 200 if quick else 400
    codes = epci_codes()
    rng = random.Random(11)
    cold_codes = rng.sample(codes, 40 if quick else len(codes))
    export_codes = rng.sample(codes, 4)
    sequence = change_sequence(codes, n)
    body = {c: router_body("/territoire", f"?epci={c}") for c in codes}
    views = distinct_views(300 if quick else 2000)
    figures: dict = {"machine": machine(), "server": settings(), "quick": quick, "requests": n}

    print(f"1-3. démarrage, puis profil du territoire : {len(cold_codes)} premières vues "
          f"(à froid), puis {n} changements d'EPCI…", flush=True)
    with fresh_jobs_dir() as jobs_env, serve("app", env=jobs_env) as server:
        figures["startup_s"] = round(server.startup_s, 2)
        cold = measure_changes(server, [body[c] for c in cold_codes], warmup=0)
        for _ in range(1 if quick else 3):  # both workers see each EPCI at least once
            measure_changes(server, [body[c] for c in codes], warmup=0)
        ours = measure_changes(server, [body[c] for c in sequence], warmup=0)
        print(f"5. charge : 32 connexions pendant {10 if quick else 30} s…", flush=True)
        figures.update(load_test(server, [body[c] for c in sequence], 10 if quick else 30))
        print(f"6. mémoire : {len(views)} vues distinctes…", flush=True)
        figures.update(long_run(server, views))
        print("7. 4 exports ZIP pendant des changements d'EPCI…", flush=True)
        figures.update(export_blocking(server, [body[c] for c in sequence[:60]], export_codes))
        figures["memory_worker_rss_mb_after_exports"] = server.worker_rss_mb()
        figures["memory_renderer_pss_mb"] = server.renderer_pss_mb()
        figures["renderer_processes"] = sum(len(descendants(w)) for w in server.worker_pids())
    print("4. premier chargement dans Chromium, plotly.js de l'application et complet, "
          "en alternance…", flush=True)
    figures.update(alternated_first_load(codes[0], quick))
    naive_n = 10 if quick else 200
    print(f"   version naïve : {naive_n} changements d'EPCI…", flush=True)
    with serve("naive_app", cwd=ROOT / "bench", env={"PYTHONPATH": str(ROOT)}) as server:
        naive = measure_changes(server, [naive_body(c) for c in sequence[:naive_n]], warmup=2)
    print("8. passage à l'échelle : table France entière…", flush=True)
    with france_data_dir() as data_dir, serve(
            "app", env={"AURA_DATA_DIR": str(data_dir)}) as server:
        france = measure_changes(server, [body[c] for c in cold_codes], warmup=0)
    figures.update(latency_figures(cold, ours, naive))
    figures.update({
        "france_latency_p50_ms": round(france.p50, 2),
        "scale_ratio": round(france.p50 / cold.p50, 2),
    })
    return figures


PARTS = ("latency", "premier-chargement", "exports")
"""What `--only` can measure on its own (a few minutes instead of the full run)."""


def run_parts(parts: list[str], quick: bool, detail: bool = False) -> dict:
    """Only some figures, still side by side in one run.

    - "premier-chargement": first load of the profile with the app's plotly.js and
      with the full one, two servers up at once and the loads alternated (ours,
      full, ours, full…), median of each; with `detail`, every request of one load
      of each, largest first.
    - "exports": p95 of an EPCI change while 4 ZIP exports run / at rest.
    """
    codes = epci_codes()
    rng = random.Random(11)
    rng.sample(codes, 40 if quick else len(codes))  # same draws as run(): same exports
    export_codes = rng.sample(codes, 4)
    figures: dict = {"machine": machine(), "server": settings(), "quick": quick,
                     "parts": parts}
    if "premier-chargement" in parts:
        print("premier chargement, plotly.js de l'application et complet, en alternance…",
              flush=True)
        figures.update(alternated_first_load(codes[0], quick, detail))
    if "exports" in parts:
        n = 60
        sequence = change_sequence(codes, n)
        print("4 exports ZIP pendant des changements d'EPCI…", flush=True)
        with fresh_jobs_dir() as jobs_env, serve("app", env=jobs_env) as server:
            measure_changes(server, [router_body("/territoire", f"?epci={c}")
                                     for c in sequence], warmup=0)  # warm both workers
            figures.update(export_blocking(
                server, [router_body("/territoire", f"?epci={c}") for c in sequence],
                export_codes))
    return figures


def part_table(f: dict) -> str:
    """The rows of `rows()` whose figures a partial run measured."""
    wanted = []
    if "first_load_s" in f:
        wanted += ["Premier chargement du profil : octets transférés",
                   "Premier chargement : temps, nôtre / plotly.js complet"]
    if "export_block_ratio" in f:
        wanted += ["Exports : p95 d'un changement d'EPCI pendant 4 exports ZIP / au repos",
                   "Exports ZIP en échec"]
    verdict = {True: "atteint", False: "NON ATTEINT", None: ""}
    lines = []
    if "latency_cold_p50_ms" in f:  # --only latency: parts 1 to 3
        lines += [f"{a}  {b}  objectif {c} {verdict[d]}".rstrip()
                  for a, b, c, d in latency_rows(f)]
    for measure in wanted:
        row = _row(f, measure)
        lines.append(f"{row[0]}  {row[1]}  objectif {row[2]} {verdict[row[3]]}".rstrip())
    if "first_load_bytes_full_bundle" in f:
        lines.append(f"(octets avec le plotly.js complet : "
                     f"{_n(f['first_load_bytes_full_bundle'] / 1_000_000, 2)} Mo)")
    return "\n".join(lines)


def _row(f: dict, measure: str) -> tuple[str, str, str, bool | None]:
    """One row of `rows()` computed from partial figures (the others filled with 0)."""
    filled = {k: 0 for k in FULL_KEYS} | {"memory_worker_rss_mb_after_views": [],
                                          "memory_worker_rss_mb_after_exports": []} | f
    filled.setdefault("first_load_ratio_full_bundle", 0)
    return next(r for r in rows(filled) if r[0] == measure)


FULL_KEYS = (
    "startup_s", "latency_cold_p50_ms", "latency_cold_p95_ms", "latency_p50_ms",
    "latency_p95_ms", "naive_latency_p50_ms", "naive_latency_p95_ms", "speedup_cold_p50",
    "speedup_p50", "bytes_per_change", "naive_bytes_per_change", "first_load_bytes",
    "first_load_s", "first_load_s_full_bundle", "first_load_ratio_full_bundle", "load_rps",
    "load_p50_ms", "load_p99_ms", "load_errors", "cheap_p95_exports_ms", "cheap_p95_rest_ms",
    "export_block_ratio", "export_errors", "export_count", "memory_views",
    "memory_renderer_pss_mb", "renderer_processes", "france_latency_p50_ms", "scale_ratio")


def _n(value: float, digits: int = 0) -> str:
    """French number: 12 345,6."""
    text = f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")
    return text.replace("\u202f", " ")


def latency_rows(f: dict) -> list[tuple[str, str, str, bool | None]]:
    """(measure, value, goal, met) of parts 1 to 3 (all that `--only latency` measures)."""
    return [
        ("Démarrage (lancement de gunicorn → première page servie)",
         f"{_n(f['startup_s'], 1)} s", "rapide (mesuré)", None),
        ("Première vue de chaque EPCI (à froid), p50 / p95",
         f"{_n(f['latency_cold_p50_ms'])} / {_n(f['latency_cold_p95_ms'])} ms", "—", None),
        ("Changement d'EPCI (cache chaud), p50 / p95",
         f"{_n(f['latency_p50_ms'])} / {_n(f['latency_p95_ms'])} ms", "—", None),
        ("Version naïve (plotly.express, géométrie complète), p50 / p95",
         f"{_n(f['naive_latency_p50_ms'])} / {_n(f['naive_latency_p95_ms'])} ms", "—", None),
        ("Accélération p50 à froid (naïve / nôtre)", f"× {_n(f['speedup_cold_p50'], 1)}",
         "≥ × 25", f["speedup_cold_p50"] >= 25),
        ("Accélération p50 cache chaud (naïve / nôtre)", f"× {_n(f['speedup_p50'], 1)}",
         "≥ × 5", f["speedup_p50"] >= 5),
        ("Octets par changement (gzip), nôtre / naïve",
         f"{_n(f['bytes_per_change'])} / {_n(f['naive_bytes_per_change'])}", "≤ 30 Ko",
         f["bytes_per_change"] <= 30_000),
    ]


def rows(f: dict) -> list[tuple[str, str, str, bool | None]]:
    """(measure, value, goal, met) for the table and the README."""
    mb = 1_000_000
    return [
        *latency_rows(f),
        ("Premier chargement du profil : octets transférés",
         f"{_n(f['first_load_bytes'] / mb, 2)} Mo", "≤ 1,0 Mo", f["first_load_bytes"] <= mb),
        ("Premier chargement : temps, nôtre / plotly.js complet",
         f"{_n(f['first_load_s'], 2)} s / {_n(f['first_load_s_full_bundle'], 2)} s "
         f"(× {_n(f['first_load_ratio_full_bundle'], 2)})", "≤ 0,6 × le complet",
         f["first_load_ratio_full_bundle"] <= 0.6),
        ("Charge : 32 connexions, débit, p50 / p99, erreurs",
         f"{_n(f['load_rps'])} req/s, {_n(f['load_p50_ms'])} / {_n(f['load_p99_ms'])} ms, "
         f"{f['load_errors']} erreur(s)", "0 erreur", f["load_errors"] == 0),
        ("Exports : p95 d'un changement d'EPCI pendant 4 exports ZIP / au repos",
         f"{_n(f['cheap_p95_exports_ms'])} / {_n(f['cheap_p95_rest_ms'])} ms "
         f"(× {_n(f['export_block_ratio'], 1)})", "≤ × 3", f["export_block_ratio"] <= 3),
        ("Exports ZIP en échec", f"{f['export_errors']} sur {f['export_count']}", "0",
         f["export_errors"] == 0),
        (f"Mémoire par processus après {_n(f['memory_views'])} vues distinctes",
         " / ".join(f"{_n(v)} Mo" for v in f["memory_worker_rss_mb_after_views"]),
         "bornée (mesurée)", None),
        ("Mémoire par processus après les exports ; Chromium de l'export en plus",
         " / ".join(f"{_n(v)} Mo" for v in f["memory_worker_rss_mb_after_exports"])
         + f" ; {_n(f['memory_renderer_pss_mb'])} Mo (PSS, {f['renderer_processes']} processus)",
         "bornée (mesurée)", None),
        ("Échelle : premières vues sur la table France, p50 ; ratio France / région",
         f"{_n(f['france_latency_p50_ms'])} ms, × {_n(f['scale_ratio'], 2)}", "≤ × 1,5",
         f["scale_ratio"] <= 1.5),
    ]


def table(f: dict) -> str:
    lines = latency_rows(f) if f.get("only") == "latency" else rows(f)
    width = max(len(r[0]) for r in lines)
    vwidth = max(len(r[1]) for r in lines)
    verdict = {True: "atteint", False: "NON ATTEINT", None: ""}
    return "\n".join(f"{a.ljust(width)}  {b.ljust(vwidth)}  objectif {c} {verdict[d]}".rstrip()
                     for a, b, c, d in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Banc d'essai du tableau de bord AURA-HLM.")
    parser.add_argument("--quick", action="store_true", help="version courte (quelques minutes)")
    parser.add_argument("--json", type=Path, help="écrire les mesures en JSON")
    parser.add_argument("--only", action="append", choices=PARTS, metavar="PARTIE",
                        help="ne mesurer que cette partie (répétable) : "
                             + ", ".join(PARTS))
    parser.add_argument("--detail", action="store_true",
                        help="avec --only premier-chargement : chaque requête du chargement")
    args = parser.parse_args(argv)
    start = time.time()
    if args.only:
        figures = run_latency(args.quick) if "latency" in args.only else {}
        rest = [part for part in args.only if part != "latency"]
        if rest:
            figures.update(run_parts(rest, args.quick, args.detail))
        figures["duration_s"] = round(time.time() - start, 1)
        print()
        print(f"Machine : {figures['machine']}")
        print(f"Serveur : {figures['server']}")
        print(part_table(figures))
        print(f"(mesuré en {figures['duration_s']} s)")
        if args.json:
            args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n",
                                 "utf-8")
        return 0
    figures = run(args.quick)
    figures["duration_s"] = round(time.time() - start, 1)
    print()
    print(f"Machine : {figures['machine']}")
    print(f"Serveur : {figures['server']}")
    print(table(figures))
    print(f"(mesuré en {figures['duration_s']} s)")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
