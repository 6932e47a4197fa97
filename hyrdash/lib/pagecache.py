"""Computed pages kept in Django's cache, keyed on everything they depend on.

A page's expensive part (the data it loads, the charts it builds) is kept under a key
made of its name, the parts the caller names (the data version, the selection, the
user's visibility, the day when "today" matters) and the active language; nothing is
ever invalidated by deleting: a change of data raises the data version, so the next
request asks for a new key and the old entries age out of the cache.

The caller reads the data version *before* it reads any data: a request that raced an
import then keeps at worst newer figures under the older version, never older figures
under the newer one.

Each request remembers whether its cached parts were hits or misses (`outcome`), which
hyrdash.middleware writes in a response header for the load benchmark's hit rate.

A subject's data for a version (`in_process=True`: the cost dashboard's month sums, the
sick-leave data with its decisions) is also kept in the worker process, the newest
IN_PROCESS of each name: every request of that version then shares one object, and
with it what the pages computed from it on the way (kpis.costs.series keeps a scope's
monthly sums on the data), so a page for another month or scope of the same version
starts from those instead of from nothing (a cold dashboard: about a third less CPU on
the demo). Such a value is the same for every request of its key, so keeping it is as
safe as the shared cache; it must not be changed but through such memos of values
derived from it.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

__all__ = [
    "cached",
    "code_digest",
    "forget_in_process",
    "key",
    "outcome",
    "release",
    "reset_outcome",
    "warm",
]

T = TypeVar("T")
_MISSING = object()
PREFIX = "hyrdash:page:"
_outcome: contextvars.ContextVar[tuple[int, int]] = contextvars.ContextVar(
    "pagecache_outcome", default=(0, 0)
)


def key(name: str, *parts: Any) -> str:
    """The cache key of `name` for `parts` (JSON-able or str()-able) in the active
    language, made with this release's code (`release`)."""
    raw = json.dumps(
        [name, release(), translation.get_language(), *parts], default=str, sort_keys=True
    )
    return PREFIX + name + ":" + hashlib.sha256(raw.encode()).hexdigest()


# What a page is made with besides its data: the code, templates and translations in
# settings.PAGE_CACHE_CODE (folders of settings.BASE_DIR) and the libraries that compute
# and draw it. A new release with a mended measure or chart never reads a page the old
# one kept under the same data version.
CODE_SUFFIXES = frozenset({".py", ".html", ".txt", ".mo"})
LIBRARIES = ("django", "numpy", "pandas", "plotly")


@functools.cache
def release() -> str:
    """A digest of this release's code (`code_digest` of settings.PAGE_CACHE_CODE), read
    once per process."""
    return code_digest(Path(settings.BASE_DIR), settings.PAGE_CACHE_CODE)


def code_digest(root: Path, folders: Iterable[str]) -> str:
    """A digest of every file with a CODE_SUFFIXES suffix under `folders` of `root` (its
    path and bytes) and the versions of LIBRARIES."""
    found = hashlib.sha256()
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in CODE_SUFFIXES and path.is_file():
                for part in (str(path.relative_to(root)).encode(), path.read_bytes()):
                    found.update(len(part).to_bytes(8, "big") + part)
    for library in LIBRARIES:
        found.update(f"|{library}={metadata.version(library)}".encode())
    return found.hexdigest()[:16]


# While one request computes a value, the others that ask for it wait for it (up to
# WAIT seconds, below gunicorn's 30 s timeout, looking every POLL) instead of computing
# it too: after an import every user asks for the same few new pages at once, and two
# cores computing one page twenty times over was most of the queue (bench/load.py). A
# request that waits in vain (the computing one died) computes the value itself. The
# lock is cache.add: atomic on Redis and the database cache, nearly so on the file cache
# (two computing the same value is harmless, only slower).
WAIT = 20.0
POLL = 0.05


IN_PROCESS = 2  # values of each name kept in the process (the newest versions)
_in_process: dict[str, OrderedDict] = {}
_in_process_lock = threading.Lock()


def forget_in_process() -> None:
    """Drop what this process keeps (tests: each has a cache of its own)."""
    with _in_process_lock:
        _in_process.clear()


def _from_process(name: str, found_key: str) -> object:
    with _in_process_lock:
        kept = _in_process.get(name)
        if kept is None or found_key not in kept:
            return _MISSING
        kept.move_to_end(found_key)
        return kept[found_key]


def _to_process(name: str, found_key: str, value: object) -> None:
    with _in_process_lock:
        kept = _in_process.setdefault(name, OrderedDict())
        kept[found_key] = value
        kept.move_to_end(found_key)
        while len(kept) > IN_PROCESS:
            kept.popitem(last=False)


def cached(name: str, parts: tuple, compute: Callable[[], T], *, in_process: bool = False) -> T:
    """compute() the first time `name` is asked for with these `parts`, the kept value
    afterwards (it must pickle); `in_process`: kept in this process too (see above)."""
    found_key = key(name, *parts)
    if in_process:
        value = _from_process(name, found_key)
        if value is not _MISSING:
            hits, misses = _outcome.get()
            _outcome.set((hits + 1, misses))
            return value
        value = _cached(found_key, compute)
        _to_process(name, found_key, value)
        return value
    return _cached(found_key, compute)


def _cached(found_key: str, compute: Callable[[], T]) -> T:
    value = cache.get(found_key, _MISSING)
    hits, misses = _outcome.get()
    if value is _MISSING:
        lock = found_key + ":computing"
        if not cache.add(lock, 1, timeout=int(WAIT) + 1):
            value = _wait_for(found_key)
        if value is _MISSING:
            try:
                value = compute()
                cache.set(found_key, value, timeout=None)
            finally:
                cache.delete(lock)
            _outcome.set((hits, misses + 1))
            return value
    _outcome.set((hits + 1, misses))
    return value


def _wait_for(found_key: str) -> object:
    """The value another request is computing, once kept; _MISSING after WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        time.sleep(POLL)
        value = cache.get(found_key, _MISSING)
        if value is not _MISSING:
            return value
    return _MISSING


def reset_outcome() -> None:
    _outcome.set((0, 0))


def outcome() -> str:
    """'hit' when every cached part of this request was kept, 'miss' when any was
    computed, '' when the request used none."""
    hits, misses = _outcome.get()
    if misses:
        return "miss"
    return "hit" if hits else ""


def warm(jobs: Iterable[Callable[[], object]], *, seconds: float) -> tuple[int, bool]:
    """Run `jobs` (each computes a page into the cache) in their order until they are
    done or `seconds` have passed (a job started is finished); (how many ran, whether
    all did)."""
    deadline = time.monotonic() + seconds
    count = 0
    for job in jobs:
        if time.monotonic() >= deadline:
            return count, False
        job()
        count += 1
    return count, True


def warm_pages(what: str, page: Callable[[Any], object], scopes: Iterable) -> int:
    """`page(scope)` for every scope in each of settings.PAGE_CACHE_WARM_LANGUAGES (in
    their order) while settings.PAGE_CACHE_WARM_SECONDS last (`warm`); returns how many
    ran. `what` names the pages in the log when time ran out."""

    def in_language(code: str, scope) -> None:
        with translation.override(code):
            page(scope)

    scopes = list(scopes)
    jobs = [
        lambda code=code, scope=scope: in_language(code, scope)
        for code in settings.PAGE_CACHE_WARM_LANGUAGES
        for scope in scopes
    ]
    count, done = warm(jobs, seconds=settings.PAGE_CACHE_WARM_SECONDS)
    if not done:
        logging.getLogger(__name__).info(
            "warmed %s of %s %s; the rest when asked for", count, len(jobs), what
        )
    return count
