"""Dates: "today" is a Beijing-time day (the registry's legal calendar)."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from typing import Any

SHANGHAI = timezone(timedelta(hours=8))  # Asia/Shanghai has had no DST since 1991


def today_shanghai() -> date:
    return datetime.now(SHANGHAI).date()


def build_time() -> datetime:
    """Timestamp for generated files: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), SHANGHAI)
    return datetime.now(SHANGHAI).replace(microsecond=0)


def cn_date(value: Any) -> str:
    """2026-06-15 → 2026年6月15日."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"
