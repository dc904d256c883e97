"""Help for people: typer 0.29 prints parameter types as Python annotations (`<list[str]>`,
`<bool>`) and a required argument as `{paths}`; xxgk's help shows the words a command line uses
(PATH, TEXT, N, the choices) and nothing for a flag. Applied once when the CLI is imported."""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperOption, _TyperParameter

WORDS = {
    "str": "TEXT",
    "Path": "PATH",
    "path": "PATH",
    "file": "FILE",
    "directory": "DIR",
    "int": "N",
    "int range": "N",
    "float": "NUMBER",
    "float range": "NUMBER",
    "bool": "",
}
_python_type = _TyperParameter.display_type


def display_type(self: Any, ctx: Any) -> str:
    """ "PATH", "N", "json|jsonl|table"; nothing for an on/off flag."""
    if getattr(self, "is_flag", False):
        return ""
    label = _python_type(self, ctx).removeprefix("<").removesuffix(">")
    inner = label[5:-1] if label.startswith("list[") else label
    return WORDS.get(inner, inner)


def usage_name(self: Any) -> str:
    """PATH... for a required argument (not {paths}...), [PATH]... for an optional one."""
    name = self.display_name_raw.upper()
    if not self.required:
        name = f"[{name}]"
    return name + ("..." if self.nargs != 1 else "")


def apply() -> None:
    for cls in (TyperArgument, TyperOption):
        cls.display_type = display_type  # type: ignore[method-assign]
    TyperArgument._usage_display_name = usage_name  # type: ignore[method-assign]
