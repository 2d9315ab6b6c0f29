"""Generate a corpus of report files at scale, as real users have them, deterministic for a seed.

    python scripts/make_corpus.py 1000 --seed 1 --out /tmp/corpus-1000

Writes N report files (``.txt`` and ``.md``, in the layouts of the bundled
corpus) under synthetic districts and years, and ``manifest.json`` listing
each file's glossary entries and how each came about (new, redefined,
renamed-tail, changed-head, based-on, same-idea). Text, terms and definitions
are recombined from the bundled corpus (see ``scripts/benchlib/``); the same
N and seed always give the same bytes. ``kg build DIR --out g.nt`` reads the
folder (the manifest is not a report).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib.corpus import ReportPlan, plan_corpus
from benchlib.genre import harvest
from benchlib.render import expand, render_report

from kg.ids import district_id

__all__ = ["file_name", "generate", "main"]

MANIFEST = "manifest.json"


def file_name(plan: ReportPlan) -> str:
    """``00042-donghu-2023-government-work-report.txt``: sorted in generation order."""
    kind = "government-work-report" if plan.kind == "gov" else "plan-report"
    suffix = ".md" if plan.layout == "markdown" else ".txt"
    return f"{plan.index:05d}-{district_id(plan.district.name)}-{plan.year}-{kind}{suffix}"


def _manifest_record(plan: ReportPlan, name: str) -> dict[str, object]:
    return {
        "file": name,
        "district": plan.district.name,
        "city": f"{plan.district.city_short}市",
        "year_delivered": plan.year,
        "kind": plan.kind,
        "layout": plan.layout,
        "entries": [
            {
                "n": number,
                "label": expand(entry.label, plan),
                "origin": entry.origin,
                "parent": expand(entry.parent, plan) if entry.parent else None,
            }
            for number, entry in enumerate(plan.entries, 1)
        ],
    }


def generate(count: int, seed: int, out: Path) -> list[ReportPlan]:
    """Write ``count`` reports and the manifest to ``out``; returns the reports' plans."""
    genre = harvest()
    plans = plan_corpus(genre, count, seed)
    out.mkdir(parents=True, exist_ok=True)
    records = []
    for plan in plans:
        name = file_name(plan)
        rng = random.Random(f"{seed}:{plan.index}")
        (out / name).write_text(render_report(plan, genre, rng), encoding="utf-8")
        records.append(_manifest_record(plan, name))
    manifest = {"count": count, "seed": seed, "reports": records}
    (out / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return plans


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, metavar="N", help="number of reports")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    args = parser.parse_args(argv)
    plans = generate(args.count, args.seed, args.out)
    entries = sum(len(plan.entries) for plan in plans)
    print(f"wrote {len(plans)} reports ({entries} glossary entries) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
