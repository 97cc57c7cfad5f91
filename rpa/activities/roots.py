"""Where file activities may reach: the roots a deployment declares, and nothing else.

A run may read and write its own artifact folder and the folders `SMARTLAB_FILE_ROOTS`
lists (inboxes, outboxes, archives), and only read those `SMARTLAB_FILE_READ_ROOTS` lists.
Relative roots and paths are taken from the working folder. A path is judged after every
symlink in it is followed, so a link leading out of a root is refused like the path it
points at; a `..` segment is refused outright. Files in a `quarantine` folder are evidence:
they may be moved and written beside, never read or copied as input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rpa.artifacts import run_folder
from rpa.errors import BusinessError
from rpa.settings import listed

QUARANTINE = "quarantine"


@dataclass(frozen=True)
class Root:
    shown: str  # as the setting spells it, for messages
    path: Path  # resolved
    writable: bool


def roots(run_id: str, environ: Mapping[str, str] | None = None) -> list[Root]:
    """The run's artifact folder, then the read-write roots, then the read-only ones."""
    found = [_root(str(run_folder(run_id)), True)]
    found += [_root(r, True) for r in listed("SMARTLAB_FILE_ROOTS", environ)]
    return found + [_root(r, False) for r in listed("SMARTLAB_FILE_READ_ROOTS", environ)]


def _root(shown: str, writable: bool) -> Root:
    return Root(shown, Path(shown).expanduser().resolve(), writable)


def readable(path: str | Path, run_id: str, environ: Mapping[str, str] | None = None) -> Path:
    """`path`, resolved, when the run may read it; else a BusinessError naming the roots."""
    allowed = roots(run_id, environ)
    resolved = confine(path, allowed, write=False)
    if QUARANTINE in resolved.parts:
        root = next(r.shown for r in allowed if resolved.is_relative_to(r.path))
        raise BusinessError(f"{path} is quarantined evidence in the root {root}: it can be moved, not read")
    return resolved


def writable(path: str | Path, run_id: str, environ: Mapping[str, str] | None = None) -> Path:
    """`path`, resolved, when the run may write it; else a BusinessError naming the roots."""
    return confine(path, roots(run_id, environ), write=True)


def confine(path: str | Path, allowed: list[Root], *, write: bool) -> Path:
    if ".." in Path(path).parts:
        raise BusinessError(f"'..' is not allowed in a file path: {path} ({_named(path, allowed)})")
    resolved = Path(path).expanduser().resolve()
    inside = [r for r in allowed if resolved.is_relative_to(r.path)]
    if inside and (not write or any(r.writable for r in inside)):
        return resolved
    if inside:
        raise BusinessError(f"{path} is in the read-only root {inside[0].shown} (SMARTLAB_FILE_READ_ROOTS)")
    raise BusinessError(f"{path} is outside the declared roots ({_named(path, allowed)})")


def _named(path: str | Path, allowed: list[Root]) -> str:
    """The root the path is spelled under (a `..` or a link left it), else every root."""
    spelled = Path.cwd() / Path(path).expanduser()
    for root in allowed:
        if Path(root.shown).expanduser().absolute() in (spelled, *spelled.parents):
            return f"it leaves the root {root.shown}"
    return "roots: " + ", ".join(r.shown for r in allowed) + "; SMARTLAB_FILE_ROOTS lists them"
