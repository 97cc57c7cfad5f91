"""Enquiry triage: read citizens' enquiries, classify them with Rasa, decide where they go,
find similar past cases and draft a reply. The routing decision is data for the engine.

Errors (from `rpa.errors`):

    ActivityError
    ├── BusinessError      no enquiries at the path, an enquiry with no text, an unknown
    │                      department in a correction, an unreadable resolved-cases file
    └── ApplicationError   Rasa down, timing out or answering 5xx (nlu_client.py): retried
                           by the flow's policy, then the run waits

Unreadable items (empty, 1 MB+, binary, malformed) are not errors: they come out of ingest
with a status and go to manual triage, so nothing is lost.
"""

from bots.enquiry_triage import activities
from bots.enquiry_triage.bands import Decision, Policy, Thresholds, decide
from bots.enquiry_triage.ingest import Enquiry, read_enquiries
from bots.enquiry_triage.nlu_client import NluClient, Parse
from bots.enquiry_triage.redact import redact, redact_text
from bots.enquiry_triage.similar import Case, CaseIndex

ACTIVITIES = [
    activities.ingest_,
    activities.parse,
    activities.redact,
    activities.classify,
    activities.decide,
    activities.similar,
    activities.draft,
    activities.triage_one,
    activities.correct,
]

__all__ = [
    "ACTIVITIES",
    "Case",
    "CaseIndex",
    "Decision",
    "Enquiry",
    "NluClient",
    "Parse",
    "Policy",
    "Thresholds",
    "decide",
    "read_enquiries",
    "redact",
    "redact_text",
]
