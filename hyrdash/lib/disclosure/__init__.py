"""Statistical disclosure control for linked tables: audit and complementary suppression.

Pure numpy/scipy, no Django and no app imports. See `audit` for what a microcell,
a disclosed and a nearly disclosed figure are, and `suppress` for `protect`.
"""

from .audit import (
    AuditResult,
    Figure,
    Interval,
    Tables,
    audit,
    blocks,
    in_row_space,
    in_span_of_few,
)
from .suppress import ProtectionError, protect

__all__ = [
    "AuditResult",
    "Figure",
    "Interval",
    "ProtectionError",
    "Tables",
    "audit",
    "blocks",
    "in_row_space",
    "in_span_of_few",
    "protect",
]
