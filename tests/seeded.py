"""Seeded stores: a migrated SQLite file with its merchants, made once per test run and
copied for every test.

Migrating a new file and scrypt-hashing each merchant's password and API secret costs a
few hundred milliseconds per test; writing the bytes of a file made once costs about one.
The copy is the same file the test would have made (same schema, same merchants, same
hashes of the same secrets), and every test still gets its own file.
"""

import os
import tempfile

from iamport_sandbox.demo import ensure_demo_merchant
from iamport_sandbox.store import Store

# seed function -> (the bytes of a closed store it seeded, what it returned).
_MADE = {}


def seed_file(path, seed=ensure_demo_merchant):
    """Write at ``path`` (which must not exist) a store seeded by ``seed(store)``: by
    default the demo merchant with the seed's three PG settings. Returns ``path``."""
    path = str(path)
    content = _made(seed)[0]
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, mode=0o700, exist_ok=True)
    # Created 0600, as the store creates its file (tests/security checks the mode).
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(descriptor, "wb") as target:
        target.write(content)
    return path


def seed_missing(path, seed=ensure_demo_merchant):
    """:func:`seed_file` unless ``path`` exists already (a restart reopens its own file)."""
    if not os.path.exists(str(path)):
        seed_file(path, seed)
    return path


def seeded(seed=ensure_demo_merchant):
    """What ``seed(store)`` returned when it seeded the files (the same for every copy)."""
    return _made(seed)[1]


def _made(seed):
    if seed not in _MADE:
        with tempfile.TemporaryDirectory(prefix="iamport-seed-") as folder:
            path = os.path.join(folder, "seed.sqlite3")
            store = Store(path)
            try:
                value = seed(store)
            finally:
                store.close()  # the last connection: SQLite folds the WAL into the file
            assert not os.path.exists(path + "-wal") or not os.path.getsize(path + "-wal")
            with open(path, "rb") as source:
                _MADE[seed] = (source.read(), value)
    return _MADE[seed]
