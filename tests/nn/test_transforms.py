"""nn.transforms: scalers fitted on the training set only; noise, flips, shifts and crops."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.preprocessing import MinMaxScaler, StandardScaler

import autograd
from autograd import Tensor
from nn.data import Dataset, TensorDataset, TransformedDataset, train_val_test_split
from nn.transforms import (
    Compose,
    GaussianNoise,
    MinMaxScale,
    RandomCrop,
    RandomHorizontalFlip,
    RandomShift,
    RandomVerticalFlip,
    Standardize,
)

features = arrays(np.float64, st.tuples(st.integers(2, 20), st.integers(1, 4)),
                  elements=st.floats(-100, 100, allow_subnormal=False))


@settings(max_examples=30, deadline=None)
@given(train=features)
def test_standardize_matches_scikit_learn(train):
    expected = StandardScaler().fit(train).transform(train)
    assert np.allclose(Standardize().fit(Tensor(train))(Tensor(train)).numpy(), expected, atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(train=features, low=st.floats(-5, 0), width=st.floats(0.5, 5))
def test_min_max_scale_matches_scikit_learn(train, low, width):
    scaler = MinMaxScaler((low, low + width)).fit(train)
    ours = MinMaxScale((low, low + width)).fit(train)
    other = train[::-1] * 2 + 1  # data the scaler was not fitted on
    assert np.allclose(ours(Tensor(other)).numpy(), scaler.transform(other), atol=1e-9)


def _standardized_by_hand(train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's rule (1.9, _is_constant_feature), written out here: statistics in float64; a feature whose
    variance is within n eps var + (n mean eps)^2 is constant and only centred, the others are divided by their
    std; the statistics are then applied in the data's dtype. (Older scikit-learn releases compute float32
    statistics in float32, so their output is not the reference.)"""
    x = train.astype(np.float64)
    n, mean, var = len(x), x.mean(0), x.var(0)
    eps = np.finfo(np.float64).eps
    scale = np.where(var <= n * eps * var + (n * mean * eps) ** 2, 1.0, np.sqrt(var)).astype(train.dtype)
    return (train - mean.astype(train.dtype)) / scale, scale


def test_standardize_small_variation_around_a_large_mean_follows_scikit_learns_constant_feature_rule():
    # std 0.0011 around 1000 in float32: real variation (scikit-learn scales it to std 1), not rounding noise
    small = np.array([[1000.0], [1000.001], [1000.002], [1000.003]], dtype=np.float32)
    # and features scikit-learn counts as constant (var within its bound n eps var + (n mean eps)^2): centred only
    constant = np.array([[1e8, 3.0, 0.1], [1e8 + 1.5e-8, 3.0, 0.1], [1e8, 3.0, 0.1], [1e8 + 1.5e-8, 3.0, 0.1]])
    for train in (small, constant, np.hstack([small.astype(np.float64), constant])):
        expected, expected_scale = _standardized_by_hand(train)
        ours = Standardize().fit(train)
        rtol = 1e-6 if train.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(ours(Tensor(train)).numpy(), expected, rtol=rtol, atol=1e-12)
        np.testing.assert_allclose(ours.scale, expected_scale, rtol=rtol)
    assert Standardize().fit(small).scale[0] == pytest.approx(small.astype(np.float64).std(), rel=1e-6)
    assert Standardize().fit(constant).scale.tolist() == [1.0, 1.0, 1.0]


def test_standardize_by_hand():
    x = Tensor([[1.0, 10.0], [3.0, 10.0]])
    # mean (2, 10), population std (1, 0 -> counted as 1)
    assert Standardize().fit(x)(x).tolist() == [[-1.0, 0.0], [1.0, 0.0]]
    assert Standardize().fit(x)(Tensor([5.0, 12.0])).tolist() == [3.0, 2.0]  # one sample broadcasts


class Recording(Dataset):
    """A dataset that remembers which samples were read."""

    def __init__(self, x: np.ndarray):
        self.x, self.read = x, set()

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        self.read.add(i)
        return Tensor(self.x[i]), 0


@pytest.mark.parametrize("scaler", [Standardize, MinMaxScale])
def test_scalers_never_see_validation_or_test_data(scaler):
    data = np.random.default_rng(0).normal(size=(50, 3)).astype(np.float32)
    source = Recording(data)
    train, val, test = train_val_test_split(source, (0.6, 0.2, 0.2), generator=np.random.default_rng(1))
    fitted = scaler().fit(train)
    assert source.read == set(train.indices)  # only training samples were read
    reference = scaler().fit(data[train.indices])
    assert np.array_equal(fitted.shift, reference.shift) and np.array_equal(fitted.scale, reference.scale)
    before = (fitted.shift.copy(), fitted.scale.copy())
    for i in range(len(val)):
        fitted(val[i][0])
    # applying the scaler refits nothing
    assert np.array_equal(fitted.shift, before[0]) and np.array_equal(fitted.scale, before[1])
    assert not np.allclose(scaler().fit(data).shift, fitted.shift)  # fitting on everything would differ


@pytest.mark.parametrize("scaler", [Standardize, lambda: MinMaxScale((-1, 1))])
def test_scalers_refuse_to_transform_before_fit(scaler):
    with pytest.raises(RuntimeError, match="not fitted yet.*fit"):
        scaler()(autograd.zeros(3, 2))


def test_scalers_refuse_data_of_another_shape():
    scaler = Standardize().fit(autograd.randn(10, 3))
    with pytest.raises(ValueError, match=r"Standardize: expected a sample of shape \(3,\).*\(10, 4\)"):
        scaler(autograd.randn(10, 4))
    with pytest.raises(ValueError, match="fit: expected training data"):
        Standardize().fit(np.zeros((0, 3)))
    with pytest.raises(ValueError, match="low < high"):
        MinMaxScale((1, 1))


def test_a_failed_refit_keeps_the_old_statistics():
    scaler = MinMaxScale().fit(np.array([[0.0], [2.0]]))
    with pytest.raises(ValueError, match="MinMaxScale.fit"):
        scaler.fit(np.zeros((0, 1)))
    assert scaler(Tensor([[1.0]])).tolist() == [[0.5]]


def test_scaler_keeps_float_dtype_and_makes_integers_float():
    scaler = Standardize().fit(np.arange(6).reshape(3, 2))
    assert scaler(Tensor(np.ones((2, 2)))).dtype == np.float64
    assert scaler(Tensor([[1, 2]])).dtype == np.float32


def test_compose_applies_in_order():
    assert Compose([lambda x: x + 1, lambda x: x * 10])(Tensor([1.0])).tolist() == [20.0]


def test_gaussian_noise_has_the_asked_mean_and_std_and_is_seeded():
    x = autograd.zeros(200, 100)
    noisy = GaussianNoise(std=0.5, mean=1.0, generator=np.random.default_rng(0))(x).numpy()
    assert abs(noisy.mean() - 1.0) < 0.01 and abs(noisy.std() - 0.5) < 0.01
    autograd.manual_seed(3)
    a = GaussianNoise(0.1)(x)
    autograd.manual_seed(3)
    assert np.array_equal(a.numpy(), GaussianNoise(0.1)(x).numpy())
    with pytest.raises(ValueError, match="std"):
        GaussianNoise(-1)
    with pytest.raises(TypeError, match="floating"):
        GaussianNoise(0.1)(Tensor([1, 2]))


image = Tensor(np.arange(12, dtype=np.float32).reshape(1, 3, 4))  # (channels, H, W)


def test_flips_mirror_the_right_axis():
    assert np.array_equal(RandomHorizontalFlip(p=1.0)(image).numpy(), image.numpy()[..., ::-1])
    assert np.array_equal(RandomVerticalFlip(p=1.0)(image).numpy(), image.numpy()[:, ::-1, :])
    assert RandomHorizontalFlip(p=0.0)(image) is image


def test_flip_happens_with_probability_p():
    flip = RandomHorizontalFlip(p=0.3, generator=np.random.default_rng(0))
    flipped = sum(flip(image) is not image for _ in range(2000))
    assert 0.26 < flipped / 2000 < 0.34


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 1000), max_shift=st.integers(0, 2))
def test_shift_moves_the_image_and_fills_the_border(seed, max_shift):
    out = RandomShift(max_shift, fill=-1.0, generator=np.random.default_rng(seed))(image).numpy()
    assert out.shape == image.shape
    # the result is the image moved by some (dy, dx) with |dy|, |dx| <= max_shift, the rest filled with -1
    padded = np.pad(image.numpy(), ((0, 0), (max_shift,) * 2, (max_shift,) * 2), constant_values=-1)
    windows = [padded[:, i:i + 3, j:j + 4] for i in range(2 * max_shift + 1) for j in range(2 * max_shift + 1)]
    assert any(np.array_equal(out, w) for w in windows)


def test_every_shift_occurs():
    shift = RandomShift(1, generator=np.random.default_rng(0))
    outcomes = {shift(image).numpy().tobytes() for _ in range(300)}
    assert len(outcomes) == 9


def test_random_crop_with_padding():
    crop = RandomCrop((2, 3), padding=1, generator=np.random.default_rng(0))
    out = crop(image)
    assert out.shape == (1, 2, 3)
    padded = np.pad(image.numpy(), ((0, 0), (1, 1), (1, 1)))
    assert any(np.array_equal(out.numpy(), padded[:, i:i + 2, j:j + 3]) for i in range(4) for j in range(4))
    with pytest.raises(ValueError, match="larger than the padded image"):
        RandomCrop(6)(image)
    with pytest.raises(ValueError, match=r"image of shape \(\.\.\., H, W\)"):
        RandomCrop(1)(Tensor([1.0, 2.0]))


def test_augmentation_applies_to_the_wrapped_training_set_only():
    data = TensorDataset(autograd.zeros(10, 1, 2, 2), autograd.arange(10))
    train, val, _ = train_val_test_split(data, (0.6, 0.2, 0.2), generator=np.random.default_rng(0))
    augmented = TransformedDataset(train, transform=GaussianNoise(1.0))
    assert np.abs(augmented[0][0].numpy()).sum() > 0
    assert np.abs(val[0][0].numpy()).sum() == 0
