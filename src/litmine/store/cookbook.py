"""The analysts' cookbook: the SQL files in sql/queries/, by name, with their parameters.

Each file starts with a comment line saying what it answers, then `SET VARIABLE name = value;`
lines for its parameters (read with `getvariable('name')`). A query is named by its file name
without the number and extension: `01_primary_tumors_metastasizing_to_scalp.sql` is
`primary_tumors_metastasizing_to_scalp`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from litmine.store.db import SQL_DIR

QUERIES_DIR = SQL_DIR / "queries"
_SET = re.compile(r"^(?P<head>\s*SET\s+VARIABLE\s+(?P<name>\w+)\s*=\s*)(?P<value>.+?)(?P<tail>\s*;)",
                  re.IGNORECASE | re.MULTILINE)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


class CookbookError(ValueError):
    """An unknown query or parameter (one line, for the user)."""


@dataclass(frozen=True)
class Query:
    name: str
    path: Path

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def description(self) -> str:
        """The first comment line."""
        for line in self.text.splitlines():
            if line.strip().startswith("--"):
                return line.strip().lstrip("-").strip()
        return ""

    @property
    def parameters(self) -> dict[str, str]:
        """Parameter name -> its default, as written in the file."""
        return {m["name"].lower(): m["value"] for m in _SET.finditer(self.text)}

    def with_values(self, values: dict[str, str]) -> str:
        """The query text with the given parameter values in place of the defaults. A parameter
        whose default is a number takes a number; any other takes the value as a string."""
        params = self.parameters
        if unknown := sorted(set(values) - set(params)):
            have = ", ".join(params) or "none"
            raise CookbookError(f"{self.name} has no parameter {', '.join(unknown)} (its parameters: {have})")

        def replace(m: re.Match) -> str:
            name = m["name"].lower()
            if name not in values:
                return m.group(0)
            value = values[name]
            if _NUMBER.fullmatch(m["value"].strip()):
                if not _NUMBER.fullmatch(value):
                    raise CookbookError(f"{self.name}: {name} is a number (default {m['value']}), not {value!r}")
                literal = value
            else:
                literal = "'" + value.replace("'", "''") + "'"
            return f"{m['head']}{literal}{m['tail']}"

        return _SET.sub(replace, self.text)


def cookbook() -> list[Query]:
    return [Query(_name(p), p) for p in sorted(QUERIES_DIR.glob("*.sql"))]


def find(name: str) -> Query:
    """A query by name (also accepted: the file name, with or without number and extension)."""
    wanted = _name(Path(name))
    for q in cookbook():
        if wanted in (q.name, q.path.stem):
            return q
    names = [q.name for q in cookbook()]
    close = [n for n in names if wanted in n] or names
    raise CookbookError(f"no cookbook query named {name!r} (try: {', '.join(close[:5])}; all: litmine query list)")


def parse_assignments(items: list[str]) -> dict[str, str]:
    """["site=face", "year=2020"] -> {"site": "face", "year": "2020"}."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise CookbookError(f"--set takes key=value, not {item!r}")
        out[key.strip().lower()] = value
    return out


def _name(path: Path) -> str:
    return re.sub(r"^\d+_", "", path.name.removesuffix(".sql"))
