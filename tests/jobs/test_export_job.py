"""The ZIP export as a job, tested as plain functions with a fake renderer: progress
image by image, a failing chart left out (with its line in the index), memoisation for
the day, the job store and the embedded queue's clean-up."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import threading
import zipfile
from pathlib import Path

import pytest
from dash import no_update

from dashboard import config
from tests.jobs.fakes import MemoryStore, fake_render

ANNONAY = "200072015"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def page(dashboard_app):
    from dashboard.pages import territoire

    return territoire


def map_fails(fig, width, height, scale):
    """Like the two EPCI whose map plotly could not draw: the map raises."""
    if any(t.get("type") == "choropleth" for t in _traces(fig)):
        raise ValueError("geometry missing")
    return fake_render(fig, width, height, scale)


def _traces(fig):
    data = fig.get("data", []) if isinstance(fig, dict) else fig.data
    return [t if isinstance(t, dict) else t.to_plotly_json() for t in data]


def _zip(download):
    import base64

    return zipfile.ZipFile(io.BytesIO(base64.b64decode(download["content"])))


def test_progress_reports_every_image(page):
    from dashboard.export import slides

    total = len(slides.profile_pages(ANNONAY, None, ()))
    seen = []
    download, message = page.export_zip(f"?epci={ANNONAY}", lambda d, n: seen.append((d, n)),
                                        render=fake_render, store=MemoryStore())
    assert seen == [(i, total) for i in range(total + 1)]
    assert [page.progress_values(*s)[3] for s in seen][1:3] == [f"1 / {total} images",
                                                                f"2 / {total} images"]
    assert page.progress_values(3, 9) == (3, 9, "3 / 9 images", "3 / 9 images")
    with _zip(download) as zf:
        assert len([n for n in zf.namelist() if n.endswith(".png")]) == total
    assert f"{total} images PNG" in message.children


def test_a_failing_chart_is_left_out_and_named_in_the_index(page):
    from dashboard.export import slides

    total = len(slides.profile_pages(ANNONAY, None, ()))
    download, message = page.export_zip(f"?epci={ANNONAY}", render=map_fails,
                                        store=MemoryStore())
    with _zip(download) as zf:
        names = zf.namelist()
        index = zf.read(next(n for n in names if n.endswith("LISEZMOI.txt"))).decode("utf-8")
    pngs = [n for n in names if n.endswith(".png")]
    assert len(pngs) == total - 1
    assert not any("carte-taux-logements-sociaux_" in n for n in pngs)
    assert f"{total - 1} images PNG" in index
    assert "1 image n'a pas pu être produite sur le serveur" in index
    line = next(x for x in index.splitlines() if "carte-taux-logements-sociaux_" in x)
    assert "image non produite : le rendu de ce graphique a échoué sur le serveur" in line
    assert message.color == "warning"
    assert "1 graphique n'a pas pu être produit" in message.children


def test_no_zip_when_every_chart_fails(page):
    def broken(*_a, **_k):
        raise RuntimeError("boom")

    store = MemoryStore()
    download, message = page.export_zip(f"?epci={ANNONAY}", render=broken, store=store)
    assert download is no_update
    assert "Aucun graphique n'a pu être produit" in message.children
    assert store.values == {}  # a failure is not memoised


def test_zip_is_memoised_per_view_and_day(page):
    calls = []

    def counting(fig, **kw):
        calls.append(1)
        return fake_render(fig, **kw)

    store = MemoryStore()
    first, _ = page.export_zip(f"?epci={ANNONAY}", render=counting, store=store)
    rendered = len(calls)
    seen = []
    again, _ = page.export_zip(f"?epci={ANNONAY}&departement=07", lambda d, n: seen.append(d),
                               render=counting, store=store)
    assert again == first and len(calls) == rendered and seen == [rendered]
    (key,) = store.values
    assert key.startswith(f"aura-hlm:zip:{ANNONAY}::") and key.endswith(
        __import__("datetime").date.today().isoformat())
    page.export_zip(f"?epci={ANNONAY}&commune=07010", render=counting, store=store)
    # the commune's view renders the same images and its "Ma commune" slide
    assert len(calls) == 2 * rendered + 1 and len(store.values) == 2


# --- settings, store and the embedded queue ----------------------------------------------------

@pytest.mark.parametrize("url, problem", [
    ("http://127.0.0.1:6379", "redis://"),
    ("redis://127.0.0.1:port", "port"),
    ("redis://:6379/0", "serveur"),
    ("redis://127.0.0.1:6379/zero", "numéro de base"),
])
def test_invalid_redis_url_is_a_french_config_error(monkeypatch, url, problem):
    monkeypatch.setenv("AURA_REDIS_URL", url)
    with pytest.raises(config.ConfigError, match=problem):
        config.redis_url()


def test_redis_url_and_jobs_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("AURA_REDIS_URL", raising=False)
    assert config.redis_url() is None
    monkeypatch.setenv("AURA_REDIS_URL", "redis://127.0.0.1:6380/1")
    assert config.redis_url() == "redis://127.0.0.1:6380/1"
    monkeypatch.delenv("AURA_JOBS_DIR", raising=False)
    assert config.jobs_dir() == Path(tempfile.gettempdir()) / "aura-hlm-jobs"
    monkeypatch.setenv("AURA_JOBS_DIR", str(tmp_path))
    assert config.jobs_dir() == tmp_path


def test_app_refuses_to_start_with_an_invalid_redis_url(tmp_path):
    env = {**os.environ, "AURA_REDIS_URL": "http://example.org", "AURA_JOBS_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "AURA_REDIS_URL est invalide" in done.stderr
    assert "Traceback" not in done.stderr


def test_result_store_on_diskcache(tmp_path):
    import diskcache

    from dashboard import jobs

    manager = jobs.JobsDiskcacheManager(diskcache.Cache(str(tmp_path / "cache")))
    store = jobs.ResultStore(manager)
    assert store.get("k") is None
    store.set("k", {"a": [1, "é"]})
    assert store.get("k") == {"a": [1, "é"]}


def test_job_scope_gives_a_temp_dir_and_removes_it(monkeypatch, tmp_path):
    from dashboard import jobs
    from dashboard.export import png

    monkeypatch.delenv("AURA_REDIS_URL", raising=False)
    monkeypatch.setenv("AURA_JOBS_DIR", str(tmp_path))
    stopped, lowered = [], []
    monkeypatch.setattr(png, "stop", lambda: stopped.append(1))
    monkeypatch.setattr(jobs, "lower_priority", lambda: lowered.append(1))
    before = os.environ.get("TMPDIR")
    with jobs.job_scope():
        inside = Path(tempfile.mkdtemp())
        assert inside.parent == jobs.job_dir(os.getpid())
    assert not inside.parent.exists() and stopped == [1] and lowered == [1]
    assert os.environ.get("TMPDIR") == before and tempfile.gettempdir() != str(inside.parent)


def test_job_dir_stays_short_enough_for_chromium(monkeypatch):
    from dashboard import jobs

    monkeypatch.setenv("AURA_JOBS_DIR", "/tmp/aj")
    assert jobs.job_dir(123) == Path("/tmp/aj/job-123")
    monkeypatch.setenv("AURA_JOBS_DIR", "/tmp/" + "x" * 60)
    assert jobs.job_dir(123) == Path(tempfile.gettempdir()) / "aura-hlm-job-123"


def test_terminating_an_embedded_job_kills_it_and_removes_its_dir(monkeypatch, tmp_path):
    import diskcache
    import multiprocess
    import psutil

    from dashboard import jobs

    monkeypatch.setenv("AURA_JOBS_DIR", str(tmp_path))
    manager = jobs.JobsDiskcacheManager(diskcache.Cache(str(tmp_path / "cache")))
    process = multiprocess.Process(target=__import__("time").sleep, args=(60,))
    process.start()
    jobs.job_dir(process.pid).mkdir()
    (jobs.job_dir(process.pid) / "chromium-profile").mkdir()
    manager.terminate_job(process.pid)
    assert not psutil.pid_exists(process.pid)  # killed and reaped
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]


WAITER = """
import sys
from dashboard import render_queue
render_queue.MAX_RENDERS = 1
def told(ahead):
    print("ahead", ahead, flush=True)
with render_queue.render_slot(sys.argv[1], told):
    print("got it", flush=True)
    sys.stdin.readline()  # renders until the test says so
"""


def _waiter(key: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WAITER, key], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def _line(process: subprocess.Popen) -> str:
    """The next line the waiter prints (bounded: the waiter is killed after 60 s)."""
    timer = threading.Timer(60, process.kill)
    timer.start()
    try:
        return process.stdout.readline().strip()
    finally:
        timer.cancel()


def test_render_slots_bound_the_renders_and_one_job_per_view(monkeypatch, tmp_path):
    from dashboard import render_queue

    monkeypatch.delenv("AURA_REDIS_URL", raising=False)
    monkeypatch.setenv("AURA_JOBS_DIR", str(tmp_path))
    monkeypatch.setattr(render_queue, "MAX_RENDERS", 1)
    for key in ("a", "b"):  # the same view, or only the one slot
        with render_queue.render_slot("a"):
            other = _waiter(key)
            with pytest.raises(subprocess.TimeoutExpired):
                other.wait(3)  # waits while this process renders
        out, _ = other.communicate("\n", timeout=30)
        assert other.returncode == 0 and out.splitlines()[-1] == "got it"
    names = {p.name for p in (tmp_path / "locks").iterdir()}
    assert names <= {"slot-0.lock", *(f"view-{i}.lock" for i in range(render_queue.VIEW_LOCKS)),
                     *(f"queue-{i}.lock" for i in range(render_queue.QUEUE_LOCKS))}


def test_waiting_jobs_render_in_arrival_order_and_know_their_place(monkeypatch, tmp_path):
    from dashboard import render_queue

    monkeypatch.delenv("AURA_REDIS_URL", raising=False)
    monkeypatch.setenv("AURA_JOBS_DIR", str(tmp_path))
    monkeypatch.setattr(render_queue, "MAX_RENDERS", 1)
    first = _waiter("v1")
    assert _line(first) == "got it"  # renders: the only slot is taken
    second = _waiter("v2")
    assert _line(second) == "ahead 1"  # the one rendering
    third = _waiter("v3")
    assert _line(third) == "ahead 2"  # the one rendering and the second
    first.communicate("\n", timeout=30)
    assert _line(second) == "got it"  # first come, first served
    assert _line(third) == "ahead 1"
    second.communicate("\n", timeout=30)
    assert _line(third) == "got it"
    out, _ = third.communicate("\n", timeout=30)
    assert [p.returncode for p in (first, second, third)] == [0, 0, 0]


def test_a_killed_job_leaves_the_line(monkeypatch, tmp_path):
    from dashboard import render_queue

    monkeypatch.delenv("AURA_REDIS_URL", raising=False)
    monkeypatch.setenv("AURA_JOBS_DIR", str(tmp_path))
    monkeypatch.setattr(render_queue, "MAX_RENDERS", 1)
    def told(ahead: int) -> None:
        raise AssertionError(f"waits behind {ahead} export(s)")

    with render_queue.render_slot("v1"):
        waiting = _waiter("v2")
        assert _line(waiting) == "ahead 1"
        waiting.kill()  # a cancelled job
        waiting.wait(30)
    with render_queue.render_slot("v3", told):  # nobody left ahead: the slot at once
        pass


def test_jobs_run_at_a_lower_priority():
    script = ("import os; from dashboard import jobs\n"
              "jobs.lower_priority(); jobs.lower_priority()\n"
              "print(os.getpriority(os.PRIO_PROCESS, 0))")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60,
                         check=True).stdout
    from dashboard import jobs

    assert int(out) == max(jobs.RENDER_NICENESS, os.getpriority(os.PRIO_PROCESS, 0))


def test_a_waiting_export_shows_its_place_in_line(page, monkeypatch):
    import contextlib

    from dashboard import jobs

    assert page.waiting_values(2) == (0, 1, "", "En attente : 2 exports avant le vôtre")
    assert page.waiting_values(1)[3] == "En attente : 1 export avant le vôtre"

    @contextlib.contextmanager
    def slot(key, waiting=None):
        waiting(2)  # two exports before this one, then the slot
        yield

    monkeypatch.setattr(jobs, "render_slot", slot)
    told = []
    download, _ = page.export_zip(f"?epci={ANNONAY}", render=fake_render, store=MemoryStore(),
                                  waiting=told.append)
    assert told == [2] and download["filename"].endswith(".zip")
