"""Given an agency and a year, what the office gave the compile besides the register: table 2's
cells and the six sections' texts (issue 14 item 6), stored in `register_compile_inputs`.

Inputs are validated before they are stored, by the functions the CLI's `--table2` / `--sections`
use (`compile.table2_cells`, `sections.section_texts`), so a bad file is refused whole and nothing
is written. A published year is frozen: its inputs cannot be changed (register.md R.3/R.4 — the
published report stands; a later change would make it disagree with what was published).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from xxgk.model import Value
from xxgk.register.cases import Register
from xxgk.register.compile import Compiled, compile_year, parse_table2, table2_cells
from xxgk.register.construct import template_of
from xxgk.register.errors import RegisterError
from xxgk.register.models import CompileInput, RegisterPublication
from xxgk.register.sections import parse_texts, section_texts
from xxgk.register.store import agency_id, digest
from xxgk.storage.db import Database

Kind = Literal["table2", "sections"]
KINDS: tuple[Kind, ...] = ("table2", "sections")


@dataclass(frozen=True)
class Given:
    """Who gave one input, when, and from which file."""

    source: str
    author: str
    changed_at: datetime


@dataclass
class CompileInputs:
    """An (agency, year)'s stored inputs; empty when the office has given none."""

    table2: dict[str, dict[str, Value]] | None = None
    texts: dict[int, str] | None = None
    given: dict[str, Given] = field(default_factory=dict)

    @cached_property
    def key(self) -> str:
        """Changes whenever an input does: part of the web cache's key for a compiled year."""
        texts = {str(n): t for n, t in (self.texts or {}).items()}
        return digest({"table2": json.loads(json.dumps(self.table2, default=str)), "texts": texts})

    @property
    def texts_origin(self) -> str:
        given = self.given.get("sections")
        return f"stored sections ({given.source})" if given else "default texts"

    def compile(self, register: Register, year: int) -> Compiled:
        """`compile_year` with these inputs."""
        return compile_year(
            register, year, table2=self.table2, texts=self.texts, texts_origin=self.texts_origin
        )


def validated(kind: Kind, raw: Any, origin: str, year: int) -> dict[str, Any]:
    """Given a decoded input (a table 2 object, a [sections] table), the JSON to store;
    RegisterError naming `origin` if it is not valid."""
    if kind == "table2":
        return table2_cells(raw, origin, template_of(year).id)
    return {str(n): text for n, text in section_texts(raw, origin).items()}


def from_file(kind: Kind, data: bytes, filename: str, year: int) -> dict[str, Any]:
    """Given an uploaded file (the CLI's --table2 JSON/TOML or --sections TOML), the JSON to store."""
    if kind == "table2":
        return parse_table2(data, filename, template_of(year).id)
    return {str(n): text for n, text in parse_texts(data, filename).items()}


def save_inputs(
    session: Session,
    agency: str,
    year: int,
    inputs: Sequence[tuple[Kind, dict[str, Any], str]],
    *,
    author: str,
) -> None:
    """Store already `validated` inputs (kind, JSON, source) for (agency, year) in the caller's
    transaction, each replacing the previous one of its kind: the caller commits them all or none.
    RegisterError when the agency has no register or the year is published (frozen)."""
    aid = agency_id(session, agency, create=False)
    frozen = session.scalar(
        select(RegisterPublication.id).where(
            RegisterPublication.agency_id == aid, RegisterPublication.year == year
        )
    )
    if frozen is not None:
        raise RegisterError(f"{agency} {year}: the report is published; its inputs cannot be changed")
    now = datetime.now().replace(microsecond=0)
    for kind, data, source in inputs:
        row = session.scalar(
            select(CompileInput).where(
                CompileInput.agency_id == aid, CompileInput.year == year, CompileInput.kind == kind
            )
        )
        if row is None:
            row = CompileInput(agency_id=aid, year=year, kind=kind)
            session.add(row)
        row.data = data
        row.source = source
        row.author = author
        row.changed_at = now
        session.flush()  # each row's constraints are met (or not) here, inside the one transaction


def load_inputs(db: Database, agency: str, year: int) -> CompileInputs:
    """The stored inputs of (agency, year); RegisterError when the agency has no register."""
    with db.session() as session:
        aid = agency_id(session, agency, create=False)
        rows = list(
            session.scalars(
                select(CompileInput).where(CompileInput.agency_id == aid, CompileInput.year == year)
            )
        )
        found = CompileInputs()
        for row in rows:
            if row.kind == "table2":
                found.table2 = row.data
            elif row.kind == "sections":
                found.texts = {int(n): text for n, text in row.data.items()}
            found.given[row.kind] = Given(row.source, row.author, row.changed_at)
    return found
