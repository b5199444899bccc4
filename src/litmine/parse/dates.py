"""Publication dates as one meaning across sources: ISO strings, as precise as the source is
('2019', '2019-01', '2019-01-15'). `pub_date` is the journal issue's date (PubMed's PubDate),
`epub_date` the electronic publication's (docs/schema.md)."""

from __future__ import annotations

import re

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
# "2019 Jan-Feb", "1998 Dec-1999 Jan", "2015 Spring", "2025 Aug 15": the span's first day that is named
_FREE_TEXT = re.compile(r"^\s*(?P<year>\d{4})(?:[\s/-]+(?P<month>[A-Za-z]{3,}|\d{1,2})"
                        r"(?:[\s/-]+(?P<day>\d{1,2})(?!\d))?)?")


def iso_date(year: str | int | None, month: str | int | None = None, day: str | int | None = None) -> str | None:
    """ISO date from parts; month as a number or an English name; stops at the first missing part."""
    year = str(year or "").strip()
    if not (year.isdigit() and len(year) == 4):
        return None
    month = str(month or "").strip()
    number = int(month) if month.isdigit() else _MONTHS.get(month[:3].lower())
    if not number or not 1 <= number <= 12:
        return year
    day = str(day or "").strip()
    return f"{year}-{number:02d}" + (f"-{int(day):02d}" if day.isdigit() and 1 <= int(day) <= 31 else "")


def free_text_date(text: str | None) -> str | None:
    """A date written as PubMed's MedlineDate or Europe PMC's dateOfPublication."""
    m = _FREE_TEXT.match(text or "")
    return iso_date(m["year"], m["month"], m["day"]) if m else None
