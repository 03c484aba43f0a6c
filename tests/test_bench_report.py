"""The benchmark's plumbing (not its measures): server command and report table."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from bench import run, server

FIGURES = {
    "startup_s": 3.21, "latency_cold_p50_ms": 40.0, "latency_cold_p95_ms": 80.0,
    "latency_p50_ms": 12.0, "latency_p95_ms": 20.0, "naive_latency_p50_ms": 1200.0,
    "naive_latency_p95_ms": 1400.0, "speedup_cold_p50": 30.0, "speedup_p50": 100.0,
    "bytes_per_change": 14868, "naive_bytes_per_change": 552644,
    "first_load_bytes": 2_239_799, "first_load_s": 1.9, "first_load_s_full_bundle": 1.9,
    "first_load_ratio_full_bundle": 1.0, "load_rps": 81.3, "load_p50_ms": 389.5,
    "load_p99_ms": 624.5, "load_errors": 0, "cheap_p95_exports_ms": 900.0,
    "cheap_p95_rest_ms": 100.0, "export_block_ratio": 9.0, "export_errors": 1,
    "export_count": 4, "memory_views": 2000, "memory_worker_rss_mb_after_views": [310.5],
    "memory_worker_rss_mb_after_exports": [320.0], "memory_renderer_pss_mb": 512.3,
    "renderer_processes": 9,
    "france_latency_p50_ms": 50.0, "scale_ratio": 1.25,
}


def test_french_numbers():
    assert run._n(12345.6, 1) == "12 345,6"
    assert run._n(0.6, 2) == "0,60"


def test_each_goal_is_judged():
    verdicts = {label: met for label, _, _, met in run.rows(FIGURES)}
    assert verdicts["Accélération p50 à froid (naïve / nôtre)"] is True
    assert verdicts["Premier chargement du profil : octets transférés"] is False
    assert verdicts["Exports ZIP en échec"] is False
    text = run.table(FIGURES)
    assert "2,24 Mo" in text and "NON ATTEINT" in text and "× 1,25" in text


def test_a_latency_only_run_reports_its_figures_alone():
    partial = {k: FIGURES[k] for k in (
        "startup_s", "latency_cold_p50_ms", "latency_cold_p95_ms", "latency_p50_ms",
        "latency_p95_ms", "naive_latency_p50_ms", "naive_latency_p95_ms", "speedup_cold_p50",
        "speedup_p50", "bytes_per_change", "naive_bytes_per_change")} | {"only": "latency"}
    text = run.table(partial)
    assert "× 30,0" in text and "40 / 80 ms" in text and "Premier chargement" not in text
    assert len(text.splitlines()) == len(run.latency_rows(partial)) == 7
    slow = run.latency_figures(run.Latency([100.0, 300.0], [10, 10]),
                               run.Latency([10.0, 30.0], [5, 7]),
                               run.Latency([2000.0, 6000.0], [900, 1100]))
    assert slow["speedup_cold_p50"] == 20.0 and slow["speedup_p50"] == 200.0
    assert slow["naive_requests"] == 2 and slow["bytes_per_change"] == 6


def test_the_server_command_follows_the_deployed_settings(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(server, "DEPLOY_CONFIG", tmp_path / "absent.py")
    plain = server.command("app")  # gunicorn's arguments (tests.servers.Gunicorn runs them)
    assert "--preload" in plain and "127.0.0.1:0" in plain and plain[0] == "app:server"
    conf = tmp_path / "gunicorn.conf.py"
    conf.write_text("workers = 2\n", "utf-8")
    monkeypatch.setattr(server, "DEPLOY_CONFIG", conf)
    deployed = server.command("app", workers=3)
    assert deployed[0:2] == ["-c", str(conf)] and "127.0.0.1:0" in deployed
    assert deployed[deployed.index("-w") + 1] == "3"
    assert deployed[-1] == "app:server"


def test_a_partial_run_reports_only_what_it_measured():
    first_load = {"first_load_s": 2.4, "first_load_bytes": 852_665,
                  "first_load_s_full_bundle": 4.0, "first_load_bytes_full_bundle": 1_890_283,
                  "first_load_ratio_full_bundle": 0.6}
    text = run.part_table(first_load)
    assert "0,85 Mo" in text and "(× 0,60)" in text and "1,89 Mo" in text
    assert "NON ATTEINT" not in text and "Exports" not in text
    exports = {"cheap_p95_exports_ms": 700.0, "cheap_p95_rest_ms": 200.0,
               "export_block_ratio": 3.5, "export_errors": 0, "export_count": 4}
    text = run.part_table(exports)
    assert "× 3,5" in text and "NON ATTEINT" in text and "0 sur 4" in text
    assert "Premier chargement" not in text


def test_first_load_detail_lists_the_largest_request_first_with_totals():
    entries = [{"name": "/a.js", "type": "script", "transfer": 1_300, "encoded": 1_000,
                "decoded": 4_000, "end_ms": 80},
               {"name": "/plotly.js", "type": "script", "transfer": 405_593,
                "encoded": 405_293, "decoded": 1_428_490, "end_ms": 830}]
    lines = run.detail_table(entries).splitlines()
    assert "/plotly.js" in lines[1] and "405 593" in lines[1] and "1 428 490" in lines[1]
    assert "/a.js" in lines[2]
    assert lines[-1].split()[:6] == ["406", "893", "406", "293", "1", "432"]
    assert lines[-1].endswith("total, 2 requêtes")


class _FakeDriver:
    """Stands for selenium's Chrome: records its options, answers the page scripts."""

    made: list[_FakeDriver] = []

    def __init__(self, options) -> None:
        self.options = options
        self.pages: list[str] = []
        self.quit_called = False
        _FakeDriver.made.append(self)

    def set_script_timeout(self, seconds: float) -> None:
        self.timeout = seconds

    def get(self, url: str) -> None:
        self.pages.append(url)

    def execute_async_script(self, script: str, expected: int):
        if script is run.FIRST_LOAD_DETAIL_JS:
            return [{"name": "http://127.0.0.1:9/territoire", "type": "navigation",
                     "transfer": 3_000, "encoded": 2_700, "decoded": 10_000, "end_ms": 20}]
        return {"ms": 1_500 + 100 * len(_FakeDriver.made), "graphs": expected,
                "bytes": 850_000, "requests": 30}

    def quit(self) -> None:
        self.quit_called = True


def test_both_first_load_measures_use_one_chromium_setup(monkeypatch):

    from selenium import webdriver

    _FakeDriver.made.clear()
    monkeypatch.setattr(webdriver, "Chrome", _FakeDriver)
    monkeypatch.setattr(run.shutil, "which", lambda name: "/usr/bin/chromium")
    settled: list[tuple[_FakeDriver, list[str]]] = []

    def fake_settled(driver):  # the browser is left to settle before its page is asked
        settled.append((driver, list(driver.pages)))
        return 1.234

    monkeypatch.setattr(run, "_settled", fake_settled)
    served = SimpleNamespace(base="http://127.0.0.1:9")
    figures = run.first_load(served, "/territoire?epci=1", expected_graphs=4, runs=3)
    entries = run.first_load_detail(served, "/territoire?epci=1", expected_graphs=4)
    assert len(_FakeDriver.made) == 4  # a fresh browser (empty cache) for each load
    assert figures == {"first_load_s": 1.7, "first_load_bytes": 850_000,
                       "first_load_requests": 30, "graphs": 4,  # the median of 3
                       "first_load_browser_settle_s": 1.23}
    assert settled == [(driver, []) for driver in _FakeDriver.made]
    assert entries[0]["name"] == "/territoire"
    for driver in _FakeDriver.made:
        assert driver.options.arguments == list(run.CHROME_ARGS)
        assert driver.options.binary_location == "/usr/bin/chromium"
        assert driver.pages == ["http://127.0.0.1:9/territoire?epci=1"]
        assert driver.quit_called
    assert "--headless=new" in run.CHROME_ARGS and "--window-size=1366,768" in run.CHROME_ARGS


def test_a_fresh_browser_is_left_to_finish_starting_up():
    """Windows of `IDLE_WINDOW_S` until its CPU time grows by less than
    `IDLE_CPU_SHARE` of one core in one; never longer than `SETTLE_MAX_S`."""
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    busy_then_idle = iter([0.0, 0.2, 0.45, 0.5, 0.505, 0.51])
    assert run._settled(None, lambda: next(busy_then_idle), lambda: now[0], sleep) == 4 * 0.25
    now[0] = 0.0
    always_busy = iter(x * 0.25 for x in range(1000))
    waited = run._settled(None, lambda: next(always_busy), lambda: now[0], sleep)
    assert run.SETTLE_MAX_S <= waited < run.SETTLE_MAX_S + run.IDLE_WINDOW_S + 1e-9


def test_the_full_and_partial_runs_measure_the_first_load_alternated(monkeypatch):
    """Both bundles are served at once and loaded in turn (ours, full, ours…), so the
    ratio holds on a noisy machine; medians of each, and their ratio."""
    import contextlib

    calls: list[str] = []
    times = {"ours": iter([2.0, 3.0, 2.5]), "full": iter([4.0, 5.0, 6.0])}

    @contextlib.contextmanager
    def fake_serve(module, env=None, **kwargs):
        yield SimpleNamespace(name="full" if env else "ours")

    def fake_first_load(served, path, expected_graphs, runs):
        assert (path, runs) == ("/territoire?epci=200068674", 1)
        calls.append(served.name)
        return {"first_load_s": next(times[served.name]),
                "first_load_bytes": 850_000 if served.name == "ours" else 1_900_000,
                "first_load_requests": 30, "graphs": 4}

    monkeypatch.setattr(run, "serve", fake_serve)
    monkeypatch.setattr(run, "request", lambda *a, **k: None)
    monkeypatch.setattr(run, "post", lambda *a, **k: None)
    monkeypatch.setattr(run, "first_load", fake_first_load)
    figures = run.alternated_first_load("200068674", quick=True)
    assert calls == ["ours", "full"] * 3
    assert figures == {"first_load_s": 2.5, "first_load_bytes": 850_000,
                       "first_load_requests": 30, "graphs": 4,
                       "first_load_s_full_bundle": 5.0, "first_load_bytes_full_bundle": 1_900_000,
                       "first_load_runs": 3, "first_load_ratio_full_bundle": 0.5}
