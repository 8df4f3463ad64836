"""python -m demos.backprop: the pictures it writes and the values and gradients it reports."""
from __future__ import annotations

import struct

import pytest

from demos import backprop

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def fast_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("backprop")
    return folder, backprop.run(folder, fast=True)


def test_values_and_gradients_of_f(fast_run):
    _, results = fast_run
    # f = (x + y) * z at x = -2, y = 5, z = -4: q = 3, f = -12; df/dx = df/dy = z = -4, df/dz = q = 3
    assert results["f"] == -12.0 and results["q"] == 3.0
    assert results["grad"] == {"x": -4.0, "y": -4.0, "z": 3.0, "q": -4.0, "f": 1.0}


def test_every_picture_is_a_png(fast_run):
    folder, results = fast_run
    assert results["pictures"] == ["backprop_graph.png", "mlp_graph.png", "gradient_flow.png",
                                   "deep_sigmoid_graph.png"]
    for name in results["pictures"]:
        data = (folder / name).read_bytes()
        assert data[:8] == PNG_SIGNATURE
        width, height = struct.unpack(">II", data[16:24])
        assert width > 600 and height > 300


def test_the_mlp_graph_names_its_parameters_and_layers(tmp_path):
    loss, (path,) = backprop.draw_mlp(tmp_path, [".svg"])
    svg = path.read_text()
    for name in ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "tanh", "linear", "loss"):
        assert f">{name}<" in svg
    assert svg.count('class="cluster"') == 2 and loss > 0
    # one fused linear node per layer (x W^T + b), as the module docstring says: no separate matmul or add
    assert svg.count(">linear<") == 2 and ">matmul<" not in svg and ">add<" not in svg


def test_the_sigmoid_gradient_vanishes_and_the_relu_one_does_not(fast_run):
    _, results = fast_run
    sigmoid, relu = results["layer_grad_norms"].values()
    assert len(sigmoid) == len(relu) == backprop.DEPTH
    assert sigmoid[0] < 1e-4 * sigmoid[-1]
    assert 0.1 < relu[0] / relu[-1] < 10


def test_command_line(tmp_path, capsys):
    results = backprop.demo_main("backprop", backprop.run, ["--fast", "--out", str(tmp_path)])
    assert (tmp_path / "backprop" / "backprop_graph.png").exists() and results["f"] == -12.0
    assert "df/dx = -4" in capsys.readouterr().out
