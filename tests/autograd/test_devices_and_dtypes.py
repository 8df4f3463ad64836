"""Devices (the CPU only), Tensor.to and the dtype methods, the default dtype, and the factories' call forms."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd.testing import tensors

OTHER_DEVICES = ["cuda", "cuda:0", "cuda:1", "mps", "xpu", "meta", "gpu", "cpu:1", 0, 1]


def named(device) -> str:
    """The name the error should give for a device asked for (PyTorch reads a bare number as a GPU)."""
    return f"cuda:{device}" if isinstance(device, int) else device


@pytest.fixture
def default_float64():
    ag.set_default_dtype(ag.float64)
    try:
        yield
    finally:
        ag.set_default_dtype(ag.float32)


# ---- devices ----
def test_device_forms_and_equality():
    cpu = ag.device("cpu")
    assert cpu.type == "cpu" and cpu.index is None and repr(cpu) == "device(type='cpu')" and str(cpu) == "cpu"
    indexed = ag.device("cpu:0")
    assert indexed.index == 0 and repr(indexed) == "device(type='cpu', index=0)" and str(indexed) == "cpu:0"
    assert ag.device("cpu", 0) == indexed == ag.device(type="cpu", index=0) == ag.device(indexed)
    assert cpu == ag.device("cpu") and cpu != indexed  # as in PyTorch: no index is not index 0
    assert hash(cpu) == hash(ag.device("cpu")) and len({cpu, ag.device("cpu"), indexed}) == 2
    assert cpu != "cpu"


@pytest.mark.parametrize("device", OTHER_DEVICES)
def test_other_devices_are_refused_with_their_name(device):
    with pytest.raises(RuntimeError, match=f"'{named(device)}'.*CPU only"):
        ag.device(device)


def test_device_with_a_separate_index():
    with pytest.raises(RuntimeError, match="'cuda:1'.*CPU only"):
        ag.device("cuda", 1)
    with pytest.raises(RuntimeError, match="given twice"):
        ag.device("cpu:0", 0)
    with pytest.raises(TypeError, match="string such as 'cpu'"):
        ag.device(1.5)


def test_tensors_live_on_the_cpu():
    x = ag.tensor([1.0, 2.0])
    assert x.device == ag.device("cpu") and x.device.type == "cpu" and not x.is_cuda
    assert x.cpu() is x
    with pytest.raises(RuntimeError, match="'cuda'.*CPU only"):
        x.cuda()
    with pytest.raises(RuntimeError, match="'cuda:1'.*CPU only"):
        x.cuda(1)


def test_cuda_and_mps_are_not_available():
    assert ag.cuda.is_available() is False and ag.cuda.device_count() == 0
    assert ag.backends.mps.is_available() is False and ag.backends.mps.is_built() is False
    ag.cuda.manual_seed_all(0)  # seeding code written for GPUs runs
    ag.backends.cudnn.deterministic = True
    device = ag.device("cuda" if ag.cuda.is_available() else "cpu")  # the usual idiom picks the CPU
    assert ag.zeros(2, device=device).device == device


def test_default_device():
    ag.set_default_device("cpu")
    ag.set_default_device(ag.device("cpu"))
    ag.set_default_device(None)
    assert ag.get_default_device() == ag.device("cpu")
    for device in ("cuda", "mps"):
        with pytest.raises(RuntimeError, match=f"'{device}'.*CPU only"):
            ag.set_default_device(device)


FACTORIES = {
    "tensor": lambda d: ag.tensor([1.0], device=d),
    "as_tensor": lambda d: ag.as_tensor([1.0], device=d),
    "zeros": lambda d: ag.zeros(2, device=d),
    "ones": lambda d: ag.ones(2, device=d),
    "empty": lambda d: ag.empty(2, device=d),
    "full": lambda d: ag.full((2,), 1.0, device=d),
    "arange": lambda d: ag.arange(3, device=d),
    "linspace": lambda d: ag.linspace(0, 1, 3, device=d),
    "eye": lambda d: ag.eye(2, device=d),
    "zeros_like": lambda d: ag.zeros_like(ag.ones(2), device=d),
    "ones_like": lambda d: ag.ones_like(ag.ones(2), device=d),
    "full_like": lambda d: ag.full_like(ag.ones(2), 3.0, device=d),
    "empty_like": lambda d: ag.empty_like(ag.ones(2), device=d),
    "rand": lambda d: ag.rand(2, device=d),
    "randn": lambda d: ag.randn(2, device=d),
    "randint": lambda d: ag.randint(0, 5, (2,), device=d),
    "randperm": lambda d: ag.randperm(3, device=d),
    "normal": lambda d: ag.normal(0.0, 1.0, (2,), device=d),
    "rand_like": lambda d: ag.rand_like(ag.ones(2), device=d),
    "randn_like": lambda d: ag.randn_like(ag.ones(2), device=d),
    "randint_like": lambda d: ag.randint_like(ag.ones(2), 4, device=d),
}


@pytest.mark.parametrize("name", FACTORIES)
def test_every_factory_takes_the_cpu_and_refuses_other_devices(name):
    for device in ("cpu", "cpu:0", ag.device("cpu"), None):
        assert FACTORIES[name](device).device == ag.device("cpu")
    ag.manual_seed(0)
    state = ag.get_rng_state().numpy().copy()
    for device in ("cuda", "mps", "cuda:0"):
        with pytest.raises(RuntimeError, match=f"'{device}'.*CPU only"):
            FACTORIES[name](device)
    np.testing.assert_array_equal(ag.get_rng_state().numpy(), state)  # refused before drawing


# ---- Tensor.to and the dtype methods ----
def test_to_a_dtype():
    x = ag.tensor([1.5, -2.5])
    y = x.to(ag.float64)
    assert y.dtype == np.float64 and y.tolist() == [1.5, -2.5] and x.dtype == np.float32
    assert x.to(ag.float32) is x and x.to(np.dtype(np.float32)) is x
    assert x.to(ag.int64).tolist() == [1, -2]  # toward zero, as PyTorch


def test_to_a_device_or_both():
    x = ag.tensor([1.0, 2.0])
    assert x.to("cpu") is x and x.to(ag.device("cpu")) is x and x.to(device="cpu:0") is x
    assert x.to("cpu", ag.float64).dtype == np.float64
    assert x.to(ag.device("cpu"), dtype=ag.float64).dtype == np.float64
    assert x.to(device="cpu", dtype=ag.int64).dtype == np.int64
    assert x.to(ag.float64, non_blocking=True).dtype == np.float64


def test_to_another_tensor_takes_its_dtype():
    x = ag.tensor([1.0, 2.0])
    assert x.to(ag.zeros(3, dtype=ag.float64)).dtype == np.float64
    assert x.to(ag.zeros(1)) is x
    assert x.to(ag.tensor([1, 2])).dtype == np.int64


def test_to_with_copy_always_copies():
    x = ag.tensor([1.0, 2.0])
    for y in (x.to(copy=True), x.to(ag.float32, copy=True), x.to("cpu", copy=True), x.to(ag.float32, False, True)):
        assert y is not x and y.tolist() == x.tolist()
        y.add_(1)
        assert x.tolist() == [1.0, 2.0]  # its own memory


@pytest.mark.parametrize("convert", [lambda x: x.to(ag.float64), lambda x: x.to(ag.float64, copy=True),
                                     lambda x: x.to(copy=True), lambda x: x.to("cpu", ag.float64),
                                     lambda x: x.double()])
def test_to_is_differentiable_between_floating_dtypes(convert):
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = convert(x)
    assert y is not x
    (y * ag.tensor([1.0, 2.0, 3.0], dtype=y.dtype)).sum().backward()
    assert x.grad.dtype == np.float32 and x.grad.tolist() == [1.0, 2.0, 3.0]


@given(x=tensors(requires_grad=False),
       dtype=st.sampled_from([ag.float32, ag.float64, ag.int64, ag.int32, ag.bool_, np.dtype(np.float32)]),
       copy=st.booleans())
def test_to_gives_numpys_cast(x, dtype, copy):
    y = x.to(dtype, copy=copy)
    assert y.dtype == dtype and y.shape == x.shape
    np.testing.assert_array_equal(y.numpy(), x.numpy().astype(dtype))
    assert (y is x) == (not copy and np.dtype(dtype) == x.dtype)


def test_to_an_integer_dtype_leaves_the_graph():
    x = ag.tensor([1.7, 2.2], requires_grad=True)
    y = x.to(ag.int64)
    assert y.tolist() == [1, 2] and not y.requires_grad


@pytest.mark.parametrize("call, error, message", [
    (lambda x: x.to("cuda"), RuntimeError, "'cuda'.*CPU only"),
    (lambda x: x.to(device="mps"), RuntimeError, "'mps'.*CPU only"),
    (lambda x: x.to(0), RuntimeError, "'cuda:0'.*CPU only"),
    (lambda x: x.to("cuda:0", ag.float64), RuntimeError, "'cuda:0'.*CPU only"),
    (lambda x: x.to(ag.float64, dtype=ag.float64), TypeError, "dtype is given twice"),
    (lambda x: x.to("cpu", device="cpu"), TypeError, "device is given twice"),
    (lambda x: x.to(np.complex64), TypeError, "not supported"),
    (lambda x: x.to(object()), TypeError, "not a dtype"),
    (lambda x: x.to(ag.float64, False, False, 1), TypeError, "too many"),
])
def test_to_errors(call, error, message):
    with pytest.raises(error, match=message):
        call(ag.tensor([1.0]))


def test_dtype_methods():
    x = ag.tensor([-1.5, 0.0, 2.7], dtype=ag.float64)
    assert x.float().dtype == np.float32 and x.double() is x
    assert x.long().dtype == np.int64 and x.long().tolist() == [-1, 0, 2]
    assert x.int().dtype == np.int32 and x.int().tolist() == [-1, 0, 2]
    assert x.bool().tolist() == [True, False, True]
    assert ag.tensor([1, 2]).float().tolist() == [1.0, 2.0]


# ---- the default dtype ----
def test_default_dtype_starts_as_float32():
    assert ag.get_default_dtype() == np.float32
    assert ag.tensor(1.5).dtype == np.float32 and ag.zeros(2).dtype == np.float32


def test_the_default_dtype_is_honoured_by_python_floats_and_float_factories(default_float64):
    assert ag.get_default_dtype() == np.float64
    made = [ag.tensor(1.5), ag.tensor([1, 2.5]), ag.as_tensor([0.5]), ag.zeros(2), ag.ones(2), ag.empty(2),
            ag.full((2,), 1.5), ag.arange(0.0, 1.0, 0.5), ag.linspace(0, 1, 3), ag.eye(2), ag.rand(2), ag.randn(2),
            ag.normal(0.0, 1.0, (2,)), ag.tensor([1, 2]) * 0.5]
    assert [t.dtype for t in made] == [np.float64] * len(made)
    assert ag.arange(3).dtype == np.int64 and ag.full((2,), 7).dtype == np.int64  # integers are not affected
    assert ag.tensor([1.0], dtype=ag.float32).dtype == np.float32
    assert ag.tensor(np.zeros(1, np.float32)).dtype == np.float32  # arrays keep their dtype
    assert repr(ag.tensor([1.0])) == "tensor([1.])"
    assert repr(ag.zeros(1, dtype=ag.float32)) == "tensor([0.], dtype=float32)"


def test_the_default_dtype_goes_back(default_float64):
    ag.set_default_dtype(ag.float32)
    assert ag.tensor(0.5).dtype == np.float32 and ag.rand(1).dtype == np.float32


@pytest.mark.parametrize("dtype", [ag.int64, ag.int32, ag.bool_, np.float16, np.complex128, None, "float64"])
def test_only_float32_and_float64_can_be_the_default(dtype):
    with pytest.raises(TypeError, match="set_default_dtype"):
        ag.set_default_dtype(dtype)
    assert ag.get_default_dtype() == np.float32  # unchanged


# ---- factories: call forms ----
@pytest.mark.parametrize("factory", [ag.zeros, ag.ones, ag.empty])
def test_size_forms(factory):
    for t in (factory(2, 3), factory((2, 3)), factory([2, 3]), factory(size=(2, 3)), factory(np.int64(2), 3)):
        assert t.shape == (2, 3) and t.dtype == np.float32
    assert factory(()).shape == () and factory(0).shape == (0,) and factory(4).shape == (4,)
    t = factory(2, dtype=ag.float64, requires_grad=True)
    assert t.dtype == np.float64 and t.requires_grad and t.is_leaf


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.zeros(), TypeError, "missing the size"),
    (lambda: ag.ones(2, -1), RuntimeError, "negative dimension"),
    (lambda: ag.empty(2.5), TypeError, "must be integers"),
    (lambda: ag.zeros(2, size=(2,)), TypeError, "given twice"),
    (lambda: ag.zeros(2, dtype=ag.int64, requires_grad=True), RuntimeError, "floating point"),
    (lambda: ag.zeros(2, dtype="float32"), TypeError, "not a dtype"),
    (lambda: ag.tensor([1, 2], requires_grad=True), RuntimeError, "floating point"),
])
def test_factory_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_zeros_ones_values():
    np.testing.assert_array_equal(ag.zeros(2, 2).numpy(), np.zeros((2, 2)))
    np.testing.assert_array_equal(ag.ones(3, dtype=ag.int64).numpy(), np.ones(3, np.int64))


def test_full_forms():
    assert ag.full((2, 3), 1.5).tolist() == [[1.5] * 3] * 2 and ag.full((2, 3), 1.5).dtype == np.float32
    assert ag.full([2], 7).dtype == np.int64 and ag.full(2, True).dtype == np.bool_
    assert ag.full((2,), 7, dtype=ag.float64).dtype == np.float64
    assert ag.full(size=(1,), fill_value=2.0).tolist() == [2.0]


def test_arange_forms():
    assert ag.arange(4).tolist() == [0, 1, 2, 3] and ag.arange(4).dtype == np.int64
    assert ag.arange(2, 5).tolist() == [2, 3, 4] and ag.arange(10, 0, -3).tolist() == [10, 7, 4, 1]
    assert ag.arange(0, 1, 0.25).tolist() == [0.0, 0.25, 0.5, 0.75] and ag.arange(0, 1, 0.25).dtype == np.float32
    assert ag.arange(end=3).tolist() == [0, 1, 2] and ag.arange(start=1, end=3).tolist() == [1, 2]
    assert ag.arange(3, dtype=ag.float64).dtype == np.float64 and ag.arange(ag.tensor(3)).tolist() == [0, 1, 2]
    assert len(ag.arange(0, 1, 0.1)) == 10  # ceil((end - start) / step)
    assert ag.arange(3.0, requires_grad=True).requires_grad


@pytest.mark.parametrize("call, message", [
    (lambda: ag.arange(0, 5, 0), "step must be nonzero"),
    (lambda: ag.arange(0, 5, -1), "inconsistent with step sign"),
    (lambda: ag.arange(0, float("inf")), "finite"),
])
def test_arange_errors(call, message):
    with pytest.raises(RuntimeError, match=message):
        call()


def test_linspace_and_eye():
    np.testing.assert_allclose(ag.linspace(-1, 1, 5).numpy(), np.linspace(-1, 1, 5))
    assert ag.linspace(0, 1, steps=0).shape == (0,)
    with pytest.raises(RuntimeError, match="steps"):
        ag.linspace(0, 1, -1)
    np.testing.assert_array_equal(ag.eye(2, 3).numpy(), np.eye(2, 3))
    assert ag.eye(3, dtype=ag.int64).dtype == np.int64 and ag.eye(2, requires_grad=True).requires_grad


def test_like_factories():
    x = ag.tensor([[1.0, 2.0]], dtype=ag.float64, requires_grad=True)
    for t, value in [(ag.zeros_like(x), 0.0), (ag.ones_like(x), 1.0), (ag.full_like(x, 4.0), 4.0)]:
        assert t.shape == (1, 2) and t.dtype == np.float64 and not t.requires_grad and np.all(t.numpy() == value)
    assert ag.empty_like(x).shape == (1, 2) and ag.empty_like(x).dtype == np.float64
    assert ag.zeros_like(x, dtype=ag.int64).dtype == np.int64
    assert ag.ones_like(x, requires_grad=True).requires_grad
    assert ag.full_like(ag.tensor([1, 2]), 2.7).tolist() == [2, 2]  # the input's dtype


# ---- memory shared with numpy ----
def test_from_numpy_shares_memory_both_ways():
    array = np.arange(4.0)
    t = ag.from_numpy(array)
    assert t.dtype == np.float64
    array[0] = 10.0
    assert t.tolist() == [10.0, 1.0, 2.0, 3.0]
    t.add_(1)
    t[1] = -5.0
    np.testing.assert_array_equal(array, [11.0, -5.0, 3.0, 4.0])
    assert t.numpy() is array


@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.int64, np.uint8, np.bool_])
def test_from_numpy_keeps_the_dtype(dtype):
    assert ag.from_numpy(np.zeros(2, dtype)).dtype == dtype


@pytest.mark.parametrize("data, message", [
    ([1.0, 2.0], "numpy.ndarray"), (np.float64(1.0), "numpy.ndarray"),
    (np.array(["a"]), "dtype"), (np.array([object()]), "dtype"),
])
def test_from_numpy_errors(data, message):
    with pytest.raises(TypeError, match=message):
        ag.from_numpy(data)


def test_as_tensor_shares_when_it_can():
    array = np.zeros(3, np.float32)
    t = ag.as_tensor(array)
    array[1] = 2.0
    assert t.tolist() == [0.0, 2.0, 0.0] and ag.as_tensor(array, dtype=ag.float32).numpy() is array
    copied = ag.as_tensor(array, dtype=ag.float64)
    array[0] = 9.0
    assert copied.dtype == np.float64 and copied.tolist() == [0.0, 2.0, 0.0]
    assert ag.as_tensor([1.0, 2.0]).dtype == np.float32 and ag.as_tensor([1, 2]).dtype == np.int64
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    assert ag.as_tensor(x) is x and ag.as_tensor(x, dtype=ag.float32) is x
    y = ag.as_tensor(x, dtype=ag.float64)
    y.sum().backward()
    assert y.dtype == np.float64 and x.grad.tolist() == [1.0, 1.0]


def test_the_default_dtype_reaches_layers_parameters_and_integer_division():
    import nn
    ag.set_default_dtype(ag.float64)
    try:
        layers = [nn.Linear(2, 3), nn.Conv2d(1, 2, 3), nn.BatchNorm1d(2), nn.LayerNorm(2), nn.Embedding(4, 2),
                  nn.PReLU(), nn.GroupNorm(1, 2)]
        assert {p.dtype for layer in layers for p in layer.parameters()} == {np.dtype(np.float64)}
        assert (ag.tensor([1, 2]) / ag.tensor([2, 2])).dtype == np.float64
        assert ag.tensor([1, 100]).log10().dtype == np.float64 and nn.Parameter(ag.tensor([1, 2])).dtype == np.float64
    finally:
        ag.set_default_dtype(ag.float32)
    assert nn.Linear(2, 3).weight.dtype == np.float32 and (ag.tensor([1]) / ag.tensor([2])).dtype == np.float32
