"""What a person reads must not be the developers' language: no internal cell key, and no rule
code unless the rule's name stands beside it (issue 12)."""

from __future__ import annotations

import re

from xxgk.check.catalogue import rules

KEY = re.compile(r"table[234]\.[a-z_]+\.[a-z_]+")
CODE = re.compile(r"(?<![A-Za-z0-9-])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+(?![A-Za-z0-9-])")
TITLES = {r.id: (r.title_zh, r.title_en) for r in rules()}


def problems(text: str) -> list[str]:
    """Internal keys, and rule codes whose name is not in the same text."""
    out = [f"internal key {m}" for m in KEY.findall(text)]
    for code in CODE.findall(text):
        if code not in TITLES:
            continue  # not a rule code (e.g. "UTF-8")
        if not any(title in text for title in TITLES[code]):
            out.append(f"rule code {code} without its name")
    return out
