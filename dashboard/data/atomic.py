"""Write several files so that readers see all old or all new versions of each.

Each output is written to a temporary file beside its target; only when every
writer has succeeded are they renamed over the targets (``os.replace`` is
atomic on one filesystem). If a writer fails, the temporaries are removed and
the previous files stay untouched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path


def write_files_atomically(out_dir: Path, writers: Mapping[str, Callable[[Path], None]]) -> None:
    """Call each writer on a temporary path, then move all into `out_dir`."""
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
