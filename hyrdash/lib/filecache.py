"""Django's file-based cache, compressing with zlib's fastest level.

The page cache (hyrdash.lib.pagecache) keeps the computed data of a subject under each
data version, in every worker's reach: the sick-leave data with its cells and their
disclosure decisions is a 3.5 MB pickle on the demo region. Django's FileBasedCache
compresses every value with zlib's default level 6, which took 102 ms of the 0.65 s a
cold sick-leave page costs; level 1 takes 21 ms for a file 13 % larger (bench/RESULTS.md,
issue 17, session 9). Reading is unchanged: zlib.decompress reads any level, so the files
an older release wrote stay readable.

Only the compression differs from Django's `_write_content`; the rest (the expiry
before the value, the temporary file moved into place, culling) is Django's own.
"""

from __future__ import annotations

import pickle
import zlib

from django.core.cache.backends import filebased

LEVEL = 1


class FileBasedCache(filebased.FileBasedCache):
    def _write_content(self, file, timeout, value):
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), LEVEL))
