"""Hypothesis strategies shared by the nn tests: float64 tensors whose elements are well apart, so that
finite differences never straddle a kink or a tie (relu at 0, the max of a window, |d| = delta, ...)."""
from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd.tensor import Tensor


@st.composite
def distinct_tensors(draw: Any, shape: Any, step: float = 0.1, avoid: tuple[float, ...] = (),
                     requires_grad: bool = True) -> Tensor:
    """A float64 leaf Tensor of `shape` (a tuple or a strategy) with distinct elements on a grid of `step`
    in [-40 step*10, 40 step*10] (pairwise at least `step` apart), none of them within step/2 of `avoid`."""
    shape = draw(shape) if isinstance(shape, st.SearchStrategy) else shape
    forbidden = {int(round(v / step)) for v in avoid}
    ints = draw(hnp.arrays(np.int64, shape, elements=st.integers(-400, 400).filter(lambda i: i not in forbidden),
                           unique=True))
    return Tensor(ints * step, dtype=np.float64, requires_grad=requires_grad)


def batch_shapes(min_dims: int = 1, max_dims: int = 3, max_side: int = 4) -> st.SearchStrategy:
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=max_side)
