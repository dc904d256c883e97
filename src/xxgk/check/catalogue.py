"""The rule catalogue: rules.toml loaded into `Rule` records, and its Markdown rendering.

The README's rule table and `xxgk rules` both come from here, so they cannot drift apart.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

from xxgk.errors import XxgkError
from xxgk.model import Severity

Scope = Literal["cell", "row", "table", "cross-table", "cross-year"]
SCOPES: tuple[Scope, ...] = ("cell", "row", "table", "cross-table", "cross-year")
_COMMON_KEYS = {"id", "severity", "scope", "kind", "title_zh", "title_en", "source", "zh", "en"}


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    scope: Scope
    kind: str
    title_zh: str
    title_en: str
    source: str
    zh: str
    en: str
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.severity,
            "scope": self.scope,
            "kind": self.kind,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "source": self.source,
            "message_zh": self.zh,
            "message_en": self.en,
        }


class CatalogueError(XxgkError, ValueError):
    """rules.toml is malformed (a developer error, caught by the tests)."""


@cache
def rules() -> tuple[Rule, ...]:
    """All rules, in catalogue order."""
    raw = tomllib.loads(resources.files("xxgk.check").joinpath("rules.toml").read_text("utf-8"))
    out: list[Rule] = []
    seen: set[str] = set()
    for entry in raw["rule"]:
        missing = _COMMON_KEYS - entry.keys()
        if missing:
            raise CatalogueError(f"rule {entry.get('id', '?')} lacks {sorted(missing)}")
        if entry["id"] in seen:
            raise CatalogueError(f"duplicate rule id {entry['id']}")
        if entry["severity"] not in ("error", "warning", "info"):
            raise CatalogueError(f"rule {entry['id']}: bad severity {entry['severity']!r}")
        if entry["scope"] not in SCOPES:
            raise CatalogueError(f"rule {entry['id']}: bad scope {entry['scope']!r}")
        seen.add(entry["id"])
        out.append(
            Rule(
                **{k: entry[k] for k in _COMMON_KEYS},
                params={k: v for k, v in entry.items() if k not in _COMMON_KEYS},
            )
        )
    return tuple(out)


def rule(rule_id: str) -> Rule:
    for r in rules():
        if r.id == rule_id:
            return r
    raise KeyError(f"no rule {rule_id!r}")


def markdown_table() -> str:
    """The rule catalogue as the Markdown table the README embeds."""
    lines = [
        "| id | severity | scope | rule | 规则 | source |",
        "|---|---|---|---|---|---|",
    ]
    for r in rules():
        lines.append(f"| `{r.id}` | {r.severity} | {r.scope} | {r.title_en} | {r.title_zh} | {r.source} |")
    return "\n".join(lines) + "\n"
