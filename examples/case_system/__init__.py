"""The sample back-office case system the form-processing bot keys forms into.

A small licensing office: officers sign in, search cases by form reference, and enter new
licence applications, which are checked on the server and given a case number. It is a
stand-in for a real government system, started by the demo and the tests on a free loopback
port: `python -m examples.case_system --port 0 --db FILE` or `serve(db)`.
"""

from examples.case_system.app import create_app
from examples.case_system.server import DEMO_USERS, RunningServer, serve
from examples.case_system.store import CaseStore
from examples.case_system.validation import LICENCE_TYPES, FieldProblem, validate

__all__ = [
    "DEMO_USERS",
    "LICENCE_TYPES",
    "CaseStore",
    "FieldProblem",
    "RunningServer",
    "create_app",
    "serve",
    "validate",
]
