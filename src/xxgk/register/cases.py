"""The register's values: one application (one ledger row, R.1) and one reconsideration or
litigation case (the second sheet, R.1). Plain frozen dataclasses; storage keeps them as JSON.

The dates of an application are its events (补正 notice and reply, consultations, extension, fee
notice and payment, reply); `events` lists them in order for a case page or a trace.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal

APPLICANT_TYPES: dict[str, str] = {  # R.1 申请人类型 → table 3 column key (report-json.md)
    "自然人": "natural_person",
    "商业企业": "commercial",
    "科研机构": "research",
    "社会公益组织": "social",
    "法律服务机构": "legal",
    "其他": "other",
}
CHANNELS = ("当面", "信函", "网络", "传真", "电子邮件", "其他")
CASE_KINDS: dict[str, str] = {  # R.1 类型 → table 4 row key
    "行政复议": "review",
    "未经复议直接起诉": "litigation_direct",
    "复议后起诉": "litigation_after_review",
}
CASE_RESULTS: dict[str, str] = {"维持": "upheld", "纠正": "corrected", "其他": "other"}  # → table 4 column
FEE_METHODS = ("按件", "按量")
PERSONAL_FIELDS = ("applicant", "id_number", "contact")

Kind = Literal["application", "case"]


@dataclass(frozen=True)
class Application:
    """One application, as the ledger records it. `outcome` is the table 3 row key (R.2), resolved."""

    number: str
    received: date
    applicant_type: str  # a table 3 column key
    channel: str | None = None
    applicant: str | None = None
    id_number: str | None = None
    contact: str | None = None
    request: str | None = None
    handler: str | None = None
    correction_notified: date | None = None
    correction_due: date | None = None
    correction_received: date | None = None
    consultations: tuple[tuple[date, date], ...] = ()
    extended: date | None = None
    fee_method: str | None = None  # 按件 / 按量 (R.6)
    pages: int | None = None
    fee_notified: date | None = None
    fee_paid: date | None = None
    fee_yuan: Decimal | None = None  # as the ledger typed it; the register computes its own
    replied: date | None = None
    outcome: str | None = None
    reply_form: str | None = None
    note: str | None = None

    @property
    def open(self) -> bool:
        return self.replied is None

    @cached_property
    def events(self) -> list[tuple[date, str]]:
        """The dated events of the case, in order (a case page, a trace)."""
        found: list[tuple[date, str]] = [(self.received, "收到申请")]
        named = (
            (self.correction_notified, "补正告知"),
            (self.correction_received, "收到补正"),
            (self.extended, "延期告知"),
            (self.fee_notified, "收费通知"),
            (self.fee_paid, "缴费"),
            (self.replied, "答复"),
        )
        found += [(d, what) for d, what in named if d is not None]
        for start, end in self.consultations:
            found += [(start, "征求意见开始"), (end, "征求意见结束")]
        return sorted(found, key=lambda e: e[0])

    def to_data(self) -> dict[str, Any]:
        return _to_data(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Application:
        values = _from_data(cls, data)
        values["consultations"] = tuple(
            (date.fromisoformat(a), date.fromisoformat(b)) for a, b in data.get("consultations") or ()
        )
        return cls(**values)


@dataclass(frozen=True)
class Case:
    """A reconsideration or litigation case arising from disclosure work (table 4)."""

    number: str
    kind: str  # a table 4 row key
    filed: date
    closed: date | None = None
    result: str | None = None  # a table 4 column key: upheld / corrected / other
    application: str | None = None
    note: str | None = None

    def to_data(self) -> dict[str, Any]:
        return _to_data(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Case:
        return cls(**_from_data(cls, data))


_DATE_FIELDS = {
    "received", "correction_notified", "correction_due", "correction_received", "extended",
    "fee_notified", "fee_paid", "replied", "filed", "closed",
}  # fmt: skip


def _to_data(value: Any) -> dict[str, Any]:
    """JSON-ready: dates as ISO strings, money as a decimal string, empty fields left out."""
    out: dict[str, Any] = {}
    for key in _field_names(type(value)):  # not dataclasses.asdict: it deep-copies every value (slow)
        v = getattr(value, key)
        if v is None or v == ():
            continue
        if isinstance(v, date):
            v = v.isoformat()
        elif isinstance(v, Decimal):
            v = str(v)
        elif key == "consultations":
            v = [[a.isoformat(), b.isoformat()] for a, b in v]
        out[key] = v
    return out


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def _from_data(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = _field_names(cls)
    values: dict[str, Any] = {}
    for key, v in data.items():
        if key not in names or key == "consultations":
            continue
        if key in _DATE_FIELDS and v is not None:
            v = date.fromisoformat(v)
        elif key == "fee_yuan" and v is not None:
            v = Decimal(v)
        values[key] = v
    return values


@dataclass
class Register:
    """One agency's register: its applications and its cases (current versions)."""

    agency: str
    applications: list[Application] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
