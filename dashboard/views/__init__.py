"""Views: one module per page, between the data layer and the pages.

A view checks the URL's codes, asks the data layer (`dashboard.data.store` and
friends), calls the pure figure builders of `dashboard.figures`, and writes the
summary sentences. Its results are memoised on codes (`store.memo`, so
`store.reset()` forgets them). No Dash component here: views are importable and
testable without the app; pages lay out what views return.

Each chart a view returns is a `Chart` (`views/chart.py`).
"""
