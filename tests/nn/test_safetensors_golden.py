"""safetensors both ways with PyTorch, against golden files that PyTorch wrote once (tests/nn/golden/make_golden.py).

Loading a golden file into the same architecture built here gives the outputs PyTorch computed; the file this
library saves has the same tensor names, dtypes, shapes, offsets and metadata as PyTorch's (byte for byte).
"""
import json
import struct
import warnings
from pathlib import Path

import numpy as np
import pytest
from golden.architectures import GOLDEN, to_tensors, unflatten

import autograd as ag
import nn

FOLDER = Path(__file__).parent / "golden"
FLOAT32 = [name for name, golden in GOLDEN.items() if golden.dtype == "float32"]
HALF = [name for name, golden in GOLDEN.items() if golden.dtype != "float32"]


def header_and_data(content: bytes) -> tuple[dict, bytes]:
    """The file's JSON header and its data, parsed here with struct and json."""
    (length,) = struct.unpack("<Q", content[:8])
    return json.loads(content[8:8 + length]), content[8 + length:]


def loaded_model(name: str) -> nn.Module:
    model = GOLDEN[name].build(nn)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a float32 file loads without a notice
        state = nn.load(FOLDER / f"{name}.safetensors")
    model.load_state_dict(state)
    return model.eval()


def test_every_golden_file_has_its_model_and_every_model_its_files():
    assert {path.name.split(".")[0] for path in FOLDER.glob("*.safetensors")} == set(GOLDEN)
    assert {path.name.split(".")[0] for path in FOLDER.glob("*.io.npz")} == set(GOLDEN)


def assert_gives_pytorch_outputs(name: str, model: nn.Module) -> None:
    """The model's outputs for the golden inputs are PyTorch's (every named output: the states too)."""
    with np.load(FOLDER / f"{name}.io.npz") as io, ag.no_grad():
        expected = unflatten("output", io)
        output = GOLDEN[name].output(model, to_tensors(unflatten("input", io), ag.tensor))
    if isinstance(expected, dict):
        assert isinstance(output, dict) and list(output) == list(expected)
        for key, value in expected.items():
            assert output[key].shape == value.shape, key
            np.testing.assert_allclose(output[key].numpy(), value, rtol=1e-5, atol=1e-5, err_msg=key)
    else:
        assert output.shape == expected.shape
        np.testing.assert_allclose(output.numpy(), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", FLOAT32)
def test_a_pytorch_state_dict_loads_and_gives_pytorch_outputs(name):
    model = loaded_model(name)
    assert_gives_pytorch_outputs(name, model)
    counts = {key: value for key, value in model.state_dict().items() if key.endswith("num_batches_tracked")}
    batch_norms = [key for key, module in model.named_modules() if isinstance(module, nn.normalization._BatchNorm)]
    assert list(counts) == [f"{key}.num_batches_tracked" for key in batch_norms]
    assert all(value.dtype == ag.int64 and value.shape == () and int(value) == 3
               for value in counts.values())  # three training-mode passes in make_golden.py


def test_the_golden_files_hold_every_recurrent_and_transformer_layer():
    kinds = {type(module).__name__ for name in FLOAT32 for module in GOLDEN[name].build(nn).modules()}
    assert kinds >= {"BatchNorm1d", "BatchNorm2d", "LSTM", "GRU", "RNN", "Embedding", "MultiheadAttention",
                     "TransformerEncoderLayer", "TransformerEncoder", "TransformerDecoderLayer",
                     "TransformerDecoder", "Transformer"}
    lstm = GOLDEN["lstm_bidirectional_projected"].build(nn)
    assert (lstm.num_layers, lstm.bidirectional, lstm.proj_size, lstm.batch_first) == (2, True, 4, True)
    assert GOLDEN["gru_then_rnn_relu"].build(nn).rnn.nonlinearity == "relu"
    layer = GOLDEN["causal_transformer_lm"].build(nn).encoder.layers[0]
    assert layer.norm_first and layer.batch_first


@pytest.mark.parametrize("name", FLOAT32)
def test_the_file_saved_here_is_pytorchs_file_byte_for_byte(name, tmp_path):
    nn.save(loaded_model(name).state_dict(), tmp_path / "saved.safetensors")
    golden = (FOLDER / f"{name}.safetensors").read_bytes()
    saved = (tmp_path / "saved.safetensors").read_bytes()
    (golden_header, golden_data), (header, data) = header_and_data(golden), header_and_data(saved)
    assert header == golden_header and header["__metadata__"] == {"format": "pt"}
    assert list(header) == list(golden_header) and data == golden_data and saved == golden


@pytest.mark.parametrize("name", HALF)
def test_half_precision_weights_become_float32_with_a_notice(name, tmp_path):
    model = GOLDEN[name].build(nn)
    with pytest.warns(UserWarning, match=f"{name}.safetensors holds float16 or bfloat16 tensors, converted to "
                                         r"float32: 0.bias, 0.weight, 1.bias, 1.running_mean, 1.running_var"):
        state = nn.load(FOLDER / f"{name}.safetensors")
    header, data = header_and_data((FOLDER / f"{name}.safetensors").read_bytes())
    for key, entry in header.items():
        if key == "__metadata__":
            continue
        raw = data[entry["data_offsets"][0]:entry["data_offsets"][1]]
        if entry["dtype"] == "F16":
            expected = np.frombuffer(raw, "<f2").astype(np.float32)
        elif entry["dtype"] == "BF16":  # bfloat16: the upper 16 bits of a float32
            expected = np.frombuffer(b"".join(b"\0\0" + raw[i:i + 2] for i in range(0, len(raw), 2)), "<f4")
        else:
            expected = np.frombuffer(raw, "<i8")
        assert state[key].dtype == expected.dtype and state[key].shape == tuple(entry["shape"]), key
        np.testing.assert_array_equal(state[key].numpy().ravel(), expected, err_msg=key)
    model.load_state_dict(state)
    assert_gives_pytorch_outputs(name, model.eval())
    nn.save(model.state_dict(), tmp_path / "saved.safetensors")  # saved back as float32, names and shapes kept
    saved, _ = header_and_data((tmp_path / "saved.safetensors").read_bytes())
    assert saved.pop("__metadata__") == header.pop("__metadata__") == {"format": "pt"}
    assert {key: entry["shape"] for key, entry in saved.items()} == \
        {key: entry["shape"] for key, entry in header.items()}


def test_a_file_that_does_not_fit_the_model_is_refused_with_every_bad_key_and_changes_nothing():
    model = GOLDEN["mlp_batchnorm"].build(nn)
    before = {key: value.numpy().copy() for key, value in model.state_dict().items()}
    with pytest.raises(RuntimeError) as error:
        model.load_state_dict(nn.load(FOLDER / "lenet5_batchnorm.safetensors"))
    message = str(error.value)
    assert "size mismatch for 0.weight: copying a param with shape (6, 1, 5, 5)" in message
    unexpected = ["4.weight", "4.bias", "5.weight", "5.bias", "5.running_mean", "5.running_var",
                  "5.num_batches_tracked", "9.weight", "9.bias", "11.weight", "11.bias", "13.weight", "13.bias"]
    assert all(f'"{key}"' in message.split("Unexpected key(s) in state_dict: ")[1].split(". ")[0]
               for key in unexpected)
    assert "size mismatch for 3.weight" not in message and "size mismatch for 1.weight" in message
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), before[key], err_msg=key)
