"""python -m demos.optimizers: SGD, Momentum, Adam and AdamW on an elongated valley."""
import numpy as np
from fast_demo import assert_png, run_fast

from demos import optimizers


def test_all_reach_the_valley_floor_and_adamw_is_pulled_toward_zero(tmp_path, capsys):
    folder, results, printed = run_fast(optimizers, tmp_path, capsys)
    assert set(results) == {"SGD", "Momentum", "Adam", "AdamW"}
    for name in ("SGD", "Momentum", "Adam"):
        assert results[name]["loss"] < 1e-2, name
    minimum = np.array(optimizers.MINIMUM)
    # decoupled weight decay shrinks the parameters: AdamW settles between the origin and the minimum
    assert np.linalg.norm(results["AdamW"]["final"]) < np.linalg.norm(minimum) - 0.2
    assert "AdamW" in printed
    assert_png(folder / "optimizers.png")
