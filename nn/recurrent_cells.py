"""The recurrent cells as graph nodes: one step of a cell is one node, and a whole sequence is one node too.

Every cell step takes the input's share of the gates, gx = x W_ih^T + b_ih (computed for all time steps at once
by the layer, before the loop), the state before the step and the hidden weights, and returns the state after:

    RNN   h' = tanh(gx + h W_hh^T + b_hh)  (or relu);           state = h
    LSTM  i, f, g, o = s(.), s(.), tanh(.), s(.) of gx + h W_hh^T + b_hh;
          c' = f c + i g;  h' = o tanh(c')  (times W_hr^T with proj_size);   state = [h | c]
    GRU   a = h W_hh^T + b_hh;  r, z = s(gx_r + a_r), s(gx_z + a_z);  n = tanh(gx_n + r a_n);
          h' = (1 - z) n + z h;                                  state = h

The derivative of each step is written once (`cell_backward`, on arrays or on Tensors, as every op of the engine):
it gives the gradient of the gates' pre-activations, through which gx, W_hh, b_hh and the previous state get theirs.
`Recurrence` runs a cell over a whole (packed) sequence in one node, and its backward is backpropagation through
time: the same cell derivative at each step, from the last step to the first, with the weights' gradients summed
over the steps in one matrix product at the end. (With one node per step, the gradient of the input gates of all
steps, one array, would be summed once per step by the engine: a cost that grows as the square of the length.)
When the backward pass is recorded (create_graph=True), the sequence is recomputed as one step node per time
step and differentiated through them, so that its gradient can be differentiated again.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.engine import grad as autograd_grad
from autograd.function import Function
from autograd.ops import dual
from autograd.tensor_class import Tensor

Either = Any  # a numpy array or a Tensor


def _sigmoid(x: Either) -> Either:
    """s(x) = 1 / (1 + e^-x) = (1 + tanh(x / 2)) / 2: no exp to overflow, one transcendental call."""
    return 0.5 * dual.tanh(0.5 * x) + 0.5


def _hidden_gates(gx: Either, h: Either, w_hh: Either, b_hh: Either | None) -> Either:
    """The gates' pre-activations gx + h W_hh^T + b_hh."""
    pre = h @ w_hh.T + gx
    return pre if b_hh is None else pre + b_hh


def _positive(x: Either) -> np.ndarray:
    """1 where x > 0, else 0 (relu's derivative, a constant of the formula), in x's dtype."""
    values = x._data if isinstance(x, Tensor) else x
    return (values > 0).astype(values.dtype)


class _Step:
    """What the four step nodes share: forward runs `cell_forward`, backward `cell_backward`.

    Arguments (gx, state, w_hh, b_hh, w_hr): gx (N, G*H), state (N, S), w_hh (G*H, P), b_hh (G*H,) or None,
    w_hr (P, H) for an LSTM with proj_size, else None. The output is the new state (N, S).
    """

    @staticmethod
    def forward(ctx, gx, state, w_hh, b_hh, w_hr):
        new_state, ctx.cache = ctx.cell_forward(gx, state, w_hh, b_hh, w_hr)
        ctx.save_for_backward(gx, state, w_hh, b_hh, w_hr)
        return new_state

    @staticmethod
    def backward(ctx, grad):
        gx, state, w_hh, b_hh, w_hr = ctx.saved_tensors
        # recorded (Tensor form): the gates as functions of the inputs, to be differentiated again
        cache = ctx.cell_forward(gx, state, w_hh, b_hh, w_hr)[1] if isinstance(state, Tensor) else ctx.cache
        d_gx, d_hidden, d_state, d_w_hr = ctx.cell_backward(grad, state, cache, w_hh, w_hr)
        needs = ctx.needs_input_grad
        h = state[:, :w_hh.shape[1]]
        return (d_gx if needs[0] else None, d_state if needs[1] else None,
                d_hidden.T @ h if needs[2] else None,
                d_hidden.sum(axis=0) if needs[3] else None, d_w_hr if needs[4] else None)


class RNNTanhStep(_Step, Function, on_arrays=True):
    """h' = tanh(a), a = gx + h W_hh^T + b_hh;  dL/da = dL/dh' (1 - h'^2), dL/dh = dL/da W_hh."""

    gates = 1

    @staticmethod
    def cell_forward(gx, state, w_hh, b_hh, w_hr):
        new = dual.tanh(_hidden_gates(gx, state, w_hh, b_hh))
        return new, (new,)

    @staticmethod
    def cell_backward(grad, state, cache, w_hh, w_hr):
        (new,) = cache
        d_pre = grad * (1 - new * new)
        return d_pre, d_pre, d_pre @ w_hh, None


class RNNReLUStep(_Step, Function, on_arrays=True):
    """h' = relu(a), a = gx + h W_hh^T + b_hh;  dL/da = dL/dh' [h' > 0], dL/dh = dL/da W_hh."""

    gates = 1

    @staticmethod
    def cell_forward(gx, state, w_hh, b_hh, w_hr):
        new = dual.maximum(_hidden_gates(gx, state, w_hh, b_hh), 0)
        return new, (new,)

    @staticmethod
    def cell_backward(grad, state, cache, w_hh, w_hr):
        d_pre = grad * _positive(cache[0])
        return d_pre, d_pre, d_pre @ w_hh, None


class LSTMStep(_Step, Function, on_arrays=True):
    """An LSTM step on the state [h | c] (gates i, f, g, o stacked in that order, as PyTorch):

        c' = f c + i g,  m = o tanh(c'),  h' = m (or m W_hr^T with proj_size);
        dL/dc' (total) = dL/dc'|out + dL/dm o (1 - tanh^2 c'),  dL/dm = dL/dh' (W_hr);
        dL/d(i, f, g, o) = dc' g, dc' c, dc' i, dm tanh(c'), each times its activation's derivative;
        dL/dc = dc' f,  dL/dh = dL/dgates W_hh,  dL/dW_hr = dL/dh'^T m.
    """

    gates = 4

    @staticmethod
    def cell_forward(gx, state, w_hh, b_hh, w_hr):
        size, hidden = w_hh.shape[1], w_hh.shape[0] // 4
        pre = _hidden_gates(gx, state[:, :size], w_hh, b_hh)
        input_forget = _sigmoid(pre[:, :2 * hidden])
        i, f = input_forget[:, :hidden], input_forget[:, hidden:]
        g, o = dual.tanh(pre[:, 2 * hidden:3 * hidden]), _sigmoid(pre[:, 3 * hidden:])
        c = f * state[:, size:] + i * g
        tanh_c = dual.tanh(c)
        m = o * tanh_c
        h = m if w_hr is None else m @ w_hr.T
        return dual.cat([h, c], 1), (i, f, g, o, tanh_c, m)

    @staticmethod
    def cell_backward(grad, state, cache, w_hh, w_hr):
        i, f, g, o, tanh_c, m = cache
        size = w_hh.shape[1]
        d_h = grad[:, :size]
        d_m = d_h if w_hr is None else d_h @ w_hr
        d_c = grad[:, size:] + d_m * o * (1 - tanh_c * tanh_c)
        d_pre = dual.cat([d_c * g * i * (1 - i), d_c * state[:, size:] * f * (1 - f), d_c * i * (1 - g * g),
                          d_m * tanh_c * o * (1 - o)], 1)
        d_state = dual.cat([d_pre @ w_hh, d_c * f], 1)
        return d_pre, d_pre, d_state, None if w_hr is None else d_h.T @ m


class GRUStep(_Step, Function, on_arrays=True):
    """A GRU step (gates r, z, n; the hidden bias of n inside r * (...), as PyTorch), with a = h W_hh^T + b_hh:

        r, z = s(gx_r + a_r), s(gx_z + a_z);  n = tanh(gx_n + r a_n);  h' = n + z (h - n);
        dn = dh' (1 - z) (1 - n^2),  dz = dh' (h - n) z (1 - z),  dr = dn a_n r (1 - r);
        dL/dgx = (dr, dz, dn),  dL/da = (dr, dz, dn r),  dL/dh = dL/da W_hh + dh' z.
    """

    gates = 3

    @staticmethod
    def cell_forward(gx, state, w_hh, b_hh, w_hr):
        hidden = w_hh.shape[1]
        a = state @ w_hh.T
        if b_hh is not None:
            a = a + b_hh
        reset_update = _sigmoid(gx[:, :2 * hidden] + a[:, :2 * hidden])
        r, z = reset_update[:, :hidden], reset_update[:, hidden:]
        a_n = a[:, 2 * hidden:]
        n = dual.tanh(gx[:, 2 * hidden:] + r * a_n)
        return n + z * (state - n), (r, z, n, a_n)

    @staticmethod
    def cell_backward(grad, state, cache, w_hh, w_hr):
        r, z, n, a_n = cache
        d_n = grad * (1 - z) * (1 - n * n)
        d_z = grad * (state - n) * z * (1 - z)
        d_r = d_n * a_n * r * (1 - r)
        d_hidden = dual.cat([d_r, d_z, d_n * r], 1)
        return dual.cat([d_r, d_z, d_n], 1), d_hidden, d_hidden @ w_hh + grad * z, None


def step_offsets(batch_sizes: tuple[int, ...]) -> list[int]:
    """Where each time step's rows start in a packed (time-major) array: the running sum of the batch sizes."""
    return [0, *np.cumsum(batch_sizes[:-1]).tolist()] if batch_sizes else []


def run_cell(step: Any, gx: Either, state0: Either, batch_sizes: tuple[int, ...],
             reverse: bool) -> tuple[list, list]:
    """The cell over a packed sequence: `step(t, gx_t, state)` at each step (from the last when `reverse`), on
    the batch_sizes[t] first rows. A sequence that has ended keeps its state (forward); one that has not begun
    starts from state0 (reverse). Returns the state after each step t, and the pieces of the final states in
    the order of their rows: the node's output is all of them one after the other, (total + N, S)."""
    offsets = step_offsets(batch_sizes)
    state, outputs, finals = state0[:0], [None] * len(batch_sizes), []
    for t in (reversed(range(len(batch_sizes))) if reverse else range(len(batch_sizes))):
        rows, count = batch_sizes[t], state.shape[0]
        if count > rows:  # these sequences ended at the previous step: their final states
            finals.append((rows, state[rows:]))
            state = state[:rows]
        elif count < rows:  # these sequences begin here
            state = dual.cat([state, state0[count:rows]], 0)
        state = step(t, gx[offsets[t]:offsets[t] + rows], state)
        outputs[t] = state
    finals.append((0, state))
    return outputs, [piece for _, piece in sorted(finals, key=lambda f: f[0])]


class Recurrence(Function, on_arrays=True):
    """A cell run over a whole packed sequence, in one node (see run_cell for the arguments and the output).

    Backward is backpropagation through time: from the last step to the first, the gradient of the state after
    a step (from the output and from the next step) goes through the cell's derivative to the gates, the input
    gates gx and the state before. W_hh and b_hh get sum_t dL/da_t^T h_(t-1) and sum_t dL/da_t, one product.
    """

    @staticmethod
    def forward(ctx, cell, batch_sizes, reverse, gx, state0, w_hh, b_hh, w_hr):
        ctx.cell, ctx.batch_sizes, ctx.reverse = cell, batch_sizes, reverse
        ctx.before, ctx.caches = [None] * len(batch_sizes), [None] * len(batch_sizes)
        total, offsets = gx.shape[0], step_offsets(batch_sizes)
        joined = np.empty((total + state0.shape[0], state0.shape[1]), dtype=np.result_type(gx, state0))

        def step(t, gx_t, state):  # each new state written in place into the output, and used from there
            ctx.before[t] = state
            new_state, ctx.caches[t] = cell.cell_forward(gx_t, state, w_hh, b_hh, w_hr)
            rows = joined[offsets[t]:offsets[t] + len(new_state)]
            rows[...] = new_state
            return rows

        # the output too, though backward reads the states through ctx.before: changed in place, it is refused
        ctx.save_for_backward(gx, state0, w_hh, b_hh, w_hr, joined)
        joined[total:] = np.concatenate(run_cell(step, gx, state0, batch_sizes, reverse)[1])
        return joined

    @staticmethod
    def backward(ctx, grad):
        inputs = ctx.saved_tensors[:5]
        if isinstance(inputs[1], Tensor):  # recorded: the sequence unrolled into step nodes, differentiated
            return (None, None, None, *_unrolled_gradients(ctx, inputs, grad))
        gx, state0, w_hh, b_hh, w_hr = inputs
        cell, batch_sizes, offsets = ctx.cell, ctx.batch_sizes, step_offsets(ctx.batch_sizes)
        total, size = gx.shape[0], w_hh.shape[1]
        d_gx = np.empty_like(gx)
        d_hidden = d_gx if cell.gates != 3 else np.empty_like(gx)  # GRU: the hidden gates' differ in n
        before = np.empty((total, size), dtype=gx.dtype)  # h before each step, for dL/dW_hh
        d_state0 = np.zeros_like(state0)
        d_w_hr = None if w_hr is None else np.zeros_like(w_hr)
        d_final = grad[total:]
        order = list(reversed(range(len(batch_sizes))) if ctx.reverse else range(len(batch_sizes)))
        d_state = d_final[:batch_sizes[order[-1]]]
        for k in reversed(range(len(order))):
            t = order[k]
            rows, start = batch_sizes[t], offsets[t]
            span = slice(start, start + rows)
            d_gx[span], d_hidden_t, d_state, d_w = cell.cell_backward(
                d_state + grad[span], ctx.before[t], ctx.caches[t], w_hh, w_hr)
            if d_hidden is not d_gx:
                d_hidden[span] = d_hidden_t
            before[span] = ctx.before[t][:, :size]
            if d_w is not None:
                d_w_hr += d_w
            count = batch_sizes[order[k - 1]] if k else 0  # rows before this step's adjustment
            if count > rows:  # sequences that ended before this step: their gradient starts from the final state
                d_state = np.concatenate([d_state, d_final[rows:count]])
            elif count < rows:  # sequences that began at this step
                d_state0[count:rows] = d_state[count:]
                d_state = d_state[:count]
        needs = ctx.needs_input_grad
        return (None, None, None, d_gx if needs[3] else None, d_state0 if needs[4] else None,
                d_hidden.T @ before if needs[5] else None, d_hidden.sum(axis=0) if needs[6] else None,
                d_w_hr if needs[7] else None)


def _unrolled_gradients(ctx: Recurrence, inputs: tuple, grad: Tensor) -> tuple:
    """The gradients of the inputs (Tensors), through the sequence recomputed as one step node per time step."""
    gx, state0, w_hh, b_hh, w_hr = inputs
    outputs, finals = run_cell(lambda t, gx_t, state: ctx.cell.apply(gx_t, state, w_hh, b_hh, w_hr),
                               gx, state0, ctx.batch_sizes, ctx.reverse)
    output = dual.cat(outputs + finals, 0)
    wanted = [x for x, needed in zip(inputs, ctx.needs_input_grad[3:]) if needed]
    found = iter(autograd_grad(output, wanted, grad, create_graph=True, allow_unused=True))
    return tuple(next(found) if needed else None for needed in ctx.needs_input_grad[3:])
