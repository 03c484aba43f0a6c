"""Landlord engagement (placeholder until implemented)."""

from __future__ import annotations

KEY_COLUMN = "siren_bailleur"


def add_cli(sub) -> None:
    pass


def run_cli(args) -> int:
    return 2


def read_engagements(path):
    return None, ["non implémenté"]
