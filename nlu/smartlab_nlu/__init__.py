"""SmartLab's own Rasa components, loaded by Rasa (Python 3.10, `nlu/.venv`) from `nlu/`.

`rpa.nlu.rasa` puts this folder's parent on Rasa's PYTHONPATH, so a pipeline names a
component as `smartlab_nlu.SentenceEmbeddingFeaturizer` from any project folder.
"""

from smartlab_nlu.classifier import LinearIntentClassifier
from smartlab_nlu.embedders import EmbedderError, load_embedder
from smartlab_nlu.featurizer import SentenceEmbeddingFeaturizer

__all__ = ["EmbedderError", "LinearIntentClassifier", "SentenceEmbeddingFeaturizer", "load_embedder"]
