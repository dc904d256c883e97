"""Agency identity: spellings merge, different bodies stay apart (conservative by design)."""

from __future__ import annotations

from pathlib import Path

import pytest

from xxgk.audit.agencies import AliasFileError, agency_key, load_aliases, resolve


def _groups(names: list[str], aliases: dict[str, str] | None = None) -> set[frozenset[str]]:
    ids = resolve(names, aliases)
    out: dict[str, set[str]] = {}
    for name, ident in ids.items():
        out.setdefault(ident.key, set()).add(name)
    return {frozenset(v) for v in out.values()}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("青山区人民政府", "青山区 人民政府"),  # stray space
        ("临江市市场监督管理局", "臨江市市場監督管理局"),  # traditional characters
        ("临江市市场监督管理局", "临江市市场监管局"),  # national standard short name
        ("临江市人力资源和社会保障局", "临江市人社局"),
        ("青山区人民政府", "（青山区）人民政府"),  # punctuation
        ("ＡＢ县教育局", "AB县教育局"),  # full-width letters
    ],
)
def test_same_agency_same_key(a: str, b: str) -> None:
    assert agency_key(a) == agency_key(b)
    assert len(_groups([a, b])) == 1


def test_region_prefix_dropped_when_the_rest_is_printed_and_unique() -> None:
    names = ["青山区人民政府", "江南省青山区人民政府", "云溪县石桥镇人民政府", "石桥镇人民政府"]
    assert _groups(names) == {
        frozenset({"青山区人民政府", "江南省青山区人民政府"}),
        frozenset({"云溪县石桥镇人民政府", "石桥镇人民政府"}),
    }
    # Chains of prefixes resolve to the shortest printed form.
    names = ["江南省云溪县教育局", "云溪县教育局", "云溪县 教育局"]
    assert len(_groups(names)) == 1


def test_two_regions_reducing_to_one_name_stay_apart() -> None:
    names = ["北京市东城区人民政府", "南京市东城区人民政府", "东城区人民政府"]
    assert len(_groups(names)) == 3


def test_generic_remainders_never_absorb_a_prefixed_agency() -> None:
    # "教育局" names no place of its own: 云溪县教育局 is not "the" 教育局.
    assert len(_groups(["云溪县教育局", "教育局"])) == 2
    assert len(_groups(["临江市市场监督管理局", "市场监督管理局"])) == 2
    # 城乡 is not a township (乡): 住房和城乡建设局 names no place either.
    assert len(_groups(["南屏县住房和城乡建设局", "住房和城乡建设局"])) == 2
    assert len(_groups(["云溪县石桥乡人民政府", "石桥乡人民政府"])) == 1


def test_prefix_needs_the_shorter_name_to_be_printed_somewhere() -> None:
    assert len(_groups(["江南省青山区人民政府", "江北省白水区人民政府"])) == 2


def test_renames_need_an_aliases_file(tmp_path: Path) -> None:
    names = ["东港市自然资源局", "东港市自然资源和规划局"]
    assert len(_groups(names)) == 2
    f = tmp_path / "aliases.toml"
    f.write_text('[aliases]\n"东港市自然资源和规划局" = ["东港市自然资源局"]\n', "utf-8")
    groups = _groups(names, load_aliases(f))
    assert len(groups) == 1
    assert {i.name for i in resolve(names, load_aliases(f)).values()} <= set(names)


def test_display_name_is_the_most_printed_spelling() -> None:
    ids = resolve(["青山区人民政府", "青山区人民政府", "江南省青山区人民政府"])
    assert {i.name for i in ids.values()} == {"青山区人民政府"}


@pytest.mark.parametrize("content", ["not toml [", '[aliases]\n"x" = "y"\n', "other = 1\n"])
def test_bad_aliases_file_is_one_clear_error(tmp_path: Path, content: str) -> None:
    f = tmp_path / "aliases.toml"
    f.write_text(content, "utf-8")
    with pytest.raises(AliasFileError, match=r"aliases\.toml"):
        load_aliases(f)
    with pytest.raises(AliasFileError, match="no such file"):
        load_aliases(tmp_path / "missing.toml")
