"""python -m demos.activations: each activation's derivative, from backward, matches finite differences."""
from fast_demo import assert_png, run_fast

from demos import activations


def test_backward_derivatives_match_central_differences(tmp_path, capsys):
    folder, results, _ = run_fast(activations, tmp_path, capsys)
    errors = results["max_derivative_error"]
    assert set(errors) == set(activations.ACTIVATIONS)
    assert max(errors.values()) < 1e-6
    assert_png(folder / "activations.png")
