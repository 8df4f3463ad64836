"""Preprocessing and augmentation: callables that take a Tensor and return a new one.

Scalers learn their statistics with `fit` on the training data only, and then apply those same
statistics to training, validation and test data alike (fitting on all the data would leak the
held-out samples into training). Augmentations draw from a numpy Generator (the global one that
`autograd.manual_seed` seeds, unless one is given) and act on one sample; `nn.data.TransformedDataset`
applies them sample by sample to the training set.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

import autograd
from autograd import Tensor
from autograd.random import numpy_rng
from nn.data.collate import default_collate
from nn.data.dataset import Dataset


class Compose:
    """Apply transforms one after the other: Compose([a, b])(x) == b(a(x))."""

    def __init__(self, transforms: Sequence[Callable[[Tensor], Tensor]]) -> None:
        self.transforms = list(transforms)

    def __call__(self, x: Tensor) -> Tensor:
        for transform in self.transforms:
            x = transform(x)
        return x

    def __repr__(self) -> str:
        return f"Compose({self.transforms!r})"


def _as_float_array(data: Tensor | np.ndarray | Dataset, name: str) -> np.ndarray:
    """Training data as a float array (n_samples, *features): a Tensor, an array, or a Dataset's inputs."""
    if isinstance(data, Dataset):
        if len(data) == 0:
            raise ValueError(f"{name}.fit: the dataset is empty")
        batch = default_collate([data[i] for i in range(len(data))])
        data = batch[0] if isinstance(batch, (tuple, list)) else batch
    array = np.asarray(data._data if isinstance(data, Tensor) else data)
    if array.ndim == 0 or len(array) == 0:
        raise ValueError(f"{name}.fit: expected training data of shape (n_samples, *features), got {array.shape}")
    return array if array.dtype.kind == "f" else array.astype(np.float32)


class FittedScaler:
    """A transform y = (x - shift) / scale whose per-feature shift and scale are fitted on training data."""

    def __init__(self) -> None:
        self.shift: np.ndarray | None = None
        self.scale: np.ndarray | None = None

    def fit(self, data: Tensor | np.ndarray | Dataset) -> FittedScaler:
        """Learn the statistics over the samples (dimension 0) of the training data; returns self."""
        self.shift, self.scale = self._statistics(_as_float_array(data, type(self).__name__))
        return self

    def _statistics(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    @property
    def fitted(self) -> bool:
        return self.shift is not None

    def __call__(self, x: Tensor) -> Tensor:
        name = type(self).__name__
        if not self.fitted:
            raise RuntimeError(f"{name} is not fitted yet: call .fit(training_data) first, on the training set only")
        x = x if isinstance(x, Tensor) else Tensor(x)
        features = self.shift.shape
        if x.ndim < len(features) or x.shape[x.ndim - len(features):] != features:
            raise ValueError(f"{name}: expected a sample of shape {features} or a batch (n, *{features}), "
                             f"got shape {x.shape}")
        dtype = x.dtype if x.dtype.kind == "f" else np.float32
        x = x.to(dtype)
        return (x - Tensor(self.shift, dtype=dtype)) / Tensor(self.scale, dtype=dtype)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({'fitted' if self.fitted else 'not fitted'})"


class Standardize(FittedScaler):
    """y = (x - mean) / std per feature, mean and (population) std of the training set.

    As scikit-learn's StandardScaler: the statistics are computed in float64 (two passes), and a feature
    whose variance is within the rounding error of that computation, var <= n eps var + (n mean eps)^2
    (n samples, eps of float64; Chan, Golub and LeVeque's bound), counts as constant: it gets std 1, so it
    is only centred. Any variation above that bound, however small next to the mean, is scaled to std 1.
    """

    def _statistics(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        mean, var = x.mean(axis=0, dtype=np.float64), x.var(axis=0, dtype=np.float64)
        n, eps = len(x), np.finfo(np.float64).eps
        constant = var <= n * eps * var + (n * mean * eps) ** 2
        return mean.astype(x.dtype), np.where(constant, 1.0, np.sqrt(var)).astype(x.dtype)


class MinMaxScale(FittedScaler):
    """y = a + (x - min) (b - a) / (max - min) per feature, with min and max of the training set.

    Training data lands in `feature_range` = (a, b); a feature (nearly) constant in training, with a range
    below 10 eps, counts as having a range of 1 (as in scikit-learn's MinMaxScaler).
    """

    def __init__(self, feature_range: tuple[float, float] = (0.0, 1.0)) -> None:
        low, high = feature_range
        if not low < high:
            raise ValueError(f"MinMaxScale: feature_range must be (low, high) with low < high, got {feature_range}")
        super().__init__()
        self.feature_range = (float(low), float(high))

    def _statistics(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        low, high = self.feature_range
        lo, span = x.min(axis=0), np.ptp(x, axis=0)
        scale = np.where(span < 10 * np.finfo(x.dtype).eps, 1.0, span) / (high - low)
        return lo - low * scale, scale.astype(x.dtype)


def _rng(transform: object) -> np.random.Generator:
    """What a random transform draws from: its generator (autograd's or numpy's), else the default one."""
    return numpy_rng(transform.generator, type(transform).__name__)


class GaussianNoise:
    """y = x + e, e ~ N(mean, std^2) drawn afresh for every element at every call."""

    def __init__(self, std: float = 0.1, mean: float = 0.0, generator: np.random.Generator | None = None) -> None:
        if std < 0:
            raise ValueError(f"GaussianNoise: std must be non-negative, got {std}")
        self.std, self.mean, self.generator = float(std), float(mean), generator

    def __call__(self, x: Tensor) -> Tensor:
        if x.dtype.kind != "f":
            raise TypeError(f"GaussianNoise: expected a floating-point tensor, got dtype {x.dtype}")
        noise = _rng(self).normal(self.mean, self.std, size=x.shape).astype(x.dtype)
        return x + Tensor(noise)

    def __repr__(self) -> str:
        return f"GaussianNoise(std={self.std}, mean={self.mean})"


def _check_image(x: Tensor, name: str) -> None:
    if x.ndim < 2:
        raise ValueError(f"{name}: expected an image of shape (..., H, W), got shape {x.shape}")


class RandomHorizontalFlip:
    """With probability p, mirror the image left to right (reverse its last dimension, W)."""

    def __init__(self, p: float = 0.5, generator: np.random.Generator | None = None) -> None:
        if not 0 <= p <= 1:
            raise ValueError(f"RandomHorizontalFlip: p must be a probability in [0, 1], got {p}")
        self.p, self.generator = p, generator

    def __call__(self, x: Tensor) -> Tensor:
        _check_image(x, type(self).__name__)
        return x[..., ::-1] if _rng(self).random() < self.p else x


class RandomVerticalFlip(RandomHorizontalFlip):
    """With probability p, mirror the image top to bottom (reverse its second-to-last dimension, H)."""

    def __call__(self, x: Tensor) -> Tensor:
        _check_image(x, type(self).__name__)
        return x[..., ::-1, :] if _rng(self).random() < self.p else x


def _pair(size: int | Sequence[int]) -> tuple[int, int]:
    return (int(size), int(size)) if np.isscalar(size) else tuple(int(s) for s in size)


def random_crop(x: Tensor, size: tuple[int, int], padding: int, fill: float, rng: np.random.Generator) -> Tensor:
    """Pad the image by `padding` pixels of `fill` on every side, then cut a (h, w) window at a random place."""
    h, w = size
    if padding:
        x = autograd.pad(x, (padding,) * 4, value=fill)
    height, width = x.shape[-2:]
    if h > height or w > width:
        raise ValueError(f"RandomCrop: crop size {(h, w)} is larger than the padded image {(height, width)}")
    top, left = rng.integers(0, height - h + 1), rng.integers(0, width - w + 1)
    return x[..., top:top + h, left:left + w]


class RandomCrop:
    """torchvision's RandomCrop: pad by `padding` pixels of `fill`, then crop `size` (h, w) at a random place."""

    def __init__(self, size: int | Sequence[int], padding: int = 0, fill: float = 0.0,
                 generator: np.random.Generator | None = None) -> None:
        self.size = _pair(size)
        if min(self.size) <= 0 or padding < 0:
            raise ValueError(f"RandomCrop: size must be positive and padding non-negative, "
                             f"got size={size}, padding={padding}")
        self.padding, self.fill, self.generator = int(padding), fill, generator

    def __call__(self, x: Tensor) -> Tensor:
        _check_image(x, type(self).__name__)
        return random_crop(x, self.size, self.padding, self.fill, _rng(self))


class RandomShift:
    """Move the image by up to `max_shift` pixels in each direction, filling the uncovered border with `fill`.

    The same as RandomCrop(size=the image's own size, padding=max_shift): each shift is equally likely.
    """

    def __init__(self, max_shift: int = 1, fill: float = 0.0, generator: np.random.Generator | None = None) -> None:
        if max_shift < 0:
            raise ValueError(f"RandomShift: max_shift must be non-negative, got {max_shift}")
        self.max_shift, self.fill, self.generator = int(max_shift), fill, generator

    def __call__(self, x: Tensor) -> Tensor:
        _check_image(x, type(self).__name__)
        return random_crop(x, x.shape[-2:], self.max_shift, self.fill, _rng(self))


__all__ = ["Compose", "FittedScaler", "Standardize", "MinMaxScale", "GaussianNoise", "RandomHorizontalFlip",
           "RandomVerticalFlip", "RandomCrop", "RandomShift", "random_crop"]
