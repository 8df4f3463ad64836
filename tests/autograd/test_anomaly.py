"""Anomaly mode: NaN gradients and backward errors lead back to the user's line that created the op."""
import os
import threading
import warnings

import numpy as np
import pytest

import autograd as ag

pytestmark = pytest.mark.filterwarnings("ignore:Anomaly Detection has been enabled",
                                        "ignore:invalid value encountered", "ignore:divide by zero encountered")


class BrokenDouble(ag.Function):
    """y = 2 x with a broken backward that returns NaN for its second input."""

    @staticmethod
    def forward(ctx, x, y):
        return x * 2 + y

    @staticmethod
    def backward(ctx, grad):
        return grad * 2, grad * float("nan")


def log_of_zero_times_zero():
    x = ag.tensor([1.0, 0.0], requires_grad=True)
    y = x.log()  # the op whose backward returns 0 / 0 = NaN
    return x, (y * 0).sum()


def test_a_nan_gradient_raises_with_the_line_that_created_the_op():
    with ag.detect_anomaly():
        x, loss = log_of_zero_times_zero()
        with pytest.raises(RuntimeError) as error:
            loss.backward()
    message = str(error.value)
    assert message.startswith("Function 'LogBackward' returned nan values in its 0th output.")
    assert "Traceback of forward call that caused the error" in message
    assert f'File "{__file__}"' in message and "y = x.log()" in message and "in log_of_zero_times_zero" in message
    assert os.path.dirname(ag.__file__) not in message  # only the user's frames
    assert x.grad is None  # the NaN never reached the leaf


def test_the_index_names_the_input_whose_gradient_is_nan():
    a, b = ag.tensor(1.0, requires_grad=True), ag.tensor(2.0, requires_grad=True)
    with ag.set_detect_anomaly(True):
        out = BrokenDouble.apply(a, b)
        with pytest.raises(RuntimeError, match=r"Function 'BrokenDoubleBackward' returned nan values in its 1th "
                                               r"output\.") as error:
            out.backward()
    assert "out = BrokenDouble.apply(a, b)" in str(error.value)


def test_without_anomaly_mode_nothing_is_recorded_or_checked():
    x, loss = log_of_zero_times_zero()
    assert loss.grad_fn._anomaly is None
    loss.backward()
    assert np.isnan(x.grad.numpy()[1]) and x.grad.numpy()[0] == 0.0


def test_an_op_recorded_before_the_mode_was_on_has_no_traceback_to_show():
    x, loss = log_of_zero_times_zero()
    with ag.detect_anomaly(), pytest.raises(RuntimeError, match="Function 'LogBackward' returned nan") as error:
        loss.backward()
    assert "No forward pass information available" in str(error.value)


def test_check_nan_false_records_but_lets_nan_through():
    with ag.detect_anomaly(check_nan=False):
        assert ag.is_anomaly_enabled() and not ag.is_anomaly_check_nan_enabled()
        x, loss = log_of_zero_times_zero()
        loss.backward()
    assert np.isnan(x.grad.numpy()[1])
    frames = loss.grad_fn._anomaly.frames
    assert frames[-1].name == "log_of_zero_times_zero" and frames[-2].name == "test_check_nan_false_records_but_" \
                                                                              "lets_nan_through"
    assert not any(f.filename.startswith(os.path.dirname(ag.__file__)) for f in frames)


def test_another_error_in_backward_warns_with_the_forward_traceback_and_is_raised_unchanged():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with ag.detect_anomaly():
        w = x * 1
        y = (w * w).sum()  # saves w
    w += 1
    with ag.detect_anomaly(), pytest.warns(UserWarning, match="Error detected in MulBackward") as caught:
        with pytest.raises(RuntimeError, match="modified by an in-place operation"):
            y.backward()
    (warning,) = [str(w.message) for w in caught if "Error detected" in str(w.message)]
    assert "Traceback of forward call that caused the error" in warning and "y = (w * w).sum()  # saves w" in warning


def test_an_op_created_by_double_backward_names_the_op_that_induced_it():
    x = ag.tensor([1.0, 0.0], requires_grad=True)
    with ag.detect_anomaly():
        (g,) = ag.grad(x.sqrt().sum(), x, create_graph=True)  # g = 1 / (2 sqrt x): made by SqrtBackward
        with pytest.raises(RuntimeError, match="Function 'DivBackward' returned nan values") as error:
            (g * 0).sum().backward()  # 0 * inf: the derivative of 1 / (2 sqrt x) at 0 is 0 / 0
    message = str(error.value)
    assert "Previous calculation was induced by SqrtBackward" in message
    assert "x.sqrt().sum()" in message.split("Previous calculation")[1]


def test_gradients_are_the_same_in_anomaly_mode():
    rng = np.random.default_rng(0)
    data = rng.standard_normal((3, 4))
    grads = []
    for mode in (False, True):
        x = ag.tensor(data, requires_grad=True)
        with ag.set_detect_anomaly(mode):
            ((x.tanh() @ x.T).softmax(dim=1) * x[:, :3]).sum().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_array_equal(grads[0], grads[1])


def test_set_detect_anomaly_is_a_call_and_a_context_manager():
    assert not ag.is_anomaly_enabled()
    ag.set_detect_anomaly(True)
    try:
        assert ag.is_anomaly_enabled()
        with ag.set_detect_anomaly(False):
            assert not ag.is_anomaly_enabled()
        assert ag.is_anomaly_enabled()
    finally:
        ag.set_detect_anomaly(False)
    assert not ag.is_anomaly_enabled()


def test_detect_anomaly_warns_once_and_is_a_decorator():
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        decorator = ag.detect_anomaly(check_nan=False)

    @decorator
    def inside():
        return ag.is_anomaly_enabled(), ag.is_anomaly_check_nan_enabled()

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert inside() == (True, False)
    assert not ag.is_anomaly_enabled() and ag.is_anomaly_check_nan_enabled()


def test_the_mode_is_thread_local():
    seen = []
    with ag.detect_anomaly():
        thread = threading.Thread(target=lambda: seen.append(ag.is_anomaly_enabled()))
        thread.start()
        thread.join()
        assert ag.is_anomaly_enabled()
    assert seen == [False]
