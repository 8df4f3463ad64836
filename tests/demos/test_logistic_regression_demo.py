"""python -m demos.logistic_regression: a linear boundary separates two overlapping blobs."""
import pytest
from fast_demo import assert_png, run_fast

from demos import logistic_regression


def test_classifies_the_test_set(tmp_path, capsys):
    folder, results, printed = run_fast(logistic_regression, tmp_path, capsys)
    assert results["accuracy"] >= 0.95
    p, r = results["precision"], results["recall"]
    assert results["f1"] == pytest.approx(2 * p * r / (p + r))
    assert results["loss"] < 0.2
    assert "accuracy" in printed
    assert_png(folder / "logistic_regression.png")
