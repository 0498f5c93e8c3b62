"""The quarter: the cadence of growth reviews, as a value with its own display."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_LABEL = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, label: str) -> Quarter:
        """'2026-Q3' (the stored form) → Quarter(2026, 3); ValueError otherwise."""
        match = _LABEL.match(label or "")
        if not match:
            raise ValueError(f"Not a quarter: {label!r}")
        return cls(int(match[1]), int(match[2]))

    @property
    def label(self) -> str:
        """The stored, sortable form: '2026-Q3'."""
        return f"{self.year}-Q{self.number}"

    def __str__(self) -> str:
        """How people read it: 'Q3 2026'."""
        return f"Q{self.number} {self.year}"
