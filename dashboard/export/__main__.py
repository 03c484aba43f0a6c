"""`python -m dashboard.export --epci SIREN [--epci SIREN ...] --out DIR`.

Writes one folder per territory with every chart of its profile as PNG
(1920×1080; a chart too tall for one slide is split into numbered images) and
an index. Exit status: 0 done, 1 rendering impossible,
2 unknown code or bad usage (one French line, never a traceback).
"""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
