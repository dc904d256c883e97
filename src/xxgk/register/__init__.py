"""The office side: an application register (依申请公开登记台账) that keeps statutory deadlines and
compiles the annual report's tables by construction (shared/spec/register.md).

Modules, each with one job:

- `errors`     — `RegisterError`, the one error base class of the package (one-line messages);
- `calendar`   — working days: the calendar as data, seeded from chinese-calendar (R.5);
- `cases`      — the register's values: an application and a reconsideration/litigation case;
- `outcomes`   — a ledger's outcome label → the table 3 row of the year's template (R.2);
- `deadlines`  — given a case and a calendar, its statutory due dates, each with a trace (R.5);
- `fees`       — 信息处理费 by the tiers of R.6, computed, never typed;
- `construct`  — given the register and a year, the report's tables 3/4 and the fee cell (R.3/R.4);
- `findings`   — findings on the register itself (late reply, late 补正 notice, …);
- `personal`   — masking of personal data (applicant, ID number, contact);
- `ledger`     — reading an Excel/CSV ledger (python-calamine) into cases, all or nothing;
- `models`, `store` — the database tables (versions, publications, calendar) and their use;
- `export`     — the register as Excel (masked) or CSV;
- `compile`    — the report of a year: tables, table 2 input, section texts, rendering.
"""

from xxgk.register.errors import RegisterError

__all__ = ["RegisterError"]
