"""python -m demos.curve_fitting: degree 1 underfits, degree 3 fits, degree 9 overfits."""
from fast_demo import assert_png, run_fast

from demos import curve_fitting


def test_under_and_over_fitting_show_in_the_errors(tmp_path, capsys):
    folder, results, printed = run_fast(curve_fitting, tmp_path, capsys)
    (train1, val1), (train3, val3), (train9, val9) = (results["errors"][d] for d in (1, 3, 9))
    assert train1 > train3 > train9  # more capacity, lower training error
    assert val3 < val1 and val3 < val9  # validation error is lowest in the middle
    assert val9 > 1.5 * val3 and train9 < train3  # degree 9 fits the noise: better on training, worse on validation
    assert "degree 9" in printed
    assert_png(folder / "curve_fitting.png")
