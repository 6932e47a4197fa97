"""Scratch databases for the benchmarks, on the PostgreSQL server of DATABASE_URL.

Each benchmark creates its own databases (named hyrdash_bench...), fills them and
drops them; the database DATABASE_URL names is only used to connect to the server.
"""

from __future__ import annotations

import sys
from urllib.parse import urlsplit, urlunsplit

PREFIX = "hyrdash_bench"


def postgres_url_or_help(url: str, script: str, databases: str) -> bool:
    """Whether `url` is a PostgreSQL URL; if not, say on stderr how to run `script`."""
    if urlsplit(url).scheme in {"postgres", "postgresql", "pgsql"}:
        return True
    print(
        f"bench/{script} runs on PostgreSQL and does not run on SQLite.\n"
        "Set DATABASE_URL to a PostgreSQL server it may create scratch databases on "
        f"({databases}), e.g.\n"
        f"  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 "
        f".venv/bin/python bench/{script}",
        file=sys.stderr,
    )
    return False


def url_for(url: str, name: str) -> str:
    """`url` with its database replaced by `name`."""
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def admin(url: str, sql: str) -> None:
    """Run `sql` on the server's own database, never on a scratch one."""
    import psycopg2

    name = urlsplit(url).path.lstrip("/") or "postgres"
    conn = psycopg2.connect(url_for(url, "postgres" if name.startswith(PREFIX) else name))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


def create(url: str, name: str) -> str:
    """(Re)create the empty database `name`; its URL."""
    drop(url, name)
    admin(url, f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    return url_for(url, name)


def drop(url: str, name: str) -> None:
    admin(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
