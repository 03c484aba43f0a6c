"""Entry point: `gunicorn app:server` in production, `python app.py` locally.

The tables are loaded and validated when the app is created (with gunicorn
`--preload`, once in the master); an invalid table stops the start with a
French message.
"""

from dashboard import config
from dashboard.app_factory import create_app

app = create_app()
server = app.server

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=8050, debug=config.env_flag("AURA_DEBUG"))
