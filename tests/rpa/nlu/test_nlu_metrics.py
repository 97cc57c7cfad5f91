import pytest

from rpa.nlu import metrics

GOLD = ["a", "a", "b", "b", "c"]


@pytest.mark.parametrize(("predicted", "expected"), [
    (["a", "a", "b", "b", "c"], 1.0),
    (["a", "b", "b", "b", "c"], 0.8),
    (["c", "c", "c", "c", "a"], 0.0),
])
def test_accuracy_counts_exact_matches(predicted, expected):
    assert metrics.accuracy(GOLD, predicted) == pytest.approx(expected)


@pytest.mark.parametrize(("predicted", "expected"), [
    (["a", "a", "b", "b", "c"], 1.0),
    # a: p=1 r=.5 f=.667; b: p=.667 r=1 f=.8; c: 1
    (["a", "b", "b", "b", "c"], (2 / 3 + 0.8 + 1) / 3),
    (["a", "a", "b", "b", "z"], (1 + 1 + 0) / 3),
])
def test_macro_f1_averages_over_gold_labels(predicted, expected):
    assert metrics.macro_f1(GOLD, predicted) == pytest.approx(expected)


@pytest.mark.parametrize(("predicted", "confidence", "coverage", "threshold"), [
    (["a", "a", "b", "b", "c"], [0.9, 0.8, 0.7, 0.6, 0.5], 1.0, 0.5),
    (["a", "a", "b", "x", "c"], [0.9, 0.8, 0.7, 0.6, 0.5], 0.6, 0.7),
    (["x", "a", "b", "b", "c"], [0.9, 0.8, 0.7, 0.6, 0.5], 0.0, None),
    # a tie at the cut-off cannot be split by a threshold
    (["a", "a", "b", "x", "c"], [0.9, 0.8, 0.6, 0.6, 0.5], 0.4, 0.8),
])
def test_coverage_at_precision_keeps_longest_precise_head(predicted, confidence, coverage,
                                                          threshold):
    found = metrics.coverage_at_precision(GOLD, predicted, confidence, 0.95)
    assert found.coverage == pytest.approx(coverage)
    assert found.threshold == threshold


@pytest.mark.parametrize(("values", "q", "expected"), [
    ([], 50, None),
    ([5.0], 95, 5.0),
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5),
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95, 10),
])
def test_percentile_uses_nearest_rank(values, q, expected):
    assert metrics.percentile(values, q) == expected


def test_report_carries_every_figure():
    found = metrics.report(GOLD, GOLD, [0.9] * 5, [3.0, 1.0, 2.0])
    assert found.as_dict() == {
        "n": 5, "labels": 3, "accuracy": 1.0, "macro_f1": 1.0, "coverage_at_95": 1.0,
        "threshold_at_95": 0.9, "coverage_at_99": 1.0, "threshold_at_99": 0.9,
        "p50_ms": 2.0, "p95_ms": 3.0}


def test_report_leaves_out_of_scope_figures_out_without_a_label():
    found = metrics.report(GOLD, GOLD, [0.9] * 5).as_dict()
    assert not {"in_scope_accuracy", "oos_recall", "oos_precision"} & found.keys()


def test_report_scores_the_out_of_scope_label_apart():
    gold = ["a", "a", "oos", "oos", "oos"]
    predicted = ["a", "oos", "oos", "a", "oos"]
    found = metrics.report(gold, predicted, [0.9] * 5, oos_label="oos")
    assert found.in_scope_accuracy == pytest.approx(0.5)
    assert found.oos_recall == pytest.approx(2 / 3)
    assert found.oos_precision == pytest.approx(2 / 3)


def test_coverage_at_99_is_stricter_than_at_95():
    gold = ["a"] * 40
    predicted = ["a"] * 39 + ["b"]
    confidence = [1 - i / 100 for i in range(40)]
    confidence[0] = 0.999
    predicted[1] = "b"  # the second most confident is wrong: 95% allows it, 99% does not
    found = metrics.report(gold, predicted, confidence)
    assert found.coverage_at_99 == pytest.approx(1 / 40)
    assert found.coverage_at_95 > 0.9
