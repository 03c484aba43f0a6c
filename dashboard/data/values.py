"""JSON-friendly scalars for the summary CLI and the exports."""

from __future__ import annotations

import pandas as pd


def clean(value):
    """JSON-friendly scalars: numpy -> Python, NaN -> None, dates -> ISO."""
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if pd.isna(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value
