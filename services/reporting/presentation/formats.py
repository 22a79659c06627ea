"""Vietnamese formats (pure): numbers with ``.`` grouping thousands and ``,`` marking decimals
(1.234,5), dates as dd/mm/yyyy, read and written.

Apart from the labels and the tables: everything the service shows goes through these (pages,
downloads, documents, charts), and they need nothing of the model.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

NO_VALUE = "\u2013"  # en dash: no figure (no denominator)


def vn_number(value: int | Decimal | None, places: int | None = None) -> str:
    """``1234567`` → ``1.234.567``; ``Decimal('57.14')`` → ``57,14``; None → a dash."""
    if value is None:
        return NO_VALUE
    if isinstance(value, Decimal):
        text = f"{value:,.{places}f}" if places is not None else f"{value:,f}"
    else:
        text = f"{value:,}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def vn_percent(value: Decimal | None) -> str:
    return NO_VALUE if value is None else f"{vn_number(value, 2)}%"


def vn_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def parse_vn_date(text: str | None) -> date | None:
    """dd/mm/yyyy (as officials write it) or yyyy-mm-dd; empty → None; ValueError otherwise."""
    if not text or not text.strip():
        return None
    text = text.strip()
    if "/" in text:
        day, month, year = (int(x) for x in text.split("/"))
        return date(year, month, day)
    return date.fromisoformat(text)
