"""Handwritten digits (8x8 images, scikit-learn's copy of the UCI set: no download) with an MLP.

The full pipeline: a train / validation / test split, standardisation fitted on the training set only,
mini-batches from a shuffling DataLoader, softmax cross-entropy, AdamW with a linear warm-up then a
cosine decay of the learning rate (per batch), and early stopping on the validation loss (the best
model is checkpointed and restored). Training samples get a little Gaussian noise (augmentation), and
the network uses dropout. The test set is touched once, at the end.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

import autograd
import nn
import optim
from demos.common import demo_main
from demos.plotting import plt, save
from demos.training import progress
from nn import metrics
from nn.data import DataLoader, TensorDataset, TransformedDataset, train_val_test_split
from nn.transforms import Compose, GaussianNoise, Standardize

BATCH_SIZE = 64
WARMUP_EPOCHS = 2
PATIENCE = 10
HIDDEN = 256


def datasets(seed: int) -> tuple[TransformedDataset, TransformedDataset, TransformedDataset]:
    """Train / validation / test (70 / 15 / 15 %), standardised with the training set's statistics;
    the training samples also get Gaussian noise, drawn afresh each epoch."""
    digits = load_digits()
    data = TensorDataset(autograd.tensor(digits.data.astype(np.float32)), autograd.tensor(digits.target))
    train, validation, test = train_val_test_split(data, (0.7, 0.15, 0.15), generator=np.random.default_rng(seed))
    scaler = Standardize().fit(train)  # the training set only: validation and test stay unseen
    return (TransformedDataset(train, transform=Compose([scaler, GaussianNoise(std=0.2)])),
            TransformedDataset(validation, transform=scaler), TransformedDataset(test, transform=scaler))


def evaluate(model: nn.Module, loader: DataLoader, loss_fn: nn.Module) -> tuple[float, np.ndarray, np.ndarray]:
    """Mean loss over the loader, the true labels and the predicted labels."""
    model.eval()
    total, truth, predicted = 0.0, [], []
    with autograd.no_grad():
        for x, y in loader:
            logits = model(x)
            total += loss_fn(logits, y).item() * len(y)
            truth.append(y.numpy())
            predicted.append(logits.argmax(dim=1).numpy())
    model.train()
    truth, predicted = np.concatenate(truth), np.concatenate(predicted)
    return total / len(truth), truth, predicted


def run(folder: Path, fast: bool) -> dict:
    autograd.manual_seed(0)
    train_set, val_set, test_set = datasets(seed=0)
    train_loader = DataLoader(train_set, batch_size=BATCH_SIZE, shuffle=True)
    val_loader, test_loader = (DataLoader(part, batch_size=256) for part in (val_set, test_set))

    model = nn.Sequential(nn.Linear(64, HIDDEN), nn.ReLU(), nn.Dropout(0.2), nn.Linear(HIDDEN, 10))
    loss_fn = nn.CrossEntropyLoss()
    epochs = 12 if fast else 60
    steps = epochs * len(train_loader)
    warmup = WARMUP_EPOCHS * len(train_loader)
    optimizer = optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
    scheduler = optim.lr_scheduler.SequentialLR(optimizer, [
        optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=warmup),
        optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps - warmup)], milestones=[warmup])

    checkpoint = folder / "best_model.npz"
    history = {"train": [], "val": [], "lr": []}
    best, best_epoch = float("inf"), 0
    bar = progress(range(epochs), "digits")
    for epoch in bar:
        running = 0.0
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            history["lr"].append(scheduler.get_last_lr()[0])
            scheduler.step()
            running += loss.item() * len(y)
        history["train"].append(running / len(train_set))
        history["val"].append(evaluate(model, val_loader, loss_fn)[0])
        bar.set_postfix(loss=history["train"][-1], val_loss=history["val"][-1], refresh=False)
        if history["val"][-1] < best:
            best, best_epoch = history["val"][-1], epoch
            nn.save(model.state_dict(), checkpoint)
        elif epoch - best_epoch >= PATIENCE:
            break  # early stopping: no better validation loss for PATIENCE epochs
    model.load_state_dict(nn.load(checkpoint))

    test_loss, truth, predicted = evaluate(model, test_loader, loss_fn)
    accuracy = metrics.accuracy(truth, predicted)
    per_class = {name: fn(truth, predicted, average=None, num_classes=10)
                 for name, fn in (("precision", metrics.precision), ("recall", metrics.recall),
                                  ("f1", metrics.f1_score))}
    matrix = metrics.confusion_matrix(truth, predicted, num_classes=10)
    plot(history, best_epoch, matrix, accuracy, folder)
    print(f"stopped after {len(history['val'])} epochs; best validation loss {best:.4f} at epoch {best_epoch + 1}")
    print("digit  precision  recall  f1")
    for digit in range(10):
        print(f"{digit:>5}  {per_class['precision'][digit]:9.3f}  {per_class['recall'][digit]:6.3f}  "
              f"{per_class['f1'][digit]:.3f}")
    print(f"test accuracy {accuracy:.4f} ({int(np.trace(matrix))}/{len(truth)}), "
          f"macro F1 {per_class['f1'].mean():.4f}, test loss {test_loss:.4f}")
    return {"test_accuracy": accuracy, "epochs": len(history["val"]), "best_epoch": best_epoch + 1,
            "macro_f1": float(per_class["f1"].mean())}


def plot(history: dict, best_epoch: int, matrix: np.ndarray, accuracy: float, folder: Path) -> Path:
    fig, (losses, rates, confusion) = plt.subplots(1, 3, figsize=(17, 5), gridspec_kw={"width_ratios": [1, 1, 1.1]})
    epochs = np.arange(1, len(history["train"]) + 1)
    losses.plot(epochs, history["train"], "C0.-", label="training loss (with noise and dropout)")
    losses.plot(epochs, history["val"], "C1.-", label="validation loss")
    losses.axvline(best_epoch + 1, color="gray", linestyle=":", label=f"best, kept: epoch {best_epoch + 1}")
    losses.set(title="Cross-entropy per epoch (early stopping)", xlabel="epoch", ylabel="loss", yscale="log")
    losses.legend()
    batches_per_epoch = len(history["lr"]) / len(epochs)
    rates.plot((np.arange(len(history["lr"])) + 1) / batches_per_epoch, history["lr"], "C2")
    rates.set(title="AdamW learning rate per batch: warm-up, then cosine", xlabel="epoch", ylabel="learning rate")

    confusion.imshow(matrix, cmap="Blues")
    for (i, j), count in np.ndenumerate(matrix):
        confusion.text(j, i, str(count), ha="center", va="center",
                       color="white" if count > matrix.max() / 2 else "black", fontsize=8)
    confusion.set(title=f"Confusion matrix on the test set (accuracy {accuracy:.1%})", xlabel="predicted digit",
                  ylabel="true digit", xticks=range(10), yticks=range(10))
    return save(fig, folder / "digits.png")


if __name__ == "__main__":
    demo_main("digits", run)
