"""gunicorn's settings, as the Docker image runs it (docker/entrypoint.sh) and the
benchmarks start it: `gunicorn -c python:hyrdash.gunicorn_conf hyrdash.wsgi`.
Options given on the command line win over these.

- gthread workers (`WEB_CONCURRENCY` processes x `GUNICORN_THREADS` threads): a thread
  answers a static file or a cached page while another computes a page (issue 17,
  bench/RESULTS.md "Worker class").
- The interpreter's switch interval (`GIL_SWITCH_INTERVAL`, seconds; Python's default is
  0.005): a thread that waited for the network or the database gets the interpreter back
  after at most this long while another thread of its worker computes a page. A static
  file or a cached page makes a dozen such waits, so at Python's 5 ms each they cost tens
  of milliseconds under load; at 0.5 ms a few (bench/RESULTS.md, session 8).
- Once a worker has loaded the site, what it holds then (Django, pandas, Plotly, the
  templates: some 200,000 objects) is moved out of the garbage collector's way
  (`gc.freeze`): a full collection then looks at what requests made since, a few ms,
  instead of 75 ms with every thread of the worker stopped.
"""

import gc
import os
import sys

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
accesslog = "-"
switch_interval = float(os.environ.get("GIL_SWITCH_INTERVAL", "0.0005"))


def post_fork(server, worker):
    sys.setswitchinterval(switch_interval)


def post_worker_init(worker):
    gc.freeze()
