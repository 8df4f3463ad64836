"""nn.save / nn.load with a .safetensors suffix: exact round trips of flat dicts of tensors, clear refusals of
what the format can not hold, and a CheckpointError naming the file and the problem for any malformed file."""
import json
import struct
from collections import OrderedDict

import numpy as np
import pytest
import safetensors.numpy
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
import nn
from autograd import Tensor

DTYPES = [np.float32, np.float64, np.int64, np.int32, np.int16, np.int8, np.uint8, np.uint16, np.uint32,
          np.uint64, np.bool_]
arrays = st.sampled_from(DTYPES).flatmap(
    lambda dtype: hnp.arrays(dtype, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)))
values = st.one_of(arrays, arrays.map(Tensor), arrays.map(lambda a: a.T),  # and arrays not in C order
                   arrays.map(lambda a: a[..., ::-1] if a.ndim else a))


@settings(max_examples=50)
@given(state=st.dictionaries(st.text(min_size=1, max_size=6).filter(lambda k: k != "__metadata__"), values,
                             max_size=4))
def test_flat_dicts_of_arrays_and_tensors_round_trip_exactly(tmp_path_factory, state):
    path = tmp_path_factory.mktemp("st") / "weights.safetensors"
    nn.save(state, path)
    loaded = nn.load(path)
    assert set(loaded) == set(state)
    for name, value in state.items():
        array = np.asarray(value._data if isinstance(value, Tensor) else value)
        assert type(loaded[name]) is Tensor and not loaded[name].requires_grad
        assert loaded[name].dtype == array.dtype and loaded[name].shape == array.shape
        np.testing.assert_array_equal(loaded[name]._data, array, err_msg=name)


def test_a_model_saved_and_loaded_computes_the_same_and_the_file_is_standard(tmp_path):
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))
    model(ag.tensor(np.ones((5, 3), np.float32)))
    model.eval()
    nn.save(model.state_dict(keep_vars=True), tmp_path / "model.safetensors")
    copy = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2)).eval()
    copy.load_state_dict(nn.load(tmp_path / "model.safetensors"))
    x = ag.tensor(np.random.default_rng(0).standard_normal((2, 3)).astype(np.float32))
    np.testing.assert_array_equal(copy(x).detach().numpy(), model(x).detach().numpy())
    content = (tmp_path / "model.safetensors").read_bytes()
    (length,) = struct.unpack("<Q", content[:8])
    header = json.loads(content[8:8 + length])
    assert header.pop("__metadata__") == {"format": "pt"}
    assert header["1.num_batches_tracked"] == {"dtype": "I64", "shape": [], "data_offsets": [0, 8]}
    assert {name: entry["dtype"] for name, entry in header.items()} == {
        name: "I64" if name.endswith("tracked") else "F32" for name in model.state_dict()}


def test_big_endian_arrays_are_stored_little_endian_as_the_format_says(tmp_path):
    nn.save({"b": np.array([1.5, -2.0], ">f4"), "i": np.array([1, 256], ">i2")}, tmp_path / "be.safetensors")
    content = (tmp_path / "be.safetensors").read_bytes()
    assert content.endswith(np.array([1.5, -2.0], "<f4").tobytes() + np.array([1, 256], "<i2").tobytes())
    loaded = nn.load(tmp_path / "be.safetensors")
    np.testing.assert_array_equal(loaded["b"]._data, [1.5, -2.0])
    np.testing.assert_array_equal(loaded["i"]._data, [1, 256])


def test_the_suffix_chooses_the_format_in_any_case(tmp_path):
    nn.save(OrderedDict(w=np.ones(2)), tmp_path / "a.SafeTensors")  # PyTorch's state_dicts are OrderedDicts
    nn.save({"w": np.ones(2)}, tmp_path / "a.npz")
    assert (tmp_path / "a.SafeTensors").read_bytes()[8:9] == b"{" and (tmp_path / "a.npz").read_bytes()[:2] == b"PK"
    assert set(nn.load(tmp_path / "a.SafeTensors")) == {"w"} and set(nn.load(tmp_path / "a.npz")) == {"w"}


def test_float16_becomes_float32_with_a_notice_and_a_file_without_metadata_loads(tmp_path):
    half = np.array([1.5, -2.0, 65504.0], np.float16)
    (tmp_path / "half.safetensors").write_bytes(safetensors.numpy.save({"h": half, "n": np.arange(2)}))
    with pytest.warns(UserWarning, match="half.safetensors holds float16 or bfloat16 tensors, converted to "
                                         "float32: h$"):
        loaded = nn.load(tmp_path / "half.safetensors")
    assert loaded["h"].dtype == np.float32 and loaded["n"].dtype == np.int64
    np.testing.assert_array_equal(loaded["h"]._data, [1.5, -2.0, 65504.0])


@pytest.mark.parametrize("obj, message", [
    ({"model": {"w": np.ones(2)}, "epoch": 3}, r"obj\['model'\] is a dict; save whole checkpoints .* to an .npz"),
    ({"lr": 0.1}, r"obj\['lr'\] is a float"),
    ([np.ones(2)], "not a list"),
    ({1: np.ones(2)}, "str keys other than '__metadata__', but obj has the key 1"),
    ({"__metadata__": np.ones(2)}, "but obj has the key '__metadata__'"),
    ({"c": np.ones(2, np.complex64)}, r"obj\['c'\] has the dtype complex64"),
    ({"s": np.array(["a"])}, r"obj\['s'\] has the dtype <U1"),
    ({"t": np.zeros(2, "m8[s]")}, r"obj\['t'\] has the dtype timedelta64\[s\]; .* 16, 32 or 64 bits"),
])
def test_what_a_safetensors_file_can_not_hold_is_refused_before_writing(tmp_path, obj, message):
    path = tmp_path / "w.safetensors"
    nn.save({"kept": np.ones(1)}, path)
    before = path.read_bytes()
    with pytest.raises(TypeError, match=message):
        nn.save(obj, path)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["w.safetensors"]


# ---- malformed files ----

def raw_file(header, data: bytes = b"", length: int | None = None) -> bytes:
    """A safetensors file put together by hand: the header (an object, or its text) and the data."""
    text = (header if isinstance(header, (str, bytes)) else json.dumps(header))
    text = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(text) if length is None else length) + text + data


def f32(shape, begin):
    return {"dtype": "F32", "shape": shape, "data_offsets": [begin, begin + 4 * int(np.prod(shape))]}


@pytest.mark.parametrize("content, problem", [
    (b"", "it has 0 bytes, fewer than the 8 that give the header's length"),
    (raw_file({}, length=10**12), "the header's length is given as 1000000000000 bytes, but only 2 bytes follow"),
    (raw_file(b"{\xff}"), "its header is not valid JSON .'utf-8' codec can't decode"),
    (raw_file("{'a': 1}"), "its header is not valid JSON .Expecting property name"),
    (raw_file("[" * 10000 + "]" * 10000),
     "its header is not valid JSON .it is nested 10000 levels deep, more than the 3 allowed"),
    (raw_file('{"a": {}, "a": {}}'), "its header is not valid JSON .the key 'a' appears twice"),
    (raw_file([1, 2]), "its header is a JSON list instead of an object"),
    (raw_file({"__metadata__": {"format": 1}}), "its '__metadata__' is not an object of str values"),
    (raw_file({"a": {"dtype": "F32", "shape": [1]}}), "the entry of 'a' is .* instead of an object with the fields"),
    (raw_file({"a": {"dtype": "F8_E4M3", "shape": [1], "data_offsets": [0, 1]}}, bytes(1)),
     "the tensor 'a' has the dtype 'F8_E4M3', which nn.load does not read .it reads F64, F32, F16, BF16"),
    (raw_file({"a": {"dtype": "C64", "shape": [1], "data_offsets": [0, 8]}}, bytes(8)), "'a' has the dtype 'C64'"),
    (raw_file({"a": {**f32([1], 0), "shape": [-1]}}, bytes(4)), r"'a' has the shape \[-1\] instead of a list of sizes"),
    (raw_file({"a": {**f32([1], 0), "shape": ["1"]}}, bytes(4)), r"'a' has the shape \['1'\]"),
    (raw_file({"a": {**f32([1], 0), "data_offsets": [4, 0]}}, bytes(4)), r"'a' has the data_offsets \[4, 0\] instead"),
    (raw_file({"a": {**f32([3], 0), "data_offsets": [0, 8]}}, bytes(8)),
     r"'a' of dtype F32 and shape \[3\] needs 12 bytes, but its data_offsets \[0, 8\] give 8"),
    (raw_file({"a": f32([4], 0)}, bytes(8)),
     "the tensor 'a' takes bytes 0 to 16 of the data, but the data has only 8 bytes .is the file truncated"),
    (raw_file({"a": f32([2], 0), "b": f32([2], 4)}, bytes(12)), r"the tensors 'a' and 'b' overlap \(bytes 4 to 8"),
    (raw_file({"a": f32([1], 0), "b": f32([1], 8)}, bytes(12)), "bytes 4 to 8 of the data belong to no tensor"),
    (raw_file({"a": f32([1], 0)}, bytes(8)), "the last 4 bytes of the file belong to no tensor"),
])
def test_a_malformed_file_gives_a_checkpoint_error_naming_it_and_the_problem(tmp_path, content, problem):
    path = tmp_path / "bad.safetensors"
    path.write_bytes(content)
    message = f"bad.safetensors is not a valid .safetensors file: (the tensor )?{problem}"
    with pytest.raises(nn.CheckpointError, match=message):
        nn.load(path)


def model() -> nn.Module:
    ag.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("original") / "model.safetensors"
    nn.save(model().state_dict(), path)
    return path.read_bytes()


def load_into_model(path, content: bytes) -> bool:
    """Whether the file loaded into the model; if not, only CheckpointError or load_state_dict's refusal, and
    the model's values are as they were."""
    path.write_bytes(content)
    target = model()
    before = {name: value._data.copy() for name, value in target.state_dict().items()}
    try:
        target.load_state_dict(nn.load(path))
    except nn.CheckpointError as error:
        assert str(path) in str(error)
    except RuntimeError as error:
        assert str(error).startswith("Error(s) in loading state_dict for Sequential")
    else:
        return True
    for name, value in target.state_dict().items():
        np.testing.assert_array_equal(value._data, before[name], err_msg=name)
    return False


@settings(max_examples=60)
@given(fraction=st.floats(0, 1, exclude_max=True))
def test_a_truncated_file_is_refused_and_nothing_is_loaded(original, tmp_path_factory, fraction):
    path = tmp_path_factory.mktemp("cut") / "model.safetensors"
    assert not load_into_model(path, original[:int(fraction * len(original))])


@settings(max_examples=150)
@given(flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)), min_size=1, max_size=3))
def test_a_damaged_header_gives_a_clear_error_or_a_file_that_fits(original, tmp_path_factory, flips):
    """safetensors has no checksum: a changed header can still be a valid file (a name or a shape changed), which
    load_state_dict then refuses; anything else is a CheckpointError, never another exception."""
    content = bytearray(original)
    header_end = 8 + struct.unpack("<Q", original[:8])[0]
    for where, mask in flips:
        content[int(where * header_end)] ^= mask
    path = tmp_path_factory.mktemp("flip") / "model.safetensors"
    if load_into_model(path, bytes(content)):
        loaded = nn.load(path)
        assert all(type(value) is Tensor for value in loaded.values())
