"""The orchestrator: triggers, the scheduler, workers and `smartlab serve`."""

from rpa.orchestrator.catalog import Catalog
from rpa.orchestrator.scheduler import Scheduler
from rpa.orchestrator.worker import Worker

__all__ = ["Catalog", "Scheduler", "Worker"]
