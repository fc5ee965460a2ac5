"""Sources (publishers and attributed origins) and actors (every actor code seen in an event).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("num_published", sa.Integer, nullable=False),
        sa.Column("num_attributed", sa.Integer, nullable=False),
        sa.Column("first_seen", sa.DateTime, nullable=False),
        sa.Column("last_seen", sa.DateTime, nullable=False),
    )
    op.create_table(
        "actors",
        sa.Column("code", sa.String, primary_key=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("country", sa.String(3)),
        sa.Column("type", sa.String, nullable=False),
        sa.Column("role", sa.String),
        sa.Column("num_mentions", sa.Integer, nullable=False),
        sa.Column("first_seen", sa.DateTime, nullable=False),
    )
    # databases from before this revision: fill both tables from what is stored
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "INSERT INTO sources (id, num_published, num_attributed, first_seen, last_seen) "
            "SELECT id, sum(p), sum(a), min(t), max(t) FROM ("
            " SELECT source AS id, 1 AS p, 0 AS a, ingested_at AS t FROM articles WHERE source IS NOT NULL"
            " UNION ALL"
            " SELECT attributed_source, 0, 1, ingested_at FROM articles WHERE attributed_source IS NOT NULL"
            ") s GROUP BY id"
        )
    )
    conn.execute(
        sa.text(
            "INSERT INTO actors (code, name, country, type, role, num_mentions, first_seen) "
            "SELECT code, min(name), max(country), max(type), max(role), sum(n), min(t) FROM ("
            " SELECT source_code AS code, source_name AS name, source_country AS country,"
            " source_type AS type, source_role AS role, num_mentions AS n, first_seen AS t FROM events"
            " UNION ALL"
            " SELECT target_code, target_name, target_country, target_type, target_role, num_mentions,"
            " first_seen FROM events WHERE target_code IS NOT NULL"
            ") a GROUP BY code"
        )
    )


def downgrade() -> None:
    op.drop_table("actors")
    op.drop_table("sources")
