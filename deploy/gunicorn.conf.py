"""gunicorn settings of the dashboard: `gunicorn app:server -c deploy/gunicorn.conf.py`.

Used by `make run`, the Procfile and the tests (tests/deploy/). Command-line options
win over this file: `-b 0.0.0.0:8080`, `-w 4`.

- Thread-based workers (`gthread`, 4 threads each): a slow client or a long export
  pins one thread, not the whole worker (measured: 2 slow clients blocked 2 sync
  workers, hence the whole site, for 30 s). In production nginx sits in front
  (deploy/render.py) and buffers requests and answers, so slow clients never reach
  gunicorn at all.
- 2 workers for a 2-core machine; the tables are loaded once, before the fork
  (`preload_app`), and shared.
- Timeouts come from dashboard/config.py: the PNG renderer gives up before the
  worker timeout, itself no longer than nginx's proxy_read_timeout.
- No control socket (gunicorn 27 would create one under the home folder).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `deploy` and `app` are imported from the project folder
    sys.path.insert(0, str(ROOT))

# Not named `config`: every module-level name of this file that is a gunicorn setting
# is read as one.
from dashboard import config as aura_config  # noqa: E402

wsgi_app = "app:server"
bind = ["127.0.0.1:8050"]
workers = 2
worker_class = "deploy.worker.FrenchThreadWorker"
threads = 4
preload_app = True

timeout = aura_config.WORKER_TIMEOUT
graceful_timeout = aura_config.GRACEFUL_TIMEOUT
keepalive = aura_config.KEEPALIVE_TIMEOUT

# Request limits. nginx (large_client_header_buffers 4 8k) refuses longer lines
# first; served directly, gunicorn answers 414 / 431 (in French: deploy/worker.py).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

control_socket_disable = True
