"""The Tesseract API process: keeps one TessBaseAPI per language set loaded and reads the
images it is sent, so a page or crop no longer pays for loading `eng` (0.24 s CPU) and
`chi_tra` (0.38 s) as every `tesseract` command run does.

Run by `rpa.documents.tess_api` as a script (`python tess_child.py`), importing only the
standard library. It speaks over stdin/stdout in frames (see `tess_api`): a request is a JSON
header and the image's raw 8-bit gray pixels; the answer is Tesseract's TSV text, or an error
line. Debian's own `libtesseract.so.5` is the engine, the same build as the CLI's, so the
readings are the CLI's. A crash here (Tesseract has raised SIGFPE on a noisy crop) ends this
process only; the worker sees the pipe close and reads that image with the CLI instead.
"""

from __future__ import annotations

import ctypes
import json
import os
import struct
import sys

LIBRARY = "libtesseract.so.5"
_HEADER = struct.Struct("<II")  # header length, payload length
_ANSWER = struct.Struct("<BI")  # status (0 ok, 1 error), text length


def _load(name: str = LIBRARY) -> ctypes.CDLL:
    lib = ctypes.CDLL(name)
    handle, text = ctypes.c_void_p, ctypes.c_char_p
    signatures = {
        "TessBaseAPICreate": ([], handle),
        "TessBaseAPIInit3": ([handle, text, text], ctypes.c_int),
        "TessBaseAPISetVariable": ([handle, text, text], ctypes.c_int),
        "TessBaseAPISetPageSegMode": ([handle, ctypes.c_int], None),
        "TessBaseAPISetImage": ([handle, ctypes.c_char_p] + [ctypes.c_int] * 4, None),
        "TessBaseAPIRecognize": ([handle, ctypes.c_void_p], ctypes.c_int),
        "TessBaseAPIGetTsvText": ([handle, ctypes.c_int], ctypes.c_void_p),
        "TessBaseAPIClear": ([handle], None),
        "TessDeleteText": ([ctypes.c_void_p], None),
    }
    for name_, (args, result) in signatures.items():
        getattr(lib, name_).argtypes, getattr(lib, name_).restype = args, result
    return lib


class Reader:
    """One initialised API handle per language set, made on first use."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        self.lib = lib
        self.handles: dict[tuple[str, tuple], int] = {}

    def handle(self, lang: str, variables: dict[str, str]) -> int:
        key = (lang, tuple(sorted(variables.items())))
        if key not in self.handles:
            api = self.lib.TessBaseAPICreate()
            if self.lib.TessBaseAPIInit3(api, None, lang.encode()) != 0:
                raise RuntimeError(f"cannot load the language(s) {lang}")
            for name, value in variables.items():
                self.lib.TessBaseAPISetVariable(api, name.encode(), value.encode())
            self.handles[key] = api
        return self.handles[key]

    def read(self, request: dict, pixels: bytes) -> str:
        api = self.handle(request["lang"], request.get("variables", {}))
        width, height = request["width"], request["height"]
        self.lib.TessBaseAPISetPageSegMode(api, request["psm"])
        self.lib.TessBaseAPISetImage(api, pixels, width, height, 1, width)
        if self.lib.TessBaseAPIRecognize(api, None) != 0:
            raise RuntimeError("Tesseract could not recognise the image")
        pointer = self.lib.TessBaseAPIGetTsvText(api, 0)
        try:
            return ctypes.string_at(pointer).decode("utf-8", "replace")
        finally:
            self.lib.TessDeleteText(pointer)
            self.lib.TessBaseAPIClear(api)


def _read_exactly(stream, size: int) -> bytes | None:
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


def serve(reader: Reader, inbox, outbox) -> None:
    """Answer requests until the worker closes the pipe."""
    while (sizes := _read_exactly(inbox, _HEADER.size)) is not None:
        header_size, payload_size = _HEADER.unpack(sizes)
        request = json.loads(_read_exactly(inbox, header_size) or b"{}")
        pixels = _read_exactly(inbox, payload_size) or b""
        try:
            status, text = 0, reader.read(request, pixels)
        except Exception as exc:  # noqa: BLE001 - any failure goes back as one line
            status, text = 1, f"{type(exc).__name__}: {exc}"
        body = text.encode("utf-8")
        outbox.write(_ANSWER.pack(status, len(body)) + body)
        outbox.flush()


def _private_stdout():
    """The answer pipe on a descriptor of its own: Tesseract prints diagnostics on fd 1,
    which would otherwise land in the middle of an answer."""
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    return answers


def main() -> None:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    serve(Reader(_load()), sys.stdin.buffer, _private_stdout())


if __name__ == "__main__":
    main()
