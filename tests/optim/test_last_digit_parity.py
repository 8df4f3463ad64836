"""float32 updates equal to the last bit a transcription of PyTorch's single-tensor optimizer steps
(torch.optim, CPU): running averages through lerp_, steps through addcdiv_, in float32 throughout."""
import math

import numpy as np
import pytest

import autograd as ag
import optim

F32 = np.float32


def lerp(start, end, weight):
    weight = F32(weight)
    return start + weight * (end - start) if weight < 0.5 else end - (end - start) * (F32(1) - weight)


def torch_adam(p, grads, lr, betas, eps, weight_decay, decoupled):
    b1, b2 = betas
    m, v = np.zeros_like(p), np.zeros_like(p)
    for t, g in enumerate(grads, start=1):
        if decoupled:
            p = p * F32(1 - lr * weight_decay)
        elif weight_decay:
            g = g + F32(weight_decay) * p
        m = lerp(m, g, 1 - b1)
        v = v * F32(b2) + F32(1 - b2) * g * g
        denom = np.sqrt(v) / F32(math.sqrt(1 - b2 ** t)) + F32(eps)
        p = p + F32(-lr / (1 - b1 ** t)) * (m / denom)
    return p


def torch_rmsprop(p, grads, lr, alpha, eps, centered):
    v, g_avg = np.zeros_like(p), np.zeros_like(p)
    for g in grads:
        v = v * F32(alpha) + F32(1 - alpha) * g * g
        if centered:
            g_avg = lerp(g_avg, g, 1 - alpha)
            avg = np.sqrt(v + F32(-1) * g_avg * g_avg) + F32(eps)
        else:
            avg = np.sqrt(v) + F32(eps)
        p = p + F32(-lr) * (g / avg)
    return p


def run(make, p0, grads):
    p = ag.tensor(p0, requires_grad=True)
    optimizer = make([p])
    for g in grads:
        p.grad = ag.tensor(g)
        optimizer.step()
    return p._data


@pytest.fixture
def problem():
    rng = np.random.default_rng(7)
    return rng.standard_normal(1000).astype(F32), [rng.standard_normal(1000).astype(F32) for _ in range(6)]


@pytest.mark.parametrize("decoupled, weight_decay", [(False, 0.0), (False, 0.01), (True, 0.01)])
def test_adam_and_adamw_match_pytorch_to_the_last_bit(problem, decoupled, weight_decay):
    p0, grads = problem
    make = (lambda ps: optim.AdamW(ps, lr=0.01, weight_decay=weight_decay)) if decoupled else \
        (lambda ps: optim.Adam(ps, lr=0.01, weight_decay=weight_decay))
    expected = torch_adam(p0.copy(), grads, 0.01, (0.9, 0.999), 1e-8, weight_decay, decoupled)
    np.testing.assert_array_equal(run(make, p0, grads), expected)


@pytest.mark.parametrize("centered", [False, True])
def test_rmsprop_matches_pytorch_to_the_last_bit(problem, centered):
    p0, grads = problem
    expected = torch_rmsprop(p0.copy(), grads, 0.01, 0.99, 1e-8, centered)
    np.testing.assert_array_equal(run(lambda ps: optim.RMSprop(ps, lr=0.01, centered=centered), p0, grads),
                                  expected)



def test_running_averages_with_weights_of_a_half_or_more_take_lerps_other_branch(problem):
    """1 - beta1 = 0.9 and 1 - alpha = 0.9: lerp computes end - (end - start) * (1 - weight), 1 - weight in float32."""
    p0, grads = problem
    expected = torch_adam(p0.copy(), grads, 0.01, (0.1, 0.5), 1e-8, 0.0, False)
    np.testing.assert_array_equal(run(lambda ps: optim.Adam(ps, lr=0.01, betas=(0.1, 0.5)), p0, grads), expected)
    expected = torch_rmsprop(p0.copy(), grads, 0.01, 0.1, 1e-8, True)
    np.testing.assert_array_equal(run(lambda ps: optim.RMSprop(ps, lr=0.01, alpha=0.1, centered=True), p0, grads),
                                  expected)

def test_adagrad_matches_pytorch_to_the_last_bit(problem):
    p0, grads = problem
    p, s = p0.copy(), np.zeros_like(p0)
    for t, g in enumerate(grads, start=1):
        clr = 0.01 / (1 + (t - 1) * 0.001)
        s = s + g * g
        p = p + F32(-clr) * (g / (np.sqrt(s) + F32(1e-10)))
    np.testing.assert_array_equal(run(lambda ps: optim.Adagrad(ps, lr=0.01, lr_decay=0.001), p0, grads), p)


def test_sgd_with_nesterov_momentum_matches_pytorch_to_the_last_bit(problem):
    p0, grads = problem
    p, buf = p0.copy(), None
    for g in grads:
        buf = g.copy() if buf is None else buf * F32(0.9) + g
        p = p + F32(-0.01) * (g + F32(0.9) * buf)
    np.testing.assert_array_equal(run(lambda ps: optim.SGD(ps, lr=0.01, momentum=0.9, nesterov=True), p0, grads), p)
