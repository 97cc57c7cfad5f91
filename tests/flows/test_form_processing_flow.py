"""The shipped form-processing flow under a scheduler and a worker: bad files end in
quarantine/ and invalid forms in rejected/, each with its reason; nothing is lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rpa.orchestrator import Catalog, Scheduler, Worker
from rpa.store import QueueStore, RunStore

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "examples" / "forms" / "sample"


@pytest.fixture
def inbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # the flow watches inbox/forms under the working folder
    monkeypatch.setenv("SMARTLAB_SECRET_CASE_PASSWORD", "officer-pass")
    folder = tmp_path / "inbox" / "forms"
    folder.mkdir(parents=True)
    return folder


def _drain(store: RunStore) -> None:
    catalog = Catalog.load(ROOT / "flows")
    Scheduler(store, catalog).tick()
    worker = Worker(store, catalog)
    while worker.tick():
        pass


def test_form_flow_quarantines_unreadable_files_and_rejects_invalid_forms(store: RunStore, inbox: Path) -> None:
    (inbox / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    (inbox / "letter.pdf").write_text("Dear Sir, this is not a form.\n")
    shutil.copy(SAMPLE / "licence_application-002-digital.pdf", inbox)  # its declaration is not ticked
    _drain(store)
    assert sorted(p.name for p in (inbox / "quarantine").glob("*.pdf")) == ["corrupt.pdf", "letter.pdf"]
    assert [p.name for p in (inbox / "rejected").glob("*.pdf")] == ["licence_application-002-digital.pdf"]
    reason = (inbox / "rejected" / "licence_application-002-digital.pdf.reason.txt").read_text()
    assert "declaration: the box is not ticked" in reason
    for name in ("corrupt.pdf", "letter.pdf"):
        assert (inbox / "quarantine" / f"{name}.reason.txt").read_text().strip()
    items = QueueStore(store.engine).list("form_processing")
    assert {i.status for i in items} == {"business_exception"} and len(items) == 3
    assert not list(inbox.glob("*.pdf"))
