"""python -m demos.vanishing_gradients: the gradient fades through sigmoid layers and keeps its size through ReLU."""
import numpy as np
from fast_demo import assert_png, run_fast

from demos import vanishing_gradients


def test_sigmoid_gradients_vanish_and_relu_gradients_do_not(tmp_path, capsys):
    folder, results, _ = run_fast(vanishing_gradients, tmp_path, capsys)
    assert results["sigmoid"]["first_over_last"] < 1e-4
    assert 0.1 < results["relu"]["first_over_last"] < 10
    by_depth = np.array(results["sigmoid"]["by_depth"])
    assert (np.diff(by_depth) < 0).all()  # every extra sigmoid layer shrinks the first layer's gradient
    assert by_depth[-1] / by_depth[0] < 0.3 ** (len(by_depth) - 1)  # by at least ~1/4 per layer
    assert_png(folder / "vanishing_gradients.png")
