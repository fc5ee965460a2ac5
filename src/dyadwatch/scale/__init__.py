"""Stage — scale: code a news archive on Apache Spark and load the result into the store.

Public verbs: :func:`spark_code` (an archive → partitioned Parquet of articles, events, mentions
and skips; ``dyadwatch spark code``) and :func:`load` (that Parquet → a store, stories assigned;
``dyadwatch load``). ``worker`` is what the executors run (one pipeline per Python worker),
``placement`` decides duplicate groups across partitions by the single-machine corpus's rules,
``tables`` builds the output rows. PySpark is the optional extra ``dyadwatch[spark]``; ``load``
needs only pyarrow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dyadwatch.scale.job import spark_code
    from dyadwatch.scale.loader import load

__all__ = ["load", "spark_code"]


def __getattr__(name: str) -> Any:
    if name == "spark_code":
        from dyadwatch.scale.job import spark_code

        return spark_code
    if name == "load":
        from dyadwatch.scale.loader import load

        return load
    raise AttributeError(name)
