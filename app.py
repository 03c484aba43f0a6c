"""Entry point: `gunicorn app:server` in production, `python app.py` locally.

The tables are loaded and validated when the app is created (with gunicorn
`--preload`, once in the master); an invalid table stops the start with a
French message. Debug and dev tools are on only with AURA_DEV=1 (or
AURA_DEBUG=1), never because of DASH_DEBUG, DASH_UI or FLASK_DEBUG.
"""

from dashboard import config
from dashboard.app_factory import create_app
from dashboard.security import dev_tools_options

app = create_app()
server = app.server

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=8050, **dev_tools_options(config.dev_mode()))
