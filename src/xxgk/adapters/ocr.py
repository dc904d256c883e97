"""The OCR engine: a grayscale page → text boxes with the recogniser's confidence.

rapidocr 3.10 on onnxruntime, CPU only (shared/spec/libraries.md B.6). Its wheel ships the
PP-OCR det/rec models and checks their hashes; nothing is downloaded at run time (the tests run
with the network off). It is the optional ``[ocr]`` extra: without it, reading a scan fails with
``MSG_MISSING`` (one line, what to install), and every other format is unaffected.

The recogniser is the int8 copy of the wheel's model that ``make venv`` builds
(``adapters/ocr_int8.py``; ~1.7× faster, same digits), or the wheel's fp32 model when it is not
there. The engine is created once per process (≈1.5 s: the models load) and runs single-threaded —
the audit runs one document per core, so intra-op threads would only fight each other.
Boxes below rapidocr's default score (0.5) are *kept*: a number dropped silently would read as
a blank cell; a low score is passed on instead, so the cell ends up ``ambiguous``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from xxgk.adapters.base import AdapterError

MSG_MISSING = (
    "needs OCR, which is not installed: install the [ocr] extra "
    "(pip install 'xxgk[ocr]': rapidocr, onnxruntime, opencv-python-headless)"
)

# Measured on the scanned test set (benchmarks/bench_ocr.py; README there): recognition of the
# table cells' many short crops was ~85 % of a page's time, detection most of the rest.
ENGINE_PARAMS: dict[str, Any] = {
    "Global.use_cls": False,  # pages are deskewed (raster.prepare); no upside-down lines
    "Global.text_score": 0.0,  # keep low-confidence boxes (see module doc)
    "Global.max_side_len": 4000,  # pages arrive at WORK_DPI already
    "Global.log_level": "warning",
    # Detection stays on the full page (limit_type "min": 150 dpi A4, 1240×1754): scaled to
    # 1280 px on its long side it was ~40 % cheaper, but on the scanned test set a stamp's
    # residue merged into a number's box ("日7615") and a row's boxes merged; at 1536 doubtful
    # cells rose. Detection is ~1 s of a page; recognition was the bulk.
    # Recognition pads every crop of a batch to at least rec_img_shape's width (320 px, a 6.7:1
    # line): a cell's "0" (≈1:1) paid for 320. 96 (2:1) halves recognition; 48 lowered a
    # lone "0"'s confidence from 1.0 to as low as 0.54 (doubtful cells), 96 did not.
    "Rec.rec_img_shape": [3, 48, 96],
    # Detection runs on bands of the page outside its ruled tables (adapters/scan.py): a band is
    # read at its own size, never scaled up to rapidocr's default minimum side of 736 px.
    "Det.limit_side_len": 32,
    "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,
    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
}
# The engine's settings before the speed work (issue 15), kept for the benchmark's baseline.
BEFORE_PARAMS: dict[str, Any] = {
    "Rec.rec_img_shape": [3, 48, 320],
    "EngineConfig.onnxruntime.enable_cpu_mem_arena": False,
}

_ENGINE: Any = None
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Box:
    """One recognised text line: its text, pixel box (x0, top, x1, bottom) and confidence 0..1."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float


def available() -> bool:
    """Whether the OCR extra is installed (without loading any model)."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("rapidocr", "onnxruntime", "cv2"))


def rec_model() -> dict[str, Any]:
    """The recogniser to use: the int8 one built at install time (``adapters/ocr_int8.py``,
    ~1.7× faster, same digits) when it is there, else the wheel's own fp32 model."""
    from xxgk.adapters.ocr_int8 import INT8_MODEL

    return {"Rec.model_path": str(INT8_MODEL)} if INT8_MODEL.is_file() else {}


def new_engine(params: dict[str, Any]) -> Any:
    """A rapidocr engine with ``params`` (ENGINE_PARAMS); AdapterError when the extra is missing."""
    try:
        from rapidocr import RapidOCR
    except ImportError:
        raise AdapterError(MSG_MISSING) from None
    logging.getLogger("RapidOCR").setLevel(logging.WARNING)
    return RapidOCR(params=params)


def engine() -> Any:
    """The process's rapidocr engine, created on first use; AdapterError when the extra is missing."""
    global _ENGINE
    if _ENGINE is None:
        with _LOCK:
            if _ENGINE is None:
                _ENGINE = new_engine({**ENGINE_PARAMS, **rec_model()})
    return _ENGINE


@contextmanager
def engine_with(params: dict[str, Any]) -> Iterator[None]:
    """Within the block, OCR runs on an engine with ``params`` (the benchmark's baseline)."""
    global _ENGINE
    saved, _ENGINE = engine(), new_engine(params)
    try:
        yield
    finally:
        _ENGINE = saved


def recognise(gray: Any) -> list[Box]:
    """Text boxes of a grayscale page (numpy uint8), in reading order of the engine."""
    import cv2

    # the flags are passed every time: rapidocr keeps those of the previous call
    result = engine()(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR), use_det=True, use_cls=False, use_rec=True)
    boxes: list[Box] = []
    if result.boxes is None:
        return boxes
    for quad, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        if text.strip():
            boxes.append(Box(text.strip(), min(xs), min(ys), max(xs), max(ys), float(score)))
    return boxes


def recognise_crops(crops: Sequence[Any]) -> list[tuple[str, float]]:
    """The text and confidence of each one-line grayscale crop, recognised without detection
    (batched by the recogniser, crops of similar width together); ``("", 0.0)`` for none."""
    if not crops:
        return []
    import cv2

    engine()  # the extra's check, and the models' lazy load
    result = _ENGINE._load_rec_model()(_rec_input([cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR) for crop in crops]))
    out = []
    for text, score in zip(result.txts or (), result.scores, strict=True):
        t = str(text).strip()
        out.append((t, float(score)) if t else ("", 0.0))
    return out


def rec_session() -> tuple[Any, list[str]]:
    """The recogniser's ONNX session (N×3×48×W float input → N×W/8×classes probabilities) and
    its classes (0 is CTC's blank): what ``ocr_strips`` decodes itself."""
    engine()  # the extra's check, and the models' lazy load
    rec = _ENGINE._load_rec_model()
    return rec.session, rec.postprocess_op.character


def _rec_input(images: list[Any]) -> Any:
    from rapidocr.ch_ppocr_rec.typings import TextRecInput

    return TextRecInput(img=images)


def recognise_line(gray: Any) -> tuple[str, float]:
    """The text of one cell's crop, recognised without detection (``("", 0.0)`` if none)."""
    return recognise_crops([gray])[0]
