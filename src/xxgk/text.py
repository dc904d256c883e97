"""Text normalisation shared by every reader: script, width, and the keys labels are matched on.

Two kinds of function live here. `fold` and `to_simplified` keep the text's length, so offsets
into the normalised text are offsets into the decoded document (provenance depends on it).
`label_key` is lossy and only ever used to compare labels.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache, lru_cache
from importlib import resources

import opencc

# The letters reports are written in: CJK Unified Ideographs and Extension A (for regex classes).
CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff"

# Full-width ASCII (U+FF01–FF5E) to ASCII, and the spaces real pages use, one char for one char.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update(
    {0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x202F: 0x20, 0xFEFF: 0x20}
)
_WIDTH.update({0x2212: ord("-"), 0x2013: ord("-"), 0x2014: ord("-"), 0xFE63: ord("-"), 0xFF0D: ord("-")})


# str.translate with a dict looks every character up one by one (~70 ns each on CJK text, most of
# the cost of reading a document); a regex finds the few characters that change at C speed.
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_WIDTH)) + "]+")


def _fold_run(match: re.Match[str]) -> str:
    return match.group().translate(_WIDTH)


def fold(text: str) -> str:
    """Full-width digits, letters and brackets to ASCII; exotic spaces to a plain space. Same length."""
    return _FOLDABLE.sub(_fold_run, text)


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@cache
def _domain_replacements() -> tuple[tuple[str, str], ...]:
    raw = tomllib.loads(resources.files("xxgk.spec").joinpath("domain_t2s.toml").read_text("utf-8"))
    return tuple(raw["replace"].items())


def to_simplified(text: str) -> str:
    """Traditional to simplified (OpenCC t2s plus the domain dictionary in spec/domain_t2s.toml)."""
    out: str = _converter().convert(text)
    for old, new in _domain_replacements():
        out = out.replace(old, new)
    return out


# Variant forms real reports print for the template's words, same length on both sides. Only the
# matching keys use them: the document's own text keeps what it printed.
_KEY_VARIANTS = (("其它", "其他"),)


def key_variants(text: str) -> str:
    """The template's form of variant words (其它 → 其他), for matching labels, not for output."""
    for old, new in _KEY_VARIANTS:
        if old in text:
            text = text.replace(old, new)
    return text


_NUMBERING = re.compile(
    r"^\s*(?:[(]\s*[一二三四五六七八九十\d]+\s*[)]|[一二三四五六七八九十]+\s*[、.,]|\d+\s*[.、)])\s*"
)


def strip_numbering(label: str) -> str:
    """ "（七）总计" → "总计", "三、本年度办理结果" → "本年度办理结果", "1.属于国家秘密" → "属于国家秘密"."""
    while True:
        m = _NUMBERING.match(label)
        if m is None or m.end() == 0:
            return label
        label = label[m.end() :]


_CJK_RUN = re.compile(f"[{CJK_RANGES}]+")


def letters(text: str) -> str:
    """A label's letter-stream key: its CJK letters, variant words in the template's form (the
    readers match labels on these, readers/anchors.py)."""
    return key_variants("".join(_CJK_RUN.findall(text)))


_NOT_WORD = re.compile(f"[^0-9a-z{CJK_RANGES}]+")
LABEL_CACHE_MAX = 200  # longer texts (whole documents) are keyed without the cache


@lru_cache(maxsize=8192)
def _cached_key(text: str) -> str:
    return text_key(text)


def label_key(text: str) -> str:
    """A matching key: simplified, NFKC, lower case, only CJK letters and digits kept.

    "（二）部分公開（區分處理的，只計這一情形）" and "(二)部分公开(区分处理的,只计这一情形)" get the same key.
    Labels repeat endlessly, so their keys are cached (bounded: a batch of 10,000 documents must
    not grow memory); a long text such as a whole document is keyed without touching the cache.
    """
    if len(text) > LABEL_CACHE_MAX:
        return text_key(text)
    return _cached_key(text)


def text_key(text: str) -> str:
    """label_key without the cache (for whole documents)."""
    simple = to_simplified(text) if not text.isascii() else text
    return key_variants(_NOT_WORD.sub("", unicodedata.normalize("NFKC", simple).lower()))
