"""python -m demos.linear_regression: gradient descent reaches the least-squares line of the lecture's points."""
import pytest
from fast_demo import assert_png, run_fast

from demos import linear_regression


def test_reaches_the_least_squares_line(tmp_path, capsys):
    folder, results, printed = run_fast(linear_regression, tmp_path, capsys)
    # least squares by hand: mean speed 3, mean distance 16, Sxy = 30, Sxx = 20 -> slope 1.5, intercept 11.5;
    # residuals 0.5, 1.5, -6, -0.5, 4.5 -> SSE 59
    assert results["intercept"] == pytest.approx(11.5, abs=1e-3)
    assert results["slope"] == pytest.approx(1.5, abs=1e-3)
    assert results["sse"] == pytest.approx(59.0, abs=1e-3)
    assert "intercept 11.5000" in printed and "slope 1.5000" in printed
    assert_png(folder / "linear_regression.png")
