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
    E201 = "bad date {value!r}: expected YYYY-MM-DD"
    E202 = "bad dyad {value!r}: expected two actor codes joined by '-', e.g. RUS-MLI"
    E203 = "database {url}: {reason}"
    E204 = "unknown evaluation set {name!r}: choose one of {choices}"
    E205 = "evaluation data not found at {path} (the ../shared folder is absent)"
    E206 = "no event {event_id!r} in this database (see `dyadwatch events --format jsonl`)"


HINTS = {
    "E010": "run `make install`, or name an installed pipeline with --model / DYADWATCH_MODEL",
    "E104": "split the file, or pass --max-bytes with a larger limit",
    "E105": "re-encode the file as UTF-8",
    "E203": "check the --db URL / DYADWATCH_DB",
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
