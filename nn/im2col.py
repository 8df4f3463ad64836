"""The array work of a 2-d convolution, on numpy arrays: the windows of the input copied once into columns
(im2col), one matrix product per group, and the way back (col2im, one strided add per kernel offset).

For an input (N, C, H, W) padded by (top, bottom, left, right), a kernel (kh, kw), a stride and a dilation, the
columns are the matrix (C*kh*kw, N*OH*OW) whose row (c, p, q), column (n, i, j) holds
x_padded[n, c, i*sh + p*dh, j*sw + q*dw]: the (N*OH*OW, C*kh*kw) matrix of the windows, stored transposed so that
the copy and col2im move whole rows of OW values. The product with the weight (O, C*kh*kw) is one 2-d matrix
product (numpy's stacked matmul is far slower with a threaded BLAS); with groups=G the rows split into G blocks,
one per group of channels, each multiplied by its group's weight.

The batch is processed a few samples at a time, so that the columns (kh*kw times the input) never take more than
about COLUMN_BUDGET elements, or the input's size if more, at once (fewer, larger matrix products for a large
input, in memory proportional to it); backward makes them again from the input instead of keeping them.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

COLUMN_BUDGET = 2 ** 19  # elements of columns (2 MiB in float32) made at a time, at least one sample's


class Geometry(NamedTuple):
    """Where a convolution's windows lie: per spatial dimension (height, width), and the groups."""
    kernel: tuple[int, int]
    stride: tuple[int, int]
    dilation: tuple[int, int]
    padding: tuple[int, int, int, int]  # top, bottom, left, right
    groups: int

    def output_size(self, height: int, width: int) -> tuple[int, int]:
        """How many windows fit along each dimension of an input plane (height, width), once padded."""
        top, bottom, left, right = self.padding
        return tuple((size - d * (k - 1) - 1) // s + 1 for size, k, s, d in zip(
            (height + top + bottom, width + left + right), self.kernel, self.stride, self.dilation))

    def offsets(self, out: tuple[int, int]) -> Iterator[tuple[int, int, tuple[slice, slice]]]:
        """Per kernel offset (p, q): the slice of the padded image that the offset takes from every window."""
        (kh, kw), (sh, sw), (dh, dw), (oh, ow) = self.kernel, self.stride, self.dilation, out
        for p in range(kh):
            for q in range(kw):
                yield p, q, (slice(p * dh, p * dh + sh * (oh - 1) + 1, sh),
                             slice(q * dw, q * dw + sw * (ow - 1) + 1, sw))


def batches(count: int, per_sample: int, input_size: int) -> Iterator[slice]:
    """Slices of the batch whose columns hold about COLUMN_BUDGET elements, or input_size if more (at least one
    sample each)."""
    step = max(1, max(COLUMN_BUDGET, input_size) // max(per_sample, 1))
    for start in range(0, count, step):
        yield slice(start, min(start + step, count))


def padded(x: np.ndarray, padding: tuple[int, int, int, int], fill: float = 0.0) -> np.ndarray:
    """x (N, C, H, W) with `fill` around it: top, bottom, left, right rows and columns."""
    top, bottom, left, right = padding
    if not (top or bottom or left or right):
        return x
    n, c, h, w = x.shape
    out = np.full((n, c, h + top + bottom, w + left + right), fill, dtype=x.dtype)
    out[:, :, top:top + h, left:left + w] = x
    return out


def columns(x: np.ndarray, geometry: Geometry) -> np.ndarray:
    """The windows of x (N, C, H, W) copied once: (C*kh*kw, N*OH*OW), row (c, p, q), column (n, i, j)."""
    (kh, kw), (sh, sw), (dh, dw) = geometry.kernel, geometry.stride, geometry.dilation
    image = padded(x, geometry.padding)
    span = (dh * (kh - 1) + 1, dw * (kw - 1) + 1)
    windows = np.lib.stride_tricks.sliding_window_view(image, span, axis=(2, 3))[:, :, ::sh, ::sw, ::dh, ::dw]
    n, c, oh, ow = windows.shape[:4]
    return windows.transpose(1, 4, 5, 0, 2, 3).reshape(c * kh * kw, n * oh * ow)  # the one copy


def add_columns_back(grad_columns: np.ndarray, geometry: Geometry, shape: tuple) -> np.ndarray:
    """col2im: (C, kh, kw, N, OH, OW) -> (N, C, H, W) of `shape`, each window's values added back where they were
    taken, one strided slice of the whole batch per kernel offset; the padding is cut away."""
    n, c, h, w = shape
    top, bottom, left, right = geometry.padding
    image = np.zeros((n, c, h + top + bottom, w + left + right), dtype=grad_columns.dtype)
    for p, q, window in geometry.offsets(grad_columns.shape[-2:]):
        image[(slice(None), slice(None)) + window] += grad_columns[:, p, q].transpose(1, 0, 2, 3)
    return image[:, :, top:top + h, left:left + w]


def _blocks(matrix: np.ndarray, groups: int) -> list[np.ndarray]:
    """A matrix's rows split into `groups` equal blocks."""
    return np.split(matrix, groups) if groups > 1 else [matrix]


def convolve(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, geometry: Geometry) -> np.ndarray:
    """out[n, o] = weight[o] . columns of sample n and group g(o) + bias[o]: (N, C, H, W) -> (N, O, OH, OW)."""
    n, out_channels, groups = x.shape[0], weight.shape[0], geometry.groups
    oh, ow = geometry.output_size(*x.shape[2:])
    matrices = _blocks(weight.reshape(out_channels, -1), groups)  # per group (O/G, C/G*kh*kw)
    out = np.empty((n, out_channels, oh, ow), dtype=np.result_type(x, weight))
    for part in batches(n, weight[0].size * groups * oh * ow, x.size):
        products = [w @ block for w, block in zip(matrices, _blocks(columns(x[part], geometry), groups))]
        rows = products[0] if groups == 1 else np.concatenate(products)  # (O, m*OH*OW)
        samples = rows.reshape(out_channels, -1, oh, ow).transpose(1, 0, 2, 3)
        if bias is None:
            out[part] = samples
        else:  # the bias added as the rows are copied into place
            np.add(samples, bias.reshape(-1, 1, 1), out=out[part])
    return out


def _rows(grad: np.ndarray) -> np.ndarray:
    """A gradient (m, O, OH, OW) as the matrix (O, m*OH*OW)."""
    return grad.transpose(1, 0, 2, 3).reshape(grad.shape[1], -1)


def weight_grad(x: np.ndarray, grad: np.ndarray, geometry: Geometry, shape: tuple) -> np.ndarray:
    """dL/dweight = per group, the gradient's rows (O/G, N*OH*OW) times the columns' transpose: `shape`."""
    n, groups = x.shape[0], geometry.groups
    total = np.zeros((shape[0], int(np.prod(shape[1:]))), dtype=np.result_type(x, grad))
    for part in batches(n, total.size * grad.shape[2] * grad.shape[3] // shape[0] * groups, x.size):
        _add_products(total, _rows(grad[part]), columns(x[part], geometry), groups)
    return total.reshape(shape)


def _add_products(total: np.ndarray, rows: np.ndarray, block_columns: np.ndarray, groups: int) -> None:
    """total += rows times the columns' transpose, per group (a function, so that one chunk's arrays are freed
    before the next chunk's are made)."""
    for out, group_rows, block in zip(_blocks(total, groups), _blocks(rows, groups), _blocks(block_columns, groups)):
        out += group_rows @ block.T


def input_grad(grad: np.ndarray, weight: np.ndarray, geometry: Geometry, shape: tuple) -> np.ndarray:
    """dL/dx = col2im of weight^T times the gradient's rows, per group: the input's shape (N, C, H, W)."""
    n, c, h, w = shape
    groups, (kh, kw), (oh, ow) = geometry.groups, geometry.kernel, grad.shape[2:]
    matrices = _blocks(weight.reshape(weight.shape[0], -1), groups)
    out = np.empty(shape, dtype=np.result_type(grad, weight))
    for part in batches(n, c * kh * kw * oh * ow, n * c * h * w):
        products = [m.T @ block for m, block in zip(matrices, _blocks(_rows(grad[part]), groups))]
        grad_columns = products[0] if groups == 1 else np.concatenate(products)  # (C*kh*kw, m*OH*OW)
        count = grad_columns.shape[1] // (oh * ow)
        out[part] = add_columns_back(grad_columns.reshape(c, kh, kw, count, oh, ow), geometry, (count, c, h, w))
    return out
