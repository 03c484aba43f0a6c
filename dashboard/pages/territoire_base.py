"""Names shared by the modules of the territory page (`/territoire`)."""

PATH = "/territoire"
PREFIX = "territoire"
"""Prefix of every component id of the territory page."""
