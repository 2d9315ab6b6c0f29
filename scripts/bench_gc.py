"""How long a full garbage collection takes in a serving process, before and after ``gc.freeze``.

    python scripts/bench_gc.py GRAPH.nt [--repeat 5]

Opens the graph's store snapshot and builds the read model as the web
process does (:func:`kg.store.open_snapshot`, :meth:`ReadModel.from_store`),
then times ``gc.collect()`` (a full, generation-2 collection: what stalls
every request while it runs) with the heap as start-up leaves it, and again
after ``gc.freeze()``, which ``kg serve`` calls once the app has started.
Prints one JSON object: objects the collector tracks and the median
milliseconds of a full collection, before and after.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kg.readmodel import ReadModel
from kg.store import open_snapshot

__all__ = ["main"]


def _full_collection_ms(repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        gc.collect()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as spare, open_snapshot(args.graph, spare=Path(spare)) as s:
        model = ReadModel.from_store(s)
        tracked = len(gc.get_objects())
        before = _full_collection_ms(args.repeat)
        gc.freeze()
        after = _full_collection_ms(args.repeat)
        result = {
            "graph": args.graph.name,
            "triples": len(s),
            "terms": len(model.catalog.terms),
            "tracked_objects": tracked,
            "frozen_objects": gc.get_freeze_count(),
            "full_collection_ms_before": round(before, 3),
            "full_collection_ms_after_freeze": round(after, 3),
        }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
