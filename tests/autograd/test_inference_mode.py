"""inference_mode: recording off as with no_grad, as a context manager and as a decorator (with or without
parentheses); inference_mode(False) turns recording back on. Also the bare `@no_grad` / `@enable_grad` forms."""
import threading

import pytest

import autograd as ag


def recorded() -> bool:
    return (ag.tensor([1.0], requires_grad=True) * 2).requires_grad


def test_inference_mode_turns_recording_off_and_back():
    assert not ag.is_inference_mode_enabled() and recorded()
    with ag.inference_mode():
        assert ag.is_inference_mode_enabled() and not ag.is_grad_enabled() and not recorded()
        with ag.inference_mode(False):
            assert not ag.is_inference_mode_enabled() and ag.is_grad_enabled() and recorded()
        assert ag.is_inference_mode_enabled() and not recorded()
    assert not ag.is_inference_mode_enabled() and ag.is_grad_enabled() and recorded()


def test_inference_mode_restores_the_mode_it_found():
    with ag.no_grad():
        with ag.inference_mode():
            assert ag.is_inference_mode_enabled()
        assert not ag.is_grad_enabled() and not ag.is_inference_mode_enabled()
        with ag.inference_mode(mode=False):
            assert ag.is_grad_enabled()  # as PyTorch: leaving inference mode enables grad
        assert not ag.is_grad_enabled()


def test_inference_mode_is_restored_after_an_exception():
    with pytest.raises(ValueError), ag.inference_mode():
        raise ValueError
    assert not ag.is_inference_mode_enabled() and ag.is_grad_enabled()


def test_decorator_forms():
    @ag.inference_mode
    def bare():
        return ag.is_inference_mode_enabled(), recorded()

    @ag.inference_mode()
    def called():
        return ag.is_inference_mode_enabled(), recorded()

    @ag.inference_mode(False)
    def off():
        return ag.is_inference_mode_enabled(), recorded()

    assert bare() == (True, False) and called() == (True, False) and bare.__name__ == "bare"
    with ag.inference_mode():
        assert off() == (False, True)
    assert not ag.is_inference_mode_enabled() and recorded()


def test_bare_no_grad_and_enable_grad_decorators():
    @ag.no_grad
    def without():
        return recorded()

    @ag.enable_grad
    def with_grad():
        return recorded()

    assert without() is False and recorded()
    with ag.no_grad():
        assert with_grad() is True


def test_inference_mode_is_per_thread():
    seen = []
    with ag.inference_mode():
        worker = threading.Thread(target=lambda: seen.append((ag.is_inference_mode_enabled(), recorded())))
        worker.start()
        worker.join()
    assert seen == [(False, True)]


def test_no_grad_records_nothing_not_even_a_leafs_accumulate_node():
    w = ag.ones(3, requires_grad=True)
    with ag.no_grad():
        y = w * 2 + w
    assert y.grad_fn is None and not y.requires_grad
    assert w._accumulator is None  # made only when a graph first uses the leaf
    (w * 2).sum().backward()
    assert w._accumulator is not None and w.grad.tolist() == [2.0, 2.0, 2.0]
