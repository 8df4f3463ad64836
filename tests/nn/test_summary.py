"""nn.utils.summary: rows, output shapes, parameter counts and memory, checked against counts worked out by hand
from the layer sizes; hooks removed, modes restored and no gradient recorded, also when the forward pass fails."""
from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
from nn.utils import ModelSummary, summary


def rows_of(result: ModelSummary) -> list[tuple[str, str, int, tuple]]:
    return [(row.name, row.type_name, row.depth, row.output_shapes) for row in result.rows]


def test_mlp():
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    result = summary(model, input_size=(5, 4))
    assert rows_of(result) == [("", "Sequential", 0, ((5, 3),)), ("0", "Linear", 1, ((5, 8),)),
                               ("1", "ReLU", 1, ((5, 8),)), ("2", "Linear", 1, ((5, 3),))]
    assert [row.params for row in result.rows] == [0, 4 * 8 + 8, 0, 8 * 3 + 3]
    assert result.total_params == result.trainable_params == 67 and result.non_trainable_params == 0
    assert result.input_bytes == 5 * 4 * 4  # float32
    assert result.activation_bytes == (5 * 8 + 5 * 8 + 5 * 3) * 4  # the leaf layers' outputs
    assert result.param_bytes == 67 * 4 and result.buffer_bytes == result.buffer_elements == 0
    assert result.total_bytes == 80 + 380 + 268
    text = str(result)
    for line in ("Total params: 67", "Trainable params: 67", "Non-trainable params: 0", "Input size: 80 B",
                 "Activations size (outputs of the leaf layers): 380 B", "Params size: 268 B",
                 "Estimated total size: 728 B"):
        assert line in text.splitlines()
    table = [line.split() for line in text.splitlines()]
    assert ["0", "(Linear)", "[5,", "8]", "40"] in table and ["1", "(ReLU)", "[5,", "8]", "--"] in table


class SmallCNN(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(4 * 5 * 5, 10))

    def forward(self, x):
        return self.head(self.features(x))


def test_cnn_with_batchnorm_buffers_and_a_frozen_layer():
    model = SmallCNN()
    model.features[0].weight.requires_grad_(False)  # frozen: a parameter that does not train
    result = summary(model, input_size=(2, 1, 12, 12))
    conv, bn, linear = 4 * 1 * 3 * 3 + 4, 4 + 4, 100 * 10 + 10  # weight + bias; gamma + beta
    assert rows_of(result) == [
        ("", "SmallCNN", 0, ((2, 10),)), ("features", "Sequential", 1, ((2, 4, 5, 5),)),
        ("features.0", "Conv2d", 2, ((2, 4, 10, 10),)), ("features.1", "BatchNorm2d", 2, ((2, 4, 10, 10),)),
        ("features.2", "ReLU", 2, ((2, 4, 10, 10),)), ("features.3", "MaxPool2d", 2, ((2, 4, 5, 5),)),
        ("head", "Sequential", 1, ((2, 10),)), ("head.0", "Flatten", 2, ((2, 100),)),
        ("head.1", "Linear", 2, ((2, 10),))]
    counts = {row.name: (row.params, row.trainable_params) for row in result.rows}
    assert counts["features.0"] == (conv, 4) and counts["features.1"] == (bn, bn) and counts["head.1"] == (linear,) * 2
    assert result.total_params == conv + bn + linear
    assert result.non_trainable_params == 36 and result.trainable_params == conv + bn + linear - 36
    # running_mean and running_var (4 float32 each) and num_batches_tracked (one int64) are buffers, not params
    assert result.buffer_elements == 9 and result.buffer_bytes == 4 * 4 + 4 * 4 + 8
    leaf_outputs = 3 * (2 * 4 * 10 * 10) + 2 * 4 * 5 * 5 + 2 * 100 + 2 * 10
    assert result.activation_bytes == 4 * leaf_outputs and result.input_bytes == 4 * 2 * 144


def test_depth_hides_rows_and_counts_their_parameters_in_the_shown_ancestor():
    model = nn.Sequential(nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.Linear(3, 3), nn.ReLU())), nn.Linear(3, 1))
    full = summary(model, input_size=(1, 2))
    assert [(row.name, row.depth) for row in full.rows] == [
        ("", 0), ("0", 1), ("0.0", 2), ("0.1", 2), ("0.1.0", 3), ("0.1.1", 3), ("1", 1)]
    assert [row.params for row in full.rows] == [0, 0, 9, 0, 12, 0, 4]
    shallow = summary(model, input_size=(1, 2), depth=1)
    assert [(row.name, row.params) for row in shallow.rows] == [("", 0), ("0", 9 + 12), ("1", 4)]
    assert [(row.name, row.params) for row in summary(model, input_size=(1, 2), depth=0).rows] == [("", 25)]
    assert shallow.activation_bytes == full.activation_bytes == 4 * (3 + 3 + 3 + 1)  # hidden layers count too
    assert "    0 (Linear)" in str(full) and "      0 (Linear)" in str(full)


class SharedLayer(nn.Module):
    """One Linear applied twice, registered under two names; and an output layer tied to the embedding."""

    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Embedding(10, 4)
        self.block = nn.Linear(4, 4)
        self.again = self.block
        self.out = nn.Linear(4, 10, bias=False)
        self.out.weight = self.embed.weight

    def forward(self, tokens):
        return self.out(self.again(self.block(self.embed(tokens)).relu()))


def test_shared_layers_and_tied_weights_are_counted_once():
    result = summary(SharedLayer(), input_size=(2, 7), dtypes=autograd.int64)
    assert [(row.name, row.params, row.shared) for row in result.rows] == [
        ("", 0, False), ("embed", 40, False), ("block", 20, False), ("block", 0, True), ("out", 0, True)]
    assert result.total_params == 10 * 4 + 4 * 4 + 4 == 60
    assert result.input_bytes == 2 * 7 * 8  # int64 token ids
    assert result.activation_bytes == 4 * (2 * 7 * 4 * 3 + 2 * 7 * 10)  # block counts twice: two calls
    assert str(result).count("(shared)") == 2


class TwoInputs(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.left, self.right = nn.Linear(3, 2), nn.Linear(5, 2)

    def forward(self, x, y):
        return self.left(x) + self.right(y), self.left(x)


def test_several_inputs_sizes_dtypes_and_input_data():
    model = TwoInputs()
    result = summary(model, input_size=[(4, 3), (4, 5)], dtypes=[autograd.float64, autograd.float64])
    assert result.rows[0].output_shapes == ((4, 2), (4, 2)) and result.input_bytes == 8 * (12 + 20)
    assert [row.name for row in result.rows] == ["", "left", "right", "left"]
    assert result.total_params == (3 * 2 + 2) + (5 * 2 + 2)
    x, y = autograd.zeros(1, 3), autograd.zeros(1, 5)
    for data in ([x, y], (x, y), {"x": x, "y": y}):
        assert summary(model, input_data=data).rows[1].output_shapes == ((1, 2),)
    assert summary(nn.Linear(3, 2), input_data=x).input_bytes == 12


def test_hooks_are_removed_modes_restored_and_nothing_recorded():
    grad_enabled = []

    class Probe(nn.Module):
        def forward(self, x):
            grad_enabled.append(autograd.is_grad_enabled())
            return x

    model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5), Probe())
    model.train()
    model[0].eval()
    autograd.manual_seed(0)
    expected_draw = autograd.rand(3).numpy()
    autograd.manual_seed(0)
    summary(model, input_size=(8, 2))
    assert grad_enabled == [False]
    assert np.array_equal(autograd.rand(3).numpy(), expected_draw)  # the default generator was not used
    assert [m.training for m in model.modules()] == [True, False, True, True]
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in model.modules())
    assert all(p.grad is None for p in model.parameters())


def test_a_forward_pass_that_fails_names_the_module_and_leaves_the_model_as_it_was():
    model = SmallCNN()
    model.train()
    with pytest.raises(RuntimeError, match=r"failed in features\.0 \(Conv2d\), called with \[2, 3, 12, 12\]: "
                                           r"ValueError: conv2d: the input has 3 channels"):
        summary(model, input_size=(2, 3, 12, 12))
    with pytest.raises(RuntimeError, match=r"failed in head\.1 \(Linear\), called with \[2, 144\]"):
        summary(model, input_size=(2, 1, 14, 14))
    assert all(m.training for m in model.modules())
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in model.modules())


@pytest.mark.parametrize("kwargs, error, match", [
    ({}, ValueError, "exactly one of input_size"),
    ({"input_size": (1, 4), "input_data": autograd.zeros(1, 4)}, ValueError, "exactly one of input_size"),
    ({"input_size": ("a", 4)}, ValueError, "input_size must be a shape such as"),
    ({"input_size": (1, -4)}, ValueError, "input_size must be a shape such as"),
    ({"input_size": [(1, 4), "x"]}, ValueError, "input_size must be a shape such as"),
    ({"input_size": [(1, 4), (1, 4)], "dtypes": [autograd.float32]}, ValueError, "1 dtypes for 2 inputs"),
    ({"input_size": (1, 4), "dtypes": "float32"}, TypeError, "is not a dtype"),
    ({"input_data": autograd.zeros(1, 4), "dtypes": autograd.float32}, ValueError, "dtypes goes with input_size"),
    ({"input_data": 3}, TypeError, "input_data must be a Tensor"),
    ({"input_size": (1, 4), "depth": -1}, ValueError, "depth must be an int >= 0"),
])
def test_bad_arguments_are_refused(kwargs, error, match):
    with pytest.raises(error, match=match):
        summary(nn.Linear(4, 2), **kwargs)


def test_a_model_that_is_not_a_module_is_refused():
    with pytest.raises(TypeError, match="model must be an nn.Module, got function"):
        summary(lambda x: x, input_size=(1, 2))
