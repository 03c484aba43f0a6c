"""Data layer: build, contract, loading and aggregation. Pure pandas, no Dash here."""
