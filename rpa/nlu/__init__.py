"""Rasa projects under `nlu/`, managed from the app: train (cached by a data hash), serve on
loopback, test, and evaluate a model on a CSV. Rasa runs in its own venv; we reach it by
subprocess and HTTP only. Errors: see `rpa.nlu.errors`.
"""

from rpa.nlu.client import Prediction, RasaHttp
from rpa.nlu.errors import DataError, NluError, ProjectError, RasaError, ServerError
from rpa.nlu.evaluate import ProjectScore, evaluate_csv, read_cases, resolve_model, score_project
from rpa.nlu.metrics import Report
from rpa.nlu.project import Project, nlu_home, open_project
from rpa.nlu.server import RasaServer, free_port
from rpa.nlu.train import TrainResult, is_current, train

__all__ = [
    "DataError",
    "NluError",
    "Prediction",
    "Project",
    "ProjectError",
    "ProjectScore",
    "RasaError",
    "RasaHttp",
    "RasaServer",
    "Report",
    "ServerError",
    "TrainResult",
    "evaluate_csv",
    "free_port",
    "is_current",
    "nlu_home",
    "open_project",
    "read_cases",
    "resolve_model",
    "score_project",
    "train",
]
