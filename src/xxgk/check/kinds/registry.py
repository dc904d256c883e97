"""The registry of rule kinds: a rule's `kind` in rules.toml names the function here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from xxgk.model import Finding

if TYPE_CHECKING:
    from xxgk.check.catalogue import Rule
    from xxgk.check.kinds.context import Context

Kind = Callable[["Rule", "Context"], Iterator[Finding]]
KINDS: dict[str, Kind] = {}


def kind(name: str) -> Callable[[Kind], Kind]:
    """Register the decorated function as the check of every rule whose kind is `name`."""

    def register(fn: Kind) -> Kind:
        if name in KINDS and KINDS[name] is not fn:
            raise ValueError(f"rule kind {name!r} is registered twice")
        KINDS[name] = fn
        return fn

    return register
