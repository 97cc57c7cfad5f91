"""The audit package's errors.

    SmartLabError
    └── AuditError          an entry cannot be recorded (detail not JSON, database trouble)
        └── AuditBusy       other writers kept winning the race for the chain's head
"""

from __future__ import annotations

from rpa.errors import SmartLabError


class AuditError(SmartLabError):
    """Root of the audit package's errors."""


class AuditBusy(AuditError):
    """Every retry lost the race to append; the caller may try again later."""
