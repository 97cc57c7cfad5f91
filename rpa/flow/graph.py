"""Draw a flow as Mermaid or Graphviz DOT (SVG through Graphviz), highlighting a run's path."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable

from rpa.errors import SmartLabError
from rpa.flow.model import Flow, State

FINAL_COLOURS = {"success": "#2e7d32", "business_exception": "#f9a825", "failure": "#c62828"}


def edges(flow: Flow) -> list[tuple[str, str, str]]:
    """(source, target, label) for every move the flow declares."""
    found: list[tuple[str, str, str]] = []
    for name, state in flow.states.items():
        found += [(name, b.goto, f"when {b.when}") for b in state.on]
        if state.next:
            found.append((name, state.next, ""))
        found += [(name, c.goto, f"catch {c.error}") for c in state.catch]
    return found


def path_of(events: Iterable[dict]) -> tuple[set[str], set[tuple[str, str]]]:
    """States visited and moves taken, from a run's events."""
    states: set[str] = set()
    moves: set[tuple[str, str]] = set()
    for e in events:
        states.add(e["state"])
        if e["kind"] == "transition":
            moves.add((e["state"], e["status"]))
            states.add(e["status"])
    return states, moves


def mermaid(flow: Flow, taken: tuple[set[str], set[tuple[str, str]]] | None = None) -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {flow.start_state}"]
    for src, dst, label in edges(flow):
        lines.append(f"    {src} --> {dst}" + (f": {_mermaid_label(label)}" if label else ""))
    for name, state in flow.states.items():
        if state.final:
            lines.append(f"    {name} --> [*]")
    for name, state in flow.states.items():
        classes = ([state.final] if state.final else []) + (["taken"] if taken and name in taken[0] else [])
        lines += [f"    class {name} {c}" for c in classes]
    lines += [f"    classDef {k} stroke:{v},stroke-width:3px" for k, v in FINAL_COLOURS.items()]
    lines.append("    classDef taken fill:#bbdefb,font-weight:bold")
    return "\n".join(lines) + "\n"


def dot(flow: Flow, taken: tuple[set[str], set[tuple[str, str]]] | None = None) -> str:
    states, moves = taken or (set(), set())
    lines = [f'digraph "{flow.flow}" {{', "  rankdir=TB;",
             '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="Helvetica"];',
             '  edge [fontname="Helvetica", fontsize=10];',
             '  __start [shape=point, width=0.15, label=""];', f'  __start -> "{flow.start_state}";']
    lines += [f'  "{name}" [{_node_attrs(state, name in states)}];' for name, state in flow.states.items()]
    for src, dst, label in edges(flow):
        hot = (src, dst) in moves
        attrs = [f'label="{_escape(label)}"'] + (['color="#1565c0"', "penwidth=2.5"] if hot else [])
        attrs += ['style=dashed'] if label.startswith("catch") else []
        lines.append(f'  "{src}" -> "{dst}" [{", ".join(attrs)}];')
    return "\n".join(lines + ["}"]) + "\n"


def svg(flow: Flow, taken: tuple[set[str], set[tuple[str, str]]] | None = None) -> str:
    binary = shutil.which("dot")
    if binary is None:
        raise SmartLabError("SVG needs Graphviz's 'dot' (run 'make setup', or use --format mermaid)")
    done = subprocess.run([binary, "-Tsvg"], input=dot(flow, taken), capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SmartLabError(f"graphviz failed: {done.stderr.strip()}")
    return done.stdout


def _node_attrs(state: State, hot: bool) -> str:
    attrs = []
    if state.final:
        attrs += ["shape=doubleoctagon", f'color="{FINAL_COLOURS[state.final]}"', "penwidth=2"]
    if hot:
        attrs += ['fillcolor="#bbdefb"', "penwidth=2.5"]
    label = f"{len(state.do)} step(s)" if state.do else (state.final or "")
    return ", ".join(attrs + [f'xlabel="{label}"' if label and not state.final else "fontsize=14"])


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _mermaid_label(text: str) -> str:
    return text.replace(":", " ").replace("\n", " ")


FORMATS = {"mermaid": mermaid, "dot": dot, "svg": svg}
