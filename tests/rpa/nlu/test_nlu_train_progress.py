import pytest

from rpa.nlu.train import TrainProgress

LINES = [
    "2026-12-03 INFO rasa.engine.training.hooks - Starting to train component 'Tokenizer'.",
    "2026-12-03 INFO rasa.engine.training.hooks - Finished training component 'Tokenizer'.",
    "2026-12-03 INFO smartlab_nlu.featurizer - embedded 64/256 texts",
    "2026-12-03 INFO smartlab_nlu.featurizer - embedded 256/256 texts",
    "2026-12-03 INFO rasa.engine.training.hooks - Finished training component 'Embedder'.",
    "2026-12-03 INFO rasa.engine.training.hooks - Finished training component 'Classifier'.",
]


@pytest.mark.parametrize(("seen", "fraction", "stage"), [
    (0, 0.0, "starting Rasa"),
    (2, 0.25, "trained Tokenizer"),
    (3, 0.3125, "embedding 64/256 texts"),
    (5, 0.5, "trained Embedder"),
    (6, 0.75, "trained Classifier"),
])
def test_train_progress_follows_components_and_embedding(seen, fraction, stage):
    progress = TrainProgress(components=4)
    for line in LINES[:seen]:
        progress.feed(line)
    assert progress.fraction == pytest.approx(fraction)
    assert progress.stage == stage


def test_train_progress_never_passes_the_end():
    progress = TrainProgress(components=1)
    for line in LINES:
        progress.feed(line)
    assert progress.fraction == 1.0
