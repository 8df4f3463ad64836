"""The comparison the checkpoint tests share: whether a loaded object is exactly what was saved."""
import math

import numpy as np

from autograd import Tensor


def same(a, b) -> bool:
    """Equal values of exactly the same types, all the way down (NaN equals NaN, -0.0 is not 0.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, Tensor):
        return same(a._data, b._data) and not b.requires_grad
    if isinstance(a, (np.ndarray, np.generic)):
        return (a.dtype == b.dtype and a.shape == b.shape
                and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return (list(a) == list(b) and [type(k) for k in a] == [type(k) for k in b]
                and all(same(a[k], b[k]) for k in a))
    return a == b
