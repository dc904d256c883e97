"""Words people read, in one catalogue (messages.toml), Chinese and English for every id.

`say(msg_id, lang, **fields)` is the only way an output (HTML, workbook, CLI) spells a word a
person reads; rule names come from the rule catalogue (xxgk/check/rules.toml) and cell names
from the template (xxgk/check/describe.py). A test checks that every id has both languages and
the same placeholders in each.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """{message id: {"zh": …, "en": …}}; ids are the dotted TOML paths (e.g. "severity.error")."""
    raw = tomllib.loads(resources.files("xxgk.i18n").joinpath("messages.toml").read_text("utf-8"))
    out: dict[str, dict[str, str]] = {}

    def walk(prefix: str, node: dict[str, object]) -> None:
        if "zh" in node or "en" in node:
            out[prefix] = {k: str(v) for k, v in node.items()}
            return
        for key, value in node.items():
            if isinstance(value, dict):
                walk(f"{prefix}.{key}" if prefix else key, value)

    walk("", raw)
    return out


def say(msg_id: str, lang: Lang = "zh", **fields: object) -> str:
    """The message in `lang`, with its {placeholders} filled (KeyError for an unknown id)."""
    text = catalogue()[msg_id][lang]
    return text.format(**fields) if fields else text


def both(msg_id: str, **fields: object) -> str:
    """Chinese, then English in brackets: for headings a bilingual reader scans."""
    return f"{say(msg_id, 'zh', **fields)}（{say(msg_id, 'en', **fields)}）"


def reason(text: str, lang: Lang = "zh") -> str:
    """Why a document could not be read, for a person: the readers say it in English; in Chinese
    the known phrases are translated, the original kept after it (it names specifics)."""
    if lang == "en":
        return text
    for msg_id, texts in catalogue().items():
        if msg_id.startswith("reason.") and texts["en"] in text:
            return f"{texts['zh']}（{text}）"
    return text
