"""A run's artifacts: the files its steps leave for people to look at afterwards.

The rule, in one place: a run's artifacts are the regular files directly inside
`<SMARTLAB_ARTIFACTS or .smartlab/artifacts>/<run id>/` (not in subfolders, not hidden
`.name` files, not symlinks leading out of the folder). The browser activities write their
screenshots and failure traces there; a flow may add its own (`files.write` to that folder).
The console lists and serves these files and nothing else, so a name from a URL can never
reach another path: `find_artifact` is the only way from a name to a file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT_ENV = "SMARTLAB_ARTIFACTS"
DEFAULT_ROOT = Path(".smartlab/artifacts")

# (how a name ends, kind, media type); first match wins, so `.trace.zip` comes before `.zip`
KINDS: tuple[tuple[str, str, str], ...] = (
    (".png", "image", "image/png"),
    (".jpg", "image", "image/jpeg"),
    (".jpeg", "image", "image/jpeg"),
    (".trace.zip", "trace", "application/zip"),
    (".json", "json", "application/json"),
)
OTHER = ("other", "application/octet-stream")


@dataclass(frozen=True)
class Artifact:
    name: str
    kind: str  # image, trace, json or other
    size: int  # bytes
    modified: float  # epoch seconds
    path: Path

    @property
    def media_type(self) -> str:
        return media_type(self.name)


def root(environ: Mapping[str, str] | None = None) -> Path:
    """The folder holding every run's folder; relative paths are from the process's cwd."""
    env = os.environ if environ is None else environ
    return Path(env.get(ROOT_ENV) or DEFAULT_ROOT)


def safe_name(text: str) -> str:
    """A name fit for one path segment; leading and trailing dots go so it is never `..`."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "run"


def run_folder(run_id: str, base: Path | None = None) -> Path:
    """Where run `run_id` keeps its artifacts (`base` defaults to `root()`)."""
    return (root() if base is None else base) / safe_name(run_id)


def _kind(name: str) -> tuple[str, str]:
    lower = name.lower()
    return next(((kind, media) for end, kind, media in KINDS if lower.endswith(end)), OTHER)


def kind_of(name: str) -> str:
    return _kind(name)[0]


def media_type(name: str) -> str:
    return _kind(name)[1]


def find_artifact(folder: Path, name: str) -> Path | None:
    """The file called `name` in `folder`, or None for anything that is not one of its
    artifacts: a separator, `..`, a hidden name, a subfolder, a symlink leading out."""
    if not name or name != Path(name).name or name.startswith(".") or "\\" in name or "\x00" in name:
        return None
    try:
        inside, target = folder.resolve(strict=True), (folder / name).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a symlink loop
        return None
    return target if target.parent == inside and target.is_file() else None


def list_artifacts(folder: Path) -> list[Artifact]:
    """The run's artifacts, oldest first (the order its steps made them); [] with no folder."""
    try:
        names = [entry.name for entry in os.scandir(folder)]
    except OSError:
        return []
    found = [_artifact(folder, name) for name in names]
    return sorted((a for a in found if a is not None), key=lambda a: (a.modified, a.name))


def _artifact(folder: Path, name: str) -> Artifact | None:
    path = find_artifact(folder, name)
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError:  # removed between the listing and the look
        return None
    return Artifact(name, kind_of(name), stat.st_size, stat.st_mtime, folder / name)
