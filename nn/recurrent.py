"""Recurrent layers with PyTorch's names, parameters, gate orders, options and return values: `RNN` (tanh or
relu), `LSTM` (proj_size), `GRU`, and the single steps `RNNCell`, `LSTMCell`, `GRUCell`.

Layer k, direction d (suffix '_reverse' for the backward direction) has weight_ih_l{k} (G*H, in), weight_hh_l{k}
(G*H, P), bias_ih_l{k} and bias_hh_l{k} (G*H,), and with proj_size weight_hr_l{k} (P, H), where G is the number of
gates (1, 4, 3), P = proj_size or H; every parameter starts U(-1/sqrt(H), 1/sqrt(H)). A layer computes the input
gates x W_ih^T + b_ih for all time steps in one product, then runs its cell over the sequence in one node
(nn.recurrent_cells.Recurrence); the cells run one step node each.
"""
from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from autograd.dtypes import get_default_dtype
from autograd.ops.joining import cat, stack
from autograd.tensor_class import Tensor
from nn import init
from nn.dropout import dropout as dropout_fn
from nn.linear import linear
from nn.module import Module
from nn.parameter import Parameter
from nn.recurrent_cells import GRUStep, LSTMStep, Recurrence, RNNReLUStep, RNNTanhStep
from nn.utils.rnn import PackedSequence

_CELLS = {"RNN_TANH": RNNTanhStep, "RNN_RELU": RNNReLUStep, "LSTM": LSTMStep, "GRU": GRUStep}


def _cell_for(mode: str, nonlinearity: str) -> str:
    if mode != "RNN":
        return mode
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
    return f"RNN_{nonlinearity.upper()}"


def _check_sizes(name: str, **sizes: int) -> None:
    for what, value in sizes.items():
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
            raise ValueError(f"{name}: {what} must be a positive integer, got {value!r}")


def _new_parameter(*shape: int) -> Parameter:
    return Parameter(np.empty(shape, dtype=get_default_dtype()))


def _reset(module: Module, hidden_size: int) -> None:
    """Every parameter ~ U(-1/sqrt(H), 1/sqrt(H)), as PyTorch's recurrent modules."""
    bound = 1.0 / math.sqrt(hidden_size) if hidden_size > 0 else 0.0
    for weight in module.parameters():
        init.uniform_(weight, -bound, bound)


def _check_tensor(name: str, what: str, value: Any, shape: tuple, dtype: np.dtype) -> None:
    if not isinstance(value, Tensor):
        raise TypeError(f"{name}: {what} must be a Tensor, got {type(value).__name__}")
    if value.shape != shape:
        raise RuntimeError(f"{name}: Expected {what} size {shape}, got {list(value.shape)}")
    if value.dtype != dtype:
        raise RuntimeError(f"{name}: {what} must have dtype {np.dtype(dtype).name} like the module's weights, "
                           f"got {np.dtype(value.dtype).name}")


class RNNBase(Module):
    """What RNN, LSTM and GRU share: the parameters of every layer and direction, and forward."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 nonlinearity: str = "tanh") -> None:
        super().__init__()
        name = mode
        _check_sizes(name, input_size=input_size, hidden_size=hidden_size, num_layers=num_layers)
        if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout <= 1:
            raise ValueError(f"{name}: dropout should be a number in range [0, 1] representing the probability of "
                             f"an element being zeroed, got {dropout!r}")
        if dropout > 0 and num_layers == 1:
            warnings.warn(f"{name}: dropout option adds dropout after all but last recurrent layer, so non-zero "
                          f"dropout expects num_layers greater than 1, but got dropout={dropout} and "
                          f"num_layers={num_layers}", stacklevel=3)
        if proj_size < 0:
            raise ValueError(f"{name}: proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError(f"{name}: proj_size has to be smaller than hidden_size")
        if proj_size and mode != "LSTM":
            raise ValueError(f"{name}: proj_size argument is only supported for LSTM, not RNN or GRU")
        self.mode, self.cell_kind = mode, _cell_for(mode, nonlinearity)
        if mode == "RNN":
            self.nonlinearity = nonlinearity
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout = bias, batch_first, float(dropout)
        self.bidirectional, self.proj_size = bidirectional, proj_size
        gates = _CELLS[self.cell_kind].gates * hidden_size
        output_size = proj_size or hidden_size
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else output_size * self.num_directions
            for suffix in self._suffixes:
                setattr(self, f"weight_ih_l{layer}{suffix}", _new_parameter(gates, layer_input))
                setattr(self, f"weight_hh_l{layer}{suffix}", _new_parameter(gates, output_size))
                if bias:
                    setattr(self, f"bias_ih_l{layer}{suffix}", _new_parameter(gates))
                    setattr(self, f"bias_hh_l{layer}{suffix}", _new_parameter(gates))
                if proj_size:
                    setattr(self, f"weight_hr_l{layer}{suffix}", _new_parameter(proj_size, hidden_size))
        self.reset_parameters()

    @property
    def num_directions(self) -> int:
        return 2 if self.bidirectional else 1

    @property
    def _suffixes(self) -> tuple[str, ...]:
        return ("", "_reverse") if self.bidirectional else ("",)

    def reset_parameters(self) -> None:
        _reset(self, self.hidden_size)

    def flatten_parameters(self) -> None:
        """Nothing to do here (PyTorch packs the weights into one buffer for cuDNN); kept so that code calling it
        runs unchanged."""

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """The parameters of each layer and direction, in PyTorch's order (w_ih, w_hh, b_ih, b_hh, w_hr)."""
        groups = [self._weights(layer, suffix) for layer in range(self.num_layers) for suffix in self._suffixes]
        return [[w for w in (w_ih, w_hh, b_ih, b_hh, w_hr) if w is not None] for w_ih, b_ih, w_hh, b_hh, w_hr in groups]

    def _weights(self, layer: int, suffix: str) -> tuple:
        def get(kind: str) -> Parameter | None:
            return getattr(self, f"{kind}_l{layer}{suffix}", None)

        return get("weight_ih"), get("bias_ih"), get("weight_hh"), get("bias_hh"), get("weight_hr")

    @property
    def _state_sizes(self) -> tuple[int, ...]:
        """The widths of the states: (P,) for h, and (P, H) for an LSTM's (h, c)."""
        output_size = self.proj_size or self.hidden_size
        return (output_size, self.hidden_size) if self.mode == "LSTM" else (output_size,)

    def forward(self, input: Tensor | PackedSequence, hx: Any = None) -> tuple[Any, Any]:
        name = type(self).__name__
        packed = isinstance(input, PackedSequence)
        dtype = self.weight_ih_l0.dtype
        if packed:
            sizes = input.batch_sizes
            data, batch_sizes = input.data, tuple(np.asarray(getattr(sizes, "_data", sizes)).tolist())
            batch, unbatched = batch_sizes[0] if batch_sizes else 0, False
            if data.ndim != 2 or data.shape[1] != self.input_size:
                raise RuntimeError(f"{name}: the packed data must have shape (sum of lengths, {self.input_size}), "
                                   f"got {data.shape}")
        else:
            if not isinstance(input, Tensor):
                raise TypeError(f"{name}: input must be a Tensor or a PackedSequence, got {type(input).__name__}")
            if input.ndim not in (2, 3):
                raise ValueError(f"{name}: Expected input to be 2D or 3D, got {input.ndim}D tensor instead "
                                 f"(shape {input.shape})")
            if input.shape[-1] != self.input_size:
                raise RuntimeError(f"{name}: input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                                   f"got {input.shape[-1]} (input shape {input.shape})")
            unbatched = input.ndim == 2
            x = input.unsqueeze(1) if unbatched else input.transpose(0, 1) if self.batch_first else input
            steps, batch = x.shape[:2]
            if steps == 0:
                raise RuntimeError(f"{name}: Expected sequence length to be larger than 0 in RNN (input shape "
                                   f"{input.shape})")
            data, batch_sizes = x.reshape(steps * batch, self.input_size), (batch,) * steps
        if data.dtype != dtype:
            raise RuntimeError(f"{name}: input must have dtype {np.dtype(dtype).name} like the module's weights, "
                               f"got {np.dtype(data.dtype).name}")
        states = self._initial_states(hx, batch, unbatched, dtype, name)
        if packed and input.sorted_indices is not None:
            states = [s[:, input.sorted_indices._data] for s in states]
        output, finals = self._run(data, batch_sizes, states)
        if packed and input.unsorted_indices is not None:
            finals = [f[:, input.unsorted_indices._data] for f in finals]
        if packed:
            output = PackedSequence(output, input.batch_sizes, input.sorted_indices, input.unsorted_indices)
        else:
            output = output.reshape(len(batch_sizes), batch, output.shape[-1])
            output = output.squeeze(1) if unbatched else output.transpose(0, 1) if self.batch_first else output
            if unbatched:
                finals = [f.squeeze(1) for f in finals]
        return output, (finals[0] if self.mode != "LSTM" else tuple(finals))

    def _initial_states(self, hx: Any, batch: int, unbatched: bool, dtype: np.dtype, name: str) -> list[Tensor]:
        """h0 (and c0), each (num_layers * num_directions, N, width); zeros when hx is None."""
        count = self.num_layers * self.num_directions
        shapes = [(count, width) if unbatched else (count, batch, width) for width in self._state_sizes]
        if hx is None:
            return [Tensor._wrap(np.zeros((count, batch, width), dtype=dtype)) for width in self._state_sizes]
        if self.mode == "LSTM":
            if not (isinstance(hx, tuple) and len(hx) == 2):
                raise TypeError(f"{name}: hx must be a tuple (h_0, c_0) of two Tensors, got {type(hx).__name__}")
            for index, (state, shape) in enumerate(zip(hx, shapes)):
                _check_tensor(name, f"hidden[{index}]", state, shape, dtype)
            states = list(hx)
        else:
            _check_tensor(name, "hidden", hx, shapes[0], dtype)
            states = [hx]
        return [s.unsqueeze(1) for s in states] if unbatched else states

    def _run(self, data: Tensor, batch_sizes: tuple[int, ...], states: list[Tensor]) -> tuple[Tensor, list[Tensor]]:
        """Every layer and direction over the packed data: the last layer's outputs and the final states."""
        cell, total = _CELLS[self.cell_kind], data.shape[0]
        width = self._state_sizes[0]
        finals: list[list[Tensor]] = [[] for _ in states]
        for layer in range(self.num_layers):
            outputs = []
            for direction, suffix in enumerate(self._suffixes):
                w_ih, b_ih, w_hh, b_hh, w_hr = self._weights(layer, suffix)
                if b_hh is not None and cell is not GRUStep:  # both biases added once, to the input gates
                    b_ih, b_hh = b_ih + b_hh, None
                k = layer * self.num_directions + direction
                state0 = states[0][k] if len(states) == 1 else cat([states[0][k], states[1][k]], 1)
                result = Recurrence.apply(cell, batch_sizes, direction == 1, linear(data, w_ih, b_ih), state0,
                                          w_hh, b_hh, w_hr)
                outputs.append(result[:total] if len(states) == 1 else result[:total, :width])
                finals[0].append(result[total:] if len(states) == 1 else result[total:, :width])
                if len(states) == 2:
                    finals[1].append(result[total:, width:])
            data = outputs[0] if len(outputs) == 1 else cat(outputs, 1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                data = dropout_fn(data, self.dropout, True)
        return data, [stack(f) for f in finals]

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size:
            text += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if self.mode == "RNN" and self.nonlinearity != "tanh":
            text += f", nonlinearity={self.nonlinearity!r}"
        for option, default in (("bias", True), ("batch_first", False), ("dropout", 0.0), ("bidirectional", False)):
            if getattr(self, option) != default:
                text += f", {option}={getattr(self, option)}"
        return text


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh) (or relu), per layer and direction.

    RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True, batch_first=False, dropout=0.0,
    bidirectional=False); forward(input, h_0=None) -> (output, h_n), as PyTorch.
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False) -> None:
        super().__init__("RNN", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         nonlinearity=nonlinearity)


class LSTM(RNNBase):
    """Long short-term memory (gates i, f, g, o): c_t = f c_(t-1) + i g, h_t = o tanh(c_t) (then W_hr with
    proj_size). forward(input, (h_0, c_0)=None) -> (output, (h_n, c_n)), as PyTorch."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 proj_size: int = 0) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size)


class GRU(RNNBase):
    """Gated recurrent unit (gates r, z, n): n = tanh(x W_in^T + b_in + r (h W_hn^T + b_hn)),
    h_t = (1 - z) n + z h_(t-1). forward(input, h_0=None) -> (output, h_n), as PyTorch."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False) -> None:
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)


class RNNCellBase(Module):
    """One step of a cell: weight_ih (G*H, input_size), weight_hh (G*H, H), bias_ih and bias_hh (G*H,), every
    one ~ U(-1/sqrt(H), 1/sqrt(H)). The input gates are one Linear node, the rest of the step one node."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool, kind: str) -> None:
        super().__init__()
        name = type(self).__name__
        _check_sizes(name, input_size=input_size, hidden_size=hidden_size)
        self.input_size, self.hidden_size, self.bias, self.cell_kind = input_size, hidden_size, bias, kind
        gates = _CELLS[kind].gates * hidden_size
        self.weight_ih = _new_parameter(gates, input_size)
        self.weight_hh = _new_parameter(gates, hidden_size)
        if bias:
            self.bias_ih, self.bias_hh = _new_parameter(gates), _new_parameter(gates)
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        _reset(self, self.hidden_size)

    def _step(self, input: Tensor, states: Any, count: int) -> tuple[Tensor, bool]:
        """The new state [h | c] (N, count * H) from input (N, in) or (in,) and the `count` states (or None);
        also whether the input was unbatched."""
        name, dtype = type(self).__name__, self.weight_ih.dtype
        if not isinstance(input, Tensor) or input.ndim not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got "
                             f"{f'{input.ndim}D' if isinstance(input, Tensor) else type(input).__name__} instead")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"{name}: input has inconsistent input_size: got {input.shape[-1]} expected "
                               f"{self.input_size} (input shape {input.shape})")
        if input.dtype != dtype:
            raise RuntimeError(f"{name}: input must have dtype {np.dtype(dtype).name} like the module's weights, "
                               f"got {np.dtype(input.dtype).name}")
        unbatched = input.ndim == 1
        x = input.unsqueeze(0) if unbatched else input
        shape = (x.shape[0], self.hidden_size)
        if states is None:
            states = [Tensor._wrap(np.zeros(shape, dtype=dtype))] * count
        else:
            for index, state in enumerate(states):
                what = "hidden" if count == 1 else f"hidden[{index}]"
                _check_tensor(name, what, state, shape[1:] if unbatched else shape, dtype)
            states = [s.unsqueeze(0) for s in states] if unbatched else list(states)
        state = states[0] if count == 1 else cat(states, 1)
        gates = linear(x, self.weight_ih, self.bias_ih)
        return _CELLS[self.cell_kind].apply(gates, state, self.weight_hh, self.bias_hh, None), unbatched

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if not self.bias:
            text += ", bias=False"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            text += f", nonlinearity={self.nonlinearity!r}"
        return text


class RNNCell(RNNCellBase):
    """h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu); forward(input, hx=None) -> h'."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh") -> None:
        super().__init__(input_size, hidden_size, bias, _cell_for("RNN", nonlinearity))
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        new, unbatched = self._step(input, None if hx is None else [hx], 1)
        return new.squeeze(0) if unbatched else new


class LSTMCell(RNNCellBase):
    """c' = f c + i g, h' = o tanh(c') (gates i, f, g, o); forward(input, (h, c)=None) -> (h', c')."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True) -> None:
        super().__init__(input_size, hidden_size, bias, "LSTM")

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None) -> tuple[Tensor, Tensor]:
        if hx is not None and not (isinstance(hx, tuple) and len(hx) == 2):
            raise TypeError(f"LSTMCell: hx must be a tuple (h, c) of two Tensors, got {type(hx).__name__}")
        new, unbatched = self._step(input, hx, 2)
        h, c = new[:, :self.hidden_size], new[:, self.hidden_size:]
        return (h.squeeze(0), c.squeeze(0)) if unbatched else (h, c)


class GRUCell(RNNCellBase):
    """h' = (1 - z) n + z h with n = tanh(x W_in^T + b_in + r (h W_hn^T + b_hn)); forward(input, hx=None) -> h'."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True) -> None:
        super().__init__(input_size, hidden_size, bias, "GRU")

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        new, unbatched = self._step(input, None if hx is None else [hx], 1)
        return new.squeeze(0) if unbatched else new
