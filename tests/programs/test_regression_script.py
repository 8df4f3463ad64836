"""A small linear-regression script as example repositories write it, with only the imports mapped: a
DataLoader over a TensorDataset, nn.Linear, nn.MSELoss, epochs with model.train() and an evaluation under
model.eval() and no_grad(), and the parameters updated by hand through `.data` as older scripts do.

After enough epochs (with the learning rate cut twice, so that the mini-batch noise dies down) the weights
must be the least-squares solution that numpy finds, and the evaluation loss its mean squared residual.
"""
import numpy as np

import autograd as torch
import nn
from nn.data import DataLoader, TensorDataset

TRUE_W, TRUE_B = np.array([[2.0], [-3.4], [0.7]]), 4.2


def make_data(n: int = 200):
    rng = np.random.default_rng(0)
    features = rng.normal(size=(n, 3))
    labels = features @ TRUE_W + TRUE_B + 0.1 * rng.normal(size=(n, 1))
    return features.astype(np.float32), labels.astype(np.float32)


def test_minibatch_regression_reaches_least_squares():
    features, labels = make_data()
    X, y = torch.from_numpy(features), torch.from_numpy(labels)
    torch.manual_seed(42)
    dataset = TensorDataset(X, y)
    train_loader = DataLoader(dataset, batch_size=20, shuffle=True)

    model = nn.Linear(3, 1)
    criterion = nn.MSELoss()
    lr = 0.1
    num_epochs = 40
    for epoch in range(num_epochs):
        if epoch in (20, 30):
            lr *= 0.1
        model.train()
        total_loss = 0.0
        for inputs, targets in train_loader:
            assert inputs.shape == (20, 3) and targets.shape == (20, 1)
            outputs = model(inputs)
            loss = criterion(outputs, targets)
            model.zero_grad()
            loss.backward()
            for p in model.parameters():
                p.data -= lr * p.grad.data
            total_loss += loss.item() * inputs.size(0)
        if (epoch + 1) % 10 == 0:
            print(f"Epoch [{epoch + 1}/{num_epochs}], Loss: {total_loss / len(dataset):.4f}")

    model.eval()
    with torch.no_grad():
        predictions = model(X)
        eval_loss = criterion(predictions, y)
    assert not predictions.requires_grad
    print(f"eval loss {eval_loss:.6f}")

    design = np.hstack([features.astype(np.float64), np.ones((len(features), 1))])
    solution, residuals, *_ = np.linalg.lstsq(design, labels.astype(np.float64), rcond=None)
    learned = np.append(model.weight.detach().numpy().ravel(), model.bias.item())
    np.testing.assert_allclose(learned, solution.ravel(), atol=2e-3)
    best_mse = residuals[0] / len(features)
    assert best_mse - 1e-6 <= eval_loss.item() <= best_mse * 1.01
