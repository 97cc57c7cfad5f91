"""File activities: glob, read, write, move, copy; text, JSON and CSV."""

from __future__ import annotations

import csv
import glob as globlib
import io
import json
import shutil
from pathlib import Path
from typing import Any, Literal

from rpa.activities.spec import activity
from rpa.errors import ApplicationError, BusinessError

Format = Literal["text", "json", "csv"]


@activity("files.glob")
def glob(pattern: str, sort: bool = True) -> list[str]:
    """Paths matching a glob pattern (`**` recurses); an empty list when none match."""
    found = globlib.glob(pattern, recursive=True)
    return sorted(found) if sort else found


@activity("files.read")
def read(path: Path, format: Format = "text", encoding: str = "utf-8") -> Any:
    """Read a file as text, parsed JSON, or CSV rows (a list of dicts keyed by the header)."""
    try:
        text = path.read_text(encoding=encoding)
    except FileNotFoundError as exc:
        raise BusinessError(f"file not found: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ApplicationError(f"cannot read {path}: {exc}") from exc
    return _PARSERS[format](text, path)


@activity("files.write")
def write(path: Path, content: Any, format: Format = "text", encoding: str = "utf-8") -> str:
    """Write text, JSON or CSV rows to a file (created with its folders; replaced atomically)."""
    text = _WRITERS[format](content)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding=encoding)
        tmp.replace(path)
    except OSError as exc:
        raise ApplicationError(f"cannot write {path}: {exc}") from exc
    return str(path)


def _target(src: Path, dst: str) -> Path:
    """`dst` names a folder when it exists as one or ends with a slash (created if need be)."""
    folder = Path(dst)
    return folder / src.name if dst.endswith(("/", "\\")) or folder.is_dir() else folder


@activity("files.move", effect=True)
def move(src: Path, dst: str) -> str:
    """Move a file; a `dst` ending in / (or an existing folder) receives it under its own name.
    Re-running a finished move is a no-op."""
    target = _target(src, dst)
    if not src.exists() and target.exists():
        return str(target)
    return _transfer(shutil.move, src, target)


@activity("files.copy")
def copy(src: Path, dst: str) -> str:
    """Copy a file, keeping its timestamps; a `dst` ending in / (or a folder) keeps its name."""
    target = _target(src, dst)
    return _transfer(shutil.copy2, src, target)


def _transfer(operation: Any, src: Path, target: Path) -> str:
    if not src.exists():
        raise BusinessError(f"file not found: {src}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        operation(str(src), str(target))
    except OSError as exc:
        raise ApplicationError(f"cannot move/copy {src} to {target}: {exc}") from exc
    return str(target)


def _parse_json(text: str, path: Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BusinessError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from exc


def _parse_csv(text: str, path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _write_csv(rows: Any) -> str:
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise BusinessError("CSV content must be a list of mappings")
    out = io.StringIO()
    header = list(dict.fromkeys(k for row in rows for k in row))
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


_PARSERS = {"text": lambda text, path: text, "json": _parse_json, "csv": _parse_csv}
_WRITERS = {
    "text": str,
    "json": lambda content: json.dumps(content, ensure_ascii=False, indent=2) + "\n",
    "csv": _write_csv,
}
