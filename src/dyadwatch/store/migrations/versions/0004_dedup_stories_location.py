"""Duplicate groups, syndication signals and stories for articles; event locations and date precision.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_LOCATION = (
    ("location_name", sa.String),
    ("location_country", sa.String(3)),
    ("location_admin1", sa.String),
    ("location_lat", sa.Float),
    ("location_lon", sa.Float),
    ("location_precision", sa.Integer),
    ("location_geonames_id", sa.BigInteger),
    ("location_how", sa.String(8)),
    ("date_precision", sa.String(5)),
)


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.String(20), primary_key=True),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("first_date", sa.Date),
        sa.Column("last_date", sa.Date),
        sa.Column("num_articles", sa.Integer, nullable=False),
        sa.Column("top_actors", sa.JSON),
        sa.Column("event_type", sa.String),
        sa.Column("centroid", sa.LargeBinary),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("dup_group", sa.String(16)))
        batch.add_column(sa.Column("dup_kind", sa.String(8)))
        batch.add_column(sa.Column("dup_of", sa.String(16)))
        batch.add_column(sa.Column("dup_score", sa.Float))
        batch.add_column(sa.Column("syndication", sa.JSON))
        batch.add_column(sa.Column("story_id", sa.String(20)))
    op.create_index("ix_articles_dup_group", "articles", ["dup_group"])
    op.create_index("ix_articles_story_id", "articles", ["story_id"])
    op.create_table(
        "article_signatures",
        sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("minhash", sa.LargeBinary, nullable=False),
        sa.Column("embedding", sa.LargeBinary, nullable=False),
        sa.Column("num_shingles", sa.Integer, nullable=False),
        sa.Column("actors", sa.JSON),
    )
    with op.batch_alter_table("events") as batch:
        for name, kind in _LOCATION:
            batch.add_column(sa.Column(name, kind))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        for name, _ in _LOCATION:
            batch.drop_column(name)
    op.drop_table("article_signatures")
    op.drop_index("ix_articles_story_id", "articles")
    op.drop_index("ix_articles_dup_group", "articles")
    with op.batch_alter_table("articles") as batch:
        for name in ("story_id", "syndication", "dup_score", "dup_of", "dup_kind", "dup_group"):
            batch.drop_column(name)
    op.drop_table("stories")
