"""The palette: every colour the app draws, in one place (no Dash, no plotly).

Figures read these constants; `assets/style.css` declares the interface colours
as CSS variables with the same values (a test compares them). Colours of
programmes live in the programme registry (`dashboard/registry.py`), which takes
them from `CATEGORICAL` here.
"""

from __future__ import annotations

TEXT = "#1f2933"
MUTED = "#52606d"  # 7:1 on white
GRID = "#e4e7eb"
PRIMARY = "#0b5394"  # 8:1 on white
ACCENT = "#b45309"
DEMO_RED = "#a61b1b"
FOCUS = "#f5a300"

# Colour-blind-safe sequences (Okabe-Ito order; dark enough on white for marks).
CATEGORICAL = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
               "#F0E442", "#000000")
SEQUENTIAL = "Blues"

# The one ordinal scale of landlord engagement: grey for "no information", then
# the levels lowest first (viridis, light to dark; colour-blind safe).
NO_DATA = GRID
ORDINAL = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")


def ordinal_colorscale(colors: tuple[str, ...] | list[str]) -> list[list]:
    """A plotly colorscale with one flat band per colour, for z = 0 … len(colors) - 1
    drawn with zmin = -0.5 and zmax = len(colors) - 0.5."""
    n = len(colors)
    scale: list[list] = []
    for i, color in enumerate(colors):
        scale += [[i / n, color], [(i + 1) / n, color]]
    return scale
