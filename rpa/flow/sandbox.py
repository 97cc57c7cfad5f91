"""The Jinja sandbox flows' templates run in, with bounds on the work one template may do.

Jinja's own sandbox stops a template from reaching Python internals; it does not stop one
from looping for ever or building a string of a gigabyte. Here, per rendering of one
template (each a `SMARTLAB_TEMPLATE_*` setting):

- every `{% for %}` loop and `range()` draws on one budget of iterations (MAX_RANGE), so
  nested loops cannot multiply their way past it;
- `*`, `+`, `**` and `~` refuse a result longer than MAX_OUTPUT characters (or items, or
  digits) before they build it, and the rendered text may not grow past MAX_OUTPUT.

A breach raises TemplateLimit, which the engine reports as the step's BusinessError.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from rpa.settings import integer

GUARD, CONCAT = "__loop_guard", "__concat"


class TemplateLimit(ValueError):
    """A template tried to do more work than the limits allow."""


class _Budget:
    """One rendering's allowance. The settings are read when first needed (most expressions
    never loop nor build anything long), so a change of them applies to the next rendering."""

    def __init__(self) -> None:
        self._left: int | None = None
        self._output: int | None = None

    @property
    def output(self) -> int:
        if self._output is None:
            self._output = integer("SMARTLAB_TEMPLATE_MAX_OUTPUT")
        return self._output

    def spend(self, n: int) -> None:
        if self._left is None:
            self._left = integer("SMARTLAB_TEMPLATE_MAX_RANGE")
        self._left -= n
        if self._left < 0:
            raise TemplateLimit(f"more than {integer('SMARTLAB_TEMPLATE_MAX_RANGE')} loop iterations "
                                "in one template (SMARTLAB_TEMPLATE_MAX_RANGE)")

    def size(self, n: int) -> None:
        if n > 0 and n > self.output:  # an empty or number-only result fits any limit
            raise TemplateLimit(f"a value of more than {self.output} characters or items "
                                "(SMARTLAB_TEMPLATE_MAX_OUTPUT)")


_budget: ContextVar[_Budget | None] = ContextVar("template_budget", default=None)


def _current() -> _Budget:
    return _budget.get() or _Budget()


class rendering:  # noqa: N801 (used as a function: `with rendering():`)
    """One template's rendering: a fresh budget for everything it does (a class, not a
    generator-based context manager: it is entered on every expression of every step)."""

    __slots__ = ("_token",)

    def __enter__(self) -> _Budget:
        budget = _Budget()
        self._token = _budget.set(budget)
        return budget

    def __exit__(self, *exc: object) -> None:
        _budget.reset(self._token)


def _loop_guard(iterable: Iterable[Any]) -> Iterable[Any]:
    return iterable if isinstance(iterable, range) else _counted(iterable)  # a range paid when made


def _counted(iterable: Iterable[Any]) -> Iterator[Any]:
    budget = _current()
    for item in iterable:
        budget.spend(1)
        yield item


def _range(*args: int) -> range:
    found = range(*args)
    _current().spend(len(found))
    return found


def _concat(*parts: Any) -> str:
    text = "".join(str(p) for p in parts)
    _current().size(len(text))
    return text


def _length(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else 0


def _multiply(left: Any, right: Any) -> Any:
    times = right if isinstance(right, int) else left if isinstance(left, int) else 1
    _current().size(max(_length(left), _length(right)) * max(times, 0))
    return operator.mul(left, right)


def _add(left: Any, right: Any) -> Any:
    _current().size(_length(left) + _length(right))
    return operator.add(left, right)


def _power(left: Any, right: Any) -> Any:
    if isinstance(left, int) and isinstance(right, int) and abs(left) > 1:
        _current().size(int(right * abs(left).bit_length() * 0.302))  # decimal digits of the result
    return operator.pow(left, right)


_BINOPS: dict[str, Callable[[Any, Any], Any]] = {"*": _multiply, "+": _add, "**": _power}


class BoundedEnvironment(SandboxedEnvironment):
    intercepted_binops = frozenset(_BINOPS)

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals.update({"range": _range, GUARD: _loop_guard, CONCAT: _concat})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        return _BINOPS[operator](left, right)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Every loop draws on the budget; every `~` checks the length it makes."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Call(nodes.Name(GUARD, "load"), [loop.iter], [], None, None)
        for parent in tree.find_all(nodes.Node):
            for field in parent.fields:
                setattr(parent, field, _bounded_concat(getattr(parent, field, None)))
        return tree


def _bounded_concat(child: Any) -> Any:
    if isinstance(child, list):
        return [_bounded_concat(c) for c in child]
    if isinstance(child, nodes.Concat):
        return nodes.Call(nodes.Name(CONCAT, "load"), child.nodes, [], None, None)
    return child


def render_bounded(chunks: Iterable[str]) -> str:
    """Join a template's output, refusing it as soon as it passes MAX_OUTPUT."""
    budget, out, size = _current(), [], 0
    for chunk in chunks:
        size += len(chunk)
        budget.size(size)
        out.append(chunk)
    return "".join(out)
