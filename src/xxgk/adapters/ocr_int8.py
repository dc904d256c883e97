"""Given the OCR wheel's fp32 text recogniser and some report PDFs, return an int8 copy of it.

Recognition is most of an OCR'd page's time, and the PP-OCRv6 small recogniser's time is its
convolutions (benchmarks/README.md § "OCR of scanned reports"). Statically quantised to int8
(QDQ, per-channel weights) it runs ~1.7× faster, with no digit string changed on the scanned
test set (tests/ocr/test_int8.py checks that on the generated scans' value cells).

Built once, at install time (``make venv``: ``python -m xxgk.adapters.ocr_int8 PDF_DIR``), never
at run time and never downloaded: the activations' ranges are calibrated on the recogniser's own
inputs for the given PDFs scanned at 200 dpi (``xxgk.render.scan``, seeded), so the same wheel
and PDFs give the same model. It is written into the venv (``INT8_MODEL``); ``ocr.py`` uses it
when it is there and the wheel's fp32 model otherwise. Needs ``onnx`` (in the ``[ocr]`` extra).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

INT8_MODEL = Path(sys.prefix) / "share" / "xxgk" / "PP-OCRv6_rec_small.int8.onnx"
FP32_NAME = "PP-OCRv6_rec_small.onnx"
CALIBRATION_BATCHES = 48  # recognition batches (6 crops each) the ranges are taken from
OPSET = 17  # per-channel QDQ needs opset ≥ 13; the wheel's model is opset 11
CALIBRATION_DPI = 200


def fp32_model() -> Path:
    """The recogniser shipped in the rapidocr wheel."""
    import rapidocr

    return Path(rapidocr.__file__).parent / "models" / FP32_NAME


def recorded_inputs(pdfs: Sequence[bytes], limit: int) -> list[Any]:
    """The recogniser's input tensors (N×3×48×W) while the fp32 engine reads ``pdfs`` scanned at
    200 dpi: exactly what it is given at run time, in the order it is given."""
    from xxgk.adapters import ocr, scan
    from xxgk.adapters.raster import prepare
    from xxgk.render.scan import scan_pages

    seen: list[Any] = []
    with ocr.engine_with({**ocr.ENGINE_PARAMS, "Rec.model_path": str(fp32_model())}):
        session = ocr.engine()._load_rec_model().session
        run = session.session.run

        def recording(names: Any, feeds: dict[str, Any], *args: Any) -> Any:
            if len(seen) < limit:
                seen.extend(feeds.values())
            return run(names, feeds, *args)

        session.session.run = recording
        try:
            for seed, pdf in enumerate(pdfs):
                for n, page in enumerate(scan_pages(pdf, CALIBRATION_DPI, seed=seed), start=1):
                    scan.read_page(prepare(page, CALIBRATION_DPI), n)
                    if len(seen) >= limit:
                        return seen
        finally:
            session.session.run = run
    return seen


class _Batches:
    """onnxruntime's CalibrationDataReader over recorded input tensors."""

    def __init__(self, name: str, batches: list[Any]) -> None:
        self._items: Iterator[Any] = iter(batches)
        self._name = name

    def get_next(self) -> dict[str, Any] | None:
        batch = next(self._items, None)
        return None if batch is None else {self._name: batch}


def quantise(source: Path, batches: list[Any], out: Path) -> Path:
    """``source`` (fp32 ONNX) statically quantised to int8, calibrated on ``batches``; written to
    ``out`` (atomically: a model is there whole or not at all) with the source's metadata (the
    recogniser's character list lives there)."""
    import onnx
    from onnx import version_converter
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    model = onnx.load(str(source))
    with tempfile.TemporaryDirectory(prefix="xxgk-int8-") as tmp:
        upgraded, prepared, quantised = (Path(tmp) / n for n in ("opset.onnx", "pre.onnx", "q.onnx"))
        onnx.save(version_converter.convert_version(model, OPSET), str(upgraded))
        quant_pre_process(str(upgraded), str(prepared), skip_symbolic_shape=True)
        quantize_static(
            str(prepared),
            str(quantised),
            _Batches(model.graph.input[0].name, batches),
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=CalibrationMethod.MinMax,
        )
        result = onnx.load(str(quantised))
        del result.metadata_props[:]
        result.metadata_props.extend(model.metadata_props)
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_suffix(".partial")
        onnx.save(result, str(partial))
        partial.replace(out)
    return out


def build(pdf_dir: Path, out: Path = INT8_MODEL) -> Path:
    """The int8 recogniser calibrated on the PDFs of ``pdf_dir``, written to ``out``."""
    pdfs = [p.read_bytes() for p in sorted(pdf_dir.glob("*.pdf"))]
    if not pdfs:
        raise SystemExit(f"{pdf_dir}: no PDF to calibrate the int8 recogniser on")
    return quantise(fp32_model(), recorded_inputs(pdfs, CALIBRATION_BATCHES), out)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m xxgk.adapters.ocr_int8 PDF_DIR", file=sys.stderr)
        return 2
    import logging

    logging.getLogger().setLevel(logging.ERROR)  # the quantiser's per-tensor notes
    print(f"int8 recogniser: {build(Path(args[0]))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
