"""The worker's side of the Tesseract API process (`tess_child.py`): one child per worker
process, started on first use, restarted after it dies, stopped (and reaped) at exit.

Why a child and not ctypes in the worker: Tesseract has crashed on a noisy crop (SIGFPE);
in a child that loses one reading, which `tesseract.py` then makes with the CLI. A frame is
a little-endian (header length, payload length) pair, a JSON header and the gray pixels; the
answer a (status, length) pair and the text.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import subprocess
import sys
import threading
from multiprocessing import util
from pathlib import Path

from PIL import Image

from rpa.documents.tess_child import _ANSWER, _HEADER

CHILD = Path(__file__).with_name("tess_child.py")


class ApiFailed(Exception):
    """The API child died, hung or refused the image: read it with the CLI instead."""


class TessApi:
    """A long-lived `tess_child.py` of this process (a forked worker starts its own)."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.owner = 0
        self.lock = threading.Lock()  # one request at a time on the pipe
        self.finalizer = 0  # the process that registered `stop` with multiprocessing

    def read_tsv(self, image: Image.Image, lang: str, psm: int, variables: dict[str, str],
                 timeout: float) -> str:
        """Tesseract's TSV text of `image` (no header row), as `tesseract ... tsv` prints it."""
        gray = image if image.mode == "L" else image.convert("L")
        header = json.dumps({"lang": lang, "psm": psm, "width": gray.width,
                             "height": gray.height, "variables": variables}).encode()
        with self.lock:
            return self._exchange(_HEADER.pack(len(header), gray.width * gray.height) + header
                                  + gray.tobytes(), timeout)

    def _exchange(self, request: bytes, timeout: float) -> str:
        process = self._running()
        try:
            _write_all(process.stdin, request)
            return self._answer(process, timeout)
        except (OSError, ValueError) as exc:  # broken pipe: the child died
            self.stop()
            raise ApiFailed(f"the Tesseract API process ended ({exc})") from exc

    def _answer(self, process: subprocess.Popen, timeout: float) -> str:
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        if not ready:
            self.stop()
            raise ApiFailed(f"no answer from the Tesseract API process in {timeout:g} s")
        status, size = _ANSWER.unpack(self._exactly(process, _ANSWER.size))
        text = self._exactly(process, size).decode("utf-8")
        if status:
            raise ApiFailed(text)
        return text

    def _exactly(self, process: subprocess.Popen, size: int) -> bytes:
        chunks, left = [], size
        while left and (chunk := process.stdout.read(left)):
            chunks.append(chunk)
            left -= len(chunk)
        if left:
            self.stop()
            raise ApiFailed("the Tesseract API process ended mid-answer")
        return b"".join(chunks)

    def _running(self) -> subprocess.Popen:
        if self.owner != os.getpid():  # inherited by fork: the parent's child, not ours
            self.forget_inherited()
        if self.process is None or self.process.poll() is not None:
            self.stop()
            self._stop_at_exit()
            self.process = subprocess.Popen(
                [sys.executable, "-I", str(CHILD)], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
        return self.process

    def forget_inherited(self) -> None:
        """In a forked process: close our copies of the parent's pipes (the parent's child
        would otherwise never see its input end) and start afresh."""
        if self.process is not None:
            for stream in (self.process.stdin, self.process.stdout):
                stream.close()
        self.process, self.owner = None, os.getpid()

    def _stop_at_exit(self) -> None:
        """A multiprocessing worker skips atexit; its own exit hook reaps the child, so the
        child's CPU reaches the worker's (and `time`'s) children count."""
        if self.finalizer != os.getpid():
            util.Finalize(None, self.stop, exitpriority=0)
            self.finalizer = os.getpid()

    def pid(self) -> int | None:
        """The live child's process id (None when none runs): tests kill it by this."""
        running = self.process is not None and self.process.poll() is None
        return self.process.pid if running and self.owner == os.getpid() else None

    def cpu_seconds(self) -> float:
        """CPU of the live child, which `os.times()` only counts once it is reaped."""
        pid = self.pid()
        if pid is None:
            return 0.0
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """Close the child's pipe and reap it (its CPU then counts as a finished child's)."""
        process, self.process = self.process, None
        if process is None or self.owner != os.getpid():
            return
        for stream in (process.stdin, process.stdout):
            stream.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _write_all(stream, data: bytes) -> None:
    """A pipe opened unbuffered may take part of a large write at a time."""
    view = memoryview(data)
    while view:
        view = view[stream.write(view):]


API = TessApi()
atexit.register(API.stop)
os.register_at_fork(after_in_child=API.forget_inherited)
