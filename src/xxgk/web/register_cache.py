"""The registers (and compiled years) the web app showed last, kept while they are unchanged.

Loading a large register is the slow part of every register page (about 9 s for 100,000
applications, benchmarks/README.md), and a person pages, filters and clicks through the same
one. Entries are keyed by `register.store.register_stamp`, which changes with any import or new
version, so nothing stale is ever served.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from xxgk.i18n import Lang, say
from xxgk.register import RegisterError
from xxgk.register.cases import Register
from xxgk.register.compile import Compiled
from xxgk.register.inputs import CompileInputs
from xxgk.register.store import load, register_stamp
from xxgk.storage.db import Database
from xxgk.web.deps import WebError

Stamp = tuple[int, int, int]


class RegisterCache:
    """A few registers and compiled years at most (least recently used dropped first); one lock,
    since the pages run in a thread pool."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._registers: OrderedDict[Stamp, Register] = OrderedDict()
        self._compiled: OrderedDict[tuple[Stamp, int, str], Compiled] = OrderedDict()

    def register(self, db: Database, agency: str, lang: Lang = "en") -> tuple[Stamp, Register]:
        try:
            stamp = register_stamp(db, agency)
        except RegisterError:
            raise WebError(404, say("reg.no_register", lang, agency=agency)) from None
        with self._lock:
            found = self._registers.get(stamp)
            if found is not None:
                self._registers.move_to_end(stamp)
                return stamp, found
        loaded = load(db, agency)
        with self._lock:
            self._registers[stamp] = loaded
            while len(self._registers) > self.size:
                self._registers.popitem(last=False)
        return stamp, loaded

    def compiled(self, stamp: Stamp, register: Register, year: int, inputs: CompileInputs) -> Compiled:
        """The year compiled with the office's stored `inputs` (part of the key: a new upload is
        compiled afresh)."""
        key = (stamp, year, inputs.key)
        with self._lock:
            found = self._compiled.get(key)
            if found is not None:
                self._compiled.move_to_end(key)
                return found
        try:
            compiled = inputs.compile(register, year)
        except RegisterError as exc:
            raise WebError(422, str(exc)) from None
        with self._lock:
            self._compiled[key] = compiled
            while len(self._compiled) > self.size * 4:
                self._compiled.popitem(last=False)
        return compiled
