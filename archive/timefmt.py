"""One way to show a time: ``2025-03-10 17:05 +00:00``, in the local time zone of the machine
that shows it (the terminal's, or the UI's, which is served on this machine only)."""

from __future__ import annotations

from datetime import datetime, timezone

DISPLAY = "%Y-%m-%d %H:%M"


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 date or time, or a 14-digit WARC timestamp; naive times are taken as UTC."""
    if not value:
        return None
    value = value.strip()
    try:
        if value.isdigit() and len(value) >= 8:
            moment = datetime.strptime(value[:14].ljust(14, "0"), "%Y%m%d%H%M%S")
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def has_time(value: str | None) -> bool:
    """Whether a date string says a time of day too (``2025-03-10`` does not)."""
    return bool(value) and len(value.strip()) > 10


def show_time(value: str | datetime | None, *, date_only: bool = False) -> str:
    """``2025-03-10 17:05 +00:00`` (or ``2025-03-10``, also for a date given without a time);
    an unreadable value is shown as it is."""
    moment = value if isinstance(value, datetime) else parse_time(value)
    if moment is None:
        return "" if isinstance(value, datetime) or not value else value
    if isinstance(value, str) and not has_time(value):
        return moment.strftime("%Y-%m-%d")
    local = moment.astimezone()
    if date_only:
        return local.strftime("%Y-%m-%d")
    offset = local.strftime("%z")
    return f"{local.strftime(DISPLAY)} {offset[:3]}:{offset[3:]}"


def show_lag(seconds: float | None) -> str:
    """A delay as people say it: ``+45 min``, ``+3 h 10 min``, ``+2 d 4 h``; negative: earlier."""
    if seconds is None:
        return ""
    sign = "+" if seconds >= 0 else "−"
    minutes = int(abs(seconds) // 60)
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{sign}{days} d {hours} h"
    if hours:
        return f"{sign}{hours} h {minutes} min"
    return f"{sign}{minutes} min"
