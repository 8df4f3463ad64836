"""The graph: backward and grad, accumulation, retain_grad, hooks, grad modes, detach, higher-order gradients."""
import threading
import weakref

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag


def test_micrograd_example_f_equals_x_plus_y_times_z():
    x, y, z = (ag.tensor(v, requires_grad=True) for v in (-2.0, 5.0, -4.0))
    q = x + y
    q.retain_grad()
    f = q * z
    f.backward()
    assert f.item() == -12.0
    assert (x.grad.item(), y.grad.item(), z.grad.item(), q.grad.item()) == (-4.0, -4.0, 3.0, -4.0)


def test_gradients_of_every_path_are_summed():
    x = ag.tensor(3.0, requires_grad=True)
    y = x * x + x * 2 + (x * x).exp().log()  # two uses of x in each product, and a shared subexpression
    y.backward()
    assert x.grad.item() == pytest.approx(2 * 3 + 2 + 2 * 3)


def test_gradients_accumulate_across_backward_calls():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    (w * 3).sum().backward()
    (w * 4).sum().backward()
    np.testing.assert_array_equal(w.grad._data, [7.0, 7.0])


def test_non_leaf_grad_is_kept_only_with_retain_grad():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    k = h * 3
    k.retain_grad()
    k.sum().backward()
    assert h.grad is None
    np.testing.assert_array_equal(k.grad._data, [1.0, 1.0])
    assert h.requires_grad and not h.is_leaf and h.grad_fn is not None and x.is_leaf


def test_gradients_do_not_share_memory():
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    b = ag.tensor([3.0, 4.0], requires_grad=True)
    seed = ag.tensor([1.0, 1.0])
    (a + b).backward(seed)  # Add passes the same gradient object to both inputs
    assert not np.shares_memory(a.grad._data, b.grad._data)
    assert not np.shares_memory(a.grad._data, seed._data)
    a.grad._data[0] = 100.0
    assert b.grad._data[0] == 1.0 and seed._data[0] == 1.0


def test_backward_with_gradient_argument_for_non_scalars():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * x).backward(ag.tensor([1.0, 0.5, 0.0]))
    np.testing.assert_array_equal(x.grad._data, [2.0, 2.0, 0.0])


def test_grad_returns_gradients_without_touching_dot_grad():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = ag.tensor([3.0, 4.0], requires_grad=True)
    out = (x * y).sum()
    gx, gy = ag.grad(out, [x, y])
    np.testing.assert_array_equal(gx._data, [3.0, 4.0])
    np.testing.assert_array_equal(gy._data, [1.0, 2.0])
    assert x.grad is None and y.grad is None


def test_grad_with_respect_to_an_intermediate_tensor():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    out = (h * h).sum()
    (gh,) = ag.grad(out, h)
    np.testing.assert_array_equal(gh._data, 2 * h._data)


def test_grad_allow_unused():
    x = ag.tensor(1.0, requires_grad=True)
    unused = ag.tensor(1.0, requires_grad=True)
    with pytest.raises(RuntimeError, match="input 1 .* was not used"):
        ag.grad(x * 2, [x, unused], retain_graph=True)
    assert ag.grad(x * 2, [x, unused], allow_unused=True)[1] is None


def test_hessian_vector_product_with_create_graph():
    # f(x) = sum(x_i^3) has Hessian diag(6 x); H v = 6 x v.
    x = ag.tensor([1.0, -2.0, 0.5], dtype=np.float64, requires_grad=True)
    v = ag.tensor([0.3, 1.0, -2.0], dtype=np.float64)
    (g,) = ag.grad((x ** 3).sum(), x, create_graph=True)
    assert g.requires_grad
    (hv,) = ag.grad((g * v).sum(), x)
    np.testing.assert_allclose(hv._data, 6 * x._data * v._data)


def test_gradient_penalty_trains_through_the_gradient():
    # penalty = |d(w x)/dx|^2 = |w|^2 summed over a batch; d penalty / dw = 2 w * batch size.
    w = ag.tensor([0.5, -1.5], dtype=np.float64, requires_grad=True)
    x = ag.tensor(np.ones((3, 2)), requires_grad=True)
    out = (x * w).sum()
    (gx,) = ag.grad(out, x, create_graph=True)
    (gx ** 2).sum().backward()
    np.testing.assert_allclose(w.grad._data, 2 * w._data * 3)


def test_backward_create_graph_gives_differentiable_grad():
    x = ag.tensor(2.0, dtype=np.float64, requires_grad=True)
    (x ** 3).backward(create_graph=True)
    first = x.grad
    assert first.item() == 12.0 and first.requires_grad
    x.grad = None
    first.backward()
    assert x.grad.item() == 12.0  # d(3 x^2)/dx = 6 x


def test_no_grad_and_enable_grad():
    x = ag.tensor(1.0, requires_grad=True)
    with ag.no_grad():
        y = x * 2
        with ag.enable_grad():
            z = x * 2
    assert not y.requires_grad and y.grad_fn is None
    assert z.requires_grad
    assert ag.is_grad_enabled()


def test_grad_mode_decorators():
    x = ag.tensor(1.0, requires_grad=True)

    @ag.no_grad()
    def double(t):
        return t * 2

    @ag.enable_grad()
    def triple(t):
        return t * 3

    assert not double(x).requires_grad
    with ag.no_grad():
        assert triple(x).requires_grad
    assert ag.is_grad_enabled()


def test_grad_mode_is_thread_local():
    seen = {}
    with ag.no_grad():
        thread = threading.Thread(target=lambda: seen.setdefault("other", ag.is_grad_enabled()))
        thread.start()
        thread.join()
        seen["this"] = ag.is_grad_enabled()
    assert seen == {"other": True, "this": False}


def test_no_grad_restores_the_mode_after_an_exception():
    with pytest.raises(ZeroDivisionError):
        with ag.no_grad():
            raise ZeroDivisionError
    assert ag.is_grad_enabled()


def test_detach_cuts_the_graph_and_shares_data():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    d = (x * 2).detach()
    assert not d.requires_grad and d.grad_fn is None
    y = x * 2
    assert np.shares_memory(y.detach()._data, y._data)


def test_requires_grad_():
    x = ag.tensor([1.0])
    assert x.requires_grad_() is x and x.requires_grad
    with pytest.raises(RuntimeError, match="floating point.*int64"):
        ag.tensor([1, 2]).requires_grad_()
    with pytest.raises(RuntimeError, match="floating point.*int64"):
        ag.tensor([1, 2], requires_grad=True)


def test_hooks_see_and_may_replace_the_gradient():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    x.register_hook(lambda g: seen.append(g._data.copy()))
    h = x * 3
    h.register_hook(lambda g: g * 10)  # the gradient of h is replaced before it flows on to x
    h.sum().backward()
    np.testing.assert_array_equal(seen[0], [30.0, 30.0])
    np.testing.assert_array_equal(x.grad._data, [30.0, 30.0])


def test_hook_can_be_removed():
    x = ag.tensor(1.0, requires_grad=True)
    handle = x.register_hook(lambda g: g * 0)
    handle.remove()
    handle.remove()  # a second remove() does nothing
    (x * 2).backward()
    assert x.grad.item() == 2.0


def test_leaf_hook_runs_once_with_the_total_gradient():
    x = ag.tensor(1.0, requires_grad=True)
    calls = []
    x.register_hook(lambda g: calls.append(g.item()))
    (x * 2 + x * 3).backward()
    assert calls == [5.0]


def test_custom_function_with_gradcheck():
    class Cube(ag.Function):
        """y = x^3;  dy/dx = 3 x^2."""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x._data ** 3

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x * x

    x = ag.tensor([0.5, -1.0, 2.0], dtype=np.float64, requires_grad=True)
    assert ag.gradcheck(Cube.apply, (x,))
    assert ag.gradgradcheck(Cube.apply, (x,))
    assert Cube.apply(x).grad_fn.name() == "CubeBackward"


def test_no_two_gradients_share_memory_whatever_path_they_took():
    a = ag.tensor(np.ones((2, 3)), requires_grad=True)
    b = ag.tensor(np.ones(3), requires_grad=True)
    c = ag.tensor(np.ones((3, 2)), requires_grad=True)
    h = a.reshape(3, 2) + c  # the same gradient object flows to a (as a view) and to c
    (h.sum() + (a * b).sum()).backward()
    grads = [a.grad._data, b.grad._data, c.grad._data]
    for i in range(3):
        for j in range(i + 1, 3):
            assert not np.shares_memory(grads[i], grads[j])
    ga, gc_ = ag.grad((a.reshape(3, 2) + c).sum(), [a, c])
    assert not np.shares_memory(ga._data, gc_._data)


def test_a_gradient_kept_by_a_hook_is_not_changed_by_a_later_backward():
    kept = []
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    w.register_hook(lambda g: kept.append(g))
    (w * 3).sum().backward()
    (w * 3).sum().backward()
    np.testing.assert_array_equal(kept[0]._data, [3.0, 3.0])
    np.testing.assert_array_equal(w.grad._data, [6.0, 6.0])


class PassThrough(ag.Function):
    """y = x, whose backward hands back a detached view of the incoming gradient (legal, if careless)."""

    @staticmethod
    def forward(ctx, x):
        return x._data.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad.detach()


def test_gradients_from_a_custom_backward_are_not_shared_between_leaves():
    a = ag.tensor([1.0], requires_grad=True)
    b = ag.tensor([1.0], requires_grad=True)
    (PassThrough.apply(a) + PassThrough.apply(b)).sum().backward()
    (a * 5).sum().backward()
    assert a.grad.item() == 6.0 and b.grad.item() == 1.0


def test_a_tensor_a_custom_backward_keeps_is_not_changed_by_accumulation():
    class Doubling(ag.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.two = ag.tensor(np.full(x.shape, 2.0, dtype=x.dtype))
            return 2 * x._data

        @staticmethod
        def backward(ctx, grad):
            return ctx.two  # the gradient of 2x for a gradient of ones

    x = ag.tensor([1.0], requires_grad=True)
    y = Doubling.apply(x).sum()
    for _ in range(3):
        y.backward(retain_graph=True)
    assert x.grad.item() == 6.0


def test_a_create_graph_gradient_is_not_the_callers_tensor():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    v = ag.tensor([1.0, 1.0])
    (x * 1).backward(v, create_graph=True)
    assert x.grad is not v
    (x * 3).sum().backward()
    np.testing.assert_array_equal(v._data, [1.0, 1.0])
    np.testing.assert_array_equal(x.grad._data, [4.0, 4.0])


def test_grad_does_not_fill_retained_grads():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    ag.grad((y * y).sum(), x)
    assert y.grad is None and x.grad is None


def test_gradients_take_the_dtype_of_the_tensor_they_flow_into():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2  # float32
    seen = []
    y.register_hook(lambda g: seen.append(g.dtype))
    (y * ag.tensor([1.0, 1.0], dtype=np.float64)).sum().backward()  # the product is float64
    assert seen == [np.float32] and x.grad.dtype == np.float32


def test_set_grad_enabled_as_a_plain_call_and_as_a_context_manager():
    try:
        ag.set_grad_enabled(False)
        assert not ag.is_grad_enabled()
        with ag.set_grad_enabled(True):
            assert ag.is_grad_enabled()
        assert not ag.is_grad_enabled()
    finally:
        ag.set_grad_enabled(True)

    @ag.set_grad_enabled(False)
    def inside():
        return ag.is_grad_enabled()

    assert ag.is_grad_enabled() and inside() is False and ag.is_grad_enabled()


def test_a_gradient_nothing_else_holds_becomes_grad_without_a_copy():
    made = []

    class Scale(ag.Function):
        """y = 2 x;  dy/dx = 2, returned as a fresh tensor that only the engine holds."""

        @staticmethod
        def forward(ctx, x):
            return 2 * x._data

        @staticmethod
        def backward(ctx, grad):
            fresh = grad * 2
            made.append(weakref.ref(fresh._data))
            return fresh

    x = ag.tensor([1.0, 2.0], requires_grad=True)
    Scale.apply(x).sum().backward()
    assert x.grad._data is made[0]()  # kept as it is: copying it would cost a pass over the array for nothing


PATHS = [  # ways for the gradient of (2, 3) leaves to reach them: pass-through, views, broadcasts, sums
    lambda a, b, c: a + c.T,
    lambda a, b, c: a.reshape(3, 2).T.reshape(2, 3) + c.T,
    lambda a, b, c: a * b + c.T,
    lambda a, b, c: (a + b).sum(0, keepdim=True).expand(2, 3) + c.T,
    lambda a, b, c: a[:, ::-1] + c.reshape(2, 3),
    lambda a, b, c: ag.cat([a, c.T]).reshape(2, 6)[:, :3] + b,
]


@given(picks=st.lists(st.sampled_from(range(len(PATHS))), min_size=1, max_size=4))
def test_no_two_grads_share_memory_over_drawn_paths(picks):
    a, c = (ag.tensor(np.ones(s), requires_grad=True) for s in ((2, 3), (3, 2)))
    b = ag.tensor(np.ones(3), requires_grad=True)
    total = sum((PATHS[i](a, b, c).sum() for i in picks), ag.tensor(0.0, dtype=np.float64))
    total.backward()
    grads = [t.grad._data for t in (a, b, c) if t.grad is not None]
    for i in range(len(grads)):
        for j in range(i + 1, len(grads)):
            assert not np.shares_memory(grads[i], grads[j])
    before = [g.copy() for g in grads]
    total = sum((PATHS[i](a, b, c).sum() for i in picks), ag.tensor(0.0, dtype=np.float64))
    total.backward()  # a second pass accumulates in place: each .grad doubles, and only its own
    for g, old in zip([t.grad._data for t in (a, b, c) if t.grad is not None], before):
        np.testing.assert_array_equal(g, 2 * old)
