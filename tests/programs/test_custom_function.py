"""A custom autograd Function, written as PyTorch code with only the imports mapped, fitting y = sin(x).

`Cubic` computes a + b x + c x^2 + d x^3 from the points x and the four coefficients, with its own backward
(the partial derivatives of the polynomial); the coefficients are learned by gradient descent with manual
updates under no_grad, as the tutorials do, and must reach the least-squares solution numpy finds. The
Functions are checked against finite differences with gradcheck.
"""
import math

import numpy as np

import autograd as torch
from autograd import Function, gradcheck


class Cubic(Function):
    """p(x) = a + b x + c x^2 + d x^3.

    dp/dx = b + 2 c x + 3 d x^2;  dp/da = 1, dp/db = x, dp/dc = x^2, dp/dd = x^3 (summed over the points, as
    the coefficients are scalars broadcast to every point).
    """

    @staticmethod
    def forward(ctx, x, a, b, c, d):
        ctx.save_for_backward(x, b, c, d)
        return a + b * x + c * x ** 2 + d * x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        x, b, c, d = ctx.saved_tensors
        grad_x = grad_output * (b + 2 * c * x + 3 * d * x ** 2)
        return (grad_x, grad_output.sum(), (grad_output * x).sum(), (grad_output * x ** 2).sum(),
                (grad_output * x ** 3).sum())


class ClampedReLU(Function):
    """y = min(max(x, 0), 6) (ReLU6);  dy/dx = 1 where 0 < x < 6, else 0."""

    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0, max=6)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        grad_input[input > 6] = 0
        return grad_input


def test_fitting_sin_with_a_custom_function_reaches_least_squares():
    dtype = torch.float
    device = torch.device("cpu")

    x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = torch.sin(x)

    torch.manual_seed(0)
    a = torch.randn((), device=device, dtype=dtype, requires_grad=True)
    b = torch.randn((), device=device, dtype=dtype, requires_grad=True)
    c = torch.randn((), device=device, dtype=dtype, requires_grad=True)
    d = torch.randn((), device=device, dtype=dtype, requires_grad=True)

    learning_rate = 2e-6
    losses = []
    for t in range(2000):
        poly = Cubic.apply
        y_pred = poly(x, a, b, c, d)
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        if t % 500 == 499:
            print(t, f"{loss.item():.4f}")
        loss.backward()
        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    print(f"Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3")

    x_np = np.linspace(-np.pi, np.pi, 2000)
    design = np.stack([np.ones_like(x_np), x_np, x_np ** 2, x_np ** 3], axis=1)
    coefficients, residuals, *_ = np.linalg.lstsq(design, np.sin(x_np), rcond=None)
    learned = np.array([a.item(), b.item(), c.item(), d.item()])
    np.testing.assert_allclose(learned, coefficients, atol=2e-3)
    assert losses[-1] < 1.01 * residuals[0] + 1e-2
    assert losses[-1] < losses[0]


def test_the_functions_pass_gradcheck():
    rng = np.random.default_rng(1)
    x = torch.tensor(rng.uniform(-2, 2, size=7), dtype=torch.float64, requires_grad=True)
    coefficients = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in rng.normal(size=4)]
    assert gradcheck(Cubic.apply, (x, *coefficients), eps=1e-6, atol=1e-4)

    away_from_kinks = np.array([-1.5, -0.3, 0.4, 2.0, 5.5, 6.7, 9.0])
    z = torch.tensor(away_from_kinks, dtype=torch.float64, requires_grad=True)
    assert gradcheck(ClampedReLU.apply, (z,), eps=1e-6, atol=1e-4)
    out = ClampedReLU.apply(z)
    out.sum().backward()
    np.testing.assert_array_equal(out.detach().numpy(), np.clip(away_from_kinks, 0, 6))
    np.testing.assert_array_equal(z.grad.numpy(), ((away_from_kinks > 0) & (away_from_kinks < 6)).astype(float))
