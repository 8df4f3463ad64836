"""python -m demos.newton: Newton's method solves least squares in one step and Rosenbrock in a few."""
import numpy as np
from fast_demo import assert_png, run_fast

from demos import newton


def test_newton_reaches_the_least_squares_line_in_one_step(tmp_path, capsys):
    folder, results, printed = run_fast(newton, tmp_path, capsys)
    quadratic = results["least squares (quadratic)"]
    # least squares by hand: slope Sxy / Sxx = 30 / 20 = 1.5, intercept 16 - 1.5 * 3 = 11.5, MSE 59 / 5
    path = quadratic["Newton"]["path"]
    assert len(path) == 2 and quadratic["Newton"]["steps"] == 1
    np.testing.assert_allclose(path[1], [11.5, 1.5], rtol=0, atol=1e-12)
    assert quadratic["Newton"]["gap"][1] <= newton.TOLERANCE
    assert abs(newton.mean_squared_error(path[1]) - 59 / 5) < 1e-12
    # gradient descent (lr 0.05, the contraction of its slowest direction is 1 - 0.05 * 0.584) takes hundreds
    assert 300 < quadratic["gradient descent"]["steps"] < 600
    np.testing.assert_allclose(quadratic["gradient descent"]["final"], [11.5, 1.5], atol=1e-4)

    curved = results["Rosenbrock (not quadratic)"]
    assert curved["Newton"]["steps"] <= 8
    np.testing.assert_allclose(curved["Newton"]["final"], [1.0, 1.0], atol=1e-4)
    assert curved["gradient descent"]["steps"] is None  # not within the fast run's 3000 steps
    assert newton.rosenbrock(curved["gradient descent"]["final"]) < 0.01  # on its way along the valley (24.2 at start)
    assert "after 1 iteration " in printed and "not reached in 3000 iterations" in printed
    assert_png(folder / "newton.png")
