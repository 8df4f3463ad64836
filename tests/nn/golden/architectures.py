"""The models of the golden files, written once for both libraries: `build(nn)` takes torch.nn or this nn.

Adding a model is one entry in GOLDEN, for example (a recurrent layer, whose output is a tuple)

    "lstm": Golden(lambda nn: nn.LSTM(4, 8, batch_first=True), normal(2, 5, 4), output=lambda m, x: m(x)[0]),

then `/tmp/torchenv/bin/python tests/nn/golden/make_golden.py` (any Python with torch and safetensors) writes
its files, and tests/nn/test_safetensors_golden.py checks them. Keep the models small: the files are committed.

The inputs are one array, or a dict of named arrays (inputs() below) that `output` takes as a dict of tensors;
`output` returns one tensor, or a dict of named tensors (what a user compares: the output and the final states).
In NAME.io.npz they are "input" and "output", or "input.NAME" and "output.NAME" (flatten and unflatten).
"""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np


def mlp_batchnorm(nn: Any) -> Any:
    return nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 4))


def lenet5_batchnorm(nn: Any) -> Any:
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.BatchNorm2d(6), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def lstm_bidirectional_projected(nn: Any) -> Any:
    return nn.LSTM(5, 8, num_layers=2, batch_first=True, bidirectional=True, proj_size=4)


def lstm_outputs(model: Any, inputs: dict) -> dict:
    output, (h_n, c_n) = model(inputs["input"], (inputs["h_0"], inputs["c_0"]))
    return {"output": output, "h_n": h_n, "c_n": c_n}


def gru_then_rnn_relu(nn: Any) -> Any:
    class GRUThenRNN(nn.Module):
        """A GRU (sequence first, its initial state given), then a 2-layer ReLU RNN (from zeros) on its outputs."""

        def __init__(self) -> None:
            super().__init__()
            self.gru = nn.GRU(4, 8)
            self.rnn = nn.RNN(8, 8, num_layers=2, nonlinearity="relu")

        def forward(self, x: Any, h_0: Any) -> tuple:
            y, h_gru = self.gru(x, h_0)
            output, h_rnn = self.rnn(y)
            return output, h_gru, h_rnn

    return GRUThenRNN()


def gru_then_rnn_outputs(model: Any, inputs: dict) -> dict:
    output, h_gru, h_rnn = model(inputs["input"], inputs["h_0"])
    return {"output": output, "h_n_gru": h_gru, "h_n_rnn": h_rnn}


def causal_transformer_lm(nn: Any) -> Any:
    class CausalLM(nn.Module):
        """Token embedding, a 2-layer pre-norm encoder (batch first) under the causal mask, a final LayerNorm
        and a linear head to the vocabulary's logits."""

        def __init__(self) -> None:
            super().__init__()
            self.embedding = nn.Embedding(11, 8)
            layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, batch_first=True, norm_first=True)
            self.encoder = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(8), enable_nested_tensor=False)
            self.head = nn.Linear(8, 11)

        def forward(self, tokens: Any) -> Any:
            mask = nn.Transformer.generate_square_subsequent_mask(tokens.shape[1])
            return self.head(self.encoder(self.embedding(tokens), mask=mask))

    return CausalLM()


def transformer_seq2seq(nn: Any) -> Any:
    return nn.Transformer(d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=16,
                          activation="gelu")


def transformer_outputs(model: Any, inputs: dict) -> Any:
    """src (S, N, E) and tgt (T, N, E), sequence first; the padded source positions masked in the encoder and
    in the cross-attention, the causal mask on the target."""
    tgt_mask = type(model).generate_square_subsequent_mask(inputs["tgt"].shape[0])
    padding = inputs["src_key_padding_mask"]
    return model(inputs["src"], inputs["tgt"], tgt_mask=tgt_mask, src_key_padding_mask=padding,
                 memory_key_padding_mask=padding)


def normal(*shape: int) -> Callable[[np.random.Generator], np.ndarray]:
    """Inputs drawn from the standard normal distribution, as float32."""
    return lambda rng: rng.standard_normal(shape).astype(np.float32)


def integers(high: int, *shape: int) -> Callable[[np.random.Generator], np.ndarray]:
    """Token ids drawn uniformly from 0..high-1, as int64."""
    return lambda rng: rng.integers(0, high, shape, dtype=np.int64)


def constant(array: Any) -> Callable[[np.random.Generator], np.ndarray]:
    """The same array every time (a mask)."""
    return lambda rng: np.array(array)


def inputs(**arrays: Callable[[np.random.Generator], np.ndarray]) -> Callable[[np.random.Generator], dict]:
    """Named inputs, drawn in the order given."""
    return lambda rng: {name: draw(rng) for name, draw in arrays.items()}


def call(model: Any, inputs: Any) -> Any:
    return model(inputs)


def to_tensors(inputs: Any, tensor: Callable[[np.ndarray], Any]) -> Any:
    """The inputs (an array or a dict of arrays) as tensors of a library (torch.from_numpy or ag.tensor)."""
    return {name: tensor(array) for name, array in inputs.items()} if isinstance(inputs, dict) else tensor(inputs)


def flatten(prefix: str, value: Any) -> dict:
    """An array or a dict of arrays as the entries of an .io.npz: prefix, or prefix.NAME for each name."""
    return {f"{prefix}.{name}": array for name, array in value.items()} if isinstance(value, dict) else {prefix: value}


def unflatten(prefix: str, io: Any) -> Any:
    """The array or the dict of arrays that flatten stored under prefix."""
    if prefix in io:
        return io[prefix]
    return {key[len(prefix) + 1:]: io[key] for key in io if key.startswith(f"{prefix}.")}


@dataclass(frozen=True)
class Golden:
    build: Callable[[Any], Any]  # the model, from the nn module given
    inputs: Callable[[np.random.Generator], Any]  # an array, or a dict of named arrays
    dtype: str = "float32"  # of the floating point weights in the file
    output: Callable[[Any, Any], Any] = call  # the tensor (or dict of named tensors) compared


GOLDEN = {
    "mlp_batchnorm": Golden(mlp_batchnorm, normal(5, 8)),
    "lenet5_batchnorm": Golden(lenet5_batchnorm, normal(2, 1, 28, 28)),
    "mlp_float16": Golden(mlp_batchnorm, normal(5, 8), "float16"),
    "mlp_bfloat16": Golden(mlp_batchnorm, normal(5, 8), "bfloat16"),
    "lstm_bidirectional_projected": Golden(
        lstm_bidirectional_projected, inputs(input=normal(3, 6, 5), h_0=normal(4, 3, 4), c_0=normal(4, 3, 8)),
        output=lstm_outputs),
    "gru_then_rnn_relu": Golden(gru_then_rnn_relu, inputs(input=normal(7, 2, 4), h_0=normal(1, 2, 8)),
                                output=gru_then_rnn_outputs),
    "causal_transformer_lm": Golden(causal_transformer_lm, integers(11, 2, 6)),
    "transformer_seq2seq": Golden(
        transformer_seq2seq,
        inputs(src=normal(5, 3, 8), tgt=normal(4, 3, 8),
               src_key_padding_mask=constant([[False] * 5, [False] * 3 + [True] * 2, [False] * 4 + [True]])),
        output=transformer_outputs),
}
