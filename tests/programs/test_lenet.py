"""A LeNet-style convolutional network, written as PyTorch code with only the imports mapped, on random 28x28
images: the shape after every layer, its gradients against central finite differences in float64, the first
SGD-with-momentum step against its closed form, and a falling loss on a fixed batch.
"""
import numpy as np

import autograd as torch
import nn
import nn.functional as F
import optim


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, kernel_size=5, padding=2)  # 1x28x28 -> 6x28x28
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)  # -> 6x14x14
        self.conv2 = nn.Conv2d(6, 16, 5)  # -> 16x10x10
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)  # -> 16x5x5
        self.flatten = nn.Flatten()  # -> 400
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool1(self.relu1(self.conv1(x)))
        x = self.pool2(self.relu2(self.conv2(x)))
        x = self.flatten(x)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def batch(seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    images = torch.randn(8, 1, 28, 28, generator=g)
    labels = torch.randint(0, 10, (8,), generator=g)
    return images, labels


def test_shapes_after_every_layer():
    torch.manual_seed(0)
    model = LeNet()
    shapes = {}
    for name, layer in model.named_children():
        layer.register_forward_hook(lambda module, inputs, output, name=name: shapes.__setitem__(name, output.shape))
    images, _ = batch()
    out = model(images)
    assert out.shape == (8, 10)
    assert shapes == {
        "conv1": (8, 6, 28, 28), "relu1": (8, 6, 28, 28), "pool1": (8, 6, 14, 14),
        "conv2": (8, 16, 10, 10), "relu2": (8, 16, 10, 10), "pool2": (8, 16, 5, 5),
        "flatten": (8, 400), "fc1": (8, 120), "fc2": (8, 84), "fc3": (8, 10),
    }
    n_params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert n_params == (6 * 25 + 6) + (16 * 6 * 25 + 16) + (400 * 120 + 120) + (120 * 84 + 84) + (84 * 10 + 10)


def test_gradients_match_finite_differences_in_float64():
    torch.manual_seed(1)
    model = LeNet().double()
    images, labels = batch(1)
    images = images.double()
    loss_fn = nn.CrossEntropyLoss()

    model.zero_grad()
    loss = loss_fn(model(images), labels)
    loss.backward()

    eps = 1e-6
    for param, index in ((model.conv1.weight, (2, 0, 1, 3)), (model.conv2.weight, (5, 3, 2, 2)),
                         (model.fc1.weight, (7, 123)), (model.fc3.bias, (4,))):
        assert param.dtype == torch.float64
        with torch.no_grad():
            param[index] += eps
            loss_plus = loss_fn(model(images), labels).item()
            param[index] -= 2 * eps
            loss_minus = loss_fn(model(images), labels).item()
            param[index] += eps
        numerical = (loss_plus - loss_minus) / (2 * eps)
        analytical = param.grad[index].item()
        assert abs(numerical - analytical) <= 1e-7 + 1e-5 * abs(numerical), (param.shape, numerical, analytical)


def test_sgd_with_momentum_trains_on_a_fixed_batch():
    torch.manual_seed(2)
    model = LeNet()
    images, labels = batch(2)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

    before = [p.detach().numpy().copy() for p in model.parameters()]
    model.train()
    optimizer.zero_grad()
    outputs = model(images)
    loss = criterion(outputs, labels)
    loss.backward()
    grads = [p.grad.numpy().copy() for p in model.parameters()]
    optimizer.step()
    for p, old, g in zip(model.parameters(), before, grads):  # first step: the buffer is the gradient itself
        np.testing.assert_allclose(p.detach().numpy(), old - 0.05 * g, rtol=1e-6, atol=1e-7)

    first = loss.item()
    for _ in range(15):
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(f"loss {first:.3f} -> {loss.item():.3f}")
    assert loss.item() < 0.85 * first
