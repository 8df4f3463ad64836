"""A character-level bigram model of names, in the style of the makemore lecture, written as PyTorch code with
only the imports mapped: first by counting, then as a one-layer network trained by gradient descent.

The names (names.txt) are invented for these tests. Checks: the counts and the count model's average negative
log-likelihood equal a numpy computation; samples are reproducible from a seed, made of the alphabet and end
at '.'; the network's first gradient equals the closed form xenc^T (probs - onehot(ys)) / n; without
regularisation its loss never goes below the minimum that counting gives (the unsmoothed maximum-likelihood
bigram model: with one-hot inputs each row of W only fits the next-character frequencies of one character)
and approaches it, passing the smoothed count model on the way.
"""
from pathlib import Path

import numpy as np

import autograd as torch
import nn.functional as F

words = (Path(__file__).parent / 'names.txt').read_text().splitlines()

chars = sorted(list(set(''.join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi['.'] = 0
itos = {i: s for s, i in stoi.items()}


def bigrams():
    for w in words:
        chs = ['.'] + list(w) + ['.']
        yield from zip(chs, chs[1:])


def numpy_counts() -> np.ndarray:
    counts = np.zeros((27, 27), dtype=np.int64)
    for ch1, ch2 in bigrams():
        counts[stoi[ch1], stoi[ch2]] += 1
    return counts


def numpy_nll(counts: np.ndarray) -> float:
    """The average negative log-likelihood of the training bigrams under the row-normalised counts."""
    probabilities = counts / counts.sum(axis=1, keepdims=True)
    return -np.mean([np.log(probabilities[stoi[a], stoi[b]]) for a, b in bigrams()])


def count_model():
    N = torch.zeros((27, 27), dtype=torch.int32)
    for w in words:
        chs = ['.'] + list(w) + ['.']
        for ch1, ch2 in zip(chs, chs[1:]):
            ix1 = stoi[ch1]
            ix2 = stoi[ch2]
            N[ix1, ix2] += 1
    P = (N + 1).float()
    P /= P.sum(1, keepdim=True)
    return N, P


def sample_names(P, seed: int, how_many: int) -> list[str]:
    g = torch.Generator().manual_seed(seed)
    names = []
    for _ in range(how_many):
        out = []
        ix = 0
        while True:
            p = P[ix]
            ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
            out.append(itos[ix])
            if ix == 0:
                break
        names.append(''.join(out))
    return names


def test_counting_model():
    assert len(stoi) == 27, "the names use every letter of the alphabet"
    N, P = count_model()
    assert N.dtype == torch.int32
    np.testing.assert_array_equal(N.numpy(), numpy_counts())
    np.testing.assert_allclose(P.sum(1).numpy(), np.ones(27), rtol=1e-6)

    log_likelihood = 0.0
    n = 0
    for w in words:
        chs = ['.'] + list(w) + ['.']
        for ch1, ch2 in zip(chs, chs[1:]):
            ix1 = stoi[ch1]
            ix2 = stoi[ch2]
            prob = P[ix1, ix2]
            logprob = torch.log(prob)
            log_likelihood += logprob
            n += 1
    print(f'{log_likelihood=}')
    nll = -log_likelihood
    print(f'{nll=}')
    print(f'{nll/n}')
    assert n == sum(len(w) + 1 for w in words)
    assert abs((nll / n).item() - numpy_nll(numpy_counts() + 1)) < 1e-5


def test_sampling_is_reproducible_and_valid():
    _, P = count_model()
    names = sample_names(P, 2147483647, 20)
    print(names)
    assert names == sample_names(P, 2147483647, 20)
    assert names != sample_names(P, 2147483646, 20)
    for name in names:
        assert name.endswith('.') and '.' not in name[:-1]
        assert set(name[:-1]) <= set(chars)

    # the first letters follow the first row of P: draw many and compare the frequencies with P[0]
    g = torch.Generator().manual_seed(0)
    draws = torch.multinomial(P[0], num_samples=20000, replacement=True, generator=g)
    frequencies = np.bincount(draws.numpy(), minlength=27) / 20000
    expected = (numpy_counts()[0] + 1) / (numpy_counts()[0] + 1).sum()
    assert np.abs(frequencies - expected).max() < 4 * np.sqrt(expected.max() / 20000)


def training_set():
    xs, ys = [], []
    for w in words:
        chs = ['.'] + list(w) + ['.']
        for ch1, ch2 in zip(chs, chs[1:]):
            ix1 = stoi[ch1]
            ix2 = stoi[ch2]
            xs.append(ix1)
            ys.append(ix2)
    return torch.tensor(xs), torch.tensor(ys)


def test_neural_bigram_reaches_the_counting_optimum():
    xs, ys = training_set()
    num = xs.nelement()
    g = torch.Generator().manual_seed(2147483647)
    W = torch.randn((27, 27), generator=g, requires_grad=True)

    best_possible = numpy_nll(numpy_counts())  # rows never seen are not in the loss
    smoothed = numpy_nll(numpy_counts() + 1)
    losses = []
    for k in range(300):
        # forward pass
        xenc = F.one_hot(xs, num_classes=27).float()  # input to the network: one-hot encoding
        logits = xenc @ W  # predict log-counts
        counts = logits.exp()  # counts, equivalent to N
        probs = counts / counts.sum(1, keepdims=True)  # probabilities for next character
        loss = -probs[torch.arange(num), ys].log().mean()
        losses.append(loss.item())

        # backward pass
        W.grad = None  # set to zero the gradient
        loss.backward()
        if k == 0:
            onehot_x, onehot_y = np.eye(27)[xs.numpy()], np.eye(27)[ys.numpy()]
            expected = onehot_x.T @ (probs.detach().numpy() - onehot_y) / num
            np.testing.assert_allclose(W.grad.numpy(), expected, atol=1e-6)

        # update
        W.data += -50 * W.grad
    print(f"{losses[0]:.4f} -> {losses[-1]:.4f}; counting: {best_possible:.4f}, smoothed {smoothed:.4f}")
    assert min(losses) >= best_possible - 1e-4
    assert losses[-1] < smoothed
    assert losses[-1] - best_possible < 0.1 * (losses[0] - best_possible)


def test_regularised_loss_and_its_gradient():
    xs, ys = training_set()
    num = xs.nelement()
    g = torch.Generator().manual_seed(2147483647)
    W = torch.randn((27, 27), generator=g, requires_grad=True)
    W_before = W.detach().numpy().copy()

    xenc = F.one_hot(xs, num_classes=27).float()
    logits = xenc @ W
    counts = logits.exp()
    probs = counts / counts.sum(1, keepdims=True)
    loss = -probs[torch.arange(num), ys].log().mean() + 0.01 * (W ** 2).mean()
    loss.backward()
    W.data += -50 * W.grad

    logits_np = W_before[xs.numpy()]
    log_probs = logits_np - np.log(np.exp(logits_np).sum(1, keepdims=True))
    expected_loss = -log_probs[np.arange(num), ys.numpy()].mean() + 0.01 * (W_before ** 2).mean()
    assert abs(loss.item() - expected_loss) < 1e-4
    onehot_x, onehot_y = np.eye(27)[xs.numpy()], np.eye(27)[ys.numpy()]
    expected_grad = onehot_x.T @ (np.exp(log_probs) - onehot_y) / num + 0.02 * W_before / W_before.size
    np.testing.assert_allclose(W.grad.numpy(), expected_grad, atol=1e-6)
    np.testing.assert_allclose(W.detach().numpy(), W_before - 50 * expected_grad, atol=1e-4)
