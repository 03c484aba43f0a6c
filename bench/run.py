"""Benchmark of the dashboard against a naive build. Not a test: it measures.

    python bench/run.py [--quick] [--json PATH]

1. Filter-change latency (server side): the territory profile's callbacks for
   a change of EPCI, p50/p95 over N requests against gunicorn on loopback,
   side by side with bench/naive_app.py (plotly.express, full table and full
   geometry at every callback).
2. Bytes per filter change: response bodies as served (gzip), ours and naive.
3. First load in headless Chromium: time until every chart of the profile is
   drawn, and bytes transferred.
4. Load: 32 concurrent connections for 30 s (10 s with --quick) on the main
   callback, 2 gunicorn workers: throughput, p50/p99, errors, worker memory.
5. Scale: the same callback on the France-wide table; latency ratio.

Everything runs on 127.0.0.1. Prints a table; --json writes the figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
sys.path.insert(0, str(ROOT))

from bench.fuzz import children, rss_mb  # noqa: E402 - after the path is set

# --- servers -----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    port: int
    process: subprocess.Popen

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        return children(self.process.pid)

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for pid in self.worker_pids():
            try:
                sizes.append(rss_mb(pid))
            except OSError:  # a worker that has just exited
                continue
        return sizes


@contextmanager
def gunicorn(module: str, env: dict[str, str] | None = None, workers: int = 2,
             cwd: Path = ROOT):
    """Serve `module:server` with gunicorn on a free loopback port."""
    port = free_port()
    cmd = [GUNICORN, f"{module}:server", "--preload", "-w", str(workers), "-b",
           f"127.0.0.1:{port}", "--no-control-socket", "--log-level", "warning",
           "--timeout", "120"]
    proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    server = Server(port, proc)
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {proc.stderr.read()[-2000:]}")
        try:
            status, _, _ = request(server, "GET", "/_dash-layout")
            if status == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("gunicorn did not start in 90 s")
    try:
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


_local = threading.local()


def request(server: Server, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    """One HTTP request on a kept-alive connection (one per thread and server)."""
    key = f"conn{server.port}"
    conn = getattr(_local, key, None)
    if conn is None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        setattr(_local, key, conn)
    hdrs = {"Accept-Encoding": "gzip", **(headers or {})}
    if body is not None:
        hdrs["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
    except (http.client.HTTPException, OSError):
        conn.close()
        setattr(_local, key, None)
        raise
    return resp.status, data, dict(resp.getheaders())


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


def first_load(server: Server, path: str, expected_graphs: int, runs: int = 3) -> dict:
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--window-size=1366,768"):
        options.add_argument(arg)
    chromium = shutil.which("chromium")
    if chromium:
        options.binary_location = chromium
    results = []
    for _ in range(runs):
        driver = webdriver.Chrome(options=options)  # fresh profile: empty cache
        try:
            driver.set_script_timeout(60)
            driver.get(server.base + path)
            results.append(driver.execute_async_script(FIRST_LOAD_JS, expected_graphs))
        finally:
            driver.quit()
    best = sorted(results, key=lambda r: r["ms"])[len(results) // 2]
    return {"first_load_s": round(best["ms"] / 1000, 3), "first_load_bytes": int(best["bytes"]),
            "first_load_requests": best["requests"], "graphs": best["graphs"]}


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
    if not (served_dir(out) / "communes.parquet").is_file():
        subprocess.run([PYTHON, "-m", "dashboard.data", "build", "--region", "all"], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)
    region = served_dir(ROOT / "data")
    with tempfile.TemporaryDirectory(prefix="aura-france-") as tmp:
        tmp_path = Path(tmp)
        for name in ("raw", "demo", "templates", "SCHEMA.md", "SOURCES.md"):
            src = ROOT / "data" / name
            if src.exists():
                (tmp_path / name).symlink_to(src)
        for name in ("geo", "build_info.json"):  # served files of the region's build
            (tmp_path / name).symlink_to(region / name)
        (tmp_path / "communes.parquet").symlink_to(served_dir(out) / "communes.parquet")
        yield tmp_path


# --- main --------------------------------------------------------------------------------

def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.node()}, {os.cpu_count()} cœurs, {cpu}, Python {platform.python_version()}"


def run(quick: bool) -> dict:
    n = 200 if quick else 400
    codes = epci_codes()
    rng = random.Random(11)
    cold_codes = rng.sample(codes, 40 if quick else len(codes))
    sequence = change_sequence(codes, n)
    body = {c: router_body("/territoire", f"?epci={c}") for c in codes}
    figures: dict = {"machine": machine(), "quick": quick, "requests": n}

    print(f"1-2. profil du territoire : {len(cold_codes)} premières vues (à froid), "
          f"puis {n} changements d'EPCI…", flush=True)
    with gunicorn("app") as server:
        cold = measure_changes(server, [body[c] for c in cold_codes], warmup=0)
        for _ in range(1 if quick else 3):  # both workers see each EPCI at least once
            measure_changes(server, [body[c] for c in codes], warmup=0)
        ours = measure_changes(server, [body[c] for c in sequence], warmup=0)
        print("3. premier chargement dans Chromium…", flush=True)
        figures.update(first_load(server, f"/territoire?epci={codes[0]}", expected_graphs=4,
                                  runs=1 if quick else 3))
        print(f"4. charge : 32 connexions pendant {10 if quick else 30} s…", flush=True)
        figures.update(load_test(server, [body[c] for c in sequence], 10 if quick else 30))
    naive_n = 10 if quick else 200
    print(f"   version naïve : {naive_n} changements d'EPCI…", flush=True)
    with gunicorn("naive_app", cwd=ROOT / "bench", env={"PYTHONPATH": str(ROOT)}) as server:
        naive = measure_changes(server, [naive_body(c) for c in sequence[:naive_n]], warmup=2)
    print("5. passage à l'échelle : table France entière…", flush=True)
    with france_data_dir() as data_dir, gunicorn(
            "app", env={"AURA_DATA_DIR": str(data_dir)}) as server:
        france = measure_changes(server, [body[c] for c in cold_codes], warmup=0)
    figures.update({
        "latency_p50_ms": round(ours.p50, 2), "latency_p95_ms": round(ours.p95, 2),
        "latency_cold_p50_ms": round(cold.p50, 2), "latency_cold_p95_ms": round(cold.p95, 2),
        "cold_requests": len(cold.samples),
        "naive_latency_p50_ms": round(naive.p50, 2),
        "naive_latency_p95_ms": round(naive.p95, 2),
        "naive_requests": naive_n,
        "speedup_p50": round(naive.p50 / ours.p50, 1),
        "speedup_cold_p50": round(naive.p50 / cold.p50, 1),
        "bytes_per_change": int(statistics.median(ours.sizes)),
        "naive_bytes_per_change": int(statistics.median(naive.sizes)),
        "france_latency_p50_ms": round(france.p50, 2),
        "scale_ratio": round(france.p50 / cold.p50, 2),
    })
    return figures


def table(f: dict) -> str:
    rows = [
        ("Latence d'un changement d'EPCI, p50 / p95 (cache chaud)",
         f"{f['latency_p50_ms']} / {f['latency_p95_ms']} ms"),
        ("Première vue de chaque EPCI (à froid), p50 / p95",
         f"{f['latency_cold_p50_ms']} / {f['latency_cold_p95_ms']} ms"),
        ("Version naïve (plotly.express, géométrie complète), p50 / p95",
         f"{f['naive_latency_p50_ms']} / {f['naive_latency_p95_ms']} ms"),
        ("Accélération p50 (naïve / nôtre ; sans cache)",
         f"× {f['speedup_p50']} ; × {f['speedup_cold_p50']}"),
        ("Octets par changement (gzip), nôtre / naïve",
         f"{f['bytes_per_change']:,} / {f['naive_bytes_per_change']:,}".replace(",", " ")),
        ("Premier chargement (Chromium) : temps, octets",
         f"{f['first_load_s']} s, {f['first_load_bytes']:,} octets".replace(",", " ")),
        ("Charge (32 connexions, 2 workers) : débit, p50 / p99, erreurs",
         f"{f['load_rps']} req/s, {f['load_p50_ms']} / {f['load_p99_ms']} ms, "
         f"{f['load_errors']} erreur(s)"),
        ("Mémoire des workers avant / après (Mo)",
         f"{f['worker_rss_mb_before']} / {f['worker_rss_mb_after']}"),
        ("Échelle : premières vues sur la table France, p50 ; ratio France / région",
         f"{f['france_latency_p50_ms']} ms, ratio {f['scale_ratio']}"),
    ]
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{a.ljust(width)}  {b}" for a, b in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Banc d'essai du tableau de bord AURA-HLM.")
    parser.add_argument("--quick", action="store_true", help="version courte (< 2 min)")
    parser.add_argument("--json", type=Path, help="écrire les mesures en JSON")
    args = parser.parse_args(argv)
    start = time.time()
    figures = run(args.quick)
    figures["duration_s"] = round(time.time() - start, 1)
    print()
    print(f"Machine : {figures['machine']}")
    print(table(figures))
    print(f"(mesuré en {figures['duration_s']} s)")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
