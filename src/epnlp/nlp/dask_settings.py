"""The Dask settings epnlp's engine gives its own LocalCluster, for workers started by hand on a cluster:

    dask worker tcp://scheduler:8786 --nthreads 1 --preload-nanny epnlp.nlp.dask_settings

A nanny imports its preloads before it reads `distributed.nanny.pre-spawn-environ` and before it copies
its config for the worker it spawns, so importing this module there starts the worker with glibc's own
malloc trimming and without the 10 ms stack sampling (`epnlp.nlp.engine.LOCAL_CLUSTER_CONFIG`; why and what
it measured: docs/scaling.md). Environment variables cannot do this: Dask merges them into its default
`pre-spawn-environ`, which keeps the 64 KiB `MALLOC_TRIM_THRESHOLD_`.
"""

from __future__ import annotations

import dask

from epnlp.nlp.engine import LOCAL_CLUSTER_CONFIG

dask.config.set(LOCAL_CLUSTER_CONFIG)
