"""python -m demos.schedulers: every scheduler of optim.lr_scheduler, drawn."""
import math

import pytest
from fast_demo import assert_png, run_fast

from demos import schedulers
from optim import lr_scheduler


def test_every_scheduler_is_drawn(tmp_path, capsys):
    folder, results, _ = run_fast(schedulers, tmp_path, capsys)
    every = set(lr_scheduler.__all__) - {"LRScheduler"}
    assert set(results["classes"]) == every
    assert_png(folder / "schedulers.png")


def test_curves_follow_the_closed_forms(tmp_path, capsys):
    _, results, _ = run_fast(schedulers, tmp_path, capsys)
    curves = {name.split("\n")[0]: rates for name, rates in results["curves"].items()}
    base = schedulers.BASE_LR
    assert all(len(rates) == schedulers.EPOCHS for rates in curves.values())
    assert curves["StepLR"][29:31] == pytest.approx([base, base * 0.5])
    assert curves["CosineAnnealingLR"][50] == pytest.approx(base / 2)  # (1 + cos(pi/2)) / 2
    assert curves["ExponentialLR"][10] == pytest.approx(base * 0.97 ** 10)
    assert curves["SequentialLR"][0] == pytest.approx(base * 0.01)
    assert curves["SequentialLR"][10] == pytest.approx(base)
    assert curves["OneCycleLR"][0] == pytest.approx(base / 25)
    plateau = curves["ReduceLROnPlateau"]
    assert plateau[0] == base and plateau[-1] < base and all(b <= a for a, b in zip(plateau, plateau[1:]))
    assert curves["LambdaLR"][10] == pytest.approx(base / 2)
    assert not any(math.isnan(r) for rates in curves.values() for r in rates)
