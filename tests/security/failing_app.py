"""The dashboard plus one callback that always raises, for the production-mode test.

Served by gunicorn in a subprocess (`tests.security.failing_app:server`): the
page registry and the callbacks are global to a process.
"""

from __future__ import annotations

from dash import Input, Output

from dashboard.app_factory import create_app

app = create_app()
server = app.server

FAILING_INPUT = "essai-panne"
FAILING_OUTPUT = "essai-panne-sortie"
SECRET = "détail interne : /srv/aura/secret_config.py, mot de passe hunter2"


@app.callback(Output(FAILING_OUTPUT, "children"), Input(FAILING_INPUT, "n_clicks"),
              prevent_initial_call=True)
def fail(_n_clicks):
    """Raises with internal details the client must never see."""
    raise RuntimeError(SECRET)
