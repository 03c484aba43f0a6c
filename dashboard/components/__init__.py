"""Reusable interface pieces (dbc / dash-ag-grid)."""
