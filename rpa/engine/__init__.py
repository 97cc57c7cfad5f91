"""The engine: compiled flows as transitions machines, the durable runner, and `Runs`, the one
front door through which every run is started, queued and resumed."""

from rpa.engine.flows import FlowCache
from rpa.engine.listener import Listener, Listeners
from rpa.engine.machine import state_machine
from rpa.engine.runner import RunResult
from rpa.engine.runs import Runner, Runs

__all__ = ["FlowCache", "Listener", "Listeners", "RunResult", "Runner", "Runs", "state_machine"]
