"""python -m demos.moons: micrograd's demo reaches 100% training accuracy."""
from fast_demo import assert_png, run_fast

from demos import moons


def test_all_training_points_are_classified_right(tmp_path, capsys):
    folder, results, printed = run_fast(moons, tmp_path, capsys)
    assert results["accuracy"] == 1.0
    assert results["loss"] < 0.1
    assert "training accuracy 100%" in printed
    assert_png(folder / "moons.png")
