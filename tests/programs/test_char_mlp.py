"""The MLP character model of the makemore lectures, written as PyTorch code with only the imports mapped: an
embedding table C looked up as C[X], a tanh hidden layer over the concatenated context, F.cross_entropy,
minibatches, learning-rate decay and a train/validation split; first with raw tensors, then with nn modules.

Checks: F.cross_entropy equals -log softmax gathered at the targets, computed with numpy; training takes the
loss on the training set below the best any bigram model can reach there (the counting optimum, computed
with numpy); the raw-tensor and the nn.Module versions agree, in loss and gradients, given the same weights.
"""
import random
from pathlib import Path

import numpy as np

import autograd as torch
import nn
import nn.functional as F
import optim

words = (Path(__file__).parent / 'names.txt').read_text().splitlines()
chars = sorted(list(set(''.join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi['.'] = 0
itos = {i: s for s, i in stoi.items()}

block_size = 3  # context length: how many characters do we take to predict the next one?
n_embd = 10  # the dimensionality of the character embedding vectors
n_hidden = 64  # the number of neurons in the hidden layer


def build_dataset(words):
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + '.':
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]  # crop and append
    X = torch.tensor(X)
    Y = torch.tensor(Y)
    return X, Y


def splits():
    shuffled = list(words)
    random.Random(42).shuffle(shuffled)
    n1 = int(0.9 * len(shuffled))
    return build_dataset(shuffled[:n1]), build_dataset(shuffled[n1:]), shuffled[:n1]


def best_bigram_nll(words) -> float:
    """The lowest average negative log-likelihood any bigram model reaches on `words`: the counting MLE."""
    counts = np.zeros((27, 27))
    pairs = []
    for w in words:
        chs = ['.'] + list(w) + ['.']
        for ch1, ch2 in zip(chs, chs[1:]):
            counts[stoi[ch1], stoi[ch2]] += 1
            pairs.append((stoi[ch1], stoi[ch2]))
    probabilities = counts / np.maximum(counts.sum(1, keepdims=True), 1)
    return -np.mean([np.log(probabilities[a, b]) for a, b in pairs])


def test_cross_entropy_is_minus_log_softmax_at_the_targets():
    g = torch.Generator().manual_seed(1)
    logits = torch.randn((32, 27), generator=g) * 3
    Y = torch.randint(0, 27, (32,), generator=g)
    loss = F.cross_entropy(logits, Y)
    z = logits.numpy().astype(np.float64)
    log_probs = z - z.max(1, keepdims=True) - np.log(np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True))
    expected = -log_probs[np.arange(32), Y.numpy()].mean()
    assert abs(loss.item() - expected) < 1e-5

    counts = logits.exp()  # the lecture's version by hand gives the same
    prob = counts / counts.sum(1, keepdims=True)
    by_hand = -prob[torch.arange(32), Y].log().mean()
    assert abs(by_hand.item() - expected) < 1e-4


def test_raw_tensor_mlp_beats_the_bigram_model():
    (Xtr, Ytr), (Xdev, Ydev), train_words = splits()
    assert Xtr.shape == (sum(len(w) + 1 for w in train_words), block_size) and Xtr.dtype == torch.int64

    g = torch.Generator().manual_seed(2147483647)  # for reproducibility
    C = torch.randn((27, n_embd), generator=g)
    W1 = torch.randn((n_embd * block_size, n_hidden), generator=g) * 0.2
    b1 = torch.randn(n_hidden, generator=g) * 0.01
    W2 = torch.randn((n_hidden, 27), generator=g) * 0.01
    b2 = torch.randn(27, generator=g) * 0
    parameters = [C, W1, b1, W2, b2]
    print(sum(p.nelement() for p in parameters))  # number of parameters in total
    for p in parameters:
        p.requires_grad = True

    lre = torch.linspace(-3, 0, 1000)
    lrs = 10 ** lre  # the candidate learning rates of the lecture's search
    np.testing.assert_allclose(lrs[[0, -1]].numpy(), [1e-3, 1.0], rtol=1e-5)

    lossi = []
    max_steps = 3000
    for i in range(max_steps):
        # minibatch construct
        ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
        Xb, Yb = Xtr[ix], Ytr[ix]

        # forward pass
        emb = C[Xb]  # (32, 3, 10)
        h = torch.tanh(emb.view(-1, n_embd * block_size) @ W1 + b1)  # (32, 64)
        logits = h @ W2 + b2  # (32, 27)
        loss = F.cross_entropy(logits, Yb)

        # backward pass
        for p in parameters:
            p.grad = None
        loss.backward()

        # update
        lr = 0.2 if i < 2000 else 0.02  # step learning rate decay
        for p in parameters:
            p.data += -lr * p.grad
        lossi.append(loss.log10().item())

    @torch.no_grad()  # this decorator disables gradient tracking
    def split_loss(X, Y):
        emb = C[X]
        h = torch.tanh(emb.view(emb.shape[0], -1) @ W1 + b1)
        logits = h @ W2 + b2
        return F.cross_entropy(logits, Y).item()

    train_loss, val_loss = split_loss(Xtr, Ytr), split_loss(Xdev, Ydev)
    print(f"train {train_loss:.4f}  val {val_loss:.4f}  bigram optimum {best_bigram_nll(train_words):.4f}")
    assert train_loss < best_bigram_nll(train_words)
    assert np.mean(lossi[-200:]) < np.mean(lossi[:200])
    assert np.isfinite(val_loss)


def test_raw_and_module_versions_agree():
    (Xtr, Ytr), _, _ = splits()
    g = torch.Generator().manual_seed(7)
    C = torch.randn((27, n_embd), generator=g, requires_grad=True)
    W1 = torch.randn((n_embd * block_size, n_hidden), generator=g).mul_(0.2).requires_grad_()
    b1 = torch.randn(n_hidden, generator=g).mul_(0.01).requires_grad_()
    W2 = torch.randn((n_hidden, 27), generator=g).mul_(0.1).requires_grad_()
    b2 = torch.zeros(27, requires_grad=True)

    model = nn.Sequential(
        nn.Embedding(27, n_embd),
        nn.Flatten(),
        nn.Linear(n_embd * block_size, n_hidden), nn.Tanh(),
        nn.Linear(n_hidden, 27),
    )
    with torch.no_grad():
        model[0].weight.copy_(C)
        model[2].weight.copy_(W1.T)  # nn.Linear keeps (out_features, in_features)
        model[2].bias.copy_(b1)
        model[4].weight.copy_(W2.T)
        model[4].bias.copy_(b2)

    ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
    Xb, Yb = Xtr[ix], Ytr[ix]
    raw_loss = F.cross_entropy(torch.tanh(C[Xb].view(-1, n_embd * block_size) @ W1 + b1) @ W2 + b2, Yb)
    module_loss = F.cross_entropy(model(Xb), Yb)
    assert abs(raw_loss.item() - module_loss.item()) < 1e-5
    raw_loss.backward()
    module_loss.backward()
    np.testing.assert_allclose(model[0].weight.grad.numpy(), C.grad.numpy(), atol=1e-6)
    np.testing.assert_allclose(model[2].weight.grad.numpy(), W1.grad.numpy().T, atol=1e-6)
    np.testing.assert_allclose(model[4].bias.grad.numpy(), b2.grad.numpy(), atol=1e-6)

    # the module version trains with an optimizer and a step decay, as the later lectures do
    optimizer = optim.SGD(model.parameters(), lr=0.2)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=1500, gamma=0.1)
    model.train()
    for _ in range(2000):
        ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
        loss = F.cross_entropy(model(Xtr[ix]), Ytr[ix])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
    model.eval()
    with torch.no_grad():
        train_loss = F.cross_entropy(model(Xtr), Ytr).item()
    assert train_loss < best_bigram_nll(splits()[2])
