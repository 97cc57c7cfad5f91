"""The roots as a run sees them (issue 20): a real run on a real store may write page images
into its own artifact folder, and a quarantined document it is pointed at is refused with a
BusinessError the flow's `catch:` routes, naming the root."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from rpa.engine import Runner
from rpa.flow import CompiledFlow
from rpa.store import RunStore

SAMPLE = Path(__file__).resolve().parents[3] / "examples" / "forms" / "sample" / "licence_application-002-digital.pdf"
FLOW = """
flow: pages
inputs:
  document: {type: path}
states:
  render:
    do:
      - activity: pdf.render
        with: {path: "{{ inputs.document }}", out_dir: "{{ run.artifacts }}/pages", dpi: 36}
        as: pages
    catch:
      - {error: BusinessError, goto: refused, as: problem}
    next: done
  done: {final: success}
  refused: {final: business_exception}
"""


@pytest.fixture
def inbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # the default roots (inbox, outbox, archive) are under it
    monkeypatch.setenv("SMARTLAB_ARTIFACTS", str(tmp_path / "artifacts"))
    (tmp_path / "inbox" / "forms" / "quarantine").mkdir(parents=True)
    shutil.copy(SAMPLE, tmp_path / "inbox" / "forms")
    shutil.copy(SAMPLE, tmp_path / "inbox" / "forms" / "quarantine")
    return tmp_path / "inbox" / "forms"


def test_run_renders_an_inbox_form_into_its_own_artifact_folder(
        store: RunStore, compiled: Callable[[str], CompiledFlow], inbox: Path) -> None:
    result = Runner(store).start(compiled(FLOW), {"document": str(inbox / SAMPLE.name)})
    assert result.ok, result.error
    [page] = result.vars["pages"]
    assert Path(page).is_file() and f"/{result.run_id}/pages/" in page


def test_run_pointed_at_a_quarantined_form_is_refused_naming_the_root(
        store: RunStore, compiled: Callable[[str], CompiledFlow], inbox: Path) -> None:
    result = Runner(store).start(compiled(FLOW), {"document": str(inbox / "quarantine" / SAMPLE.name)})
    assert result.status == "business_exception"
    assert "quarantined evidence in the root inbox" in result.vars["problem"]["message"]
