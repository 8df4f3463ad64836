"""Metrics: how good predictions are, for classification (from class labels) and regression (from values).

Arguments follow scikit-learn's order, `(y_true, y_pred)`, and take Tensors, numpy arrays or lists.
Classes are the integers 0 .. num_classes-1 (num_classes defaults to the largest label seen plus one).
A ratio whose denominator is 0 (e.g. precision of a class never predicted) counts as 0, as scikit-learn's
default does.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor

AVERAGES = ("binary", "macro", None)


def _array(values: Any) -> np.ndarray:
    if isinstance(values, Tensor):
        values = values.detach()._data
    return np.asarray(values)


def _pair(y_true: Any, y_pred: Any, metric: str) -> tuple[np.ndarray, np.ndarray]:
    y_true, y_pred = _array(y_true), _array(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{metric}: y_true and y_pred must have the same shape, got {y_true.shape} and "
                         f"{y_pred.shape}")
    if y_true.size == 0:
        raise ValueError(f"{metric}: no samples (empty y_true and y_pred)")
    return y_true, y_pred


def _labels(y_true: Any, y_pred: Any, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """Both label vectors as int64 class indices; float labels must be whole numbers (as BCE targets are)."""
    y_true, y_pred = _pair(y_true, y_pred, metric)
    if y_true.ndim != 1:
        raise ValueError(f"{metric}: expected 1-d vectors of class labels, got shape {y_true.shape} "
                         f"(for scores, take argmax(dim=1) first)")
    labels = []
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if y.dtype.kind == "f" and not np.all(y == np.round(y)):
            raise ValueError(f"{metric}: {name} must hold class labels (whole numbers), got non-integral values")
        if y.dtype.kind not in "biuf" or np.any(y < 0):
            raise ValueError(f"{metric}: {name} must hold class labels 0, 1, 2, ..., got {y.dtype} values "
                             f"from {y.min()} to {y.max()}")
        labels.append(y.astype(np.int64))
    return labels[0], labels[1]


def accuracy(y_true: Any, y_pred: Any) -> float:
    """The fraction of samples whose predicted label equals the true one."""
    y_true, y_pred = _labels(y_true, y_pred, "accuracy")
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true: Any, y_pred: Any, num_classes: int | None = None) -> np.ndarray:
    """C[i, j] = the number of samples of true class i predicted as class j (rows: truth, columns: prediction)."""
    y_true, y_pred = _labels(y_true, y_pred, "confusion_matrix")
    largest = int(max(y_true.max(), y_pred.max()))
    if num_classes is None:
        num_classes = largest + 1
    elif largest >= num_classes:
        raise ValueError(f"confusion_matrix: label {largest} is out of range for num_classes={num_classes}")
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, with 0 where the denominator is 0."""
    safe = np.where(denominator > 0, denominator, 1)
    return np.where(denominator > 0, numerator / safe, 0.0)


def _scores(y_true: Any, y_pred: Any, average: str | None, pos_label: int, num_classes: int | None,
            metric: str) -> float | np.ndarray:
    """Precision, recall or F1 from the confusion matrix, per class then averaged as asked.

    With tp = C[k, k], predicted = column sum, actual = row sum of class k:
    precision = tp / predicted, recall = tp / actual, F1 = 2 tp / (predicted + actual).
    """
    if average not in AVERAGES:
        raise ValueError(f"{metric}: average must be one of {AVERAGES}, got {average!r}")
    y_true, y_pred = _labels(y_true, y_pred, metric)
    if average == "binary":
        present = np.union1d(y_true, y_pred)
        if len(present) > 2 or (len(present) == 2 and pos_label not in present):
            raise ValueError(f"{metric}: average='binary' needs two classes, one of them pos_label={pos_label}; "
                             f"got labels {present.tolist()} (use average='macro' or None for more classes)")
        y_true, y_pred, num_classes = (y_true == pos_label).astype(np.int64), (y_pred == pos_label).astype(np.int64), 2
    matrix = confusion_matrix(y_true, y_pred, num_classes)
    tp, predicted, actual = np.diag(matrix), matrix.sum(axis=0), matrix.sum(axis=1)
    if metric == "precision":
        per_class = _ratio(tp, predicted)
    elif metric == "recall":
        per_class = _ratio(tp, actual)
    else:
        per_class = _ratio(2 * tp, predicted + actual)
    if average == "binary":
        return float(per_class[1])
    return float(per_class.mean()) if average == "macro" else per_class


def precision(y_true: Any, y_pred: Any, average: str | None = "binary", pos_label: int = 1,
              num_classes: int | None = None) -> float | np.ndarray:
    """Of the samples predicted as a class, the fraction that truly are: tp / (tp + fp).

    average='binary' scores class `pos_label`; 'macro' is the unweighted mean over classes; None gives
    the array of per-class values.
    """
    return _scores(y_true, y_pred, average, pos_label, num_classes, "precision")


def recall(y_true: Any, y_pred: Any, average: str | None = "binary", pos_label: int = 1,
           num_classes: int | None = None) -> float | np.ndarray:
    """Of the samples truly of a class, the fraction predicted as it: tp / (tp + fn). Averages as `precision`."""
    return _scores(y_true, y_pred, average, pos_label, num_classes, "recall")


def f1_score(y_true: Any, y_pred: Any, average: str | None = "binary", pos_label: int = 1,
             num_classes: int | None = None) -> float | np.ndarray:
    """The harmonic mean of precision and recall: 2 tp / (2 tp + fp + fn). Averages as `precision`."""
    return _scores(y_true, y_pred, average, pos_label, num_classes, "f1_score")


def mse(y_true: Any, y_pred: Any) -> float:
    """Mean squared error: mean((y - y_hat)^2)."""
    y_true, y_pred = _pair(y_true, y_pred, "mse")
    return float(np.mean((y_true.astype(np.float64) - y_pred) ** 2))


def rmse(y_true: Any, y_pred: Any) -> float:
    """Root mean squared error: sqrt(mse), in the units of y."""
    return float(np.sqrt(mse(y_true, y_pred)))


def mae(y_true: Any, y_pred: Any) -> float:
    """Mean absolute error: mean(|y - y_hat|)."""
    y_true, y_pred = _pair(y_true, y_pred, "mae")
    return float(np.mean(np.abs(y_true.astype(np.float64) - y_pred)))


def r2_score(y_true: Any, y_pred: Any) -> float:
    """Coefficient of determination: 1 - sum((y - y_hat)^2) / sum((y - mean(y))^2).

    For 2-d targets, the mean over the columns (outputs). A constant y_true scores 1 if predicted
    exactly and 0 otherwise (scikit-learn's convention).
    """
    y_true, y_pred = _pair(y_true, y_pred, "r2_score")
    y_true = y_true.astype(np.float64).reshape(len(y_true), -1) if y_true.ndim else y_true.reshape(1, 1)
    y_pred = y_pred.astype(np.float64).reshape(y_true.shape)
    residual = ((y_true - y_pred) ** 2).sum(axis=0)
    total = ((y_true - y_true.mean(axis=0)) ** 2).sum(axis=0)
    scores = np.where(total > 0, 1 - residual / np.where(total > 0, total, 1), np.where(residual == 0, 1.0, 0.0))
    return float(scores.mean())


__all__ = ["accuracy", "confusion_matrix", "precision", "recall", "f1_score", "mse", "rmse", "mae", "r2_score"]
