"""python -m demos.names: bigram counts, an MLP, RNN, LSTM, GRU and a Transformer on the census first names.

The fast run trains small models for a few steps. Its checks use numbers computed here, from the names as
strings: the smoothed bigram loss by counting pairs, the lowest loss any model that ignores the context can
reach (the entropy of the validation characters), and each model's number of parameters from PyTorch's layer
shapes.
"""
import math
import string
from collections import Counter

import numpy as np
import pytest
from fast_demo import assert_png, run_fast

import autograd
import nn
from demos import names
from demos.names_data import alphabet_of, decode, encode, load_names, split_names
from demos.names_models import MLP, RecurrentModel
from demos.tiny_gpt_model import TinyGPT

VOCAB = 27  # '.' and the 26 letters


def pairs(words):
    """(current, next) characters of every name, with '.' before and after it."""
    for word in words:
        chars = "." + word + "."
        yield from zip(chars, chars[1:])


def smoothed_bigram_loss(train_words, val_words):
    counts = Counter(pairs(train_words))
    letters = "." + string.ascii_lowercase
    totals = {a: sum(counts[a, b] + 1 for b in letters) for a in letters}
    losses = [-math.log((counts[a, b] + 1) / totals[a]) for a, b in pairs(val_words)]
    return sum(losses) / len(losses)


def context_free_bound(val_words):
    """No model that ignores the characters before can beat the entropy of the validation characters."""
    frequencies = Counter(b for _, b in pairs(val_words))
    total = sum(frequencies.values())
    return -sum(n / total * math.log(n / total) for n in frequencies.values())


def test_fast_run_learns_from_context_and_writes_names(tmp_path, capsys):
    folder, results, printed = run_fast(names, tmp_path, capsys)
    train_words, val_words = results["train_names"], results["val_names"]
    assert results["alphabet"] == "." + string.ascii_lowercase

    assert abs(results["val_loss"]["bigram"] - smoothed_bigram_loss(train_words, val_words)) < 1e-4
    bound = context_free_bound(val_words)
    assert bound > 2.8
    for model in ("bigram", "MLP", "RNN", "LSTM", "GRU", "Transformer"):
        assert results["val_loss"][model] < bound - 0.4, model

    config = names.FAST
    e, h = config["recurrent"]["embedding_dim"], config["recurrent"]["hidden_size"]
    mlp_e, mlp_h = config["mlp"]["embedding_dim"], config["mlp"]["hidden_size"]
    head = h * VOCAB + VOCAB
    context = max(len(word) for word in train_words + val_words) + 1
    assert results["parameters"] == {
        "bigram": 0,
        "MLP": VOCAB * mlp_e + (3 * mlp_e * mlp_h + mlp_h) + (mlp_h * VOCAB + VOCAB),
        "RNN": VOCAB * e + 1 * (h * e + h * h + 2 * h) + head,
        "LSTM": VOCAB * e + 4 * (h * e + h * h + 2 * h) + head,
        "GRU": VOCAB * e + 3 * (h * e + h * h + 2 * h) + head,
        "Transformer": transformer_parameters(config["transformer"], context),
    }

    known = set(train_words + val_words)
    written = (folder / "names_samples.txt").read_text()
    for model, samples in results["samples"].items():
        assert len(samples) == names.SAMPLES
        assert all(set(s) <= set(string.ascii_lowercase) and len(s) <= 12 for s in samples), samples
        assert all(s in written for s in samples)
        assert f"{model}" in printed
    assert any(s not in known and s for samples in results["samples"].values() for s in samples)  # new names
    assert "parameters" in printed and "uniform guess" in printed
    assert_png(folder / "names_bigram_counts.png")
    assert_png(folder / "names_losses.png")


def transformer_parameters(size, context):
    """Token and position tables, per layer attention (q, k, v, out) + feed-forward + two LayerNorms, final
    LayerNorm and the head."""
    d_model, dim_feedforward, num_layers = size["d_model"], size["dim_feedforward"], size["num_layers"]
    layer = 4 * (d_model * d_model + d_model) + 2 * d_model * dim_feedforward + dim_feedforward + d_model \
        + 4 * d_model
    return VOCAB * d_model + context * d_model + num_layers * layer + 2 * d_model + d_model * VOCAB + VOCAB


def test_the_split_is_fixed_disjoint_and_covers_every_name():
    everything = load_names()
    train, val = split_names(everything, 0.1, seed=0)
    assert (train, val) == split_names(everything, 0.1, seed=0)
    assert len(val) == round(0.1 * len(everything)) and not set(train) & set(val)
    assert sorted(train + val) == everything == sorted(set(everything))
    assert len(everything) > 5000 and "mary" in everything and "james" in everything


def test_names_become_shifted_rows_with_ignored_padding():
    alphabet = alphabet_of(["emma", "bo"])
    assert alphabet == ".abemo"
    inputs, targets = encode(["emma", "bo"], alphabet, 6)
    assert inputs.tolist() == [[0, 3, 4, 4, 1, 0], [0, 2, 5, 0, 0, 0]]
    assert targets.tolist() == [[3, 4, 4, 1, 0, -100], [2, 5, 0, -100, -100, -100]]
    assert decode([3, 4, 4, 1, 0, 2], alphabet) == "emma"


def test_bigram_counts_every_pair_of_the_training_names():
    words = ["emma", "bo", "bob"]
    alphabet = alphabet_of(words)
    counts = names.bigram_counts(encode(words, alphabet, 5), len(alphabet))
    expected = Counter(pairs(words))
    assert counts.tolist() == [[expected[a, b] for b in alphabet] for a in alphabet]
    assert counts.sum() == len(list(pairs(words)))


MODELS = {
    "MLP": lambda: MLP(VOCAB, context=3, embedding_dim=4, hidden_size=8),
    "RNN": lambda: RecurrentModel(VOCAB, nn.RNN, embedding_dim=4, hidden_size=8),
    "LSTM": lambda: RecurrentModel(VOCAB, nn.LSTM, embedding_dim=4, hidden_size=8),
    "GRU": lambda: RecurrentModel(VOCAB, nn.GRU, embedding_dim=4, hidden_size=8),
    "Transformer": lambda: TinyGPT(VOCAB, 8, d_model=8, nhead=2, dim_feedforward=16, num_layers=1),
}


@pytest.mark.parametrize("position", range(8))
@pytest.mark.parametrize("model", sorted(MODELS))
def test_each_prediction_reads_only_the_characters_up_to_its_position(model, position):
    autograd.manual_seed(0)
    net = MODELS[model]().eval()
    rng = np.random.default_rng(0)
    ids = rng.integers(0, VOCAB, (2, 8))
    changed = ids.copy()
    changed[:, position + 1:] = (changed[:, position + 1:] + 1) % VOCAB  # what comes later
    with autograd.no_grad():
        before = net(autograd.tensor(ids)).numpy()
        after = net(autograd.tensor(changed)).numpy()
    np.testing.assert_allclose(after[:, :position + 1], before[:, :position + 1], atol=1e-5)
    if position < 7:
        assert not np.allclose(after[:, position + 1:], before[:, position + 1:])
    if model == "MLP" and position >= 3:  # the MLP reads the last 3 characters only
        earlier = ids.copy()
        earlier[:, :position - 2] = (earlier[:, :position - 2] + 1) % VOCAB
        with autograd.no_grad():
            np.testing.assert_allclose(net(autograd.tensor(earlier)).numpy()[:, position], before[:, position],
                                       atol=1e-5)


def test_sampling_is_fixed_by_the_generator():
    autograd.manual_seed(0)
    net = MODELS["GRU"]()
    alphabet = "." + string.ascii_lowercase
    first = names.sample(net, alphabet, 5, 12, autograd.Generator().manual_seed(3))
    assert first == names.sample(net, alphabet, 5, 12, autograd.Generator().manual_seed(3))
    assert first != names.sample(net, alphabet, 5, 12, autograd.Generator().manual_seed(4))
