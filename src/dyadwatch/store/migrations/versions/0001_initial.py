"""Initial schema: articles, events, event mentions, skipped inputs.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ACTOR_COLUMNS = ("code", "name", "country", "type", "role")


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("external_id", sa.String),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("source", sa.String),
        sa.Column("attributed_source", sa.String),
        sa.Column("published", sa.Date),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("chrome", sa.JSON),
        sa.Column("num_sentences", sa.Integer),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.String(20), primary_key=True),
        sa.Column("date", sa.Date),
        *(sa.Column(f"{side}_{c}", sa.String) for side in ("source", "target") for c in ACTOR_COLUMNS),
        sa.Column("event_code", sa.String(4), nullable=False),
        sa.Column("root_code", sa.String(2), nullable=False),
        sa.Column("event_name", sa.String, nullable=False),
        sa.Column("quad_class", sa.Integer, nullable=False),
        sa.Column("goldstein", sa.Float, nullable=False),
        sa.Column("plover", sa.JSON),
        sa.Column("negated", sa.Boolean, nullable=False),
        sa.Column("hypothetical", sa.Boolean, nullable=False),
        sa.Column("num_mentions", sa.Integer, nullable=False),
        sa.Column("num_articles", sa.Integer, nullable=False),
        sa.Column("first_seen", sa.DateTime),
        sa.Column("last_seen", sa.DateTime),
    )
    op.create_table(
        "event_mentions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(20), sa.ForeignKey("events.id"), nullable=False),
        sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("sentence_index", sa.Integer, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("source_text", sa.String),
        sa.Column("target_text", sa.String),
        sa.Column("trigger", sa.String),
        sa.Column("spans", sa.JSON),
        sa.Column("confidence", sa.Float),
        sa.Column("hedged", sa.Boolean),
        sa.Column("future", sa.Boolean),
        sa.Column("reported_by", sa.String),
        sa.Column("pattern", sa.String),
        sa.UniqueConstraint("event_id", "article_id", "sentence_index", name="uq_mention"),
    )
    op.create_index("ix_event_mentions_event_id", "event_mentions", ["event_id"])
    op.create_index("ix_event_mentions_article_id", "event_mentions", ["article_id"])
    op.create_table(
        "skips",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("code", sa.String(4), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("skips", "event_mentions", "events", "articles"):
        op.drop_table(table)
