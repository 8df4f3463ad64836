"""nn.RNN, nn.LSTM, nn.GRU and their cells: against the cell equations written here in numpy (every option that
changes the computation), finite differences, numbers PyTorch computed, and the errors for bad input."""
import itertools
import math

import numpy as np
import pytest
from graph_nodes import graph_nodes

import autograd as ag
import nn
from autograd import Tensor, gradcheck, gradgradcheck
from nn.recurrent_cells import GRUStep, LSTMStep, Recurrence, RNNReLUStep, RNNTanhStep
from nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

MODES = {"tanh": (nn.RNN, {}), "relu": (nn.RNN, {"nonlinearity": "relu"}), "lstm": (nn.LSTM, {}),
         "projected": (nn.LSTM, {"proj_size": 2}), "gru": (nn.GRU, {})}
INPUT, HIDDEN = 3, 4


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def reference_cell(mode, x, h, c, p):
    """One step of each cell, from the equations (gate order i, f, g, o and r, z, n as PyTorch)."""
    gi, gh = x @ p["w_ih"].T + p["b_ih"], h @ p["w_hh"].T + p["b_hh"]
    if mode == "tanh":
        return np.tanh(gi + gh), c
    if mode == "relu":
        return np.maximum(gi + gh, 0), c
    if mode == "gru":
        (i_r, i_z, i_n), (h_r, h_z, h_n) = np.split(gi, 3, axis=-1), np.split(gh, 3, axis=-1)
        r, z = sigmoid(i_r + h_r), sigmoid(i_z + h_z)
        n = np.tanh(i_n + r * h_n)
        return (1 - z) * n + z * h, c
    i, f, g, o = np.split(gi + gh, 4, axis=-1)
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    h = sigmoid(o) * np.tanh(c)
    return (h if p["w_hr"] is None else h @ p["w_hr"].T), c


def reference(mode, module, x, lengths, h0, c0):
    """The layer on x (T, N, in) with numpy: per layer and direction a loop over time in which a sequence's
    state changes only while t < its length (a reverse direction starts at each sequence's own end)."""
    state = {k: v.detach().numpy() for k, v in module.state_dict().items()}
    directions = 2 if module.bidirectional else 1
    steps = x.shape[0]
    active = (np.arange(steps)[:, None] < np.asarray(lengths)[None, :])[..., None]  # (T, N, 1)
    finals_h, finals_c = [], []
    for layer in range(module.num_layers):
        outputs = []
        for d, suffix in enumerate(["", "_reverse"][:directions]):
            def get(name, layer=layer, suffix=suffix):
                return state.get(f"{name}_l{layer}{suffix}")

            gates = get("weight_ih").shape[0]
            p = {"w_ih": get("weight_ih"), "w_hh": get("weight_hh"), "w_hr": get("weight_hr"),
                 "b_ih": get("bias_ih") if module.bias else np.zeros(gates),
                 "b_hh": get("bias_hh") if module.bias else np.zeros(gates)}
            k = layer * directions + d
            h, c = h0[k], None if c0 is None else c0[k]
            out = np.zeros(x.shape[:2] + (h.shape[-1],))
            for t in (reversed(range(steps)) if d else range(steps)):
                new_h, new_c = reference_cell(mode, x[t], h, c, p)
                h = np.where(active[t], new_h, h)
                c = None if c is None else np.where(active[t], new_c, c)
                out[t] = np.where(active[t], new_h, 0)
            outputs.append(out)
            finals_h.append(h)
            finals_c.append(c)
        x = np.concatenate(outputs, axis=-1)
    return x, np.stack(finals_h), (None if c0 is None else np.stack(finals_c))


def make(mode, **options):
    cls, extra = MODES[mode]
    ag.manual_seed(0)
    return cls(INPUT, HIDDEN, **extra, **options).double()


def states(module, batch, rng):
    """Random h0 (and c0) of the shapes the module expects."""
    count = module.num_layers * (2 if module.bidirectional else 1)
    h0 = rng.standard_normal((count, batch, module.proj_size or HIDDEN))
    c0 = rng.standard_normal((count, batch, HIDDEN)) if isinstance(module, nn.LSTM) else None
    return h0, c0


def as_hx(h0, c0, unbatched=False):
    take = (lambda a: ag.tensor(a[:, 0])) if unbatched else ag.tensor
    return take(h0) if c0 is None else (take(h0), take(c0))


def finals(module, h_n):
    if isinstance(module, nn.LSTM):
        return h_n[0].detach().numpy(), h_n[1].detach().numpy()
    return h_n.detach().numpy(), None


def assert_finals_match(module, h_n, expected_h, expected_c):
    """The layer's final h (and c, for an LSTM) are the reference's."""
    got_h, got_c = finals(module, h_n)
    np.testing.assert_allclose(got_h, expected_h, rtol=1e-10, atol=1e-12)
    if got_c is not None:
        np.testing.assert_allclose(got_c, expected_c, rtol=1e-10, atol=1e-12)


OPTIONS = [dict(num_layers=n, bidirectional=b, batch_first=f, bias=bias)
           for n, b, f, bias in itertools.product([1, 2], [False, True], [False, True], [True, False])]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: "-".join(f"{k}={v}" for k, v in o.items()))
def test_layers_follow_the_cell_equations(mode, options):
    module = make(mode, **options)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((5, 3, INPUT))
    h0, c0 = states(module, 3, rng)
    given = ag.tensor(x.transpose(1, 0, 2) if options["batch_first"] else x)
    output, h_n = module(given, as_hx(h0, c0))
    expected, expected_h, expected_c = reference(mode, module, x, [5, 5, 5], h0, c0)
    got = output.detach().numpy().transpose(1, 0, 2) if options["batch_first"] else output.detach().numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)
    assert_finals_match(module, h_n, expected_h, expected_c)


@pytest.mark.parametrize("mode", MODES)
def test_packed_sequences_take_each_final_state_at_its_own_length(mode):
    module = make(mode, num_layers=2, bidirectional=True)
    rng = np.random.default_rng(2)
    lengths = [2, 5, 1, 4]
    x = rng.standard_normal((5, 4, INPUT))
    h0, c0 = states(module, 4, rng)
    packed = pack_padded_sequence(ag.tensor(x), lengths, enforce_sorted=False)
    output, h_n = module(packed, as_hx(h0, c0))
    assert isinstance(output, nn.utils.rnn.PackedSequence)
    padded, got_lengths = pad_packed_sequence(output)
    expected, expected_h, expected_c = reference(mode, module, x, lengths, h0, c0)
    assert got_lengths.tolist() == lengths
    np.testing.assert_allclose(padded.detach().numpy(), expected, rtol=1e-10, atol=1e-12)
    assert_finals_match(module, h_n, expected_h, expected_c)


@pytest.mark.parametrize("mode", MODES)
def test_unbatched_input_is_one_sequence_without_a_batch_dimension(mode):
    module = make(mode, num_layers=2, bidirectional=True)
    rng = np.random.default_rng(3)
    x = rng.standard_normal((4, INPUT))
    h0, c0 = states(module, 1, rng)
    output, h_n = module(ag.tensor(x), as_hx(h0, c0, unbatched=True))
    expected, expected_h, _ = reference(mode, module, x[:, None], [4], h0, c0)
    assert output.shape == (4, 2 * (module.proj_size or HIDDEN))
    np.testing.assert_allclose(output.detach().numpy(), expected[:, 0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(finals(module, h_n)[0], expected_h[:, 0], rtol=1e-10, atol=1e-12)


def test_missing_initial_states_are_zeros():
    module = make("lstm")
    x = np.random.default_rng(4).standard_normal((3, 2, INPUT))
    output, (h_n, c_n) = module(ag.tensor(x))
    expected, expected_h, expected_c = reference("lstm", module, x, [3, 3], np.zeros((1, 2, HIDDEN)),
                                                 np.zeros((1, 2, HIDDEN)))
    np.testing.assert_allclose(output.detach().numpy(), expected, rtol=1e-10)
    np.testing.assert_allclose(c_n.detach().numpy(), expected_c, rtol=1e-10)


@pytest.mark.parametrize("mode", MODES)
def test_gradients_of_a_layer_match_finite_differences(mode):
    """gradcheck perturbs its inputs in place: the module's own parameters are among them."""
    module = make(mode, num_layers=2, bidirectional=True)
    rng = np.random.default_rng(5)
    x = Tensor(rng.standard_normal((3, 2, INPUT)), requires_grad=True)
    h0, c0 = states(module, 2, rng)
    hx = [Tensor(h0, requires_grad=True)] + ([] if c0 is None else [Tensor(c0, requires_grad=True)])

    def run(x, *tensors):
        output, h_n = module(x, tensors[0] if c0 is None else tuple(tensors[:2]))
        last = h_n[0] if isinstance(h_n, tuple) else h_n
        return (output * output).sum() + (last * 2).sum()

    assert gradcheck(run, (x, *hx, *module.parameters()))


def test_gradients_of_gradients_through_a_layer():
    """create_graph=True: the sequence is recomputed as step nodes, so that the gradient is differentiable."""
    module = make("gru")
    x = Tensor(np.random.default_rng(6).standard_normal((2, 1, INPUT)), requires_grad=True)
    assert gradgradcheck(lambda x: module(x)[0], (x,))


def test_pytorch_numbers():
    """Computed with torch 2.13 (float64): parameters filled with linspace(-0.5, 0.5) times (-1)^k in the order of
    named_parameters, x = linspace(-1, 1, 12).reshape(3, 2, 2), loss = output.sum() + (h_n ** 2).sum()."""
    x = ag.tensor(np.linspace(-1, 1, 12).reshape(3, 2, 2), requires_grad=True)
    for module, numbers in ((nn.LSTM(2, 3, proj_size=2, bidirectional=True), {
            "out[-1]": [[-0.0055595106, 0.0105353704, -0.0221199448, 0.0370642165],
                        [-0.0307322423, 0.0604773735, -0.033030834, 0.0523443927]],
            "h_n": [[[-0.0055595106, 0.0105353704], [-0.0307322423, 0.0604773735]],
                    [[0.0276811824, -0.0569816163], [0.0023468213, -0.007222615]]],
            "x.grad[0]": [[0.0323936581, 0.0283853646], [0.0457774204, 0.0449824153]],
            "weight_hh_l0.grad[0]": [-0.0001143424, 0.0002095319]}),
            (nn.GRU(2, 3, num_layers=2), {
                "out[-1]": [[0.1720036809, 0.2417412292, 0.3000253666], [0.2390178781, 0.3309176694, 0.4043540182]],
                "h_n": [[[0.2109119056, 0.2650611539, 0.2899820022], [0.3248563924, 0.4055162952, 0.4430967585]],
                        [[0.1720036809, 0.2417412292, 0.3000253666], [0.2390178781, 0.3309176694, 0.4043540182]]],
                "x.grad[0]": [[0.4369965806, 0.5230915402], [0.6134566294, 0.7127901688]],
                "weight_hh_l0.grad[0]": [-0.0006728511, 0.0002486759, 0.001703551]})):
        module = module.double()
        module.load_state_dict({name: ag.tensor(np.linspace(-0.5, 0.5, p.numel()).reshape(p.shape) * (-1) ** k)
                                for k, (name, p) in enumerate(module.named_parameters())})
        x.grad = None
        out, h = module(x)
        h_n = h[0] if isinstance(h, tuple) else h
        (out.sum() + (h_n ** 2).sum()).backward()
        got = {"out[-1]": out[-1], "h_n": h_n, "x.grad[0]": x.grad[0],
               "weight_hh_l0.grad[0]": module.weight_hh_l0.grad[0]}
        for key, expected in numbers.items():
            np.testing.assert_allclose(got[key].detach().numpy(), expected, atol=1e-10, err_msg=key)


@pytest.mark.parametrize("mode", ["tanh", "relu", "lstm", "gru"])
def test_cells_match_the_equations_and_the_layers_first_step(mode):
    cls = {"tanh": nn.RNNCell, "relu": nn.RNNCell, "lstm": nn.LSTMCell, "gru": nn.GRUCell}[mode]
    ag.manual_seed(0)
    cell = (cls(INPUT, HIDDEN, nonlinearity=mode) if cls is nn.RNNCell else cls(INPUT, HIDDEN)).double()
    rng = np.random.default_rng(7)
    x, h, c = rng.standard_normal((2, INPUT)), rng.standard_normal((2, HIDDEN)), rng.standard_normal((2, HIDDEN))
    p = {"w_ih": cell.weight_ih.detach().numpy(),
         "w_hh": cell.weight_hh.detach().numpy(), "b_ih": cell.bias_ih.detach().numpy(),
         "b_hh": cell.bias_hh.detach().numpy(), "w_hr": None}
    expected_h, expected_c = reference_cell(mode, x, h, c, p)
    if mode == "lstm":
        got_h, got_c = cell(ag.tensor(x), (ag.tensor(h), ag.tensor(c)))
        np.testing.assert_allclose(got_c.detach().numpy(), expected_c, rtol=1e-12)
        unbatched_h, _ = cell(ag.tensor(x[0]), (ag.tensor(h[0]), ag.tensor(c[0])))
    else:
        got_h = cell(ag.tensor(x), ag.tensor(h))
        unbatched_h = cell(ag.tensor(x[0]), ag.tensor(h[0]))
    np.testing.assert_allclose(got_h.detach().numpy(), expected_h, rtol=1e-12)
    np.testing.assert_allclose(unbatched_h.detach().numpy(), expected_h[0], rtol=1e-12)


def composite(cell, gx, state, w_hh, b_hh, w_hr):
    """The step written with elementary ops of the library, for comparison with its one-node version."""
    hidden = w_hh.shape[0] // cell.gates
    size = w_hh.shape[1]
    h = state[:, :size]
    a = h @ w_hh.T + b_hh
    if cell is RNNTanhStep:
        return (gx + a).tanh()
    if cell is RNNReLUStep:
        return (gx + a).relu()
    if cell is GRUStep:
        r = (gx[:, :hidden] + a[:, :hidden]).sigmoid()
        z = (gx[:, hidden:2 * hidden] + a[:, hidden:2 * hidden]).sigmoid()
        n = (gx[:, 2 * hidden:] + r * a[:, 2 * hidden:]).tanh()
        return (1 - z) * n + z * h
    pre = gx + a
    i, f = pre[:, :hidden].sigmoid(), pre[:, hidden:2 * hidden].sigmoid()
    g, o = pre[:, 2 * hidden:3 * hidden].tanh(), pre[:, 3 * hidden:].sigmoid()
    c = f * state[:, size:] + i * g
    m = o * c.tanh()
    return ag.cat([m if w_hr is None else m @ w_hr.T, c], 1)


@pytest.mark.parametrize("cell,projection", [(RNNTanhStep, 0), (RNNReLUStep, 0), (LSTMStep, 0), (LSTMStep, 2),
                                             (GRUStep, 0)])
def test_each_step_is_one_node_with_the_values_and_gradients_of_its_composite(cell, projection):
    rng = np.random.default_rng(8)
    hidden, batch = 3, 4
    size = projection or hidden
    width = size + hidden if cell is LSTMStep else size

    def leaves():
        rng_ = np.random.default_rng(9)
        shapes = [(batch, cell.gates * hidden), (batch, width), (cell.gates * hidden, size), (cell.gates * hidden,)]
        shapes += [(projection, hidden)] if projection else []
        return [Tensor(rng_.standard_normal(s), requires_grad=True) for s in shapes]

    one, elementary = leaves(), leaves()
    weights = rng.standard_normal((batch, width))
    fast = cell.apply(*one, *([] if projection else [None]))
    slow = composite(cell, *elementary, *([] if projection else [None]))
    assert type(fast.grad_fn) is cell and all(p is None or type(p).__name__ == "AccumulateGrad"
                                              for p in fast.grad_fn.parents)
    np.testing.assert_allclose(fast.detach().numpy(), slow.detach().numpy(), rtol=1e-12, atol=1e-14)
    (fast * ag.tensor(weights)).sum().backward()
    (slow * ag.tensor(weights)).sum().backward()
    for a, b in zip(one, elementary):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_a_layer_is_one_projection_and_one_sequence_node_per_direction():
    module = make("lstm", num_layers=2, bidirectional=True)
    output, _ = module(ag.tensor(np.ones((6, 2, INPUT))))
    assert sum(type(node) is Recurrence for node in graph_nodes(output)) == 4


def test_parameters_have_pytorchs_names_shapes_and_initialisation():
    ag.manual_seed(0)
    module = nn.LSTM(10, 20, num_layers=2, bidirectional=True, proj_size=5)
    shapes = {name: p.shape for name, p in module.named_parameters()}
    assert list(shapes)[:5] == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0"]
    assert shapes["weight_ih_l0"] == (80, 10) and shapes["weight_hh_l0"] == (80, 5)
    assert shapes["weight_ih_l1_reverse"] == (80, 10) and shapes["weight_hr_l1_reverse"] == (5, 20)
    assert len(shapes) == 20
    gru = nn.GRU(10, 20, bias=False)
    assert {name: p.shape for name, p in gru.named_parameters()} == {"weight_ih_l0": (60, 10),
                                                                       "weight_hh_l0": (60, 20)}
    values = np.concatenate([p.detach().numpy().ravel() for p in module.parameters()])
    bound = 1 / math.sqrt(20)
    assert values.dtype == np.float32 and np.abs(values).max() <= bound
    assert np.abs(values).max() > 0.95 * bound and abs(values.mean()) < 0.02 * bound
    assert nn.RNNCell(3, 4).weight_hh.shape == (4, 4) and nn.GRUCell(3, 4).bias_ih.shape == (12,)


def test_dropout_between_layers_only_while_training():
    module = make("gru", num_layers=2, dropout=1.0)
    x = np.random.default_rng(10).standard_normal((4, 2, INPUT))
    h0, _ = states(module, 2, np.random.default_rng(11))
    expected_eval, _, _ = reference("gru", module, x, [4, 4], h0, None)
    module.eval()
    np.testing.assert_allclose(module(ag.tensor(x), ag.tensor(h0))[0].detach().numpy(), expected_eval, rtol=1e-10)
    module.train()
    dropped, _ = module(ag.tensor(x), ag.tensor(h0))
    # p = 1 zeroes the first layer's output: the second layer sees zeros
    second = nn.GRU(HIDDEN, HIDDEN).double()
    second.load_state_dict({k.replace("l1", "l0"): v for k, v in module.state_dict().items() if "l1" in k})
    expected_train, _, _ = reference("gru", second, np.zeros((4, 2, HIDDEN)), [4, 4], h0[1:], None)
    np.testing.assert_allclose(dropped.detach().numpy(), expected_train, rtol=1e-10)


def test_float32_end_to_end():
    module = nn.LSTM(3, 5)
    output, (h_n, c_n) = module(ag.randn(4, 2, 3))
    output.sum().backward()
    assert output.dtype == h_n.dtype == c_n.dtype == module.weight_hh_l0.grad.dtype == np.float32


@pytest.mark.parametrize("call,message", [
    (lambda: nn.LSTM(3, 4)(ag.randn(5, 2, 6)),
     r"LSTM: input.size\(-1\) must be equal to input_size. Expected 3, got 6"),
    (lambda: nn.GRU(3, 4)(ag.randn(1, 5, 2, 3)), "GRU: Expected input to be 2D or 3D, got 4D"),
    (lambda: nn.RNN(3, 4)(ag.randn(5, 2, 3), ag.randn(1, 3, 4)),
     r"RNN: Expected hidden size \(1, 2, 4\), got \[1, 3, 4\]"),
    (lambda: nn.LSTM(3, 4)(ag.randn(5, 2, 3), (ag.randn(1, 2, 4), ag.randn(2, 2, 4))),
     r"LSTM: Expected hidden\[1\] size \(1, 2, 4\), got \[2, 2, 4\]"),
    (lambda: nn.LSTM(3, 4, proj_size=2)(ag.randn(5, 2, 3), (ag.randn(1, 2, 4), ag.randn(1, 2, 4))),
     r"LSTM: Expected hidden\[0\] size \(1, 2, 2\), got \[1, 2, 4\]"),
    (lambda: nn.GRU(3, 4)(ag.randn(5, 2, 3), ag.randn(1, 2, 4).double()), "GRU: hidden must have dtype float32"),
    (lambda: nn.GRU(3, 4)(ag.randn(5, 2, 3).double()), "GRU: input must have dtype float32"),
    (lambda: nn.LSTM(3, 4)(ag.randn(5, 2, 3), ag.randn(1, 2, 4)), r"LSTM: hx must be a tuple \(h_0, c_0\)"),
    (lambda: nn.RNN(3, 4, nonlinearity="sigmoid"), "Unknown nonlinearity 'sigmoid'"),
    (lambda: nn.LSTM(3, 4, proj_size=4), "proj_size has to be smaller than hidden_size"),
    (lambda: nn.RNNBase("GRU", 3, 4, proj_size=2), "only supported for LSTM"),
    (lambda: nn.GRU(3, 0), "GRU: hidden_size must be a positive integer"),
    (lambda: nn.GRU(3, 4, dropout=1.5), "dropout should be a number in range"),
    (lambda: nn.LSTMCell(3, 4)(ag.randn(2, 5)), "LSTMCell: input has inconsistent input_size: got 5 expected 3"),
    (lambda: nn.GRUCell(3, 4)(ag.randn(2, 3), ag.randn(3, 4)), r"GRUCell: Expected hidden size \(2, 4\), got \[3, 4\]"),
    (lambda: nn.RNNCell(3, 4)(ag.randn(2, 2, 3)), "RNNCell: Expected input to be 1D or 2D, got 3D"),
    (lambda: nn.LSTM(3, 4)(ag.randn(0, 2, 3)), "LSTM: Expected sequence length to be larger than 0"),
])
def test_bad_input_is_refused_with_the_module_and_the_expected_shape(call, message):
    with pytest.raises((ValueError, RuntimeError, TypeError), match=message):
        call()


def test_dropout_with_one_layer_warns_as_pytorch():
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        nn.LSTM(3, 4, dropout=0.5)


@pytest.mark.parametrize("mode", ["tanh", "lstm", "gru"])
def test_a_layer_equals_its_cell_run_in_a_python_loop(mode):
    """The sequence node against the composite it replaces: one step node per time step."""
    layer_cls, cell_cls = {"tanh": (nn.RNN, nn.RNNCell), "lstm": (nn.LSTM, nn.LSTMCell),
                           "gru": (nn.GRU, nn.GRUCell)}[mode]
    ag.manual_seed(0)
    layer, cell = layer_cls(INPUT, HIDDEN).double(), cell_cls(INPUT, HIDDEN).double()
    cell.load_state_dict({name[:-3]: value for name, value in layer.state_dict().items()})
    x = np.random.default_rng(12).standard_normal((5, 2, INPUT))
    inputs = [Tensor(x, requires_grad=True) for _ in range(2)]
    output, _ = layer(inputs[0])
    state, outputs = None, []
    for t in range(5):
        state = cell(inputs[1][t], state)
        outputs.append(state[0] if mode == "lstm" else state)
    looped = ag.stack(outputs)
    np.testing.assert_allclose(output.detach().numpy(), looped.detach().numpy(), rtol=1e-12)
    weights = ag.tensor(np.random.default_rng(13).standard_normal(output.shape))
    (output * weights).sum().backward()
    (looped * weights).sum().backward()
    np.testing.assert_allclose(inputs[0].grad.numpy(), inputs[1].grad.numpy(), rtol=1e-10)
    for (name, p), q in zip(layer.named_parameters(), cell.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-10, err_msg=name)


def test_all_weights_and_flatten_parameters_as_pytorch():
    module = nn.LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=2)
    module.flatten_parameters()  # PyTorch code calls it; nothing to do here
    groups = module.all_weights
    assert len(groups) == 4 and [w.shape for w in groups[3]] == [(16, 4), (16, 2), (16,), (16,), (2, 4)]
    assert groups[1][0] is module.weight_ih_l0_reverse


def test_an_output_changed_in_place_before_backward_is_refused():
    """Backward reads the states from the output: changed in place, they would give a wrong gradient."""
    output, _ = nn.GRU(2, 3)(ag.randn(4, 1, 2, requires_grad=True))
    with ag.no_grad():
        output[1] += 1
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        output.sum().backward()
