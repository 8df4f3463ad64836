"""Memory: graphs are freed by reference counting alone, saved arrays go once backward has run, and
backward through a very deep graph needs no recursion."""
import gc
import tracemalloc
import weakref

import numpy as np

import autograd as ag


def _training_step(w, x):
    loss = ((x @ w).tanh() ** 2).mean() + (w * w).sum() * 1e-3
    loss.backward()
    w.grad = None


def test_no_reference_cycles_memory_stays_flat_with_gc_disabled():
    w = ag.tensor(np.full((8, 4), 0.1), requires_grad=True)
    x = ag.tensor(np.ones((16, 8)))
    gc.collect()
    gc.disable()
    try:
        tracemalloc.start()
        for _ in range(500):  # warm up: caches and free lists settle
            _training_step(w, x)
        settled, _ = tracemalloc.get_traced_memory()
        for _ in range(10_000):
            _training_step(w, x)
        current, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        # One step allocates several kilobytes; a leak of one step's graph would add tens of megabytes.
        assert current - settled < 64 * 1024
        assert gc.collect() == 0  # nothing was waiting for the cycle collector
    finally:
        gc.enable()


def test_a_graph_dies_with_its_output():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2).exp().sum()
    node = weakref.ref(y.grad_fn)
    gc.disable()
    try:
        del y
        assert node() is None
    finally:
        gc.enable()


def test_saved_arrays_are_released_once_backward_has_run():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3  # saved by the next Mul, held only by the graph once we drop our name for it
    saved = weakref.ref(h)
    y = (h * h).sum()
    del h
    assert saved() is not None
    y.backward()
    assert saved() is None  # the Mul node let go of what it saved
    assert y.grad_fn is not None  # the graph itself remains; only its saved data is gone


def test_backward_through_a_chain_of_a_million_ops():
    x = ag.tensor(np.ones(2), requires_grad=True)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0
    y.sum().backward()  # no RecursionError: the graph is walked with an explicit stack
    np.testing.assert_array_equal(x.grad._data, [1.0, 1.0])
    del y  # and freeing it does not recurse either


def test_a_transposed_weight_gets_a_contiguous_gradient_of_the_right_value():
    """x @ w.T: w.grad is laid out as w is (MatMul computes the gradient of the transposed view transposed, so
    that it arrives contiguous) and equals the product written in numpy."""
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal((5, 3)), rng.standard_normal((5, 4))
    w = ag.tensor(rng.standard_normal((4, 3)), requires_grad=True)
    (ag.tensor(x) @ w.T).backward(ag.tensor(g))
    assert w.grad._data.flags.c_contiguous
    np.testing.assert_allclose(w.grad.numpy(), g.T @ x, rtol=1e-12)
