"""A compiled flow as a `transitions` machine: states and the edges the flow declares.

This package is the only place that imports transitions. One machine serves every run of a
flow; each run is a model added to it, so an undeclared move raises instead of happening.
The machine's edges are read out of it once, when it is built: a move checks the edge in that
set and sets the model's state, instead of transitions' trigger machinery on every step (its
event lookup, queue and callbacks cost as much as the rest of the step; a flow declares no
callbacks).
"""

from __future__ import annotations

from transitions import Machine

from rpa.errors import RunError
from rpa.flow.compiler import CompiledFlow


def trigger_name(target: str) -> str:
    return f"go__{target}"


class RunModel:
    """What transitions moves: one per run, holding only the current state."""

    state: str


class FlowMachine:
    def __init__(self, compiled: CompiledFlow) -> None:
        flow = compiled.flow
        edges = [
            {"trigger": trigger_name(target), "source": name, "dest": target}
            for name, state in flow.states.items()
            for target in dict.fromkeys(state.targets())
        ]
        self.machine = Machine(model=None, states=list(flow.states), transitions=edges,
                               initial=flow.start_state, auto_transitions=False,
                               ignore_invalid_triggers=False)
        self.edges = frozenset(
            (source, t.dest) for event in self.machine.events.values()
            for source, found in event.transitions.items() for t in found)

    def attach(self, state: str) -> RunModel:
        model = RunModel()
        self.machine.add_model(model, initial=state)
        return model

    def detach(self, model: RunModel) -> None:
        self.machine.remove_model(model)

    def move(self, model: RunModel, target: str) -> None:
        if (model.state, target) not in self.edges:
            raise RunError(f"no transition from '{model.state}' to '{target}'")
        self.machine.set_state(target, model)


def state_machine(model: object, states: list[str], transitions: list[dict], initial: str,
                  **options: object) -> Machine:
    """A plain transitions Machine for other packages (the robot's tour controller), so that
    transitions stays imported in this package only."""
    return Machine(model=model, states=states, transitions=transitions, initial=initial,
                   auto_transitions=False, **options)
