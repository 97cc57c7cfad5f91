"""File activities: glob, read, write, move, copy; text, JSON and CSV.

Every path goes through `rpa.activities.roots` first: a flow reaches only its run's artifact
folder and the roots the deployment declares, never a quarantined file as input.
"""

from __future__ import annotations

import csv
import glob as globlib
import io
import json
import shutil
from pathlib import Path
from typing import Any, Literal

from rpa.activities import roots
from rpa.activities.context import Context
from rpa.activities.spec import activity
from rpa.artifacts import run_folder
from rpa.errors import ApplicationError, BusinessError
from rpa.secrets.mask import Masker

Format = Literal["text", "json", "csv"]


@activity("files.glob")
def glob(ctx: Context, pattern: str, sort: bool = True) -> list[str]:
    """Paths matching a glob pattern (`**` recurses) inside the roots; quarantined files and
    links leading out are left out; an empty list when none match."""
    roots.readable(_fixed_part(pattern), ctx.run_id)
    found = [p for p in globlib.glob(pattern, recursive=True) if _listable(p, ctx)]
    return sorted(found) if sort else found


def _fixed_part(pattern: str) -> str:
    """The folder a pattern starts from: its segments before the first wildcard."""
    parts = Path(pattern).parts
    end = next((i for i, part in enumerate(parts) if globlib.has_magic(part)), len(parts))
    return str(Path(*parts[:end])) if end else "."


def _listable(path: str, ctx: Context) -> bool:
    try:
        roots.readable(path, ctx.run_id)
    except BusinessError:
        return False
    return True


@activity("files.read")
def read(ctx: Context, path: Path, format: Format = "text", encoding: str = "utf-8") -> Any:
    """Read a file as text, parsed JSON, or CSV rows (a list of dicts keyed by the header)."""
    roots.readable(path, ctx.run_id)
    try:
        text = path.read_text(encoding=encoding)
    except FileNotFoundError as exc:
        raise BusinessError(f"file not found: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ApplicationError(f"cannot read {path}: {exc}") from exc
    return _PARSERS[format](text, path)


@activity("files.write")
def write(ctx: Context, path: Path, content: Any, format: Format = "text", encoding: str = "utf-8") -> str:
    """Write text, JSON or CSV rows to a file (created with its folders; replaced atomically).
    In the run's artifact folder, which people look at, the run's secrets are masked."""
    resolved = roots.writable(path, ctx.run_id)
    text = _WRITERS[format](content)
    if resolved.is_relative_to(run_folder(ctx.run_id).resolve()):
        text = Masker(ctx.secrets.values()).text(text)
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
def move(ctx: Context, src: Path, dst: str) -> str:
    """Move a file; a `dst` ending in / (or an existing folder) receives it under its own name.
    Re-running a finished move is a no-op. Quarantined files may be moved, not read."""
    target = _target(src, dst)
    roots.confine(src, roots.roots(ctx.run_id), write=True)
    roots.writable(target, ctx.run_id)
    if not src.exists() and target.exists():
        return str(target)
    return _transfer(shutil.move, src, target)


@activity("files.copy")
def copy(ctx: Context, src: Path, dst: str) -> str:
    """Copy a file, keeping its timestamps; a `dst` ending in / (or a folder) keeps its name."""
    target = _target(src, dst)
    roots.readable(src, ctx.run_id)
    roots.writable(target, ctx.run_id)
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
