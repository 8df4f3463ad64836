"""nn.metrics against scikit-learn's values (and a few by hand)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn import metrics as sk

from autograd import Tensor
from nn import metrics


@st.composite
def label_pairs(draw):
    """(number of classes k, y_true, y_pred): two label vectors of one length with labels 0 .. k-1."""
    k, n = draw(st.integers(1, 5)), draw(st.integers(1, 40))
    labels = arrays(np.int64, n, elements=st.integers(0, k - 1))
    return k, draw(labels), draw(labels)


@pytest.mark.filterwarnings("ignore:A single label was found:UserWarning")  # scikit-learn's advice on its own call
@settings(max_examples=60, deadline=None)
@given(pair=label_pairs())
def test_classification_metrics_match_scikit_learn(pair):
    k, y_true, y_pred = pair
    labels = list(range(k))
    assert metrics.accuracy(y_true, y_pred) == pytest.approx(sk.accuracy_score(y_true, y_pred))
    assert np.array_equal(metrics.confusion_matrix(y_true, y_pred, num_classes=k),
                          sk.confusion_matrix(y_true, y_pred, labels=labels))
    for ours, theirs in ((metrics.precision, sk.precision_score), (metrics.recall, sk.recall_score),
                         (metrics.f1_score, sk.f1_score)):
        expected = theirs(y_true, y_pred, labels=labels, average=None, zero_division=0)
        assert np.allclose(ours(y_true, y_pred, average=None, num_classes=k), expected)
        assert ours(y_true, y_pred, average="macro", num_classes=k) == pytest.approx(expected.mean())


@pytest.mark.filterwarnings("ignore:A single label was found:UserWarning")
@settings(max_examples=40, deadline=None)
@given(y=arrays(np.int64, st.integers(1, 30), elements=st.integers(0, 1)), flips=st.data())
def test_binary_metrics_match_scikit_learn(y, flips):
    y_pred = np.where(flips.draw(arrays(np.bool_, y.shape)), 1 - y, y)
    for pos_label in (0, 1):
        for ours, theirs in ((metrics.precision, sk.precision_score), (metrics.recall, sk.recall_score),
                             (metrics.f1_score, sk.f1_score)):
            expected = theirs(y, y_pred, pos_label=pos_label, zero_division=0) if len(np.union1d(y, y_pred)) > 1 \
                else theirs(y, y_pred, pos_label=pos_label, labels=[0, 1], zero_division=0)
            assert ours(y, y_pred, pos_label=pos_label) == pytest.approx(expected)


def test_binary_metrics_by_hand():
    y_true = Tensor([1.0, 1.0, 1.0, 0.0, 0.0])  # float targets, as BCE uses
    y_pred = Tensor([1, 1, 0, 1, 0])
    # tp = 2, fp = 1, fn = 1
    assert metrics.precision(y_true, y_pred) == pytest.approx(2 / 3)
    assert metrics.recall(y_true, y_pred) == pytest.approx(2 / 3)
    assert metrics.f1_score(y_true, y_pred) == pytest.approx(2 / 3)
    assert metrics.accuracy(y_true, y_pred) == pytest.approx(3 / 5)
    assert metrics.precision([0, 0], [0, 0]) == 0.0  # nothing predicted positive: 0, not nan


def test_confusion_matrix_rows_are_truth_columns_predictions():
    assert metrics.confusion_matrix([0, 0, 1, 2], [0, 1, 1, 0]).tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 0]]


@pytest.mark.parametrize("call, error, message", [
    (lambda: metrics.accuracy([0, 1], [0, 1, 1]), ValueError, r"same shape, got \(2,\) and \(3,\)"),
    (lambda: metrics.accuracy(np.zeros((2, 3)), np.zeros((2, 3))), ValueError, "argmax"),
    (lambda: metrics.accuracy([0.5, 1.0], [0, 1]), ValueError, "whole numbers"),
    (lambda: metrics.accuracy([-1, 1], [0, 1]), ValueError, "class labels 0, 1, 2"),
    (lambda: metrics.accuracy([], []), ValueError, "no samples"),
    (lambda: metrics.precision([0, 1, 2], [0, 1, 2]), ValueError, "average='binary' needs two classes"),
    (lambda: metrics.recall([0, 1], [0, 1], average="micro"), ValueError, "average must be one of"),
    (lambda: metrics.confusion_matrix([0, 3], [0, 1], num_classes=3), ValueError, "label 3 is out of range"),
    (lambda: metrics.mse([1.0, 2.0], [[1.0], [2.0]]), ValueError, "same shape"),
])
def test_bad_input_is_refused_with_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


@st.composite
def regression_pairs(draw):
    """(y, y_hat): two float arrays of one drawn shape (n samples, 1 to 3 outputs)."""
    shape = draw(st.tuples(st.integers(2, 30), st.integers(1, 3)))
    values = arrays(np.float64, shape, elements=st.floats(-1e3, 1e3))
    return draw(values), draw(values)


@settings(max_examples=60, deadline=None)
@given(pair=regression_pairs())
def test_regression_metrics_match_scikit_learn(pair):
    y, y_hat = pair
    assert metrics.mse(y, y_hat) == pytest.approx(sk.mean_squared_error(y, y_hat))
    assert metrics.mae(y, y_hat) == pytest.approx(sk.mean_absolute_error(y, y_hat))
    assert metrics.r2_score(y, y_hat) == pytest.approx(sk.r2_score(y, y_hat), abs=1e-9)
    column = y[:, 0], y_hat[:, 0]
    assert metrics.rmse(*column) == pytest.approx(sk.root_mean_squared_error(*column))
    assert metrics.r2_score(*column) == pytest.approx(sk.r2_score(*column), abs=1e-9)


def test_regression_metrics_by_hand():
    y, y_hat = Tensor([1.0, 2.0, 3.0]), Tensor([1.0, 2.0, 5.0])
    assert metrics.mse(y, y_hat) == pytest.approx(4 / 3)
    assert metrics.rmse(y, y_hat) == pytest.approx(np.sqrt(4 / 3))
    assert metrics.mae(y, y_hat) == pytest.approx(2 / 3)
    assert metrics.r2_score(y, y_hat) == pytest.approx(1 - 4 / 2)  # residual 4, total 2
    assert metrics.r2_score([2.0, 2.0], [2.0, 2.0]) == 1.0 and metrics.r2_score([2.0, 2.0], [2.0, 3.0]) == 0.0
