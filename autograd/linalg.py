"""autograd.linalg, as torch.linalg: norm (a vector or a matrix norm, chosen by `dim` and `ord`), vector_norm
and matrix_norm. The formulas live in autograd.ops.norms."""
from autograd.ops.norms import linalg_norm as norm
from autograd.ops.norms import matrix_norm, vector_norm

__all__ = ["matrix_norm", "norm", "vector_norm"]
