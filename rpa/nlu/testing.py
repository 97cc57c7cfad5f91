"""One trained model and one running server per project for a whole test session.

Test folders of different packages (the NLU management, the triage bot, the receptionist)
each declare a session fixture that calls `shared_server`; all of them get the same server,
so Rasa trains at most once (and not at all when the cached model is current) and starts once.
"""

from __future__ import annotations

import atexit

from rpa.nlu.project import open_project
from rpa.nlu.server import RasaServer, free_port
from rpa.nlu.train import TrainResult, train

_trained: dict[str, TrainResult] = {}
_servers: dict[str, RasaServer] = {}


def shared_model(project: str) -> TrainResult:
    if project not in _trained:
        _trained[project] = train(open_project(project))
    return _trained[project]


def shared_server(project: str) -> RasaServer:
    if project not in _servers:
        proj = open_project(project)
        model = shared_model(project).model
        port = free_port()
        server = RasaServer(model, port, log=proj.state / f"test-server-{port}.log")
        _servers[project] = server.start()
    return _servers[project]


def stop_shared() -> None:
    while _servers:
        _, server = _servers.popitem()
        server.stop()


atexit.register(stop_shared)
