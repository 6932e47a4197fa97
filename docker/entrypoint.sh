#!/bin/sh
# Container start: apply migrations, then serve with gunicorn.
# With arguments, run those after migrating instead, for example
#   docker compose run --rm web python manage.py createsuperuser
set -eu

python manage.py migrate --noinput

if [ "$#" -gt 0 ]; then
    exec "$@"
fi
exec gunicorn hyrdash.wsgi -b 0.0.0.0:8000 -w "${WEB_CONCURRENCY:-3}" --access-logfile -
