"""The palette: every colour the app draws, in one place (no Dash, no plotly).

Figures read these constants; `assets/style.css` declares the interface colours
(`CSS_COLORS`) once, in its `:root`, as CSS variables named after them
(`BRAND` -> `--aura-brand`, `DEMO_RED` -> `--aura-demo-red`), and every CSS file
uses the variables (tests/test_palette.py compares them). Colours of programmes
live in the programme registry (`dashboard/registry.py`), which takes them from
`CATEGORICAL` here.

Contrast ratios are on white (WCAG 2: AA asks 4.5:1 for text).
"""

from __future__ import annotations

TEXT = "#1f2933"  # body text, 14.8:1
MUTED = "#4a5563"  # secondary text, source lines, 7.6:1 (7:1 on PANEL)
GRID = "#e4e7eb"  # plot grid lines and hairlines between blocks
BORDER = "#d9dee3"  # borders of panels and cards
PANEL = "#f5f7fa"  # background of control panels (picker, indicator choice)
BACKGROUND = "#ffffff"  # page background; text on BRAND
BRAND = "#00527a"  # header bar, links, section rules, 8.4:1 (white on it: 8.4:1)
PRIMARY = "#0b5394"  # main data colour and primary buttons, 7.8:1
ACCENT = "#b45309"  # highlight (a chosen territory, an emphasised sentence), 5:1
DEMO_RED = "#a61b1b"  # "données de démonstration" labels, 7.5:1
FOCUS = "#f5a300"  # keyboard focus ring (4:1 on BRAND, with a TEXT halo on white)
CODE = "#7a1f4d"  # code and column names on the method page, 9.9:1

CSS_COLORS = ("TEXT", "MUTED", "GRID", "BORDER", "PANEL", "BACKGROUND", "BRAND", "PRIMARY",
              "ACCENT", "DEMO_RED", "FOCUS", "CODE")
"""Names of the constants declared as CSS variables in assets/style.css."""

# Colour-blind-safe sequences (Okabe-Ito order; dark enough on white for marks).
CATEGORICAL = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
               "#F0E442", "#000000")
SEQUENTIAL = "Blues"

# The one ordinal scale of landlord engagement: grey for "no information", then
# the levels lowest first (viridis, light to dark; colour-blind safe).
NO_DATA = GRID
ORDINAL = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")


def css_variable(name: str) -> str:
    """The CSS variable of a palette constant: `DEMO_RED` -> `--aura-demo-red`."""
    return "--aura-" + name.lower().replace("_", "-")


def css_variables() -> dict[str, str]:
    """The `:root` declarations assets/style.css must hold: variable -> colour."""
    return {css_variable(name): globals()[name] for name in CSS_COLORS}


def rgb(color: str) -> tuple[int, int, int]:
    """`#00527a` -> (0, 82, 122)."""
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def contrast(foreground: str, background: str = BACKGROUND) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""

    def luminance(color: str) -> float:
        channels = [c / 255 for c in rgb(color)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                  for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ordinal_colorscale(colors: tuple[str, ...] | list[str]) -> list[list]:
    """A plotly colorscale with one flat band per colour, for z = 0 … len(colors) - 1
    drawn with zmin = -0.5 and zmax = len(colors) - 0.5."""
    n = len(colors)
    scale: list[list] = []
    for i, color in enumerate(colors):
        scale += [[i / n, color], [(i + 1) / n, color]]
    return scale
