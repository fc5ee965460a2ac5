"""Near-duplicate evaluation: a generated set with known copies, plus real rewrites.

Originals come from the synthetic corpus (``corpus.py``; same templates, so distinct articles
share a lot of phrasing — a hard case for precision). Each of the first ``copied`` originals gets
four copies: *chrome* (the same body re-wrapped in site chrome: caption, source line, author bio,
comment form), *edit* (light edits: about 4% of the words dropped, swapped or changed, a new
title), *truncated* (the first 60% of the paragraphs) and *edit+chrome*. Real rewrites — the two
seeds (``../shared/seeds``) and the demo's ECOWAS pair — are scored apart.

Scores are pairwise over files: two files are predicted to be copies when their articles share a
duplicate group, and truly copies when they come from the same original.

Usage: ``python benchmarks/dedup_set.py [N_ORIGINALS] [N_COPIED]`` (prints precision and recall).
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

from sqlalchemy import select

from corpus import generate
from dyadwatch.ingest.readers import ingest as read_inputs
from dyadwatch.pipeline import Pipeline, ingest
from dyadwatch.records import Skip
from dyadwatch.store import database as store

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "dyadwatch" / "data" / "demo"
SEEDS = ROOT.parent / "shared" / "seeds"
REWRITES = [("ecowas", [DEMO / "ecowas_niger_aes_2024.txt", DEMO / "sahel_states_quit_ecowas_2024.html"])]


def _chrome(title: str, body: str, rng: random.Random) -> str:
    host = rng.choice(["www.example-wire.net", "sahel-daily.example", "news.example.org"])
    return "\n\n".join([
        title,
        "A sweeping view of a city skyline at dusk with soft golden light.",
        body,
        f"Original Source: {host}",
        "About the Author",
        "Sam Doe is a reporter who covers regional politics and holds a degree in journalism.",
        "View all posts by Sam Doe →",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
    ])  # fmt: skip


def _edit(text: str, rng: random.Random) -> str:
    paragraphs = []
    for par in text.split("\n\n"):
        words = par.split(" ")
        out: list[str] = []
        i = 0
        while i < len(words):
            w, roll = words[i], rng.random()
            if roll < 0.015 and len(words) > 8:
                i += 1
                continue  # dropped
            if roll < 0.03 and i + 1 < len(words):
                out += [words[i + 1], w]  # swapped with the next word
                i += 2
                continue
            if roll < 0.04:
                w = w.upper() if w.islower() else w.lower()
                w = "".join(str((int(c) + 1) % 10) if c.isdigit() else c for c in w) or w
            out.append(w)
            i += 1
        paragraphs.append(" ".join(out))
    return "\n\n".join(paragraphs)


def _truncate(text: str) -> str:
    paragraphs = text.split("\n\n")
    return "\n\n".join(paragraphs[: max(3, round(len(paragraphs) * 0.6))])


def build(folder: Path, originals: int = 160, copied: int = 60, seed: int = 3) -> dict[str, str]:
    """Write the set as text files; returns file name → true group (its original's name)."""
    rng = random.Random(seed)
    truth: dict[str, str] = {}
    for i, rec in enumerate(generate(originals, seed=seed)):
        name = f"orig{i:03d}"
        title, body = rec["title"], rec["text"]
        variants = {name: f"{title}\n\n{body}"}
        if i < copied:
            variants[f"{name}-chrome"] = _chrome(title, body, rng)
            variants[f"{name}-edit"] = f"Update: {title.lower()}\n\n{_edit(body, rng)}"
            variants[f"{name}-truncated"] = f"{title}\n\n{_truncate(body)}"
            variants[f"{name}-editchrome"] = _chrome(title + " (updated)", _edit(body, rng), rng)
        for fname, text in variants.items():
            (folder / f"{fname}.txt").write_text(text, encoding="utf-8")
            truth[f"{fname}.txt"] = name
    return truth


def _groups(pipeline: Pipeline, files: list[Path], db_url: str) -> dict[str, str]:
    """File name → predicted duplicate group (exact copies share the article, hence the group)."""
    ingest(pipeline, files, db_url)
    engine = store.connect(db_url)
    with engine.connect() as conn:
        group = dict(conn.execute(select(store.articles.c.id, store.articles.c.dup_group)).all())
    out = {}
    for item in pipeline.articles(read_inputs(files, pipeline.settings)):
        if not isinstance(item, Skip):
            out[Path(item.origin).name] = group[item.id]
    return out


def _pairs(assign: dict[str, str]) -> set[tuple[str, str]]:
    by: dict[str, list[str]] = defaultdict(list)
    for name, group in assign.items():
        by[group].append(name)
    return {tuple(sorted(p)) for members in by.values() for p in combinations(members, 2)}  # type: ignore[misc]


def score(truth: dict[str, str], predicted: dict[str, str]) -> dict[str, Any]:
    gold, pred = _pairs(truth), _pairs(predicted)
    tp = len(gold & pred)
    kinds: dict[str, list[bool]] = defaultdict(list)
    for name, group in truth.items():
        if "-" in name:
            kind = name.split("-", 1)[1].removesuffix(".txt")
            kinds[kind].append(
                predicted.get(name) is not None and predicted[name] == predicted.get(f"{group}.txt")
            )
    return {
        "files": len(truth),
        "gold_pairs": len(gold),
        "predicted_pairs": len(pred),
        "precision": tp / len(pred) if pred else 1.0,
        "recall": tp / len(gold) if gold else 1.0,
        "recall_by_kind": {k: sum(v) / len(v) for k, v in sorted(kinds.items())},
    }


def evaluate(pipeline: Pipeline, folder: Path, originals: int = 160, copied: int = 60) -> dict[str, Any]:
    """Generated copies and real rewrites, each ingested into its own fresh database."""
    truth = build(folder, originals, copied)
    predicted = _groups(pipeline, sorted(folder.glob("*.txt")), f"sqlite:///{folder / 'copies.db'}")
    result = {"copies": score(truth, predicted)}
    pairs = list(REWRITES)
    if SEEDS.exists():
        pairs.append(("seeds", sorted(SEEDS.glob("*.txt"))))
    found = 0
    for name, files in pairs:
        groups = _groups(pipeline, files, f"sqlite:///{folder / f'rewrite-{name}.db'}")
        found += len(set(groups.values())) == 1 and len(groups) == len(files)
    result["rewrites"] = {"pairs": len(pairs), "found": found, "recall": found / len(pairs)}
    return result


def main() -> int:
    originals = int(sys.argv[1]) if len(sys.argv) > 1 else 160
    copied = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    with tempfile.TemporaryDirectory() as tmp:
        result = evaluate(Pipeline(), Path(tmp), originals, copied)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
