"""Scale-out for real: the audit on a Dask distributed cluster gives what the process pool gives.

A LocalCluster with worker processes runs here; a remote scheduler (`--scheduler tcp://…`) uses
the same DaskExecutor code path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from xxgk.audit.executors import DaskExecutor, ProcessExecutor
from xxgk.audit.pipeline import audit
from xxgk.audit.query import iter_findings
from xxgk.samples import write_corpus
from xxgk.storage import open_db

pytest.importorskip("distributed", reason="the [dask] extra is part of the dev lock")


def _findings(url: str) -> set[tuple[str, int | None, str, tuple[str, ...]]]:
    db = open_db(url)
    try:
        return {(Path(f.path).name, f.year, f.rule, tuple(f.cells)) for f in iter_findings(db)}
    finally:
        db.close()


@pytest.mark.slow
def test_dask_cluster_audits_like_the_process_pool(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, count=12, seed=7)
    results = {}
    for name, executor in (("pool", ProcessExecutor(jobs=2)), ("dask", DaskExecutor(jobs=2))):
        url = f"sqlite:///{tmp_path / name}.db"
        db = open_db(url)
        try:
            summary = audit([corpus], db, executor=executor)
        finally:
            executor.close()
            db.close()
        assert summary.processed == 12
        results[name] = _findings(url)
    assert results["dask"] == results["pool"]
    assert results["dask"], "the sample corpus has planted errors, so there must be findings"
