"""The autograd tutorial's one-layer logistic example, written as PyTorch code with only the imports mapped.

x = ones(5) goes through z = x @ w + b to a binary cross-entropy against y = zeros(3). The gradients are
checked against the closed form dloss/dz = (sigmoid(z) - y) / 3, dloss/dw = outer(x, dloss/dz), dloss/db =
dloss/dz, computed with numpy; the graph is walked through grad_fn.next_functions down to its leaves.
"""
import numpy as np
import pytest

import autograd as torch
import nn.functional as F
from autograd import grad


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def leaves_of(grad_fn) -> list:
    """The AccumulateGrad nodes reachable from grad_fn, found by walking next_functions depth first."""
    found, seen, stack = [], set(), [grad_fn]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if type(node).__name__ == "AccumulateGrad":
            found.append(node)
        stack.extend(next_node for next_node, _ in node.next_functions)
    return found


def test_one_layer_logistic_gradients_match_the_closed_form():
    torch.manual_seed(0)
    x = torch.ones(5)  # input tensor
    y = torch.zeros(3)  # expected output
    w = torch.randn(5, 3, requires_grad=True)
    b = torch.randn(3, requires_grad=True)
    z = torch.matmul(x, w) + b
    loss = F.binary_cross_entropy_with_logits(z, y)

    print(f"Gradient function for z = {z.grad_fn}")
    print(f"Gradient function for loss = {loss.grad_fn}")
    assert z.grad_fn is not None and loss.grad_fn is not None
    assert z.requires_grad and loss.requires_grad and not x.requires_grad
    assert w.is_leaf and b.is_leaf and not z.is_leaf

    # walking back from the loss: z's node is on the way, and the leaves are w and b (x and y need no gradient)
    node, path = loss.grad_fn, []
    while node is not None and node is not z.grad_fn:
        path.append(node)
        node = next((n for n, _ in node.next_functions if n is not None), None)
    assert node is z.grad_fn, f"z's node was not found on the first path back from the loss: {path}"
    leaves = leaves_of(loss.grad_fn)
    assert sorted(id(leaf.variable) for leaf in leaves) == sorted([id(w), id(b)])

    w_np, b_np = w.detach().numpy().astype(np.float64), b.detach().numpy().astype(np.float64)
    z_np = np.ones(5) @ w_np + b_np
    expected_loss = np.mean(np.log1p(np.exp(z_np)))  # -log(1 - sigmoid(z)) with y = 0
    assert loss.item() == pytest.approx(expected_loss, rel=1e-5)
    print(f"loss {loss:.4f}")

    loss.backward()
    dz = (sigmoid(z_np) - 0.0) / 3
    np.testing.assert_allclose(w.grad.numpy(), np.outer(np.ones(5), dz), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(b.grad.numpy(), dz, rtol=1e-5, atol=1e-7)
    assert z.grad is None  # a non-leaf keeps no gradient unless it asked to (retain_grad)

    # the graph was freed by backward: a second pass through it is an error
    with pytest.raises(RuntimeError):
        loss.backward()


def test_no_grad_detach_and_requires_grad_():
    x, w, b = torch.ones(5), torch.randn(5, 3, requires_grad=True), torch.randn(3, requires_grad=True)
    z = torch.matmul(x, w) + b
    assert z.requires_grad
    with torch.no_grad():
        z = torch.matmul(x, w) + b
    assert not z.requires_grad and z.grad_fn is None

    z = torch.matmul(x, w) + b
    z_det = z.detach()
    assert not z_det.requires_grad
    np.testing.assert_array_equal(z_det.numpy(), z.detach().numpy())

    a = torch.randn(2, 2)
    a = ((a * 3) / (a - 1))
    assert not a.requires_grad
    a.requires_grad_(True)
    assert a.requires_grad
    s = (a * a).sum()
    assert s.grad_fn is not None
    s.backward()
    np.testing.assert_allclose(a.grad.numpy(), 2 * a.detach().numpy(), rtol=1e-6)


def test_retain_graph_accumulates_and_zero_resets():
    inp = torch.eye(4, 5, requires_grad=True)
    out = (inp + 1).pow(2).t()
    expected = 2 * (np.eye(4, 5) + 1)  # d/d inp of sum((inp + 1)^2)

    out.backward(torch.ones_like(out), retain_graph=True)
    np.testing.assert_allclose(inp.grad.numpy(), expected)
    out.backward(torch.ones_like(out), retain_graph=True)  # gradients add up across calls
    np.testing.assert_allclose(inp.grad.numpy(), 2 * expected)
    inp.grad.zero_()
    out.backward(torch.ones_like(out))
    np.testing.assert_allclose(inp.grad.numpy(), expected)


def test_grad_returns_gradients_without_touching_dot_grad():
    x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    y = (x ** 3).sum()
    (dy_dx,) = grad(y, x, create_graph=True)
    np.testing.assert_allclose(dy_dx.detach().numpy(), 3 * np.array([0.5, -1.0, 2.0]) ** 2)
    assert x.grad is None
    (d2y_dx2,) = grad(dy_dx.sum(), x)  # the gradient is differentiable again: d/dx 3x^2 = 6x
    np.testing.assert_allclose(d2y_dx2.numpy(), 6 * np.array([0.5, -1.0, 2.0]))

    # torch.autograd.grad(outputs, inputs, grad_outputs): a vector-Jacobian product
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    y = x * x
    v = torch.tensor([1.0, 0.1, 0.01], dtype=torch.float64)
    (vjp,) = grad(y, x, grad_outputs=v)
    np.testing.assert_allclose(vjp.numpy(), np.array([1.0, 0.1, 0.01]) * 2 * np.array([1.0, 2.0, 3.0]))
