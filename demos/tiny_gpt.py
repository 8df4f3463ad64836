"""A tiny GPT: a small causal Transformer learns to write first names, one character at a time.

The text is the US census list of first names that the `names` package ships (about 5,200 names; nothing is
downloaded), lower-cased and joined by '.' into one stream: ".mary.patricia.linda...". The model
(demos.tiny_gpt_model: token embedding + learned positions, pre-norm Transformer blocks with a causal mask, a
final LayerNorm and a linear head) reads windows of the stream and predicts, at every position, the next
character from the ones before it. A tenth of the names is held out for validation.

It prints the losses (against log 27 = 3.30 for guessing uniformly), the training speed in tokens per second and
new names sampled from the model, and draws what each attention head looks at on a validation window.
"""
from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np

import autograd
import nn
import optim
from demos.common import demo_main
from demos.names_data import END, alphabet_of, load_names, split_names
from demos.plotting import plt, save
from demos.tiny_gpt_model import TinyGPT
from demos.training import train


def encode_stream(names: list[str], alphabet: str) -> np.ndarray:
    """The stream '.name.name...' as token indices (alphabet[i] is token i)."""
    index = {c: i for i, c in enumerate(alphabet)}
    return np.array([index[c] for c in END + END.join(names) + END], dtype=np.int64)


def windows(stream: np.ndarray, context: int, count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """`count` random windows of the stream (N, context) and the same shifted by one (the next characters)."""
    starts = rng.integers(0, len(stream) - context - 1, count)
    x = stream[starts[:, None] + np.arange(context)]
    return x, stream[starts[:, None] + np.arange(1, context + 1)]


def loss_on(model: TinyGPT, x: np.ndarray, y: np.ndarray) -> autograd.Tensor:
    logits = model(autograd.tensor(x))
    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), autograd.tensor(y.reshape(-1)))


def sample_names(model: TinyGPT, alphabet: str, count: int, generator: autograd.Generator) -> list[str]:
    """Write `count` names: start from '.', draw each next character from the model's softmax, split at '.'."""
    ids, names = [0], []
    with autograd.no_grad():
        while len(names) < count:
            window = autograd.tensor(np.array([ids[-model.context:]]))
            probs = model(window)[0, -1].softmax(-1)
            ids.append(int(autograd.multinomial(probs, 1, generator=generator).item()))
            if ids[-1] == 0:
                names.append("".join(alphabet[i] for i in ids[1:-1]))
                ids = [0]
    return names


def attention_maps(model: TinyGPT, ids: np.ndarray) -> list[np.ndarray]:
    """Per layer, the attention weights (heads, L, L) of each head on one window (ids of shape (L,))."""
    length = len(ids)
    mask = nn.Transformer.generate_square_subsequent_mask(length)
    maps = []
    with autograd.no_grad():
        x = model.token(autograd.tensor(ids[None])) + model.position.weight[:length]
        for layer in model.blocks.layers:
            h = layer.norm1(x)
            weights = layer.self_attn(h, h, h, attn_mask=mask, average_attn_weights=False)[1]
            maps.append(weights[0].numpy())
            x = layer(x, src_mask=mask, is_causal=True)
    return maps


def draw_attention(maps: list[np.ndarray], text: str, path: Path) -> None:
    layers, heads = len(maps), maps[0].shape[0]
    fig, axes = plt.subplots(layers, heads, figsize=(3.2 * heads, 3.2 * layers), squeeze=False)
    for i, layer_maps in enumerate(maps):
        for j, weights in enumerate(layer_maps):
            ax = axes[i, j]
            ax.imshow(weights, cmap="viridis", vmin=0, vmax=1)
            ax.set_title(f"layer {i + 1}, head {j + 1}", fontsize=9)
            ax.set_xticks([])
            ax.set_yticks([])
            if j == 0:  # the characters along the outer edges only (each label is costly to lay out)
                ax.set_yticks(range(len(text)), list(text), fontsize=6)
                ax.set_ylabel("query (predicting the next character)", fontsize=7)
            if i == layers - 1:
                ax.set_xticks(range(len(text)), list(text), fontsize=6)
                ax.set_xlabel("key (a character before)", fontsize=7)
    fig.suptitle("Where each attention head looks (causal: only at the characters before)")
    save(fig, path)


def draw_losses(train_losses: list[float], val_losses: list[tuple[int, float]], path: Path) -> None:
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(train_losses, alpha=0.5, label="training batch")
    steps, values = zip(*val_losses)
    ax.plot(steps, values, "o-", label="validation")
    ax.axhline(math.log(27), color="grey", linestyle="--", label="uniform guess, log 27")
    ax.set_xlabel("step")
    ax.set_ylabel("cross-entropy (nats per character)")
    ax.legend()
    save(fig, path)


def run(folder: Path, fast: bool) -> dict:
    autograd.manual_seed(0)
    rng = np.random.default_rng(0)
    names = load_names()
    train_names, val_names = split_names(names, 0.1, seed=0)
    alphabet = alphabet_of(names)
    train_stream, val_stream = encode_stream(train_names, alphabet), encode_stream(val_names, alphabet)
    context = 32
    size = dict(d_model=32, nhead=4, dim_feedforward=64, num_layers=2) if fast else \
        dict(d_model=64, nhead=4, dim_feedforward=256, num_layers=2)
    steps, batch = (80, 16) if fast else (2000, 32)
    model = TinyGPT(len(alphabet), context, **size)
    optimizer = optim.AdamW(model.parameters(), lr=3e-3 if fast else 1e-3, weight_decay=0.01)
    scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps)
    val_x, val_y = windows(val_stream, context, 64, np.random.default_rng(1))
    val_losses: list[tuple[int, float]] = []
    chunk = steps // 5
    train_losses: list[float] = []
    start = time.perf_counter()
    for done in range(0, steps, chunk):
        model.train()
        train_losses += train(lambda: loss_on(model, *windows(train_stream, context, batch, rng)), optimizer,
                              chunk, "tiny GPT", scheduler)
        model.eval()
        with autograd.no_grad():
            val_losses.append((done + chunk, loss_on(model, val_x, val_y).item()))
    seconds = time.perf_counter() - start
    tokens_per_second = steps * batch * context / seconds
    print(f"tiny GPT ({sum(p.numel() for p in model.parameters())} parameters, context {context}): "
          f"{steps} steps of {batch} x {context} characters in {seconds:.1f} s, "
          f"{tokens_per_second:,.0f} tokens per second (forward, backward and AdamW)")
    print(f"loss per character: training {np.mean(train_losses[-chunk:]):.3f}, validation {val_losses[-1][1]:.3f} "
          f"(uniform guess {math.log(len(alphabet)):.3f})")
    samples = sample_names(model, alphabet, 12, autograd.Generator().manual_seed(0))
    known = set(names)
    print("new names: " + ", ".join(s + ("" if s in known else "*") for s in samples) + "   (* = not in the list)")
    text = "".join(alphabet[i] for i in val_x[0])
    maps = attention_maps(model, val_x[0])
    draw_attention(maps, text, folder / "tiny_gpt_attention.png")
    draw_losses(train_losses, val_losses, folder / "tiny_gpt_loss.png")
    return {"train_loss": float(np.mean(train_losses[-chunk:])), "val_loss": val_losses[-1][1],
            "first_val_loss": val_losses[0][1], "tokens_per_second": tokens_per_second, "samples": samples,
            "alphabet": alphabet, "names": names, "attention": maps}


if __name__ == "__main__":
    demo_main("tiny_gpt", run)
