"""Bytes of a page's first load, from headless Chromium's performance entries.

    .venv/bin/python tools/plotly-bundle/first_load.py [--path /territoire?epci=200068674]

For each plotly.js setting (AURA_PLOTLY_BUNDLE=partial, then full), starts the
app on a free local port (127.0.0.1) in a subprocess, opens the page in a fresh
headless Chromium (empty cache), waits until every graph is drawn, and prints
the bytes transferred (compressed, with headers) and decoded, in total and per
file, largest first. Sizes, not durations: the benchmark (bench/) measures time.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SERVER = """
import sys
from werkzeug.serving import make_server
import app
server = make_server("127.0.0.1", int(sys.argv[1]), app.server, threaded=True)
print("ready", flush=True)
server.serve_forever()
"""

ENTRIES = """
const done = arguments[arguments.length - 1];
const expected = arguments[0];
const started = Date.now();
(function poll() {
  const graphs = Array.from(document.querySelectorAll('.js-plotly-plot'))
    .filter(g => g.querySelector('.main-svg')).length;
  if (graphs >= expected || Date.now() - started > 60000) {
    const nav = performance.getEntriesByType('navigation')[0];
    const entries = [nav, ...performance.getEntriesByType('resource')].map(e => ({
      name: e.name, transfer: e.transferSize, decoded: e.decodedBodySize}));
    done({graphs: graphs, entries: entries});
  } else {
    setTimeout(poll, 100);
  }
})();
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(path: str, bundle: str, graphs: int, root: Path = ROOT) -> dict:
    """First-load entries of `path` with AURA_PLOTLY_BUNDLE=`bundle`, for the
    checkout at `root` (run with its own .venv when it has one)."""
    from selenium import webdriver

    port = _free_port()
    env = {**os.environ, "AURA_PLOTLY_BUNDLE": bundle}
    python = root / ".venv" / "bin" / "python"
    python = str(python) if python.exists() else sys.executable
    proc = subprocess.Popen([python, "-c", SERVER, str(port)], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()  # blocks until the app is loaded, or exits
        if line.strip() != "ready":
            raise SystemExit(f"the app did not start (AURA_PLOTLY_BUNDLE={bundle})")
        options = webdriver.ChromeOptions()
        options.add_argument("--headless=new")
        options.add_argument("--no-sandbox")
        options.binary_location = os.environ.get("DASH_TEST_CHROMEPATH", "/usr/bin/chromium")
        driver = webdriver.Chrome(options=options)
        try:
            driver.set_script_timeout(90)
            driver.get(f"http://127.0.0.1:{port}{path}")
            return driver.execute_async_script(ENTRIES, graphs)
        finally:
            driver.quit()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def report(bundle: str, result: dict, top: int) -> int:
    entries = sorted(result["entries"], key=lambda e: -e["transfer"])
    transfer = sum(e["transfer"] for e in entries)
    decoded = sum(e["decoded"] for e in entries)
    print(f"AURA_PLOTLY_BUNDLE={bundle}: {len(entries)} files, {transfer:,} bytes transferred, "
          f"{decoded:,} decoded; {result['graphs']} graphs drawn")
    for e in entries[:top]:
        name = e["name"].split("//", 1)[-1].split("/", 1)[-1].split("?")[0]
        print(f"  {e['transfer']:>10,} {e['decoded']:>10,}  /{name}")
    return transfer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/territoire?epci=200068674")
    parser.add_argument("--graphs", type=int, default=4,
                        help="graphs to wait for (default 4: a profile)")
    parser.add_argument("--top", type=int, default=12, help="files listed per run")
    parser.add_argument("--bundle", choices=("partial", "full"), action="append")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="checkout to serve (e.g. another worktree, for a before/after)")
    args = parser.parse_args(argv)
    totals = {}
    for bundle in args.bundle or ["partial", "full"]:
        started = time.monotonic()
        result = measure(args.path, bundle, args.graphs, args.root)
        totals[bundle] = report(bundle, result, args.top)
        print(f"  (measured in {time.monotonic() - started:.0f} s)")
    if len(totals) == 2:
        print(f"partial / full: {totals['partial'] / totals['full']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
