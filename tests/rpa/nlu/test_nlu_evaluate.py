import pytest

from rpa.nlu.client import Prediction
from rpa.nlu.evaluate import Case, OutOfScope, score_cases

CASES = [Case("a", "lands"), Case("b", "housing"), Case("c", "oos"), Case("d", "oos")]


@pytest.mark.parametrize(("prediction", "flagged"), [
    (Prediction("oos", 0.9, False), True),
    (Prediction("lands", 0.9, True), True),  # Rasa fell back
    (Prediction("lands", 0.2, False), True),  # below the threshold
    (Prediction("lands", 0.9, False), False),
])
def test_out_of_scope_flags_the_label_a_fallback_or_low_confidence(prediction, flagged):
    assert OutOfScope("oos", 0.3).flags(prediction) is flagged


def test_score_cases_with_out_of_scope_counts_it_apart_and_never_routes_it():
    predictions = [Prediction("lands", 0.9, False), Prediction("housing", 0.25, False),
                   Prediction("oos", 0.95, False), Prediction("lands", 0.8, False)]
    report = score_cases(CASES, predictions, [], OutOfScope("oos", 0.3))
    assert report.in_scope_accuracy == pytest.approx(0.5)  # housing fell below 0.3
    assert (report.oos_recall, report.oos_precision) == (pytest.approx(0.5), pytest.approx(0.5))
    # a flagged answer has confidence 0: the confident wrong "lands" for d stops the head
    assert report.coverage_at_95 == pytest.approx(0.25)


def test_score_cases_without_out_of_scope_has_no_such_figures():
    predictions = [Prediction("lands", 0.9, False)] * 4
    assert "oos_recall" not in score_cases(CASES, predictions, []).as_dict()
