"""The audit log: append-only, each entry chained to the previous one by SHA-256.

Who did what and when — run starts and cancels, task completions, secret and user changes.
`record` is safe with many writer processes; `verify` names the first broken entry.
"""

from rpa.audit.chain import GENESIS, Broken, Entry
from rpa.audit.errors import AuditBusy, AuditError
from rpa.audit.log import entries, head, local_actor, record, verify

__all__ = ["AuditBusy", "AuditError", "Broken", "Entry", "GENESIS", "entries", "head",
           "local_actor", "record", "verify"]
