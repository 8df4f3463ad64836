"""The sin(x) fit again, with nn and optim, written as PyTorch code with only the imports mapped.

The features x, x^2, x^3 feed nn.Linear(3, 1) (its bias is the constant term), nn.Flatten(0, 1) makes the
output one-dimensional, and nn.MSELoss(reduction='sum') is the loss. The weights are learned first with
manual updates after model.zero_grad(), then with an optimizer after optimizer.zero_grad(); both must reach
the least-squares solution that numpy finds.
"""
import math

import numpy as np

import autograd as torch
import nn
import optim

N_POINTS = 2000


def least_squares_fit() -> np.ndarray:
    """[a, b, c, d] minimising sum (a + b x + c x^2 + d x^3 - sin x)^2 over the points, by numpy."""
    x = np.linspace(-np.pi, np.pi, N_POINTS)
    design = np.stack([np.ones_like(x), x, x ** 2, x ** 3], axis=1)
    coefficients, *_ = np.linalg.lstsq(design, np.sin(x), rcond=None)
    return coefficients


def data():
    x = torch.linspace(-math.pi, math.pi, N_POINTS)
    y = torch.sin(x)
    p = torch.tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)  # (2000, 3): x, x^2, x^3
    return xx, y


def learned(model) -> np.ndarray:
    linear_layer = model[0]
    print(f"Result: y = {linear_layer.bias.item():.5f} + {linear_layer.weight[:, 0].item():.5f} x + "
          f"{linear_layer.weight[:, 1].item():.5f} x^2 + {linear_layer.weight[:, 2].item():.5f} x^3")
    return np.array([linear_layer.bias.item(), *linear_layer.weight.detach().numpy()[0]])


def test_manual_updates_after_model_zero_grad():
    torch.manual_seed(0)
    xx, y = data()
    assert xx.shape == (N_POINTS, 3) and xx.dtype == torch.float32
    np.testing.assert_allclose(xx[:, 2].numpy(), xx[:, 0].numpy() ** 3, rtol=1e-6)

    model = nn.Sequential(
        nn.Linear(3, 1),
        nn.Flatten(0, 1)
    )
    loss_fn = nn.MSELoss(reduction='sum')
    learning_rate = 2e-6
    first = None
    for t in range(2000):
        y_pred = model(xx)
        assert y_pred.shape == (N_POINTS,)
        loss = loss_fn(y_pred, y)
        if t == 0:
            first = loss.item()
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for param in model.parameters():
                param -= learning_rate * param.grad
    print(f"loss {loss:.4f}")
    np.testing.assert_allclose(learned(model), least_squares_fit(), atol=2e-3)
    assert loss.item() < first

    state = model.state_dict()
    assert sorted(state) == ["0.bias", "0.weight"]
    assert tuple(state["0.weight"].shape) == (1, 3) and tuple(state["0.bias"].shape) == (1,)
    fresh = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
    fresh.load_state_dict(state)
    with torch.no_grad():
        np.testing.assert_array_equal(fresh(xx).numpy(), model(xx).numpy())


def test_rmsprop_after_optimizer_zero_grad():
    torch.manual_seed(1)
    xx, y = data()
    model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
    loss_fn = nn.MSELoss(reduction='sum')
    optimizer = optim.RMSprop(model.parameters(), lr=1e-2)
    # RMSprop's steps keep a size of about lr near the optimum: two tenfold cuts bring it home
    scheduler = optim.lr_scheduler.MultiStepLR(optimizer, milestones=[600, 1200], gamma=0.1)
    for _ in range(1500):
        y_pred = model(xx)
        loss = loss_fn(y_pred, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
    assert all(p.grad is not None for p in model.parameters())
    np.testing.assert_allclose(learned(model), least_squares_fit(), atol=2e-3)
