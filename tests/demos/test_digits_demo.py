"""python -m demos.digits: the full pipeline on scikit-learn's 8x8 digits.

The full run reaches a test accuracy of about 0.98 (above 0.97); the fast run (12 epochs at most) is
asserted at 0.95.
"""
from fast_demo import assert_png, run_fast

from demos import digits


def test_fast_run_classifies_the_test_set(tmp_path, capsys):
    folder, results, printed = run_fast(digits, tmp_path, capsys)
    assert results["test_accuracy"] >= 0.95
    assert results["macro_f1"] >= 0.94
    assert 1 <= results["best_epoch"] <= results["epochs"] <= 12
    assert (folder / "best_model.npz").exists()  # the early-stopping checkpoint
    assert "test accuracy" in printed and "precision" in printed
    assert_png(folder / "digits.png")


def test_scaler_is_fitted_on_the_training_split_only():
    train, validation, test = digits.datasets(seed=0)
    scaler = validation.transform
    inputs = train.dataset.dataset.tensors[0].numpy()
    assert (scaler.shift == inputs[train.dataset.indices].mean(axis=0)).all()
    assert not (scaler.shift == inputs.mean(axis=0)).all()
