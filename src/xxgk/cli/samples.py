"""`xxgk samples OUT_DIR`: write a synthetic sample corpus (all layouts, planted errors, manifest)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xxgk.cli import app
from xxgk.samples import write_corpus


@app.command("samples")
def samples_command(
    out_dir: Annotated[Path, typer.Argument(help="输出目录 Directory to write the samples into.")],
    count: Annotated[
        int, typer.Option("--count", "-n", min=1, max=100_000, help="样本数 Number of files.")
    ] = 24,
    seed: Annotated[
        int, typer.Option("--seed", help="随机种子 Random seed (same seed, same corpus).")
    ] = 2024,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="只输出一行摘要 One summary line only.")
    ] = False,
) -> None:
    """生成样本年报（多机关、多年度、各种版式、植入错误）及 manifest.json。Write a sample corpus."""
    if out_dir.exists() and not out_dir.is_dir():
        typer.echo(f"xxgk samples: {out_dir}: exists and is not a directory", err=True)
        raise typer.Exit(2)
    try:
        manifest = write_corpus(out_dir, count=count, seed=seed)
    except OSError as exc:
        typer.echo(f"xxgk samples: {out_dir}: cannot write: {exc.strerror}", err=True)
        raise typer.Exit(2) from None
    files = manifest["files"]
    planted = sum(len(f["errors"]) for f in files)
    if not quiet:
        for f in files:
            errors = ", ".join(r for e in f["errors"] for r in e["rules"]) or "-"
            typer.echo(f"{f['file']:<40} {f['agency']:<16} {f['year']}  {f['layout']:<15} {errors}")
    agencies = len({f["agency"] for f in files})
    layouts = len({f["layout"] for f in files})
    typer.echo(
        f"wrote {len(files)} files ({agencies} agencies, {layouts} layouts, {planted} planted errors) "
        f"and manifest.json to {out_dir}"
    )
