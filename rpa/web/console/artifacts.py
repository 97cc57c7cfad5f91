"""A run's artifacts on its page (thumbnails, trace downloads, JSON previews) and serving one.

What counts as a run's artifact is decided in `rpa.artifacts`; only names its `find_artifact`
accepts are served. Images are served inline and everything else as a download, with
`nosniff` and a sandbox policy, so an HTML or SVG file a flow left in the folder can never
run as a console page with the viewer's session.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from fastapi.responses import FileResponse

from rpa.artifacts import Artifact, find_artifact, list_artifacts, media_type, run_folder
from rpa.secrets import known_secrets
from rpa.web.console.guard import Missing

SHOWN = 100  # artifacts listed on a run page (the newest); the page re-renders as the run moves
PREVIEWS = 10  # JSON files previewed (the newest); the others are downloads only
PREVIEW_BYTES = 32 * 1024  # a bigger file shows its beginning, raw
HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox",
           "Cache-Control": "private, no-cache"}
UNITS = ((1 << 20, "MB"), (1 << 10, "KB"))


@dataclass(frozen=True)
class Shown:
    """One artifact as its run page shows it."""

    name: str
    kind: str
    size: str
    modified: float
    url: str
    preview: str | None = None
    truncated: bool = False


@dataclass(frozen=True)
class RunArtifacts:
    folder: Path
    items: list[Shown]
    total: int


def artifacts_of(run_id: str) -> RunArtifacts:
    """The newest `SHOWN` artifacts of the run, oldest first, the newest JSON files previewed."""
    folder = run_folder(run_id)
    found = list_artifacts(folder)
    kept = found[-SHOWN:]
    previewed = {a.name for a in [a for a in kept if a.kind == "json"][-PREVIEWS:]}
    items = [_shown(run_id, a, a.name in previewed) for a in kept]
    return RunArtifacts(folder, items, len(found))


def _shown(run_id: str, artifact: Artifact, preview: bool) -> Shown:
    url = f"/console/runs/{quote(run_id)}/artifacts/{quote(artifact.name)}"
    text, cut = read_preview(artifact.path) if preview else (None, False)
    return Shown(artifact.name, artifact.kind, size_text(artifact.size), artifact.modified, url, text, cut)


def read_preview(path: Path, limit: int = PREVIEW_BYTES) -> tuple[str | None, bool]:
    """The file pretty-printed (or its first `limit` bytes, raw), with known secrets masked:
    a flow may have written a resolved secret into its JSON."""
    try:
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError:
        return None, False
    cut = len(data) > limit
    text = data[:limit].decode("utf-8", errors="replace")
    return known_secrets.text(text if cut else _pretty(text)), cut


def _pretty(text: str) -> str:
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, indent=2)
    except ValueError:  # not JSON after all: shown as written
        return text


def size_text(size: int) -> str:
    for unit_size, unit in UNITS:
        if size >= unit_size:
            return f"{size / unit_size:.1f} {unit}"
    return f"{size} B"


def artifact_response(run_id: str, name: str) -> FileResponse:
    """The file, or the 404 page for any name that is not one of the run's artifacts."""
    path = find_artifact(run_folder(run_id), name)
    if path is None:
        raise Missing(f"run {run_id} has no artifact {name!r}")
    shown = media_type(name).startswith("image/")
    return FileResponse(path, media_type=media_type(name), filename=name, headers=HEADERS,
                        content_disposition_type="inline" if shown else "attachment")
