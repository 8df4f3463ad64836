"""python -m demos.xor: a linear model fails on XOR, a two-layer MLP gets all four right."""
import math

import pytest

from demos import xor
from fast_demo import assert_png, run_fast


def test_mlp_solves_xor_and_the_linear_model_cannot(tmp_path, capsys):
    folder, results, printed = run_fast(xor, tmp_path, capsys)
    assert results["mlp_correct"] == 4
    assert results["linear_correct"] <= 3  # no line separates XOR
    assert results["linear_loss"] == pytest.approx(math.log(2), abs=1e-3)  # the best linear fit: p = 0.5 everywhere
    assert "4 of 4 right" in printed
    assert_png(folder / "xor.png")
