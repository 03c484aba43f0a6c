"""Exports: server-side PNG (kaleido), 16:9 slide and A4 print pages of the profile
charts (`slides`), ZIP of a profile, command line."""
