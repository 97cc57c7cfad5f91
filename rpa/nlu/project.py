"""A Rasa project on disk (`nlu/<name>/`): where it is, what kind it is, and its data hash.

The hash covers config, domain and every training file, so a model named after it is current
exactly when a file of that name exists; editing any example makes a new name.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from rpa.nlu.errors import ProjectError

HASH_LENGTH = 16
_DATA_SUFFIXES = {".yml", ".yaml", ".json", ".md", ".txt"}
# SmartLab's own Rasa components ship with the source tree (not the venv); a pipeline that
# names them is retrained when their code changes.
COMPONENTS_HOME = Path(__file__).resolve().parents[2] / "nlu"
COMPONENTS_PACKAGE = "smartlab_nlu"


def nlu_home() -> Path:
    """`SMARTLAB_NLU_DIR`, else the `nlu/` folder beside the installed source tree."""
    configured = os.environ.get("SMARTLAB_NLU_DIR")
    if configured:
        return Path(configured).resolve()
    return Path(__file__).resolve().parents[2] / "nlu"


@dataclass(frozen=True)
class Project:
    name: str
    root: Path

    @property
    def config(self) -> Path:
        return self.root / "config.yml"

    @property
    def domain(self) -> Path:
        return self.root / "domain.yml"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def tests(self) -> Path:
        return self.root / "tests"

    @property
    def models(self) -> Path:
        return self.root / "models"

    @property
    def state(self) -> Path:
        """Run-time files (logs, pid files); git-ignored like Rasa's own `.rasa/` cache."""
        return self.root / ".rasa"

    @property
    def is_nlu_only(self) -> bool:
        """A project without a domain trains and serves NLU alone (`rasa train nlu`)."""
        return not self.domain.exists()

    def data_hash(self) -> str:
        digest = hashlib.sha256()
        for path in self._hashed_files():
            digest.update(str(path.relative_to(self.root)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
        for path in self._component_files():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()[:HASH_LENGTH]

    def model_name(self) -> str:
        return f"{self.name}-{self.data_hash()}"

    def model_path(self) -> Path:
        return self.models / f"{self.model_name()}.tar.gz"

    def latest_model(self) -> Path | None:
        found = sorted(self.models.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
        return found[-1] if found else None

    def _hashed_files(self) -> list[Path]:
        files = [p for p in (self.config, self.domain) if p.exists()]
        data = (p for p in self.data.rglob("*") if p.is_file() and p.suffix in _DATA_SUFFIXES)
        return files + sorted(data)

    def _component_files(self) -> list[Path]:
        if f"{COMPONENTS_PACKAGE}." not in self.config.read_text(encoding="utf-8"):
            return []
        return sorted((COMPONENTS_HOME / COMPONENTS_PACKAGE).glob("*.py"))


def open_project(name_or_path: str | Path, home: Path | None = None) -> Project:
    """A project by name (`triage`) under the NLU home, or by a path to its folder."""
    root = Path(name_or_path)
    if not root.is_dir():
        root = (home or nlu_home()) / str(name_or_path)
    root = root.resolve()
    if not root.is_dir():
        raise ProjectError(f"no Rasa project '{name_or_path}' (looked in {root})")
    project = Project(root.name, root)
    _check(project)
    return project


def _check(project: Project) -> None:
    if not project.config.exists():
        raise ProjectError(f"project '{project.name}' has no config.yml ({project.root})")
    if not project.data.is_dir():
        raise ProjectError(f"project '{project.name}' has no data/ folder ({project.root})")
