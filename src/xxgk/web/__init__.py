"""`xxgk serve`: the web app and REST API on the audit database (issue 13).

Layers, each a module with one job:

- `models` — its tables (users, API tokens, sessions, the audit log, report versions, uploads);
- `settings` — what an operator configures (database, limits, public read, audit folders);
- `accounts` — users, argon2 password hashes, API tokens, browser sessions, roles;
- `auditlog` — every write, with who, when, what, before and after;
- `versions` — corrections as new report versions, re-checked;
- `uploads` — accepting files and .zip archives, the background worker that reads them;
- `decisions` — confirm/dismiss through the audit library, logged;
- `sources` — a cell's spot in its source document (text, PDF page box, DOCX/HTML table cell);
- `queries` — paginated, filtered reads (findings, agencies, audits, a report);
- `dashboard` — figures, charts and the coverage grid, cached per database state;
- `views` — report tables laid out as the official template, with status and findings;
- `registers` — the office register behind its pages and API: who may read which agency's,
  a case file, import of an uploaded ledger, a compiled year (issue 14 item 7);
- `register_cache` — the registers and compiled years shown last, kept while unchanged;
- `deps`, `api`, `register_api`, `pages/` — the thin FastAPI layers; `app.create_app` puts them
  together.
"""
