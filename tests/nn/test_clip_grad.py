"""nn.utils.clip_grad_norm_ and clip_grad_value_: PyTorch's formulas, in place, with the pre-clip norm returned."""
import math

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import Tensor


def params_with_grads(*grads):
    params = []
    for g in grads:
        p = nn.Parameter(np.zeros(np.shape(g)))
        p.grad = Tensor(np.array(g, dtype=np.float32))
        params.append(p)
    return params


def test_clip_grad_norm_scales_all_gradients_together_and_returns_the_total_norm():
    a, b = params_with_grads([3.0, 0.0], [[0.0], [4.0]])  # total 2-norm 5
    total = nn.utils.clip_grad_norm_([a, b], max_norm=1.0)
    assert isinstance(total, Tensor) and total.item() == pytest.approx(5.0)
    coef = 1.0 / (5.0 + 1e-6)
    np.testing.assert_allclose(a.grad._data, [3 * coef, 0], rtol=1e-6)
    np.testing.assert_allclose(b.grad._data, [[0], [4 * coef]], rtol=1e-6)


def test_clip_grad_norm_leaves_small_gradients_alone_and_skips_missing_ones():
    a, b = params_with_grads([0.3, 0.4], [1.0])
    b.grad = None
    grad = a.grad
    assert nn.utils.clip_grad_norm_([a, b], max_norm=1.0).item() == pytest.approx(0.5)
    assert a.grad is grad
    np.testing.assert_allclose(a.grad._data, [0.3, 0.4], rtol=1e-6)
    assert nn.utils.clip_grad_norm_([b], 1.0).item() == 0.0


@pytest.mark.parametrize("norm_type, expected", [(1.0, 3 + 4 + 12), (math.inf, 12.0),
                                                 (3.0, (27 + 64 + 1728) ** (1 / 3))])
def test_clip_grad_norm_other_norm_types(norm_type, expected):
    a, b = params_with_grads([3.0, -4.0], [12.0])
    total = nn.utils.clip_grad_norm_([a, b], max_norm=2.0, norm_type=norm_type)
    assert total.item() == pytest.approx(expected, rel=1e-6)
    np.testing.assert_allclose(a.grad._data, np.array([3.0, -4.0]) * 2.0 / (expected + 1e-6), rtol=1e-5)


def test_clip_grad_norm_non_finite_total_raises_when_asked_before_changing_anything():
    (a,) = params_with_grads([np.inf, 1.0])
    with pytest.raises(RuntimeError, match="The total norm of order 2.0 for gradients from `parameters` is non-finite"):
        nn.utils.clip_grad_norm_(a, 1.0, error_if_nonfinite=True)
    np.testing.assert_array_equal(a.grad._data, [np.inf, 1.0])


def test_clip_grad_value_clamps_every_element():
    model = nn.Linear(3, 2)
    model(ag.randn(4, 3) * 10).sum().backward()
    raw = model.weight.grad._data.copy()
    nn.utils.clip_grad_value_(model.parameters(), 0.5)
    np.testing.assert_array_equal(model.weight.grad._data, np.clip(raw, -0.5, 0.5))
    assert np.abs(model.bias.grad._data).max() <= 0.5
