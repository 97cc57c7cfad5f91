"""The engine: compiled flows as transitions machines, and the durable runner."""

from rpa.engine.listener import Listener, Listeners
from rpa.engine.machine import state_machine
from rpa.engine.runner import Runner, RunResult

__all__ = ["Listener", "Listeners", "RunResult", "Runner", "state_machine"]
