"""Every differentiable op of the library, one row each: first and second derivatives against central
differences (gradcheck also compares the two forms of backward, on arrays and recorded on Tensors), over
hypothesis-drawn shapes, away from kinks and ties. A new op must add its row (test_every_builtin_op_has_a_row)."""
import numpy as np
import pytest
from graph_nodes import graph_nodes
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
import nn.functional as F  # imports nn: every op of the library is defined
from autograd import AccumulateGrad, Function, Tensor, gradcheck, gradgradcheck
from autograd.ops.broadcast import SumToShape
from autograd.ops.indexing import IndexAdd
from autograd.testing import floats, shapes, tensors
from nn.backward_hook import BackwardHookFunction
from nn.conv_functions import ConvolutionInputGrad, ConvolutionWeightGrad
from nn.erf import erf
from nn.im2col import Geometry
from nn.max_pooling import WindowScatter
from nn.recurrent_cells import GRUStep, LSTMStep, Recurrence, RNNReLUStep, RNNTanhStep
from nn.sliding_windows import Col2im, im2col, output_size

SHAPES = shapes(max_dims=3, max_side=3)  # small: gradgradcheck perturbs every element of inputs and gradients
ANY = floats(-3, 3)
POSITIVE = floats(0.2, 3)
GRID = st.integers(-30, 30).map(lambda i: i / 10)  # distinct values are 0.1 apart
HALVES = st.integers(-30, 29).map(lambda i: (i + 0.5) / 10)  # never 0, never on GRID, never on a multiple of 0.1
SMALL = tensors(shape=SHAPES)


def leaf(array):
    return Tensor(array, requires_grad=True)


def distinct(shape):
    """A tensor of GRID values, all different (no ties for max and min)."""
    return hnp.arrays(np.float64, shape, elements=GRID, unique=True).map(leaf)


@st.composite
def broadcasting_to(draw, shape):
    """A shape that broadcasts to `shape`: leading dimensions dropped, others made 1."""
    keep = draw(st.integers(0, len(shape)))
    return tuple([draw(st.sampled_from([1, n])) for n in shape[len(shape) - keep:]])


def one_dim(ndim):
    """One dimension, negative too (a 0-d tensor takes 0 and -1)."""
    return st.integers(-max(ndim, 1), max(ndim, 1) - 1)


def one_or_all(ndim):
    return st.none() | one_dim(ndim)


def dims(ndim):
    """A `dim` argument: None, one dimension, or a tuple of them."""
    return one_or_all(ndim) | st.lists(st.integers(0, max(ndim - 1, 0)), unique=True, max_size=ndim).map(tuple)


@st.composite
def unary(draw, fn, elements=ANY):
    return fn, (draw(tensors(shape=SHAPES, elements=elements)),)


@st.composite
def binary(draw, fn, elements_a=ANY, elements_b=ANY):
    a_shape, b_shape = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3)).input_shapes
    return fn, (draw(tensors(shape=a_shape, elements=elements_a)), draw(tensors(shape=b_shape, elements=elements_b)))


@st.composite
def reduction(draw, fn, x=SMALL, dim=dims):
    """fn(x, dim, keepdim) on a drawn x, dim and keepdim."""
    x = draw(x)
    d, keepdim = draw(dim(x.ndim)), draw(st.booleans())
    return (lambda x: fn(x, d, keepdim)), (x,)


@st.composite
def where_case(draw):
    c, a, b = draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=3)).input_shapes
    condition = draw(hnp.arrays(np.bool_, c))
    return (lambda a, b: ag.where(condition, a, b)), (draw(tensors(shape=a)), draw(tensors(shape=b)))


@st.composite
def clamp_case(draw):
    x, low, high = draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=3)).input_shapes
    below, above = HALVES.map(lambda v: -abs(v)), HALVES.map(abs)  # bounds never equal to x, low < high
    return ag.clamp, (draw(tensors(shape=x, elements=GRID)), draw(tensors(shape=low, elements=below)),
                      draw(tensors(shape=high, elements=above)))


@st.composite
def expand_case(draw):
    shape = draw(SHAPES)
    small = draw(broadcasting_to(shape))
    shape = shape if shape != small else (2,) + shape
    return (lambda x: x.expand(shape)), (draw(tensors(shape=small)),)


@st.composite
def sum_to_shape_case(draw):
    shape = draw(SHAPES)
    small = draw(broadcasting_to(shape))
    return (lambda x: SumToShape.apply(x, small)), (draw(tensors(shape=shape)),)


@st.composite
def var_case(draw):
    x = draw(SMALL)
    d, keepdim = draw(dims(x.ndim)), draw(st.booleans())
    count = x._data.size // x.var(d, correction=0)._data.size
    correction = draw(st.integers(0, min(1, count - 1)))  # at least one degree of freedom left
    return (lambda x: x.var(d, keepdim=keepdim, correction=correction)), (x,)


@st.composite
def extremum_case(draw):
    name = draw(st.sampled_from(["amax", "amin"]))
    return draw(reduction(lambda x, d, keepdim: getattr(x, name)(d, keepdim), distinct(SHAPES)))


@st.composite
def gather_case(draw):
    x = draw(tensors(shape=shapes(min_dims=1, max_dims=3, max_side=3)))
    dim = draw(st.integers(0, x.ndim - 1))
    shape = tuple(draw(st.integers(1, 3 if d == dim else n)) for d, n in enumerate(x.shape))
    index = draw(hnp.arrays(np.int64, shape, elements=st.integers(0, x.shape[dim] - 1)))  # repeats add up
    return (lambda x: x.gather(dim, index)), (x,)


@st.composite
def getitem_case(draw):
    x = draw(SMALL)
    indices = [hnp.basic_indices(x.shape, allow_newaxis=True)]
    if x.ndim:  # integer arrays (with repeats) and boolean masks
        indices += [hnp.integer_array_indices(x.shape), hnp.arrays(np.bool_, x.shape)]
    index = draw(st.one_of(indices))
    return (lambda x: x[index]), (x,)


@st.composite
def index_add_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=3))
    index = draw(hnp.basic_indices(shape) | hnp.integer_array_indices(shape))
    advanced = isinstance(index, tuple) and any(isinstance(i, np.ndarray) for i in index)
    index = index if isinstance(index, tuple) else (index,)
    g = draw(tensors(shape=np.zeros(shape)[index].shape))
    return (lambda g: IndexAdd.apply(g, shape, index, advanced)), (g,)


@st.composite
def index_put_case(draw):
    x = draw(SMALL)
    index = draw(hnp.basic_indices(x.shape, allow_newaxis=True) | hnp.arrays(np.bool_, x.shape))  # no repeats
    v = draw(tensors(shape=draw(broadcasting_to(x._data[index].shape))))

    def put(x, v):
        y = x.clone()
        y[index] = v
        return y
    return put, (x, v)


@st.composite
def cat_case(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=3))
    dim = draw(st.integers(0, len(shape) - 1))
    sizes = draw(st.lists(st.integers(0, 3), min_size=1, max_size=3))
    parts = tuple(draw(tensors(shape=shape[:dim] + (n,) + shape[dim + 1:])) for n in sizes)
    return (lambda *parts: ag.cat(parts, dim)), parts


@st.composite
def pad_case(draw):
    x = draw(tensors(shape=shapes(min_dims=1, max_dims=3, max_side=3)))
    widths = draw(st.lists(st.integers(0, 2), max_size=2 * x.ndim).filter(lambda w: len(w) % 2 == 0))
    value = draw(ANY)
    return (lambda x: F.pad(x, widths, value=value)), (x,)


EINSUM_EQUATIONS = ["ij,jk->ik", "bij,bjk->bik", "i,i", "i,j->ij", "ij,j", "i,", "ij,jk,kl->il", "ij->", "ij->ji",
                    "ii->", "ii->i", "iij->ij", "...ij->...ji", "...i,...i->..."]  # diagonals, sums, ellipses


@st.composite
def einsum_case(draw):
    equation = draw(st.sampled_from(EINSUM_EQUATIONS))
    size = {c: draw(st.integers(1, 3)) for c in "bijkl"}
    leading = draw(shapes(max_dims=2, max_side=2))  # what "..." stands for
    terms = equation.split("->")[0].split(",")
    operands = tuple(draw(tensors(shape=(leading if "..." in t else ()) + tuple(size[c] for c in t.replace("...", ""))))
                     for t in terms)
    return (lambda *operands: ag.einsum(equation, *operands)), operands


@st.composite
def along_one_dim(draw, fn, elements=ANY):
    """fn(x, dim) on a drawn x and dimension."""
    x = draw(tensors(shape=SHAPES, elements=elements))
    dim = draw(one_dim(x.ndim))
    return (lambda x: fn(x, dim)), (x,)


@st.composite
def flip_case(draw):
    x = draw(SMALL)
    dims = draw(st.lists(st.integers(-max(x.ndim, 1), max(x.ndim, 1) - 1), unique_by=lambda d: d % max(x.ndim, 1),
                         max_size=x.ndim))
    return (lambda x: x.flip(dims)), (x,)


@st.composite
def roll_case(draw):
    x = draw(SMALL)
    if x.ndim == 0 or draw(st.booleans()):
        shift = draw(st.integers(-4, 4))
        return (lambda x: x.roll(shift)), (x,)
    dims = draw(st.lists(st.integers(0, x.ndim - 1), min_size=1, max_size=x.ndim, unique=True))
    shifts = draw(st.lists(st.integers(-4, 4), min_size=len(dims), max_size=len(dims)))
    return (lambda x: x.roll(shifts, dims)), (x,)


@st.composite
def vector_norm_case(draw):
    p = draw(st.sampled_from([2.0, 3.0, 1.5, 0.5]))
    return draw(reduction(lambda x, d, keepdim: ag.linalg.vector_norm(x, p, d, keepdim),
                          tensors(shape=SHAPES, elements=HALVES)))  # never 0: no kink


ROUNDING = [ag.sign, ag.floor, ag.ceil, ag.trunc, ag.round]  # their jumps are at integers and halves


@st.composite
def matmul_case(draw):
    n, k, m = (draw(st.integers(1, 3)) for _ in range(3))
    batch_a, batch_b = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=2)).input_shapes
    a_shape = (k,) if draw(st.booleans()) else batch_a + (n, k)
    b_shape = (k,) if draw(st.booleans()) else batch_b + (k, m)
    return (lambda a, b: a @ b), (draw(tensors(shape=a_shape)), draw(tensors(shape=b_shape)))


@st.composite
def reshape_case(draw):
    x = draw(SMALL)
    shape = draw(st.permutations(x.shape + (1,)))  # one more dimension: never x's own shape
    return (lambda x: x.reshape(shape)), (x,)


@st.composite
def flatten_case(draw):
    x = draw(SMALL)
    start, end = sorted(draw(st.lists(st.integers(0, max(x.ndim - 1, 0)), min_size=2, max_size=2)))
    return (lambda x: x.flatten(start, end)), (x,)


@st.composite
def squeeze_case(draw):
    x = draw(tensors(shape=shapes(max_dims=3, max_side=2)))
    dim = draw(one_or_all(x.ndim))
    return (lambda x: x.squeeze(dim)), (x,)


@st.composite
def unsqueeze_case(draw):
    x = draw(SMALL)
    dim = draw(st.integers(-x.ndim - 1, x.ndim))
    return (lambda x: x.unsqueeze(dim)), (x,)


@st.composite
def permute_case(draw):
    x = draw(tensors(shape=shapes(min_dims=2, max_dims=3, max_side=3)))
    order = draw(st.permutations(range(x.ndim)).filter(lambda p: p != sorted(p)))
    return (lambda x: x.permute(*order)), (x,)


@st.composite
def transpose_case(draw):
    x = draw(tensors(shape=shapes(min_dims=2, max_dims=3, max_side=3)))
    a, b = draw(st.lists(st.integers(-x.ndim, x.ndim - 1), min_size=2, max_size=2).filter(
        lambda d: d[0] % x.ndim != d[1] % x.ndim))
    return (lambda x: x.transpose(a, b)), (x,)


@st.composite
def softmax_case(draw, fn):
    x = draw(SMALL)
    dim = draw(one_dim(x.ndim))
    return (lambda x: fn(x, dim)), (x,)


@st.composite
def affine_case(draw):
    lead = draw(shapes(max_dims=2, max_side=3))
    n_in, n_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    inputs = (draw(tensors(shape=lead + (n_in,))), draw(tensors(shape=(n_out, n_in))))
    if draw(st.booleans()):
        return F.linear, inputs + (draw(tensors(shape=(n_out,))),)
    return F.linear, inputs


@st.composite
def windows(draw):
    """An image size (N, C, H, W), a kernel, a stride and a dilation that fit (at least one window)."""
    kernel, stride, dilation = ((draw(st.integers(1, 2)), draw(st.integers(1, 2))) for _ in range(3))
    size = tuple(d * (k - 1) + 1 + draw(st.integers(0, 2)) for k, d in zip(kernel, dilation))
    return (draw(st.integers(1, 2)), draw(st.integers(1, 2))) + size, kernel, stride, dilation


@st.composite
def im2col_case(draw):
    shape, kernel, stride, dilation = draw(windows())
    return (lambda x: im2col(x, kernel, stride, dilation)), (draw(tensors(shape=shape)),)


@st.composite
def col2im_case(draw):
    (n, c, h, w), kernel, stride, dilation = draw(windows())
    oh, ow = (output_size(*a) for a in zip((h, w), kernel, stride, dilation))
    g = draw(tensors(shape=(n, c, oh, ow) + kernel))
    return (lambda g: Col2im.apply(g, (h, w), stride, dilation)), (g,)


@st.composite
def convolution_geometry(draw):
    """An input shape (N, C, H, W), a weight shape (O, C/G, kh, kw) and a Geometry with at least one window:
    groups, strides, dilations and padding (top, bottom, left, right; uneven, as 'same' makes it) drawn."""
    (n, _, h, w), kernel, stride, dilation = draw(windows())
    groups = draw(st.integers(1, 2))
    c, o = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    padding = tuple(draw(st.integers(0, 1)) for _ in range(4))
    geometry = Geometry(kernel, stride, dilation, padding, groups)
    return (n, c, h, w), (o, c // groups) + kernel, geometry


@st.composite
def convolution_case(draw):
    """F.conv2d with an int, pair, 'valid' or 'same' padding, groups and an optional bias (its Convolution node)."""
    (n, c, h, w), w_shape, geometry = draw(convolution_geometry())
    padding = draw(st.sampled_from([0, 1, (1, 0), "valid"] + (["same"] if geometry.stride == (1, 1) else [])))
    inputs = (draw(tensors(shape=(n, c, h, w))), draw(tensors(shape=w_shape)))
    if draw(st.booleans()):
        inputs += (draw(tensors(shape=w_shape[:1])),)
    return (lambda x, w, b=None: F.conv2d(x, w, b, geometry.stride, padding, geometry.dilation,
                                          geometry.groups)), inputs


@st.composite
def convolution_input_grad_case(draw):
    x_shape, w_shape, geometry = draw(convolution_geometry())
    g = draw(tensors(shape=x_shape[:1] + w_shape[:1] + geometry.output_size(*x_shape[2:])))
    return (lambda g, w: ConvolutionInputGrad.apply(g, w, geometry, x_shape)), (g, draw(tensors(shape=w_shape)))


@st.composite
def convolution_weight_grad_case(draw):
    x_shape, w_shape, geometry = draw(convolution_geometry())
    g = draw(tensors(shape=x_shape[:1] + w_shape[:1] + geometry.output_size(*x_shape[2:])))
    return (lambda x, g: ConvolutionWeightGrad.apply(x, g, geometry, w_shape)), (draw(tensors(shape=x_shape)), g)


@st.composite
def max_pool_case(draw):
    """F.max_pool2d over distinct values (no ties) with drawn kernel, stride, padding, dilation and ceil_mode."""
    kernel, stride, dilation = ((draw(st.integers(1, 3)), draw(st.integers(1, 2))) for _ in range(3))
    # padding only where the windows are not dilated: a dilated window could then hold nothing but padding
    padding = tuple(draw(st.integers(0, k // 2 if d == 1 else 0)) for k, d in zip(kernel, dilation))
    size = tuple(max(d * (k - 1) + 1 - 2 * p, 1) + draw(st.integers(0, 2))
                 for k, d, p in zip(kernel, dilation, padding))
    ceil_mode = draw(st.booleans())
    x = draw(distinct((draw(st.integers(1, 2)), draw(st.integers(1, 2))) + size))
    return (lambda x: F.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode)), (x,)


@st.composite
def window_scatter_case(draw):
    """Each window's gradient sent to a drawn winner (overlapping windows too)."""
    x_shape, (_, _, kh, kw), geometry = draw(convolution_geometry())
    count = geometry.output_size(*x_shape[2:])
    winners = draw(hnp.arrays(np.uint8, x_shape[:2] + count, elements=st.integers(0, kh * kw - 1)))
    g = draw(tensors(shape=x_shape[:2] + count))
    return (lambda g: WindowScatter.apply(g, geometry._replace(groups=1), winners, x_shape)), (g,)


@st.composite
def batch_norm_case(draw):
    """F.batch_norm of (N, C), (N, C, L) or (N, C, H, W) distinct values, training (batch statistics) or not
    (running statistics), with or without weight and bias."""
    shape = draw(st.sampled_from([(3, 2), (2, 2, 2), (2, 1, 2, 2), (1, 2, 3)]))
    x = draw(distinct(shape))
    training, affine = draw(st.booleans()), draw(st.booleans())
    channels = (shape[1],)
    running = (None, None) if training else (
        Tensor(draw(hnp.arrays(np.float64, channels, elements=floats(-1, 1)))),
        Tensor(draw(hnp.arrays(np.float64, channels, elements=floats(0.5, 2)))))
    if not affine:
        return (lambda x: F.batch_norm(x, *running, training=training)), (x,)
    weight, bias = draw(tensors(shape=channels)), draw(tensors(shape=channels))
    return (lambda x, w, b: F.batch_norm(x, *running, w, b, training=training)), (x, weight, bias)


@st.composite
def backward_hook_case(draw):
    """One to three tensors packed by a module's backward-hook node (here with a hook that changes nothing)."""
    parts = tuple(draw(SMALL) for _ in range(draw(st.integers(1, 3))))
    return (lambda *parts: BackwardHookFunction.apply(lambda grads: grads, *parts)), parts


@st.composite
def elu_case(draw):
    alpha = draw(floats(0.5, 2))
    return draw(unary(lambda x: F.elu(x, alpha), HALVES))


@st.composite
def softplus_case(draw):
    beta, threshold = draw(st.sampled_from([0.5, 1.0, 2.0])), draw(st.sampled_from([1.0, 20.0]))
    return draw(unary(lambda x: F.softplus(x, beta, threshold), HALVES))  # beta x is never the threshold


@st.composite
def binary_cross_entropy_case(draw):
    p = draw(tensors(shape=SHAPES, elements=floats(0.05, 0.95)))
    y = draw(tensors(shape=p.shape, elements=floats(0, 1)))
    weight = draw(st.none() | hnp.arrays(np.float64, draw(broadcasting_to(p.shape)), elements=floats(0.5, 2)))
    reduction = draw(st.sampled_from(["none", "mean", "sum"]))
    return (lambda p, y: F.binary_cross_entropy(p, y, weight, reduction)), (p, y)


@st.composite
def attention_case(draw):
    """query (..., L, E), key (..., S, E), value (..., S, Ev) with broadcasting batch dimensions (none too), and no
    mask, the causal mask, a boolean mask (rows with no key allowed give zeros) or a float mask that is an input."""
    batch_q, batch_kv = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=2)).input_shapes
    length, source = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    features, value_features = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    q = draw(tensors(shape=batch_q + (length, features)))
    k = draw(tensors(shape=batch_kv + (source, features)))
    v = draw(tensors(shape=batch_kv + (source, value_features)))
    scale = draw(st.none() | floats(0.2, 1.5))
    kind = draw(st.sampled_from(["none", "causal", "boolean", "additive"]))
    if kind == "additive":
        m = draw(tensors(shape=draw(broadcasting_to((length, source))), elements=floats(-2, 2)))
        return (lambda q, k, v, m: F.scaled_dot_product_attention(q, k, v, m, scale=scale)), (q, k, v, m)
    mask = draw(hnp.arrays(np.bool_, (length, source))) if kind == "boolean" else None
    return (lambda q, k, v: F.scaled_dot_product_attention(q, k, v, mask, is_causal=kind == "causal",
                                                           scale=scale)), (q, k, v)


@st.composite
def layer_norm_case(draw):
    """x normalised over its last 1 or 2 dimensions (at least 2 values), with or without weight and bias."""
    x = draw(tensors(shape=shapes(min_dims=1, max_dims=3, max_side=3).filter(lambda s: s[-1] > 1)))
    k = draw(st.integers(1, min(2, x.ndim)))
    shape = x.shape[x.ndim - k:]
    affine = draw(st.booleans())
    params = (draw(tensors(shape=shape)), draw(tensors(shape=shape))) if affine else ()
    return (lambda x, *wb: F.layer_norm(x, shape, *wb, eps=0.1)), (x, *params)


@st.composite
def recurrent_inputs(draw, cell, batch):
    """The inputs of a cell step or a sequence: input gates gx (batch, G*H), the state (N, S), W_hh, and b_hh
    and (LSTM, proj_size) W_hr when drawn; with the function that places them (None for those not drawn)."""
    rows, hidden = batch[0], draw(st.integers(1, 2))
    projection = draw(st.integers(1, 2)) if cell is LSTMStep and draw(st.booleans()) else 0
    size = projection or hidden
    width = size + hidden if cell is LSTMStep else size
    gates = cell.gates * hidden
    # recurrent weights up to 2: with 10 (the default range) three steps of an LSTM with a projection reach
    # derivatives of 10^4, where central differences are no longer accurate enough to check against
    weights = floats(-2, 2)
    inputs = [draw(tensors(shape=(sum(batch), gates))), draw(tensors(shape=(rows, width))),
              draw(tensors(shape=(gates, size), elements=weights))]
    bias = draw(st.booleans())
    if bias:
        inputs.append(draw(tensors(shape=(gates,))))
    if projection:
        inputs.append(draw(tensors(shape=(projection, hidden), elements=weights)))

    def place(gx, state, w_hh, *rest):
        rest = list(rest)
        return gx, state, w_hh, rest.pop(0) if bias else None, rest.pop(0) if projection else None

    return place, inputs


@st.composite
def recurrent_step_case(draw, cell):
    """One step of a cell on a drawn batch (relu away from its kink at 0)."""
    place, inputs = draw(recurrent_inputs(cell, (draw(st.integers(1, 2)),)))
    if cell is RNNReLUStep:
        gx, state, w_hh, b_hh, _ = (None if t is None else t.detach().numpy() for t in place(*inputs))
        pre = gx + state @ w_hh.T + (0 if b_hh is None else b_hh)
        assume(np.abs(pre).min() > 1e-3)
    return (lambda *args: cell.apply(*place(*args))), tuple(inputs)


@st.composite
def recurrence_case(draw):
    """A cell over a packed sequence: non-increasing batch sizes, forward or reverse."""
    cell = draw(st.sampled_from([RNNTanhStep, LSTMStep, GRUStep]))
    sizes = tuple(sorted(draw(st.lists(st.integers(1, 2), min_size=1, max_size=3)), reverse=True))
    reverse = draw(st.booleans())
    place, inputs = draw(recurrent_inputs(cell, sizes))
    return (lambda *args: Recurrence.apply(cell, sizes, reverse, *place(*args))), tuple(inputs)


@st.composite
def class_index_case(draw, loss, weighted=None):
    """Scores (C,), (N, C) or (N, C, d), class indices (some ignored), class weights (if `weighted` draws True;
    drawn either way when it is None), a reduction."""
    x = draw(tensors(shape=shapes(min_dims=1, max_dims=3, max_side=3)))
    dim = 0 if x.ndim == 1 else 1
    target_shape = x.shape[:dim] + x.shape[dim + 1:]
    target = draw(hnp.arrays(np.int64, target_shape, elements=st.integers(0, x.shape[dim] - 1) | st.just(-100)))
    weighted = draw(st.booleans() if weighted is None else weighted)
    weight = draw(hnp.arrays(np.float64, (x.shape[dim],), elements=floats(0.5, 2))) if weighted else None
    reduction = draw(st.sampled_from(["none", "mean", "sum"]))
    if reduction == "mean" and np.all(target == -100):
        target = np.zeros_like(target)  # all samples ignored: the mean is 0 / 0
    return (lambda x: loss(x, target, weight, reduction=reduction)), (x,)


@st.composite
def index_cross_entropy_case(draw):
    """cross_entropy's usual call: scores (N, C), one class index in range per row, no weights, a reduction."""
    x = draw(tensors(shape=shapes(min_dims=2, max_dims=2, min_side=1, max_side=4)))
    target = draw(hnp.arrays(np.int64, x.shape[:1], elements=st.integers(0, x.shape[1] - 1)))
    reduction = draw(st.sampled_from(["none", "mean", "sum"]))
    return (lambda x: F.cross_entropy(x, ag.tensor(target), reduction=reduction)), (x,)


CASES = {
    # autograd.ops.arithmetic
    "Add": binary(lambda a, b: a + b),
    "Sub": binary(lambda a, b: a - b),
    "Mul": binary(lambda a, b: a * b),
    "Div": binary(lambda a, b: a / b, ANY, HALVES),
    "Pow": binary(lambda a, b: a ** b, POSITIVE, ANY),
    "Maximum": binary(ag.maximum, GRID, HALVES),
    "Minimum": binary(ag.minimum, GRID, HALVES),
    "Where": where_case(),
    "Cast": unary(lambda x: x.to(np.longdouble).to(ag.float64)),  # a float32 round trip is too coarse to check
    "Clone": unary(lambda x: x.clone()),
    "Fill": unary(lambda x: x.clone().fill_(2.5)),
    "Neg": unary(lambda x: -x),
    # autograd.ops.unary
    "Abs": unary(ag.abs, HALVES),
    "Exp": unary(ag.exp),
    "Log": unary(ag.log, POSITIVE),
    "Sqrt": unary(ag.sqrt, POSITIVE),
    "Sin": unary(ag.sin),
    "Cos": unary(ag.cos),
    "Tanh": unary(ag.tanh),
    "Sigmoid": unary(ag.sigmoid),
    "Relu": unary(ag.relu, HALVES),
    "Clamp": clamp_case(),
    "Log1p": unary(ag.log1p, POSITIVE),
    "Expm1": unary(ag.expm1),
    "PiecewiseConstant": st.sampled_from(ROUNDING).flatmap(lambda fn: unary(fn, HALVES))
    | unary(lambda x: ag.round(x, decimals=1), GRID),  # jumps at the halves of 0.1
    # autograd.ops.broadcast
    "Expand": expand_case(),
    "SumToShape": sum_to_shape_case(),
    # autograd.ops.reduction
    "Sum": reduction(ag.sum),
    "Mean": reduction(ag.mean),
    "Var": var_case(),
    "Extremum": extremum_case(),
    "LogSumExp": reduction(ag.logsumexp),
    "Prod": reduction(ag.prod, tensors(shape=SHAPES, elements=GRID), one_or_all),  # zeros too: prod is smooth there
    # autograd.ops.indexing
    "GetItem": getitem_case(),
    "IndexAdd": index_add_case(),
    "IndexPut": index_put_case(),
    "Gather": gather_case(),
    # autograd.ops.joining, linalg
    "Cat": cat_case(),
    "Pad": pad_case(),
    "MatMul": matmul_case(),
    "Einsum": einsum_case(),
    # autograd.ops.cumulative, norms
    "CumSum": along_one_dim(ag.cumsum),
    "CumProd": along_one_dim(ag.cumprod, GRID),  # zeros too: the gradient is right there
    "VectorNorm": vector_norm_case(),
    # autograd.ops.shape
    "Reshape": reshape_case(),
    "Flatten": flatten_case(),
    "Squeeze": squeeze_case(),
    "Unsqueeze": unsqueeze_case(),
    "Permute": permute_case(),
    "Transpose": transpose_case(),
    "Flip": flip_case(),
    "Roll": roll_case(),
    # autograd.ops.softmax
    "Softmax": softmax_case(ag.softmax),
    "LogSoftmax": softmax_case(ag.log_softmax),
    # nn
    "Affine": affine_case(),
    "Erf": unary(erf),
    "Im2col": im2col_case(),
    "Col2im": col2im_case(),
    "Convolution": convolution_case(),
    "ConvolutionInputGrad": convolution_input_grad_case(),
    "ConvolutionWeightGrad": convolution_weight_grad_case(),
    "MaxPool": max_pool_case(),
    "WindowScatter": window_scatter_case(),
    "BatchNorm": batch_norm_case(),
    "BackwardHookFunction": backward_hook_case(),
    "_ELU": elu_case(),
    "_Softplus": softplus_case(),
    "_LogSigmoid": unary(F.logsigmoid),
    "_BinaryCrossEntropy": binary_cross_entropy_case(),
    "_NegativeLogLikelihood": class_index_case(F.nll_loss),
    "_CrossEntropy": class_index_case(F.cross_entropy, weighted=st.just(True)),  # without: IndexCrossEntropy's
    "IndexCrossEntropy": index_cross_entropy_case(),
    "RNNTanhStep": recurrent_step_case(RNNTanhStep),
    "RNNReLUStep": recurrent_step_case(RNNReLUStep),
    "LSTMStep": recurrent_step_case(LSTMStep),
    "GRUStep": recurrent_step_case(GRUStep),
    "Recurrence": recurrence_case(),
    "ScaledDotProductAttention": attention_case(),
    "_LayerNorm": layer_norm_case(),
}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_builtin_op_has_a_row():
    ops = {c.__name__ for c in _subclasses(Function)
           if c.__module__.startswith(("autograd.", "nn.")) and c is not AccumulateGrad}
    assert ops == set(CASES)


@pytest.mark.parametrize("name", CASES)
@given(data=st.data())
def test_op_row(name, data):
    fn, inputs = data.draw(CASES[name], label="case")
    assert name in {type(node).__name__ for node in graph_nodes(fn(*inputs))}
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)
