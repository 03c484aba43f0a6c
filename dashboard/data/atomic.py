"""Publish a build's output files as one set, switched by one atomic rename.

Layout of an output folder (``data/`` by default)::

    current                  pointer file: the version being served (one line)
    tables/<version>/        the files of that version (communes.parquet, geo/, build_info.json...)

`publish_version` stages every output in a new folder
``tables/.tmp-<random>/``, names the finished folder after a hash of its
content (``tables/<version>/``), then switches the pointer ``current`` with
ONE ``os.replace`` of a small file. A reader resolves the pointer once and
reads every file of the same version, so it sees the complete old set or the
complete new set, never a mix. A kill at any step leaves at worst unused
folders or a ``.current.tmp-*`` file; the next build removes them (and the
previous versions) once its own switch is done.

A pointer file rather than a symlink: git stores symlinks, but on Windows (or
with ``core.symlinks=false``) it checks them out as plain text files, and
``os.replace`` over a symlink to a directory is not portable either. One line
of text read with ``open`` behaves the same on every system.

A folder without a pointer is read as it is (flat layout: ``communes.parquet``
directly inside), for tables prepared by hand or by older builds.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath

POINTER = "current"
VERSIONS_DIR = "tables"
STAGING_PREFIX = ".tmp-"
POINTER_TMP_PREFIX = f".{POINTER}.tmp-"
VERSION_RE = re.compile(r"^[0-9a-f]{16}$")


class PointerError(ValueError):
    """The pointer file of a data folder is unreadable or names no version."""

    def __init__(self, path: Path, message: str):
        super().__init__(message)
        self.path = path
        self.message = message


def served_dir(root: Path) -> Path:
    """The folder whose files are served: `root/tables/<version>` named by
    `root/current`, or `root` itself when there is no pointer (flat layout)."""
    pointer = root / POINTER
    try:
        text = pointer.read_text("utf-8")
    except FileNotFoundError:
        return root
    except (OSError, UnicodeDecodeError) as exc:
        raise PointerError(pointer, f"pointeur de version illisible ({exc})") from None
    version = text.strip()
    if not VERSION_RE.match(version):
        raise PointerError(pointer, f"pointeur de version invalide : {version[:40]!r}")
    folder = root / VERSIONS_DIR / version
    if not folder.is_dir():
        raise PointerError(pointer, f"la version {version} désignée par le pointeur est absente "
                                    f"({folder})")
    return folder


def _check_name(name: str) -> PurePosixPath:
    rel = PurePosixPath(name)
    if rel.is_absolute() or not rel.parts or any(p in ("", ".", "..") for p in rel.parts) \
            or rel.parts[0] in (POINTER, VERSIONS_DIR):
        raise ValueError(f"output name not allowed: {name!r}")
    return rel


def folder_digest(folder: Path) -> str:
    """Hash of every file under `folder` (relative names and bytes): its version name."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix().encode("utf-8")
        data = path.read_bytes()
        h.update(len(rel).to_bytes(8, "big") + rel + len(data).to_bytes(8, "big") + data)
    return h.hexdigest()[:16]


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (no-op where directories cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _stage(versions: Path, writers: Mapping[str, Callable[[Path], None]]) -> Path:
    """Write every output into a new staging folder; remove it if any writer fails."""
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=versions))
    try:
        for name, writer in writers.items():
            target = staging / _check_name(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            writer(target)
            if not target.is_file():
                raise OSError(f"output {name!r} was not written")
        for path in staging.rglob("*"):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        os.chmod(staging, 0o755)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _install_version(versions: Path, staging: Path) -> str:
    """Rename the staging folder to its version name (content hash); reuse an identical one."""
    version = folder_digest(staging)
    final = versions / version
    if final.is_dir() and folder_digest(final) == version:
        shutil.rmtree(staging)  # same content already there (rebuild of the same data)
        return version
    if final.exists():  # damaged copy: move it aside, the next clean-up removes it
        os.replace(final, Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=versions)) / "old")
    os.replace(staging, final)
    _fsync_dir(versions)
    return version


def switch_pointer(out_dir: Path, version: str) -> None:
    """Point `out_dir/current` at `version`: the one atomic step of a publication."""
    fd, tmp = tempfile.mkstemp(prefix=POINTER_TMP_PREFIX, dir=out_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(version + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, out_dir / POINTER)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(out_dir)


def clean(out_dir: Path, keep: str | None = None,
          legacy_names: tuple[str, ...] = ()) -> list[Path]:
    """Remove what a publication leaves behind; return what was removed.

    Every entry of `tables/` but the version `keep` (older versions, staging
    folders of an interrupted build), stray pointer temporaries, and the flat
    copies `legacy_names` of an older layout (they would no longer be read).
    """
    removed: list[Path] = []
    versions = out_dir / VERSIONS_DIR
    if versions.is_dir():
        for entry in versions.iterdir():
            if entry.name == keep:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
    for entry in out_dir.glob(f"{POINTER_TMP_PREFIX}*"):
        entry.unlink(missing_ok=True)
        removed.append(entry)
    for name in legacy_names:
        path = out_dir / _check_name(name)
        if path.is_file() or path.is_symlink():
            path.unlink()
            removed.append(path)
            parent = path.parent
            while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    return removed


def write_files_atomically(out_dir: Path, writers: Mapping[str, Callable[[Path], None]]) -> None:
    """Write loose files (templates, exports, a document) each atomically, in place.

    Each output is written to a temporary file beside its target; only when
    every writer has succeeded are they renamed over the targets one by one.
    If a writer fails, the temporaries are removed and the previous files stay
    untouched. For a *set* of files that must change together, use
    `publish_version`.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for name, writer in writers.items():
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                       dir=target.parent)
            os.close(fd)
            staged.append((Path(tmp), target))
            writer(Path(tmp))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)


def publish_version(out_dir: Path, writers: Mapping[str, Callable[[Path], None]]) -> Path:
    """Write every output (name -> writer called with the path to write) as one new version
    of `out_dir`, switch to it with one rename, then clean up. Returns the version folder.

    If a writer fails, nothing served changes and no temporary file is left.
    """
    for name in writers:
        _check_name(name)
    versions = out_dir / VERSIONS_DIR
    versions.mkdir(parents=True, exist_ok=True)
    staging = _stage(versions, writers)
    version = _install_version(versions, staging)
    switch_pointer(out_dir, version)
    clean(out_dir, keep=version, legacy_names=tuple(writers))
    return versions / version
