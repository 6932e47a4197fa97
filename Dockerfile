# hyrdash web image: gunicorn + WhiteNoise, configured through environment variables
# (see README.md). Build: docker build -t hyrdash .   Run: see docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so code changes do not reinstall them. pyproject.toml
# declares no packages ([tool.setuptools] packages = []): `pip install .`
# installs only the dependencies; the code runs from /app.
COPY pyproject.toml README.md ./
RUN pip install . && rm -rf build ./*.egg-info

# Only what the application needs (no .venv, db.sqlite3, .git, tests).
COPY manage.py ./
COPY hyrdash ./hyrdash
COPY kpis ./kpis
COPY survey ./survey
COPY templates ./templates
COPY static ./static
COPY fixtures ./fixtures
COPY locale ./locale
COPY docker ./docker

# Settings refuse to load without SECRET_KEY when DEBUG is off; this key is
# used for collectstatic only and is not kept in the image.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 --create-home --home-dir /home/hyrdash hyrdash \
    && chmod +x docker/entrypoint.sh

USER hyrdash
# The shared cache (sick-leave disclosure decisions) in a folder the app user owns; set
# CACHE_URL=redis://... where several app servers run.
ENV CACHE_URL=file:///home/hyrdash/cache
EXPOSE 8000
ENTRYPOINT ["/app/docker/entrypoint.sh"]
