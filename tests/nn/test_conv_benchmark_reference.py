"""The benchmark's convolutional workloads (demos/benchmark/conv.py): its LeNet-5 step written by hand in numpy
makes the update the library's backward makes, and what a step must hold is counted right."""
import inspect

import numpy as np

import autograd as ag
import nn
from demos.benchmark import conv


def test_the_numpy_lenet_step_by_hand_updates_the_weights_by_the_librarys_gradients():
    step = conv.numpy_lenet_step()
    params = inspect.getclosurevars(step).nonlocals["params"]
    before = [p.copy() for p in params]
    step()
    layers = conv.lenet_layers(nn)
    model = nn.Sequential(*layers)
    with ag.no_grad():
        for p, array in zip(model.parameters(), conv.initial_weights(layers)):
            p.copy_(ag.tensor(array))
    x, y = conv.batch(conv.LENET_BATCH, (1, 28, 28))
    nn.CrossEntropyLoss()(model(ag.tensor(x)), ag.tensor(y)).backward()
    for old, new, p in zip(before, params, model.parameters()):
        np.testing.assert_allclose((old - new) / conv.LR, p.grad.numpy(), rtol=1e-3, atol=2e-6)


def test_what_a_lenet_step_must_hold_is_counted_from_the_shapes():
    per_sample = 2 * 6 * 28 * 28 + 6 * 14 * 14 + 2 * 16 * 10 * 10 + 16 * 5 * 5 + 2 * 120 + 2 * 84 + 10
    parameters = 6 * 25 + 6 + 16 * 150 + 16 + 120 * 400 + 120 + 84 * 120 + 84 + 10 * 84 + 10
    floats = 64 * 28 * 28 + 64 * per_sample + 2 * parameters
    assert conv.must_hold(conv.lenet_layers(nn), 64, (1, 28, 28)) == 4 * floats + 8 * 64
