"""Activities: the `@activity` tag, the registry, the context, and the built-in list."""

from rpa.activities import browser, core, files, http, human, ocr, pdf, queue, subflow
from rpa.activities.context import Context, SetVars
from rpa.activities.registry import Registry, builtin_registry, registry_for
from rpa.activities.spec import ActivitySpec, Param, activity

BUILTINS = [
    core.set_,
    core.log,
    core.fail,
    core.wait,
    files.glob,
    files.read,
    files.write,
    files.move,
    files.copy,
    http.request,
    subflow.run,
    *queue.ACTIVITIES,
    *human.ACTIVITIES,
    *pdf.ACTIVITIES,
    *ocr.ACTIVITIES,
    *browser.ACTIVITIES,
]

__all__ = [
    "ActivitySpec",
    "BUILTINS",
    "Context",
    "Param",
    "Registry",
    "SetVars",
    "activity",
    "builtin_registry",
    "registry_for",
]
