"""The models of the golden files, written once for both libraries: `build(nn)` takes torch.nn or this nn.

Adding a model is one entry in GOLDEN, for example (a recurrent layer, whose output is a tuple)

    "lstm": Golden(lambda nn: nn.LSTM(4, 8, batch_first=True), normal(2, 5, 4), output=lambda m, x: m(x)[0]),

then `/tmp/torchenv/bin/python tests/nn/golden/make_golden.py` (any Python with torch and safetensors) writes
its files, and tests/nn/test_safetensors_golden.py checks them. Keep the models small: the files are committed.
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


def normal(*shape: int) -> Callable[[np.random.Generator], np.ndarray]:
    """Inputs drawn from the standard normal distribution, as float32."""
    return lambda rng: rng.standard_normal(shape).astype(np.float32)


def call(model: Any, inputs: Any) -> Any:
    return model(inputs)


@dataclass(frozen=True)
class Golden:
    build: Callable[[Any], Any]  # the model, from the nn module given
    inputs: Callable[[np.random.Generator], np.ndarray]
    dtype: str = "float32"  # of the floating point weights in the file
    output: Callable[[Any, Any], Any] = call  # the tensor compared, from the model and the inputs


GOLDEN = {
    "mlp_batchnorm": Golden(mlp_batchnorm, normal(5, 8)),
    "lenet5_batchnorm": Golden(lenet5_batchnorm, normal(2, 1, 28, 28)),
    "mlp_float16": Golden(mlp_batchnorm, normal(5, 8), "float16"),
    "mlp_bfloat16": Golden(mlp_batchnorm, normal(5, 8), "bfloat16"),
}
