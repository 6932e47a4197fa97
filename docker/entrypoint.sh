#!/bin/sh
# Container start: apply migrations, make any survey and sick-leave decisions a new
# release made stale (decide_survey, decide_sick_leave: quick when they are current),
# then serve with gunicorn.
# With arguments, run those after migrating instead, for example
#   docker compose run --rm web python manage.py createsuperuser
set -eu

python manage.py migrate --noinput
python manage.py decide_survey
python manage.py decide_sick_leave

if [ "$#" -gt 0 ]; then
    exec "$@"
fi
# gthread workers: a static file or a CSV is answered by another thread of a worker while
# a page is computed, instead of queueing behind it (bench/RESULTS.md, "Load").
exec gunicorn -c python:hyrdash.gunicorn_conf hyrdash.wsgi
