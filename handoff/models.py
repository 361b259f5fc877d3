"""Tables: handoff requests and the outbox of notifications about them."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import declarative_base
from sqlalchemy.types import TypeDecorator

Base: Any = declarative_base()

OPEN, CLAIMED, CLOSED = "open", "claimed", "closed"
STATUSES = (OPEN, CLAIMED, CLOSED)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):  # type: ignore[misc]  # SQLAlchemy 1.4 ships no type information: its classes are Any
    """A moment in UTC, timezone-aware in Python; SQLite keeps naive UTC (it has no timezones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give a timezone")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class JSONText(TypeDecorator):  # type: ignore[misc]  # SQLAlchemy 1.4 ships no type information: its classes are Any
    """A JSON value stored as text (readable in any database tool)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)


class HandoffRequest(Base):  # type: ignore[misc]  # SQLAlchemy 1.4 ships no type information: its classes are Any
    __tablename__ = "handoff_requests"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    audience = Column(String(64))
    topic = Column(String(255))
    reason = Column(String(255), nullable=False)
    summary = Column(JSONText, nullable=False)  # {"turns": [{"who": "user"|"bot", "text": ...}], "slots": {...}}
    status = Column(String(16), nullable=False, default=OPEN, index=True)
    consultant = Column(String(255))
    callback = Column(JSONText)  # {"wanted": true, "email": ..., "phone": ..., "moment": ...}
    claimed_at = Column(UTCDateTime)
    closed_at = Column(UTCDateTime)
    # Who asked, for the limit on open requests per client: the keyed hash of the address ("c:" + 16 hex) or,
    # without one, the conversation id. NULL for requests stored before revision 0002.
    client = Column(String(255), index=True)


class OutboxMessage(Base):  # type: ignore[misc]  # SQLAlchemy 1.4 ships no type information: its classes are Any
    __tablename__ = "handoff_outbox"
    __table_args__ = (Index("ix_handoff_outbox_pending", "delivered_at", "next_attempt_at"),)

    id = Column(Integer, primary_key=True)
    handoff_id = Column(Integer, ForeignKey("handoff_requests.id", ondelete="CASCADE"), nullable=False, index=True)
    payload = Column(JSONText, nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(UTCDateTime, nullable=False, default=utcnow)
    delivered_at = Column(UTCDateTime)
    last_error = Column(Text)
