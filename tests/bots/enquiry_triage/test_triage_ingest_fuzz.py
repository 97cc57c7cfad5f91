"""Fuzzing the e-mail ingest: any bytes, and mutated real e-mails, give exactly one Enquiry
with a known status (never an exception). A short budget here; SMARTLAB_FUZZ_PROFILE=long
(see tests/fuzz/conftest.py) runs many more examples."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bots.enquiry_triage.ingest import BINARY, EMPTY, MALFORMED, OK, QUARANTINED, TOO_LARGE
from bots.enquiry_triage.ingest import read_enquiries as ingest

SAMPLES = Path(__file__).resolve().parents[3] / "examples" / "enquiries" / "inbox"
SEEDS = [p.read_bytes() for p in sorted(SAMPLES.glob("*.eml"))]
STATUSES = {OK, EMPTY, TOO_LARGE, BINARY, MALFORMED, QUARANTINED}
BUDGET = settings(max_examples=2000 if os.environ.get("SMARTLAB_FUZZ_PROFILE") == "long" else 60,
                  deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                        HealthCheck.function_scoped_fixture])


def one(content: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.eml"
        path.write_bytes(content)
        found = ingest(path)
    assert len(found) == 1 and found[0].status in STATUSES
    return found[0]


@BUDGET
@given(st.binary(max_size=4000))
def test_fuzz_any_bytes_give_one_enquiry_with_a_status(content: bytes) -> None:
    one(content)


@BUDGET
@given(st.sampled_from(SEEDS), st.integers(min_value=0, max_value=4000),
       st.binary(min_size=1, max_size=200), st.integers(min_value=0, max_value=300))
def test_fuzz_mutated_emails_give_one_enquiry_with_a_status(seed: bytes, at: int,
                                                            splice: bytes, cut: int) -> None:
    at = at % (len(seed) + 1)
    enquiry = one(seed[:at] + splice + seed[at + cut:])
    assert enquiry.ok or enquiry.reason
