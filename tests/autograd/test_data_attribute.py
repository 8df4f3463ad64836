"""`.data` and `.numpy()` as in PyTorch: the same memory outside the graph, changes that autograd does not see."""
import numpy as np
import pytest

import autograd as ag


def test_data_is_a_tensor_that_shares_memory_without_grad_or_history():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    for t in (x, y):
        d = t.data
        assert isinstance(d, ag.Tensor) and not d.requires_grad and d.grad_fn is None and d.is_leaf
        assert np.shares_memory(d.numpy(), t.detach().numpy())


def test_changes_through_data_are_not_seen_by_backward_but_through_detach_they_are():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()  # saves x
    x.data += 1  # PyTorch's documented escape hatch: backward then uses the new values, without an error
    y.backward()
    assert x.grad.tolist() == [4.0, 6.0]  # 2 x with x = [2, 3]
    z = ag.tensor([1.0, 2.0], requires_grad=True)
    w = (z * z).sum()
    z.detach().add_(1)
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        w.backward()


def test_micrograds_update_and_pytorchs_no_grad_update_train_the_same():
    xs = np.array([4.0, 7.0, 8.0, 9.0, 12.0])  # a line through five points: the least-squares fit is closed-form
    ys = np.array([20.0, 22.0, 24.0, 25.0, 30.0])
    slope, intercept = np.polyfit(xs, ys, 1)
    fits = []
    for style in ("micrograd", "pytorch"):
        w = ag.tensor(0.0, dtype=np.float64, requires_grad=True)
        b = ag.tensor(0.0, dtype=np.float64, requires_grad=True)
        x, y = ag.tensor(xs), ag.tensor(ys)
        for _ in range(20000):
            loss = ((w * x + b - y) ** 2).mean()
            w.grad = b.grad = None
            loss.backward()
            if style == "micrograd":
                for p in (w, b):
                    p.data += -0.01 * p.grad
            else:
                with ag.no_grad():
                    w -= 0.01 * w.grad
                    b -= 0.01 * b.grad
        assert w.is_leaf and w.requires_grad and w.grad_fn is None
        fits.append((w.item(), b.item()))
    np.testing.assert_allclose(fits[0], (slope, intercept), rtol=1e-6)
    assert fits[0] == fits[1]


def test_assigning_data_replaces_the_values_and_may_change_the_shape():
    p = ag.tensor([1.0, 2.0], requires_grad=True)
    (p * 2).sum().backward()
    p.data = ag.tensor([5.0, 6.0, 7.0])
    p.grad = None
    (p * p).sum().backward()
    assert p.tolist() == [5.0, 6.0, 7.0] and p.grad.tolist() == [10.0, 12.0, 14.0]
    with pytest.raises(RuntimeError, match="requires grad and must stay floating point"):
        p.data = ag.tensor([1, 2])
    assert p.tolist() == [5.0, 6.0, 7.0]


def test_numpy_refuses_a_tensor_that_requires_grad_with_pytorchs_message():
    x = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Can't call numpy\(\) on Tensor that requires grad. Use "
                                           r"tensor.detach\(\).numpy\(\) instead."):
        x.numpy()
    assert np.shares_memory(x.detach().numpy(), x.data.numpy())
