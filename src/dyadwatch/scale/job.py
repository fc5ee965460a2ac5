"""``dyadwatch spark code``: an article archive coded on Apache Spark, written as partitioned Parquet.

1. list   — the input's files in the order ``dyadwatch ingest`` reads them (driver);
2. read   — text, HTML, JSON Lines, JSON, CSV and feed files through the ingest readers, Parquet
            archives by row (executors);
3. clean  — one pipeline per Python worker; bad input becomes a skip with its reason;
4. exact  — copies by content hash: the first in input order stays (Spark ``reduceByKey``);
5. code   — parse, code, geolocate and sign each article in ``mapPartitions`` (executors);
6. group  — near-copy and rewrite candidates joined by Spark, groups decided by the corpus's rules
            (:mod:`dyadwatch.scale.placement`);
7. write  — ``articles/``, ``mentions/``, ``events/`` (the columns of ``dyadwatch export --format
            parquet``) and ``skips/``, each partitioned by year, and ``_dyadwatch.json``.

``dyadwatch load`` puts the result into a store. Under ``spark-submit`` the same job runs as
``spark-submit …/dyadwatch/scale/__main__.py INPUT OUTPUT`` (see docs/spark.md).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from dyadwatch.errors import DyadwatchError
from dyadwatch.records import Skip
from dyadwatch.scale import placement, tables, worker
from dyadwatch.settings import Settings

MANIFEST = "_dyadwatch.json"
PARQUET_FIELDS = ("id", "text", "title", "url", "date", "source")


@dataclass(frozen=True, slots=True)
class InputFile:
    uri: str  # what Spark reads
    origin: str  # what ingest would call it
    rank: int  # position in ingest's reading order

    @property
    def key(self) -> str:
        return file_key(self.uri)


@dataclass
class SparkReport:
    files: int = 0
    articles: int = 0
    known: int = 0  # exact copies of an article earlier in the input
    duplicates: int = 0  # near-copies and rewrites
    events: int = 0
    mentions: int = 0
    skips: int = 0
    seconds: float = 0.0
    skip_codes: dict[str, int] = field(default_factory=dict)


def file_key(uri: str) -> str:
    return unquote(urlparse(uri).path) if "://" in uri or uri.startswith("file:") else os.path.abspath(uri)


def spark_session(master: str | None = None, app: str = "dyadwatch") -> Any:
    """The active SparkSession, or a new one (``master`` e.g. ``local[2]``; spark-submit sets it)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise DyadwatchError("E701") from None
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise DyadwatchError("E702")
    # local runs: the Python workers are this interpreter (with dyadwatch installed); a cluster sets
    # spark.pyspark.python itself (docs/spark.md)
    if (master or "local").startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    for key, value in {
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MILLIS",
        "spark.python.worker.reuse": "true",
        "spark.ui.showConsoleProgress": "false",
    }.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def list_inputs(spark: Any, path: str) -> list[InputFile]:
    """Files under ``path`` (a file, a directory, or any Hadoop URI), in ``dyadwatch ingest``'s order."""
    hidden = (".", "_")
    if "://" not in path:
        root = Path(path.removeprefix("file:"))
        if root.is_dir():
            found = sorted(
                (p for p in root.rglob("*") if p.is_file() and not p.name.startswith(hidden)), key=str
            )
        elif root.exists():
            found = [root]
        else:
            raise DyadwatchError("E703", path=path)
        return [InputFile("file://" + str(p.resolve()), str(p), i) for i, p in enumerate(found)]
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    hpath = jvm.org.apache.hadoop.fs.Path(path)
    fs = hpath.getFileSystem(conf)
    if not fs.exists(hpath):
        raise DyadwatchError("E703", path=path)
    uris = []
    listing = fs.listFiles(hpath, True)
    while listing.hasNext():
        uri = str(listing.next().getPath().toString())
        if not uri.rsplit("/", 1)[-1].startswith(hidden):
            uris.append(uri)
    uris.sort(key=lambda u: u.split("/"))
    return [InputFile(u, u, i) for i, u in enumerate(uris)]


def _documents(spark: Any, files: list[InputFile], settings: Any, partitions: int) -> Any:
    """(order, Document | Skip) for every record of every file."""
    sc = spark.sparkContext
    slots = {f.key: (f.rank << 32, f.origin) for f in files}
    at = sc.broadcast(slots)
    parts = []
    plain = [f for f in files if not f.origin.lower().endswith(".parquet")]
    if plain:
        raw = sc.binaryFiles(",".join(f.uri for f in plain), minPartitions=partitions)

        def read(kv: tuple[str, bytes]) -> Any:
            base, origin = at.value[file_key(kv[0])]
            return worker.read_file(base, origin, kv[1], settings.value)

        parts.append(raw.flatMap(read))
    archives = [f for f in files if f.origin.lower().endswith(".parquet")]
    if archives:
        parts.append(_parquet_rows(spark, archives, at))
    if not parts:
        return sc.emptyRDD()
    return parts[0] if len(parts) == 1 else sc.union(parts)


def _parquet_rows(spark: Any, archives: list[InputFile], at: Any) -> Any:
    from pyspark.sql import functions as F

    df = spark.read.parquet(*[f.uri for f in archives])
    # the text as bytes, whatever its column type: ingest's decoder decides what is text
    cols = [
        (
            F.col(c).cast("binary" if c == "text" else "string")
            if c in df.columns
            else F.lit(None).cast("string")
        ).alias(c)
        for c in PARQUET_FIELDS
    ]
    meta = [F.col("_metadata.file_path").alias("_file"), F.col("_metadata.row_index").alias("_row")]

    def one(r: Any) -> tuple[int, Any]:
        base, origin = at.value[file_key(r["_file"])]
        fields = {c: r[c] for c in PARQUET_FIELDS}
        return worker.read_record(base + int(r["_row"]), f"{origin}:{int(r['_row']) + 1}", fields)

    return df.select(*cols, *meta).rdd.map(one)


def spark_code(
    input_path: str,
    output: str,
    spark: Any = None,
    settings: Settings | None = None,
    partitions: int | None = None,
) -> SparkReport:
    """Library verb behind ``dyadwatch spark code``: code an archive on Spark into Parquet tables."""
    from pyspark import StorageLevel

    started = time.monotonic()
    spark = spark or spark_session()
    sc = spark.sparkContext
    settings = settings or Settings.from_env()
    files = list_inputs(spark, input_path)
    parts = partitions or max(2, sc.defaultParallelism * 2)
    bset = sc.broadcast(settings)
    report = SparkReport(files=len(files))

    docs = _documents(spark, files, bset, parts)
    cleaned = docs.repartition(parts).mapPartitions(lambda it: worker.clean_partition(it, bset.value))
    cleaned.persist(StorageLevel.MEMORY_AND_DISK)
    read_skips = cleaned.filter(lambda oa: isinstance(oa[1], Skip)).map(lambda oa: worker.skip_row(*oa))
    found = cleaned.filter(lambda oa: not isinstance(oa[1], Skip))
    unique = found.map(lambda oa: (oa[1].id, oa)).reduceByKey(lambda a, b: a if a[0] <= b[0] else b, parts)
    coded = unique.values().mapPartitions(lambda it: worker.code_partition(it, bset.value))
    coded.persist(StorageLevel.MEMORY_AND_DISK)
    articles = coded.filter(lambda r: r["kind"] == "article")
    n_found = found.count()

    placed = _place(sc, articles)
    at = sc.broadcast(placed)
    final = articles.map(lambda r: _apply(r, at.value.get(r["order"])))
    final.persist(StorageLevel.MEMORY_AND_DISK)
    stamp = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    mentions = final.flatMap(tables.mention_rows)
    mentions.persist(StorageLevel.MEMORY_AND_DISK)
    events = (
        mentions.map(lambda m: (m["event_id"], m))
        .groupByKey()
        .map(lambda kv: tables.event_row(kv[0], kv[1], stamp))
    )
    skips = read_skips.union(coded.filter(lambda r: r["kind"] == "skip"))

    out = output.rstrip("/")
    _write(spark, final.map(tables.article_row), tables.ARTICLE_COLUMNS, f"{out}/articles")
    _write(spark, mentions, tables.MENTION_COLUMNS, f"{out}/mentions")
    _write_events(events, f"{out}/events")
    _write(spark, skips, tables.SKIP_COLUMNS, f"{out}/skips", partition=False)

    report.articles = final.count()
    report.known = n_found - coded.count()  # what coding turned into a skip (E110) is no copy
    report.duplicates = sum(1 for p in placed.values() if p.kind != "original")
    report.mentions = mentions.count()
    report.events = mentions.map(lambda m: m["event_id"]).distinct().count()
    report.skip_codes = dict(
        sorted(skips.map(lambda r: (r["code"], 1)).reduceByKey(lambda a, b: a + b).collect())
    )
    report.skips = sum(report.skip_codes.values())
    report.seconds = round(time.monotonic() - started, 2)
    _manifest(spark, out, report, stamp)
    for rdd in (cleaned, coded, final, mentions):
        rdd.unpersist()
    return report


def _place(sc: Any, articles: Any) -> dict[int, placement.Placed]:
    """Candidates with Spark, then the replay of the articles that have any (see :mod:`placement`)."""
    near = (
        articles.flatMap(lambda r: ((k, r["order"]) for k in placement.band_keys(r["minhash"])))
        .groupByKey()
        .flatMap(lambda kv: placement.bucket_pairs(kv[1]))
    )
    n = articles.count()
    blocks = max(1, math.ceil(n / placement.BLOCK))
    emb = (
        articles.map(lambda r: (r["order"] % blocks, (r["order"], r["embedding"])))
        .groupByKey(numPartitions=blocks)
        .mapValues(list)
    )
    rewrite = emb.cartesian(emb).flatMap(lambda ab: placement.block_pairs(ab[0], ab[1]))
    involved = set(near.union(rewrite).flatMap(lambda p: p).distinct(max(1, blocks)).collect())
    if not involved:
        return {}
    inv = sc.broadcast(involved)
    rows = articles.filter(lambda r: r["order"] in inv.value).map(_replay_fields).collect()
    eids = sc.broadcast({eid for r in rows for eid in r["event_ids"]})
    first = dict(
        articles.filter(lambda r: r["order"] not in inv.value)
        .flatMap(lambda r: ((eid, r["order"]) for eid in _event_ids(r) if eid in eids.value))
        .reduceByKey(min)
        .collect()
    )
    return placement.replay(rows, first)


def _event_ids(row: dict[str, Any]) -> set[str]:
    from dyadwatch.scale.serial import events_from_json
    from dyadwatch.store.database import event_key

    return {event_key(e) for e in events_from_json(row["events"])}


def _replay_fields(row: dict[str, Any]) -> dict[str, Any]:
    keep = ("order", "id", "minhash", "embedding", "num_shingles", "attributed_source", "events")
    return {k: row[k] for k in keep} | {"actors": json.loads(row["actors"]), "event_ids": _event_ids(row)}


def _apply(row: dict[str, Any], placed: placement.Placed | None) -> dict[str, Any]:
    if placed is None:
        return row | {"dup_group": row["id"], "dup_kind": "original", "dup_of": None, "dup_score": 1.0}
    extra = {
        "dup_group": placed.group,
        "dup_kind": placed.kind,
        "dup_of": placed.of,
        "dup_score": placed.score,
    }
    if placed.events is not None:
        extra["events"] = placed.events
    return row | extra


def _write(
    spark: Any, rows: Any, columns: tuple[tuple[str, str], ...], path: str, partition: bool = True
) -> None:
    df = spark.createDataFrame(rows.map(lambda r: tables.public(r, columns)), tables.spark_schema(columns))
    writer = df.write.mode("overwrite")
    if partition:
        writer = writer.partitionBy("year")
    writer.parquet(path)


def _write_events(events: Any, path: str) -> None:
    """The events in the export's exact Parquet schema, one file per partition and year (pyarrow)."""
    filesystem, root = tables.open_dir(path)
    filesystem.create_dir(root, recursive=True)
    filesystem.delete_dir_contents(root)  # overwrite, as the Spark writers do
    target = path if "://" in path else root
    events.mapPartitionsWithIndex(lambda i, rows: tables.write_events(i, rows, target)).sum()


def _manifest(spark: Any, out: str, report: SparkReport, stamp: dt.datetime) -> None:
    body = {"format": "dyadwatch-spark", "version": 1, "written": stamp.isoformat(), **report.__dict__}
    text = json.dumps(body, indent=2)
    if "://" not in out:
        Path(out.removeprefix("file:"), MANIFEST).write_text(text + "\n", encoding="utf-8")
        return
    sc = spark.sparkContext
    hpath = sc._jvm.org.apache.hadoop.fs.Path(f"{out}/{MANIFEST}")
    stream = hpath.getFileSystem(sc._jsc.hadoopConfiguration()).create(hpath, True)
    stream.write(bytearray(text.encode()))
    stream.close()
