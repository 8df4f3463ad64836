"""The gradients' flow per layer: layer_gradient_norms (against numpy) and the matplotlib chart."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import nn  # noqa: E402
from autograd import manual_seed, randn, tensor  # noqa: E402
from nn.gradient_flow import layer_gradient_norms, plot_gradient_flow  # noqa: E402


class Named:
    """Anything with named_parameters() will do."""

    def __init__(self, **params) -> None:
        self.params = params

    def named_parameters(self):
        return iter(self.params.items())


def stepped(activation: type, depth: int = 6, width: int = 8) -> nn.Sequential:
    """A deep network after one backward of a squared-error loss."""
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), activation()]
    model = nn.Sequential(*layers[:-1])
    ((model(randn(16, width)) - randn(16, width)) ** 2).mean().backward()
    return model


def test_norms_group_parameters_by_layer():
    w, b, scale = (tensor(v, requires_grad=True) for v in ([[1.0, 2.0]], [3.0], 1.5))
    w.grad, b.grad, scale.grad = tensor([[3.0, 4.0]]), tensor([12.0]), tensor(-2.0)
    frozen = tensor([5.0])
    norms = layer_gradient_norms(Named(**{"fc.weight": w, "fc.bias": b, "scale": scale, "frozen.w": frozen}))
    assert norms == {"fc": 13.0, "scale": 2.0}  # sqrt(9 + 16 + 144); a top-level parameter is its own layer


def test_norms_of_a_module_match_numpy():
    manual_seed(0)
    model = stepped(nn.Tanh, depth=3)
    norms = layer_gradient_norms(model)
    assert list(norms) == ["0", "2", "4"]
    for index, name in enumerate(norms):
        layer = model[2 * index]
        expected = np.sqrt(np.sum(layer.weight.grad.numpy().astype(np.float64) ** 2)
                           + np.sum(layer.bias.grad.numpy().astype(np.float64) ** 2))
        assert norms[name] == pytest.approx(expected, rel=1e-12)


def test_missing_nan_and_infinite_gradients():
    a, b, c, d = (tensor([1.0, 1.0], requires_grad=True) for _ in range(4))
    b.grad, c.grad, d.grad = tensor([np.nan, 1.0]), tensor([np.inf, 0.0]), tensor([0.0, 0.0])
    norms = layer_gradient_norms(Named(**{"a.w": a, "b.w": b, "c.w": c, "d.w": d}))
    assert norms["a"] is None and np.isnan(norms["b"]) and norms["c"] == np.inf and norms["d"] == 0.0


def test_chart_draws_one_line_per_network_on_a_log_scale():
    manual_seed(0)
    networks = {"sigmoid": stepped(nn.Sigmoid), "relu": stepped(nn.ReLU)}
    ax = Figure().subplots()
    assert plot_gradient_flow(networks, ax) is ax
    assert ax.get_yscale() == "log"
    lines = [line for line in ax.get_lines() if line.get_label() in networks]
    assert [line.get_label() for line in lines] == ["sigmoid", "relu"]
    for line, model in zip(lines, networks.values()):
        assert np.allclose(line.get_ydata(), list(layer_gradient_norms(model).values()))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "2", "4", "6", "8", "10"]
    low, high = ax.get_ylim()
    assert low < 1e-5 and high > 1e3  # the vanishing and exploding zones are in view
    assert [t.get_text() for t in ax.texts] == ["vanishing: ‖g‖ < 1e-5", "exploding: ‖g‖ > 1e3"]
    sigmoid = lines[0].get_ydata()
    assert sigmoid[0] < sigmoid[-1] / 100  # the gradient fades towards the input


def test_chart_of_one_module_and_its_flags(tmp_path):
    a, b, c = (tensor([1.0], requires_grad=True) for _ in range(3))
    a.grad, b.grad, c.grad = tensor([0.5]), tensor([np.inf]), tensor([0.0])
    fig = Figure()
    ax = plot_gradient_flow(Named(**{"a.w": a, "b.w": b, "c.w": c}), fig.subplots(), vanishing=1e-3,
                            exploding=10.0, title=None)
    main, flags = ax.get_lines()
    low, high = ax.get_ylim()
    assert main.get_ydata()[0] == 0.5 and np.isnan(main.get_ydata()[1])  # a gap where the gradient is inf
    assert main.get_ydata()[2] == pytest.approx(low * 1.25)  # a zero gradient sits on the bottom edge
    assert flags.get_label() == "NaN or inf gradient" and list(flags.get_xdata()) == [1]
    assert ax.texts[0].get_text() == "vanishing: ‖g‖ < 0.001" and ax.get_title() == ""
    fig.savefig(tmp_path / "flow.png")
    assert (tmp_path / "flow.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("models, error, match", [
    (object(), TypeError, "named_parameters"),
    ({}, ValueError, "non-empty dict"),
    ({1: Named()}, ValueError, "label: module"),
    (Named(w=tensor([1.0], requires_grad=True)), ValueError, "call loss.backward"),
    ({"net": Named(w=tensor([1.0], requires_grad=True))}, ValueError, "'net' has no parameter"),
])
def test_bad_input_is_refused(models, error, match):
    with pytest.raises(error, match=match):
        plot_gradient_flow(models, Figure().subplots())


def test_bad_thresholds_are_refused():
    with pytest.raises(ValueError, match="vanishing < exploding"):
        plot_gradient_flow(Named(), Figure().subplots(), vanishing=1.0, exploding=1.0)
