"""The build's outputs switch as one set: a failure or a kill at any step of a
publication leaves the complete old set or the complete new set being served, and
the next publication leaves no temporary file and no older version behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import config
from dashboard.data import atomic
from dashboard.data.atomic import PointerError, publish_version, served_dir

NAMES = ("communes.parquet", "geo/epci.geojson", "geo/communes.geojson", "build_info.json")


def content(tag: str) -> dict[str, str]:
    return {name: f"{tag}:{name}" for name in NAMES}


def writers(files: dict[str, str]) -> dict:
    return {name: (lambda p, text=text: p.write_text(text, "utf-8")) for name, text in
            files.items()}


def served(out: Path) -> dict[str, str]:
    folder = served_dir(out)
    return {name: (folder / name).read_text("utf-8") for name in NAMES}


def leftovers(out: Path) -> list[str]:
    """Anything but the pointer and the one version it names."""
    keep = served_dir(out)
    found = []
    for path in out.rglob("*"):
        if path == out / atomic.POINTER or path == out / atomic.VERSIONS_DIR:
            continue
        if path == keep or keep in path.parents:
            continue
        found.append(path.relative_to(out).as_posix())
    return sorted(found)


OLD, NEW, NEXT = content("old"), content("new"), content("next")


@pytest.fixture
def out(tmp_path: Path) -> Path:
    out = tmp_path / "data"
    publish_version(out, writers(OLD))
    return out


def test_publication_layout_and_version_name(out: Path):
    assert served(out) == OLD
    version = (out / atomic.POINTER).read_text("utf-8").strip()
    assert served_dir(out) == out / "tables" / version
    assert atomic.folder_digest(served_dir(out)) == version
    assert leftovers(out) == []
    assert oct((served_dir(out) / "geo/epci.geojson").stat().st_mode & 0o777) == "0o644"
    publish_version(out, writers(NEW))
    assert served(out) == NEW and leftovers(out) == []  # the old version is removed
    again = publish_version(out, writers(NEW))  # same content: same version, reused
    assert again == served_dir(out) and leftovers(out) == []


def test_flat_folder_without_pointer_is_read_as_it_is(tmp_path: Path):
    (tmp_path / "communes.parquet").write_text("x")
    assert served_dir(tmp_path) == tmp_path


@pytest.mark.parametrize("pointer, message", [
    ("../../etc\n", "pointeur de version invalide"),
    ("", "pointeur de version invalide"),
    ("0123456789abcdef\n", "est absente"),
])
def test_broken_pointer_is_a_french_error(tmp_path: Path, pointer: str, message: str):
    (tmp_path / atomic.POINTER).write_text(pointer)
    with pytest.raises(PointerError, match=message):
        served_dir(tmp_path)


def test_legacy_flat_files_are_removed_after_the_switch(tmp_path: Path):
    out = tmp_path / "data"
    (out / "geo").mkdir(parents=True)
    for name in NAMES:
        (out / name).write_text("flat")
    (out / "raw").mkdir()
    (out / "raw" / "source.csv").write_text("kept")
    publish_version(out, writers(NEW))
    assert served(out) == NEW
    assert not (out / "communes.parquet").exists() and not (out / "geo").exists()
    assert (out / "raw" / "source.csv").read_text() == "kept"


def test_a_failing_writer_changes_nothing(out: Path):
    def broken(path: Path) -> None:
        path.write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        publish_version(out, {**writers(NEW), "geo/communes.geojson": broken})
    assert served(out) == OLD and leftovers(out) == []


@pytest.mark.parametrize("func", ["replace", "chmod", "fsync", "mkdir", "unlink", "rmdir"])
def test_failure_at_every_call_of_the_switch(out: Path, monkeypatch: pytest.MonkeyPatch,
                                             func: str):
    """os.<func> raises at its k-th call, for every k: old or new set, never a mix; the
    next publication cleans everything up."""
    real = getattr(os, func)
    k = 1
    while True:
        calls = {"n": 0}

        def failing(*args, _k=k, calls=calls, **kwargs):
            calls["n"] += 1
            if calls["n"] == _k:
                raise OSError(5, "Input/output error")
            return real(*args, **kwargs)

        publish_version(out, writers(OLD))  # start from the old set, nothing else
        assert leftovers(out) == []
        monkeypatch.setattr(os, func, failing)
        try:
            publish_version(out, writers(NEW))
            failed = False
        except OSError:
            failed = True
        finally:
            monkeypatch.setattr(os, func, real)
        assert served(out) in (OLD, NEW), (func, k)
        publish_version(out, writers(NEXT))
        assert served(out) == NEXT and leftovers(out) == [], (func, k)
        if not failed:
            break
        k += 1
        assert k < 200
    assert k >= 1


KILL_SCRIPT = """
import os, signal, sys
from pathlib import Path
from dashboard.data import atomic

out, k = Path(sys.argv[1]), int(sys.argv[2])
names = {names!r}
count = 0

def hook(fn):
    def wrapped(*args, **kwargs):
        global count
        count += 1
        if count == k:
            os.kill(os.getpid(), signal.SIGKILL)
        return fn(*args, **kwargs)
    return wrapped

for name in ("replace", "rename", "chmod", "fsync", "mkdir", "unlink", "rmdir", "open"):
    setattr(os, name, hook(getattr(os, name)))

def write(path, text):
    path.write_text(text, "utf-8")

atomic.publish_version(out, {{n: (lambda p, n=n: write(p, "new:" + n)) for n in names}})
print("done", count)
"""


def test_sigkill_at_every_step_leaves_old_or_new_and_next_build_cleans(tmp_path: Path):
    """A real kill (SIGKILL, no clean-up handler runs) before each os call of a publication."""
    script = KILL_SCRIPT.format(names=NAMES)
    env = {**os.environ, "PYTHONPATH": str(config.ROOT)}
    kills = 0
    for k in range(1, 400):
        out = tmp_path / f"k{k}"
        publish_version(out, writers(OLD))
        proc = subprocess.run([sys.executable, "-c", script, str(out), str(k)], env=env,
                              capture_output=True, text=True, timeout=60)
        assert served(out) in (OLD, NEW), (k, proc.stderr)
        publish_version(out, writers(NEXT))
        assert served(out) == NEXT and leftovers(out) == [], k
        if proc.returncode == 0:
            assert proc.stdout.startswith("done")
            break
        assert proc.returncode == -signal.SIGKILL, proc.stderr
        kills += 1
    else:
        pytest.fail("the publication never completed")
    assert kills >= 10  # every step of the publication was interrupted once
