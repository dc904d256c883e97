"""`xxgk serve`: the web app and REST API on an audit database (migrated on start)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xxgk.cli import app
from xxgk.cli.audit import DEFAULT_URL, DbOption, DocMemoryOption, DocTimeoutOption, _open
from xxgk.cli.common import fail


def _folders(specs: list[str]) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep or not name.strip() or not path.strip():
            fail(f"--audit-folder {spec!r}: write NAME=PATH")
        folder = Path(path).expanduser().resolve()
        if not folder.is_dir():
            fail(f"--audit-folder {spec!r}: {folder} is not a directory")
        out[name.strip()] = folder
    return out


@app.command("serve")
def serve(
    db: DbOption = DEFAULT_URL,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    uploads: Annotated[Path, typer.Option(help="Directory for uploaded files.")] = Path("xxgk-uploads"),
    max_upload_mb: Annotated[int, typer.Option(help="Largest upload (MB).", min=1, max=1024)] = 50,
    max_files: Annotated[int, typer.Option(help="Most files in one upload.", min=1, max=100_000)] = 200,
    public_read: Annotated[bool, typer.Option(help="Let anyone read without logging in.")] = False,
    audit_folder: Annotated[
        list[str] | None, typer.Option(help="NAME=PATH of a server folder admins may audit (repeatable).")
    ] = None,
    secure_cookies: Annotated[bool, typer.Option(help="Mark cookies Secure (behind HTTPS).")] = False,
    doc_memory: DocMemoryOption = 3072,
    doc_timeout: DocTimeoutOption = 60.0,
) -> None:
    """网页应用与 REST API。Serve the web app and REST API (Chinese UI, English available).

    Every uploaded report or draft, and every document of an audited folder, is read in a child
    process under --doc-memory and --doc-timeout, as `xxgk audit` reads them.
    """
    import uvicorn

    from xxgk.audit.sandbox import Limits
    from xxgk.web.app import create_app
    from xxgk.web.settings import MB, Settings

    settings = Settings(
        db_url=db,
        upload_dir=uploads,
        max_upload_bytes=max_upload_mb * MB,
        max_files=max_files,
        public_read=public_read,
        audit_folders=_folders(audit_folder or []),
        secure_cookies=secure_cookies,
        read_limits=Limits(memory_mb=doc_memory, seconds=doc_timeout),
    )
    database = _open(db)
    print(f"xxgk serve: http://{host}:{port}/ (database {db})", flush=True)
    uvicorn.run(create_app(settings, database), host=host, port=port, log_level="warning")
