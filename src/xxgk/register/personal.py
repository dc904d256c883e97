"""Masking of personal data (register.md R.1, R.7): applicant, ID number and contact are shown
only to the agency's own registrars, and never appear in an export or a report unless asked."""

from __future__ import annotations

from typing import Any

from xxgk.register.cases import PERSONAL_FIELDS


def mask_name(name: str) -> str:
    """张三丰 → 张**: the first character only."""
    name = name.strip()
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


def mask_id(number: str) -> str:
    """350102199001011234 → 3501**********1234 (R.1's example): first four and last four kept."""
    number = number.strip()
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_contact(contact: str) -> str:
    """13812345678 → 138****5678; anything else keeps a quarter at each end at most (never a whole word)."""
    contact = contact.strip()
    if len(contact) == 11 and contact.isdigit():  # a mobile number, masked as banks and couriers do
        return contact[:3] + "****" + contact[7:]
    if len(contact) <= 4:
        return "*" * len(contact)
    keep = min(3, len(contact) // 4)
    tail = min(4, len(contact) // 4)
    return contact[:keep] + "*" * (len(contact) - keep - tail) + contact[len(contact) - tail :]


MASKS = {"applicant": mask_name, "id_number": mask_id, "contact": mask_contact}


def masked(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of a case's data with its personal fields masked."""
    out = dict(data)
    for key in PERSONAL_FIELDS:
        if out.get(key):
            out[key] = MASKS[key](str(out[key]))
    return out
