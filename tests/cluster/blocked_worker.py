"""A real Dask worker (no nanny) in a Python that cannot import briefgen: what a machine without it is.

    python tests/cluster/blocked_worker.py tcp://HOST:PORT
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType


class NoBriefgen(importlib.abc.MetaPathFinder):
    """Finds no module of briefgen's, as on a machine where it is not installed."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname == "briefgen" or fullname.startswith("briefgen."):
            raise ModuleNotFoundError(f"No module named '{fullname}'", name=fullname)
        return None


if __name__ == "__main__":
    sys.meta_path.insert(0, NoBriefgen())
    from distributed.cli.dask_worker import main

    sys.argv = ["dask worker", sys.argv[1], "--no-nanny", "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"]
    main()
