"""Agency identity: many printed spellings → one agency, so a body's reports link across years.

Conservative by design (issue 5 item 2): a wrong merge would compare two different bodies'
figures, which is worse than a missed link (that only hides a cross-year check). Steps:

1. `agency_key`: fold width, traditional → simplified (xxgk.text), expand nationally standard
   short names (abbreviations.toml: 市场监管局 → 市场监督管理局), fold the name forms of
   agency_forms.toml (look-alike characters 沐 → 沭, suffix forms 管委会 → 管理委员会,
   县政府 → 县人民政府; issue 10), keep only CJK letters and digits.
   So "臨江市市場監督管理局", "临江市 市场监管局" and "临江市市场监督管理局" share one key.
2. Region prefixes ("江南省", "云溪县", "青山区" …) are dropped only when (a) the shorter name was
   itself printed by some report in the corpus, (b) that shorter name still begins with its own
   place ("石桥镇人民政府", not "教育局"), and (c) exactly one distinct longer name reduces to it —
   "北京市东城区人民政府" and "南京市东城区人民政府" must not both become "东城区人民政府".
3. A county turned district (撤县设区: "临沭县…" and "临沭区…"): linked when both forms were
   printed and no third name claims either.
4. Anything else (renames, unofficial short forms) comes from a user aliases file:
   a TOML table `[aliases]` of `"canonical name" = ["alias", …]`.

Every name's `Identity.why` says which of these linked it to its agency, for the audit to show.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from xxgk.errors import XxgkError
from xxgk.text import fold, text_key, to_simplified

# One leading administrative area: 2–8 characters then an area suffix (省, 市, 县, 区 …).
_REGION_PREFIX = re.compile(r"^.{2,8}?(?:特别行政区|自治区|自治州|自治县|地区|省|市|州|盟|县|区|旗)")
# A name that still starts with a place of its own (a township, county, district, street …).
# 乡 after 城 is 城乡 ("住房和城乡建设局" has no place of its own), not a township.
_OWN_PLACE = re.compile(r"^.{2,6}?(?:街道|自治县|区|县|旗|镇|(?<!城)乡|市|州|盟)")


class AliasFileError(XxgkError, ValueError):
    """The aliases file is unreadable or malformed; str() names the file."""


@cache
def _abbreviations() -> tuple[tuple[str, str], ...]:
    raw = tomllib.loads(resources.files("xxgk.audit").joinpath("abbreviations.toml").read_text("utf-8"))
    # Longest first, so 发改委 is not half-replaced by a shorter entry.
    return tuple(sorted(raw["expand"].items(), key=lambda kv: -len(kv[0])))


def display_name(name: str) -> str:
    """The printed name tidied for display: simplified script, ASCII width, no spaces."""
    return re.sub(r"\s+", "", to_simplified(fold(name))).strip()


@cache
def _forms() -> tuple[dict[int, str], tuple[tuple[str, str], ...]]:
    raw = tomllib.loads(resources.files("xxgk.audit").joinpath("agency_forms.toml").read_text("utf-8"))
    lookalike = str.maketrans(raw["lookalike"])
    return lookalike, tuple(sorted(raw["suffix"].items(), key=lambda kv: -len(kv[0])))


_BARE_GOVERNMENT = re.compile(r"(?<!人民)政府(?!办$)")  # 县政府 → 县人民政府; 政府办 is expanded whole


def agency_key(name: str) -> str:
    """Matching key of one printed agency name (step 1 above); '' when nothing is left."""
    return _key(name)[0]


# Bounded: the auditing process asks for the key of every printed name it stores findings for;
# an unbounded cache held ~150 bytes per name for the whole audit, growing with the number of
# bodies (issue 16: 25,000 agencies at 100,000 reports). `resolve` keeps its own keys.
@lru_cache(maxsize=4096)
def _key(name: str) -> tuple[str, str]:
    """(key, the name forms step 1 folded: '' when none but width, script and spaces)."""
    text = text_key(fold(name))
    folded: list[str] = []
    lookalike, suffixes = _forms()
    same = text.translate(lookalike)
    if same != text:
        folded.append("look-alike characters")
        text = same
    for short, full in suffixes:
        if short in text and full not in text:
            text = text.replace(short, full)
            folded.append(f"{short} = {full}")
    for short, full in _abbreviations():
        if short in text and full not in text:
            text = text.replace(short, full)
            folded.append(f"{short} = {full}")
    bare = _BARE_GOVERNMENT.sub("人民政府", text)
    if bare != text:
        folded.append("政府 = 人民政府")
        text = bare
    return text, ", ".join(folded)


_COUNTY_OR_DISTRICT = re.compile(r"^(.{2,10}?)(县|区)(?=.)")


def county_district_form(key: str) -> str | None:
    """The key with its first 县 read as 区 or the other way round (撤县设区), else None."""
    m = _COUNTY_OR_DISTRICT.match(key)
    if m is None or m.group(1).endswith(("自治", "地")):
        return None
    return m.group(1) + ("区" if m.group(2) == "县" else "县") + key[m.end() :]


def region_reductions(key: str) -> list[str]:
    """`key` with one, two, … leading administrative areas removed (longest remainder first)."""
    out: list[str] = []
    rest = key
    while True:
        m = _REGION_PREFIX.match(rest)
        if not m or m.end() >= len(rest):
            return out
        rest = rest[m.end() :]
        out.append(rest)


def has_own_place(key: str) -> bool:
    return bool(_OWN_PLACE.match(key))


@dataclass(frozen=True)
class Identity:
    """One agency: its key (stable id in the database) and display name; ``why`` says how this
    printed name was linked to it ('' when it prints the agency's own name)."""

    key: str
    name: str
    why: str = ""


def load_aliases(path: str | Path) -> dict[str, str]:
    """Read a user aliases file → {alias: canonical}; AliasFileError with a one-line reason."""
    p = Path(path)
    try:
        raw = tomllib.loads(p.read_text("utf-8"))
    except FileNotFoundError:
        raise AliasFileError(f"{p}: no such file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AliasFileError(f"{p}: not a TOML aliases file ({exc})") from None
    table = raw.get("aliases")
    if not isinstance(table, dict):
        raise AliasFileError(f'{p}: expected a table [aliases] of "canonical" = ["alias", ...]')
    out: dict[str, str] = {}
    for canonical, aliases in table.items():
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise AliasFileError(f"{p}: aliases of {canonical!r} must be a list of names")
        for alias in aliases:
            out[alias] = canonical
    return out


def resolve(
    names: Iterable[str],
    aliases: Mapping[str, str] | None = None,
    years: Mapping[str, Iterable[int]] | None = None,
) -> dict[str, Identity]:
    """Map every printed name to its agency identity (steps 1–4 of the module docstring).

    ``years`` (printed name → the years of its reports) allows step 3: a 县 and a 区 form are
    one body only if they never report for the same year (朝阳县 and 朝阳区 both do: two bodies).
    """
    printed = Counter(n for n in names if n)
    keyed = {n: _key(n) for n in printed}  # once per name: more names than _key's cache holds
    counts = Counter({n: c for n, c in printed.items() if keyed[n][0]})
    declared = {
        agency_key(a): agency_key(c) for a, c in (aliases or {}).items() if agency_key(a) and agency_key(c)
    }
    key_of = {n: declared.get(keyed[n][0], keyed[n][0]) for n in counts}
    observed = set(key_of.values())

    # Step 2: each key points to the longest observed, distinctive reduction of itself.
    target: dict[str, str] = {}
    how: dict[str, str] = {}
    sources: dict[str, set[str]] = defaultdict(set)
    for key in observed:
        for shorter in region_reductions(key):
            if shorter in observed and has_own_place(shorter):
                target[key] = shorter
                sources[shorter].add(key)
                break
    for longer in sources.values():
        if len(longer) > 1:  # two different areas reduce to the same name: not unique, keep apart
            for key in longer:
                target.pop(key, None)
    for key in target:
        how[key] = f"region prefix dropped ({key} → {target[key]})"
    # Step 3: 县 and 区 forms of one name, when both were printed, neither is claimed otherwise,
    # and they never report for the same year.
    # A key's years are those of every name already linked to it: 江南省乐平区… reporting in 2022
    # is 乐平区… reporting in 2022, which 乐平县… also does (two bodies, not one renamed).
    key_years: dict[str, set[int]] = defaultdict(set)
    for name, ys in (years or {}).items():
        if name in key_of:
            key, seen = key_of[name], set()
            while key in target and key not in seen:
                seen.add(key)
                key = target[key]
            key_years[key].update(ys)
    for key in sorted(observed) if years is not None else ():
        other = county_district_form(key)
        if (
            other in observed
            and key not in target
            and other not in target
            and other < key
            and not key_years[key] & key_years[other]
        ):
            target[key] = other
            how[key] = f"county/district form ({key} → {other})"

    def root(key: str) -> str:
        seen = set()
        while key in target and key not in seen:
            seen.add(key)
            key = target[key]
        return key

    # Display: the most printed spelling of the identity's own (shortest) form, prefixed forms only
    # when that form was never printed.
    groups: dict[str, Counter[tuple[bool, str]]] = defaultdict(Counter)
    for name, n in counts.items():
        k = root(key_of[name])
        groups[k][(key_of[name] == k, display_name(name))] += n
    shown = {
        k: max(c.items(), key=lambda item: (item[0][0], item[1], -len(item[0][1]), item[0][1]))[0][1]
        for k, c in groups.items()
    }

    def why(name: str) -> str:
        reasons = []
        if keyed[name][0] in declared:
            reasons.append("aliases file")
        folded = keyed[name][1]
        if folded:
            reasons.append(f"name forms: {folded}")
        key = key_of[name]
        seen = set()
        while key in target and key not in seen:
            seen.add(key)
            reasons.append(how[key])
            key = target[key]
        return "; ".join(reasons)

    return {name: Identity(root(key_of[name]), shown[root(key_of[name])], why(name)) for name in counts}
