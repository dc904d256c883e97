"""`xxgk audit PATH...`: audit a corpus into a database and write the audit report.

Also `xxgk audit decide FINDING_ID confirmed|dismissed` to record a person's verdict, and
`xxgk audit findings` to list findings with their ids. `xxgk audit PATH...` is shorthand for
`xxgk audit run PATH...` (the group falls back to `run` when the first word is not a subcommand).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer.core import TyperGroup

from xxgk.cli import app
from xxgk.cli.common import Lang, fail, stderr
from xxgk.i18n import reason, say

if TYPE_CHECKING:
    from xxgk.storage.db import Database

# The same default as xxgk.storage.db.DEFAULT_URL (a test keeps them equal); spelled here so that
# `xxgk --help` and the other commands do not import SQLAlchemy and Alembic.
DEFAULT_URL = "sqlite:///xxgk.db"


class _DefaultRun(TyperGroup):
    """`xxgk audit build/samples …` means `xxgk audit run build/samples …`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


audit_app = typer.Typer(
    cls=_DefaultRun,
    no_args_is_help=True,
    subcommand_metavar="PATH... | COMMAND [ARGS]...",
    help=(
        "审计年报语料：抽取、核查、跨年度比对、输出审计报告。Audit a corpus of annual reports.\n\n"
        "`xxgk audit PATH...` is `xxgk audit run PATH...`: e.g. "
        "`xxgk audit reports/ --db sqlite:///xxgk.db --out audit/`."
    ),
)
app.add_typer(audit_app, name="audit")


def _say(line: str) -> None:
    """Plain lines on stdout (no Rich wrapping), so the output is easy to grep and pipe."""
    print(line, flush=True)


DbOption = Annotated[
    str, typer.Option("--db", metavar="URL", help="Database URL (sqlite:///… or postgresql+psycopg://…).")
]
# The sandbox's limits for reading one document (xxgk.audit.sandbox.Limits), for `audit` and `serve`.
DocMemoryOption = Annotated[
    int, typer.Option("--doc-memory", min=128, help="Memory cap (MB) of the process reading one document.")
]
DocTimeoutOption = Annotated[
    float, typer.Option("--doc-timeout", min=1, help="Time limit (seconds) for reading one document.")
]
# 确认/排除 are what a 政务公开办 writes; the database keeps the English words.
DECISION_WORDS = {"确认": "confirmed", "排除": "dismissed", "confirm": "confirmed", "dismiss": "dismissed"}


def _open(url: str, *, existing: bool = False) -> Database:
    """The database at `url`; with `existing`, a SQLite file that is not there is an error
    (listing or deciding findings must not leave an empty database behind, issue 11)."""
    from sqlalchemy.engine import make_url

    from xxgk.storage.db import open_db

    if existing:
        try:
            parsed = make_url(url)
        except Exception:
            parsed = None
        if parsed is not None and parsed.get_backend_name() == "sqlite":
            name = parsed.database or ""
            if name and name != ":memory:" and not Path(name).exists():
                fail(f"{url}: no such database (audit into it first, or give --db)")
    return open_db(url)


@audit_app.command("run")
def run_command(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH", help="Files or directories (read recursively).", show_default=False),
    ],
    db_url: DbOption = DEFAULT_URL,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Directory for the HTML, Excel, CSV and Parquet outputs."),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Worker processes (0: one per CPU).")] = 0,
    aliases: Annotated[
        Path | None,
        typer.Option(
            "--aliases", metavar="FILE", help='TOML file: \\[aliases] "canonical" = \\["alias", …].'
        ),
    ] = None,
    manifest: Annotated[
        Path | None,
        typer.Option(
            "--manifest",
            help="Crawl manifest CSV (path,url,agency,year): the agency of a report that names none.",
        ),
    ] = None,
    dask: Annotated[
        bool,
        typer.Option("--dask", help="Run the workers on a local Dask cluster (needs the \\[dask] extra)."),
    ] = False,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786.")
    ] = None,
    by_agency: Annotated[
        bool, typer.Option("--by-agency", help="Also a workbook sheet per agency (with --out).")
    ] = False,
    cells: Annotated[
        bool,
        typer.Option(
            "--cells",
            help="Also the per-cell outputs (with --out): the workbook's template sheets (a row of "
            "every cell a report) and cells.csv/cells.parquet (a row a cell). Off by default: "
            "they are most of the output time at scale. Always written: the HTML report (its "
            "agency pages show every report's tables), the findings, the flagged-cells sheet, "
            "the coverage, reports.csv/.parquet (a row of values a report).",
        ),
    ] = False,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the outputs.")] = Lang.zh,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    doc_memory: DocMemoryOption = 3072,
    doc_timeout: DocTimeoutOption = 60.0,
) -> None:
    """抽取并核查每份文件，存入数据库，输出审计报告。Extract + check every document into the database.

    Unchanged files (same path and content) are skipped; changed files are stored as new versions.
    Unreadable files are recorded as failures and never stop the audit.
    """
    from xxgk.audit.agencies import load_aliases
    from xxgk.audit.executors import make_executor
    from xxgk.audit.manifest import load_manifest
    from xxgk.audit.outputs import Options, write_all
    from xxgk.audit.pipeline import audit
    from xxgk.audit.query import counts
    from xxgk.audit.sandbox import Limits
    from xxgk.storage.db import DatabaseError

    missing = [p for p in paths if not p.exists()]
    if missing:
        from xxgk.files import display_path

        fail(f"{display_path(missing[0])}: no such file or directory")
    alias_map: dict[str, str] | None = None
    if aliases is not None:
        alias_map = load_aliases(aliases)
    listed = None
    if manifest is not None:
        listed = load_manifest(manifest)
    db = _open(db_url)
    try:
        executor = make_executor(jobs or None, dask=dask, scheduler=scheduler)
    except RuntimeError as exc:
        fail(str(exc))
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        disable=quiet or not stderr.is_terminal,  # pipes and logs get no bar (not even a blank line)
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def progress(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(
                    {"extract": "抽取核查 extract+check", "cross-year": "跨年度 cross-year"}.get(
                        phase, phase
                    ),
                    total=total,
                )
            bar.update(tasks[phase], completed=done, total=total)

        try:
            summary = audit(
                paths,
                db,
                executor=executor,
                aliases=alias_map,
                manifest=listed,
                # Without a bar, no progress: its total costs a second listing of the inputs.
                progress=None if bar.disable else progress,
                limits=Limits(memory_mb=doc_memory, seconds=doc_timeout),
            )
        except DatabaseError:
            executor.close()  # the workers go; the error takes the one path (xxgk.cli)
            raise
        options = Options(lang=lang.value, by_agency=by_agency, cells=cells)
        written = write_all(db, out, jobs=jobs or 2, options=options) if out is not None else {}
    figures = counts(db)
    _say(
        f"audit: {summary.inputs} files, {summary.processed} processed "
        f"({summary.new_versions} new versions), {summary.skipped} unchanged, {summary.failed} unreadable, "
        f"{summary.cross_checked} cross-year re-checks in {summary.seconds:.1f} s"
    )
    _say(
        f"database: {figures['reports']} reports, {figures['agencies']} agencies, "
        f"{figures['findings']} findings, {figures['failed']} unreadable documents"
    )
    for line in summary.failures[:10]:
        _say(f"  unreadable: {reason(line, lang.value)}")
    if summary.failed > 10:  # the summary keeps only the first failures; the database has them all
        _say(f"  … and {summary.failed - 10} more (see the failures sheet)")
    if summary.set_aside:
        _say(f"set aside: {len(summary.set_aside)} (found, not read)")
        for line in summary.set_aside[:10]:
            _say(f"  set aside: {line}")
        if len(summary.set_aside) > 10:
            _say(f"  … and {len(summary.set_aside) - 10} more")
    _say(f"db: {db.url}")
    if "index.html" in written:
        _say(f"report: {written['index.html']}")
        _say(f"workbook: {written['audit.xlsx']}")
        _say(f"tables: {out}/*.csv, *.parquet (columns.csv says what each column is)")
        if not cells:
            _say("per-cell outputs (template sheets, cells.csv/.parquet): with --cells")
    else:
        _say(say("cli.no_outputs", lang.value))
    db.close()


@audit_app.command("decide")
def decide_command(
    finding_id: Annotated[
        int, typer.Argument(help="Finding id (see `xxgk audit findings`).", show_default=False)
    ],
    decision: Annotated[
        str,
        typer.Argument(metavar="DECISION", help="确认 or 排除 (confirmed or dismissed).", show_default=False),
    ],
    note: Annotated[str | None, typer.Option("--note", "-n", help="Why.")] = None,
    db_url: DbOption = DEFAULT_URL,
) -> None:
    """记录人工确认/排除。Record a person's verdict; it carries over to later versions of the report."""
    from xxgk.audit.decisions import DecisionError, set_decision

    decision = DECISION_WORDS.get(decision.strip().lower(), decision.strip().lower())
    db = _open(db_url, existing=True)
    try:
        set_decision(db, finding_id, decision, note)
    except DecisionError as exc:
        hint = "确认 or 排除" if "must be" in str(exc) else "see the ids with: xxgk audit findings"
        fail(f"{exc} ({hint})")
    finally:
        db.close()
    _say(f"finding {finding_id}: {decision}")


@audit_app.command("agencies")
def agencies_command(db_url: DbOption = DEFAULT_URL) -> None:
    """列出机关及其各种写法、合并理由。List each agency, the spellings linked to it, and why."""
    from xxgk.audit.query import agency_links

    db = _open(db_url)
    links = agency_links(db)
    db.close()
    for name, alias, why in links:
        _say(f"{name}\t{alias}\t{why or '(its own name)'}")
    stderr.print(f"{len({n for n, _, _ in links})} agencies, {len(links)} spellings", markup=False)


@audit_app.command("findings")
def findings_command(
    db_url: DbOption = DEFAULT_URL,
    rule: Annotated[str | None, typer.Option("--rule", help="Only this rule id.")] = None,
    undecided: Annotated[
        bool, typer.Option("--undecided", help="Only findings nobody has decided yet.")
    ] = False,
) -> None:
    """列出问题及其编号。List findings of the current reports with their ids and decisions."""
    from xxgk.audit.query import iter_findings
    from xxgk.check.describe import rule_label

    db = _open(db_url, existing=True)
    shown: Counter[str] = Counter()
    for f in iter_findings(db):
        if (rule and f.rule != rule) or (undecided and f.decision):
            continue
        shown[f.severity] += 1
        _say(
            f"{f.id}\t{f.agency or '-'}\t{f.year or '-'}\t{rule_label(f.rule)}\t{f.severity}\t{f.decision or '-'}\t{f.message}"
        )
    db.close()
    stderr.print(f"{sum(shown.values())} findings", markup=False)
