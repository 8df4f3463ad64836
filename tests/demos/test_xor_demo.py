"""python -m demos.xor: a linear model fails on XOR, a two-layer MLP gets all four right."""
import math

from fast_demo import assert_png, run_fast

from demos import xor


def test_mlp_solves_xor_and_the_linear_model_cannot(tmp_path, capsys):
    folder, results, printed = run_fast(xor, tmp_path, capsys)
    assert results["mlp_correct"] == 4
    # no line separates XOR: the best linear fit is p = 0.5 at every point (BCE log 2), a coin toss, as the
    # picture says (how a threshold reads a p within rounding of 0.5 is no result, so the count is not pinned)
    assert results["linear_correct"] < 4
    assert max(abs(results["linear_probabilities"] - 0.5)) < 1e-3
    assert abs(results["linear_loss"] - math.log(2)) < 1e-3
    assert "4 of 4 right" in printed
    assert_png(folder / "xor.png")
