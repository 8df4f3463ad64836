"""Hypothesis strategies shared by the nn tests: float64 tensors whose elements are well apart and away from
round numbers, so that finite differences never straddle a tie (the max of a window) or a kink (relu at 0,
|d| = delta, ...)."""
from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd.tensor_class import Tensor


@st.composite
def distinct_tensors(draw: Any, shape: Any, step: float = 0.01, bound: float = 40.0,
                     requires_grad: bool = True) -> Tensor:
    """A float64 leaf Tensor of `shape` (a tuple or a strategy) whose elements are distinct, at least `step`
    apart, within about [-bound, bound], and on the half-grid (k + 1/2) * step: never within step/2 of a
    multiple of step, such as the kinks 0, +-0.5 or +-2.

    Built without rejection: sorted values from drawn positive gaps, then put in a drawn order.
    """
    shape = draw(shape) if isinstance(shape, st.SearchStrategy) else shape
    size = int(np.prod(shape))
    widest_gap = max(1, int(2 * bound / step) // max(size, 1))
    gaps = draw(hnp.arrays(np.int64, (size,), elements=st.integers(1, widest_gap)))
    order = draw(st.permutations(range(size)))
    ints = np.cumsum(gaps) - gaps.sum() // 2
    values = (ints[list(order)] + 0.5) * step
    return Tensor(values.reshape(shape), dtype=np.float64, requires_grad=requires_grad)


def batch_shapes(min_dims: int = 1, max_dims: int = 3, max_side: int = 4) -> st.SearchStrategy:
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=max_side)
