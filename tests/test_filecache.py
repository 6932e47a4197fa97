"""hyrdash.lib.filecache: Django's file cache, compressing faster (zlib level 1)."""

import os
import subprocess
import sys
import zlib

import pandas as pd
import pytest
from django.core.cache.backends.filebased import FileBasedCache as DjangoFileBasedCache

from hyrdash.lib import filecache


def test_values_round_trip_and_either_reads_the_others_files(tmp_path):
    ours = filecache.FileBasedCache(str(tmp_path), {})
    djangos = DjangoFileBasedCache(str(tmp_path), {})
    frame = pd.DataFrame({"a": range(1000), "b": ["x"] * 1000})

    ours.set("frame", frame, timeout=None)
    djangos.set("text", "hej", timeout=None)

    pd.testing.assert_frame_equal(djangos.get("frame"), frame)  # an older release reads it
    pd.testing.assert_frame_equal(ours.get("frame"), frame)
    assert ours.get("text") == "hej"  # and reads what an older release wrote
    assert ours.get("missing", "default") == "default"


def test_the_value_is_compressed_at_the_fastest_level(tmp_path, monkeypatch):
    levels = []
    compress = zlib.compress

    def spy(data, level=-1):
        levels.append(level)
        return compress(data, level)

    monkeypatch.setattr(filecache.zlib, "compress", spy)
    filecache.FileBasedCache(str(tmp_path), {}).set("k", list(range(100)), timeout=None)

    assert levels == [1]


@pytest.mark.parametrize("url", ["", "file:///tmp/hyrdash-cache"])
def test_the_settings_use_it_for_the_file_cache(url):
    """CACHE_URL unset or file://...: the settings as a fresh process reads them."""
    script = "import hyrdash.settings as s; print(s.CACHES['default']['BACKEND'])"
    env = {**os.environ, "DEBUG": "1", "CACHE_URL": url}
    found = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "hyrdash.lib.filecache.FileBasedCache"
