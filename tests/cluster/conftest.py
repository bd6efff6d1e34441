"""A real Dask LocalCluster of two single-threaded worker processes on 127.0.0.1, shared by a test module
(each worker loads the spaCy model once, on its first task)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from distributed import LocalCluster

from briefgen.extract.cluster import LOCAL_SCHEDULER


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a running two-worker LocalCluster's scheduler."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", scheduler_port=0,
                      dashboard_address=None,
                      scheduler_kwargs=LOCAL_SCHEDULER) as cluster:
        yield cluster.scheduler_address


@pytest.fixture
def idle_scheduler() -> Iterator[str]:
    """The address of a running scheduler with no worker connected."""
    with LocalCluster(n_workers=0, host="127.0.0.1", scheduler_port=0, dashboard_address=None,
                      scheduler_kwargs=LOCAL_SCHEDULER) as cluster:
        yield cluster.scheduler_address
