"""The triage activities open only files inside the run's declared roots (issue 20). No Rasa:
every refusal comes before a file is read or the classifier is called (its URL is dead)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bots.enquiry_triage import activities
from rpa.activities import Context
from rpa.errors import BusinessError
from tests.support.roots import EXAMPLES, HOSTILE, RUN_ID, WRITES, Roots, declare

EMAIL = EXAMPLES / "enquiries" / "inbox" / "01-burst-main-en.eml"
CASES = EXAMPLES / "enquiries" / "resolved_cases.json"
DEAD = "http://127.0.0.1:9"
ENQUIRY = {"id": "E1", "subject": "Burst water main", "body": "Water everywhere on Nathan Road."}
CTX = Context(run_id=RUN_ID, flow="enquiry_triage", state="read", step=0,
              log=logging.getLogger("smartlab.flow.test"))


@pytest.fixture(autouse=True)
def roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Roots:
    return declare(tmp_path, monkeypatch, EMAIL, CASES)


READERS = {
    "triage.ingest": (EMAIL.name, lambda path: activities.ingest_(CTX, str(path))),
    "triage.similar": (CASES.name, lambda path: activities.similar(CTX, "burst main", str(path))),
    "triage.enquiry": (CASES.name, lambda path: activities.triage_one(CTX, ENQUIRY, DEAD, str(path))),
}


@pytest.mark.parametrize("case", HOSTILE)
@pytest.mark.parametrize("name", sorted(READERS))
def test_triage_activities_refuse_a_path_leaving_the_roots(roots: Roots, name: str, case: str) -> None:
    document, call = READERS[name]
    path, says = roots.hostile(case, document)
    with pytest.raises(BusinessError, match=says):
        call(path)


@pytest.mark.parametrize("case", WRITES)
def test_triage_correct_refuses_a_corrections_file_leaving_the_roots(roots: Roots, case: str) -> None:
    path, says = roots.hostile(case, CASES.name)
    before = (roots.outside / CASES.name).read_bytes()
    with pytest.raises(BusinessError, match=says):
        activities.correct(CTX, ENQUIRY, "water_supplies", str(path))
    assert (roots.outside / CASES.name).read_bytes() == before


def test_triage_correct_refuses_a_read_only_root(roots: Roots, tmp_path: Path) -> None:
    with pytest.raises(BusinessError, match="in the read-only root .*examples"):
        activities.correct(CTX, ENQUIRY, "water_supplies", str(EXAMPLES / "corrections.csv"))
    assert not (EXAMPLES / "corrections.csv").exists()


def test_triage_correct_writes_inside_a_writable_root(roots: Roots) -> None:
    row = activities.correct(CTX, ENQUIRY, "water_supplies", str(roots.box / "corrections.csv"))
    assert row["label"] == "water_supplies" and (roots.box / "corrections.csv").exists()


def test_triage_ingest_reads_a_folder_inside_the_roots_and_refuses_a_link_out_unread(roots: Roots) -> None:
    found = activities.ingest_(CTX, str(roots.box))
    by_name = {Path(e["source"]).name: e for e in found}
    assert by_name[EMAIL.name]["status"] == "ok" and "burst" in by_name[EMAIL.name]["subject"].lower()
    refused = by_name[f"link-{EMAIL.name}"]
    assert (refused["status"], refused["body"], refused["subject"]) == ("refused", "", "")
    assert f"it leaves the root {roots.box}" in refused["reason"]


def test_triage_similar_reads_cases_from_the_read_only_examples_root() -> None:
    found = activities.similar(CTX, "a burst water main flooding the road", str(CASES), k=1)
    assert len(found) == 1 and found[0]["score"] > 0
