"""Names, one character at a time: from counting pairs to a Transformer (makemore's progression).

The data is the list of US census first names that the `names` package ships (about 5,200 distinct names;
nothing is downloaded), split once into training and validation names with a seeded Generator. Each model
predicts the next character of a name from the ones before it; its loss is the cross-entropy in nats per
character on the validation names, against log 27 = 3.30 for a uniform guess over '.' and the 26 letters.

0. the data: names as padded rows of token indices (demos.names_data);
1. bigram: count how often each character follows each other one, smooth the counts, and read them as
   probabilities; nothing is trained (the count table is drawn);
2. MLP: embed the last 3 characters, concatenate, a tanh hidden layer (Bengio et al. 2003);
3. RNN, 4. LSTM, 5. GRU: a recurrent layer reads the whole name so far, in its hidden state;
6. Transformer: token embedding plus learned positions, causal self-attention (demos.tiny_gpt_model);
   models 2 to 6 are in demos.names_models and demos.tiny_gpt_model, each a small nn.Module.

Every trained model sees the same batches of training names, with AdamW (a strong weight decay) and a cosine
decay of the learning rate. The lesson prints each model's number of parameters and losses, draws all validation
losses on one chart, and samples new names from each model with autograd.multinomial (printed, and written to
names_samples.txt). Every model samples with a Generator seeded alike, so the same random numbers go through
each model's probabilities: the names start alike, and where they part is where the models differ.

The full run (about 45 s) reaches, in nats per character on the validation names: bigram 2.34, MLP 1.99,
RNN 1.93, LSTM 1.87, GRU 1.88, Transformer 1.89. Context pays most from one character to three, and again from
three to the whole name; on 4,600 training names the gated RNNs and the Transformer end together, and the
larger models know the training names better than new ones (the gap on the right of the chart).
"""
from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np

import autograd
import nn
import nn.functional as F
import optim
from autograd import Tensor
from demos.common import demo_main
from demos.names_data import IGNORE, alphabet_of, decode, encode, load_names, split_names
from demos.names_models import MLP, Bigram, RecurrentModel
from demos.plotting import plt, save
from demos.tiny_gpt_model import TinyGPT
from demos.training import train

VALIDATION_FRACTION = 0.1
SAMPLES = 10  # names written by each model
FULL = {"steps": 4000, "batch_size": 32, "evaluations": 20, "mlp": {"embedding_dim": 10, "hidden_size": 200},
        "recurrent": {"embedding_dim": 16, "hidden_size": 64},
        "transformer": {"d_model": 32, "nhead": 4, "dim_feedforward": 128, "num_layers": 2, "dropout": 0.1}}
FAST = {"steps": 150, "batch_size": 32, "evaluations": 3, "mlp": {"embedding_dim": 8, "hidden_size": 32},
        "recurrent": {"embedding_dim": 8, "hidden_size": 32},
        "transformer": {"d_model": 16, "nhead": 2, "dim_feedforward": 32, "num_layers": 1, "dropout": 0.0}}
LEARNING_RATE = 1e-2
WEIGHT_DECAY = 0.1  # a strong pull toward 0: 4,600 training names are few, and the larger models overfit them


def loss_on(model: nn.Module, inputs: Tensor, targets: Tensor) -> Tensor:
    """Mean cross-entropy over the real characters of the batch (the padding's target is IGNORE)."""
    logits = model(inputs)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=IGNORE)


def evaluate(model: nn.Module, data: tuple[Tensor, Tensor]) -> float:
    """The loss in nats per character on a whole split, in eval mode and without recording a graph."""
    model.eval()
    with autograd.no_grad():
        return loss_on(model, *data).item()


def bigram_counts(data: tuple[Tensor, Tensor], vocab_size: int) -> np.ndarray:
    """counts[i, j]: how often character j follows character i in the names (start and end as '.')."""
    inputs, targets = (t.numpy().ravel() for t in data)
    real = targets != IGNORE
    counts = np.zeros((vocab_size, vocab_size))
    np.add.at(counts, (inputs[real], targets[real]), 1)  # one count per (current, next) pair
    return counts


def fit(model: nn.Module, train_data: tuple[Tensor, Tensor], val_data: tuple[Tensor, Tensor], config: dict,
        generator: autograd.Generator, desc: str) -> list[tuple[int, float]]:
    """AdamW on random batches of training names; the validation loss after every chunk of steps."""
    optimizer = optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=config["steps"])
    inputs, targets = train_data

    def batch_loss() -> Tensor:
        rows = autograd.randint(0, len(inputs), (config["batch_size"],), generator=generator)
        return loss_on(model, inputs[rows], targets[rows])

    chunk = config["steps"] // config["evaluations"]
    curve = []
    for done in range(chunk, chunk * config["evaluations"] + 1, chunk):
        model.train()
        train(batch_loss, optimizer, chunk, desc, scheduler)
        curve.append((done, evaluate(model, val_data)))
    return curve


def sample(model: nn.Module, alphabet: str, count: int, length: int, generator: autograd.Generator) -> list[str]:
    """Write `count` names at once: start from '.', draw each next character from the softmax of the model's
    logits at the last position, and stop each name at its first '.' (or after `length` characters)."""
    model.eval()
    ids = autograd.zeros((count, 1), dtype=autograd.long)
    with autograd.no_grad():
        for _ in range(length):
            probs = model(ids)[:, -1].softmax(-1)
            ids = autograd.cat([ids, autograd.multinomial(probs, 1, generator=generator)], dim=1)
    return [decode(row[1:], alphabet) for row in ids.tolist()]


def trained_models(vocab_size: int, length: int, config: dict) -> dict[str, Callable[[], nn.Module]]:
    """Steps 2 to 6 of the lesson, each built when its turn comes."""
    return {
        "MLP": lambda: MLP(vocab_size, context=3, **config["mlp"]),
        "RNN": lambda: RecurrentModel(vocab_size, nn.RNN, **config["recurrent"]),
        "LSTM": lambda: RecurrentModel(vocab_size, nn.LSTM, **config["recurrent"]),
        "GRU": lambda: RecurrentModel(vocab_size, nn.GRU, **config["recurrent"]),
        "Transformer": lambda: TinyGPT(vocab_size, length, **config["transformer"]),
    }


def run(folder: Path, fast: bool) -> dict:
    config = FAST if fast else FULL
    autograd.manual_seed(0)

    # 0. The data: training and validation names, as rows of token indices.
    names = load_names()
    train_names, val_names = split_names(names, VALIDATION_FRACTION, seed=0)
    alphabet = alphabet_of(names)
    length = max(len(name) for name in names) + 1  # the longest name and its final '.'
    train_data, val_data = encode(train_names, alphabet, length), encode(val_names, alphabet, length)
    uniform = math.log(len(alphabet))
    print(f"{len(names)} names ({len(train_names)} for training, {len(val_names)} for validation), alphabet "
          f"'{alphabet}'; a uniform guess costs log {len(alphabet)} = {uniform:.3f} nats per character")

    # 1. Bigram: counting, smoothed.
    counts = bigram_counts(train_data, len(alphabet))
    models: dict[str, nn.Module] = {"bigram": Bigram(counts, smoothing=1.0)}
    draw_counts(counts, alphabet, evaluate(models["bigram"], val_data), folder / "names_bigram_counts.png")

    # 2-6. MLP, RNN, LSTM, GRU, Transformer: trained on the same batches (one Generator each, same seed).
    curves: dict[str, list[tuple[int, float]]] = {}
    for name, build in trained_models(len(alphabet), length, config).items():
        models[name] = build()
        curves[name] = fit(models[name], train_data, val_data, config, autograd.Generator().manual_seed(1), name)

    # 7. Compare: parameters, losses, and new names from each model.
    results = compare(models, train_data, val_data, alphabet, length, set(names))
    results.update(alphabet=alphabet, train_names=train_names, val_names=val_names, curves=curves, counts=counts)
    write_samples(results, folder / "names_samples.txt")
    draw_losses(results, uniform, folder / "names_losses.png")
    return results


def compare(models: dict[str, nn.Module], train_data: tuple[Tensor, Tensor], val_data: tuple[Tensor, Tensor],
            alphabet: str, length: int, known: set[str]) -> dict:
    """Print a table of each model's parameters, losses and sampled names (marked * when not in the list)."""
    results: dict = {"parameters": {}, "train_loss": {}, "val_loss": {}, "samples": {}}
    print(f"{'model':<12}{'parameters':>11}{'train':>8}{'valid':>8}   new names (* = not in the census list)")
    for name, model in models.items():
        results["parameters"][name] = sum(p.numel() for p in model.parameters())
        results["train_loss"][name] = evaluate(model, train_data)
        results["val_loss"][name] = evaluate(model, val_data)
        results["samples"][name] = sample(model, alphabet, SAMPLES, length, autograd.Generator().manual_seed(2))
        shown = ", ".join(s + ("" if s in known else "*") for s in results["samples"][name])
        print(f"{name:<12}{results['parameters'][name]:>11,}{results['train_loss'][name]:>8.3f}"
              f"{results['val_loss'][name]:>8.3f}   {shown}")
    print("(the bigram model has no parameters: its numbers are counts; every model drew the same random numbers)")
    return results


def write_samples(results: dict, path: Path) -> Path:
    lines = []
    for name, samples in results["samples"].items():
        lines += [f"# {name}: validation loss {results['val_loss'][name]:.3f} nats per character", *samples, ""]
    path.write_text("\n".join(lines))
    return path


def draw_counts(counts: np.ndarray, alphabet: str, loss: float, path: Path) -> Path:
    """The count table as a picture: row = the current character, column = the next one."""
    fig, ax = plt.subplots(figsize=(12, 12))
    ax.imshow(counts, cmap="Blues")
    for (i, j), count in np.ndenumerate(counts):
        ax.text(j, i, f"{alphabet[i]}{alphabet[j]}\n{count:.0f}", ha="center", va="center", fontsize=6,
                color="white" if count > counts.max() / 2 else "gray")
    ax.set_xticks(range(len(alphabet)), list(alphabet))
    ax.set_yticks(range(len(alphabet)), list(alphabet))
    ax.set(xlabel="next character", ylabel="current character ('.' = start or end of a name)",
           title=f"Bigram counts in the training names; with 1 added to each count, the validation loss is "
                 f"{loss:.3f} nats per character")
    return save(fig, path)


def draw_losses(results: dict, uniform: float, path: Path) -> Path:
    """All validation losses on one chart (the trained models' curves, the bigram's line), and the final losses on
    the training and the validation names side by side (their gap is what a model memorised)."""
    fig, (curves, final) = plt.subplots(1, 2, figsize=(14, 5), gridspec_kw={"width_ratios": [1.4, 1]})
    for index, (name, curve) in enumerate(results["curves"].items()):
        steps, losses = zip(*curve)
        curves.plot(steps, losses, f"C{index + 1}.-", label=f"{name} ({losses[-1]:.3f})")
    curves.axhline(results["val_loss"]["bigram"], color="C0", linestyle="--",
                   label=f"bigram, counted ({results['val_loss']['bigram']:.3f})")
    curves.set(title=f"Validation loss during training (a uniform guess: {uniform:.2f})",
               xlabel="training step", ylabel="cross-entropy (nats per character)")
    curves.legend()

    names = list(results["val_loss"])
    where = np.arange(len(names))
    final.plot(where, [results["train_loss"][n] for n in names], "o", color="0.5", label="training names")
    final.scatter(where, [results["val_loss"][n] for n in names], c=[f"C{i}" for i in where], s=60, zorder=3,
                  label="validation names")
    sizes = [f"{results['counts'].size} counts" if n == "bigram" else f"{results['parameters'][n]:,} params"
             for n in names]
    final.set_xticks(where, [f"{n}\n{size}" for n, size in zip(names, sizes)], fontsize=8)
    final.set(title="Final losses", ylabel="cross-entropy (nats per character)")
    final.grid(axis="y", alpha=0.3)
    final.legend()
    return save(fig, path)


if __name__ == "__main__":
    demo_main("names", run)
