"""Exports: server-side PNG (kaleido), ZIP of a profile, command line."""
