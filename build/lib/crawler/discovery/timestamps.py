"""CDX timestamps (YYYYMMDDhhmmss, possibly shorter) as datetimes, and months added to them."""

from __future__ import annotations

from datetime import datetime


def ts_to_dt(ts: str) -> datetime:
    return datetime.strptime(ts[:14].ljust(14, "0"), "%Y%m%d%H%M%S")


def add_months(ts: str, months: int) -> str:
    year, month = int(ts[:4]), int(ts[4:6]) + months
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    day = min(int(ts[6:8]), 28)  # the 31st of a short month does not exist
    return f"{year:04d}{month:02d}{day:02d}{ts[8:14]}"
