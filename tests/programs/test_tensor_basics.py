"""Tensors as a beginner's tutorial meets them: making them, reading their attributes, indexing, joining,
arithmetic, in-place changes, the numpy bridge, reshaping, formatting and the device idiom.

Written as PyTorch code, with only the imports mapped (torch -> autograd); every expected value is computed
with numpy or by hand.
"""
import numpy as np

import autograd as torch


def test_creating_tensors_and_their_attributes():
    data = [[1, 2], [3, 4]]
    x_data = torch.tensor(data)
    assert x_data.shape == (2, 2) and x_data.dtype == torch.int64
    assert x_data.tolist() == data

    np_array = np.array(data, dtype=np.float64)
    x_np = torch.from_numpy(np_array)
    assert x_np.dtype == torch.float64
    np_array[0, 0] = 10.0  # from_numpy shares memory: the tensor sees the change ...
    assert x_np[0, 0].item() == 10.0
    x_np.add_(1)  # ... and the array sees the tensor's in-place change
    np.testing.assert_array_equal(np_array, [[11.0, 3.0], [4.0, 5.0]])

    x_ones = torch.ones_like(x_data)  # keeps the shape and dtype of x_data
    assert x_ones.dtype == torch.int64 and x_ones.tolist() == [[1, 1], [1, 1]]
    x_rand = torch.rand_like(x_data, dtype=torch.float)  # overrides the dtype
    assert x_rand.dtype == torch.float32 and x_rand.shape == (2, 2)

    shape = (2, 3,)
    rand_tensor = torch.rand(shape)
    ones_tensor = torch.ones(shape)
    zeros_tensor = torch.zeros(shape)
    assert rand_tensor.shape == ones_tensor.shape == zeros_tensor.shape == (2, 3)
    assert ones_tensor.sum().item() == 6 and zeros_tensor.abs().sum().item() == 0

    tensor = torch.rand(3, 4)
    print(f"Shape of tensor: {tensor.shape}")
    print(f"Datatype of tensor: {tensor.dtype}")
    print(f"Device tensor is stored on: {tensor.device}")
    assert tensor.shape == (3, 4) and tensor.size() == (3, 4) and tensor.size(1) == 4
    assert tensor.dtype == torch.float32 == torch.float
    assert str(tensor.device) == "cpu"

    device = "cuda" if torch.cuda.is_available() else "cpu"
    assert device == "cpu"
    moved = tensor.to(device)
    assert moved.device.type == "cpu"
    np.testing.assert_array_equal(moved.numpy(), tensor.numpy())

    assert ((x_rand >= 0) & (x_rand < 1)).all()  # a mask combined with &, as PyTorch code writes it


def test_indexing_joining_and_arithmetic():
    reference = np.arange(16, dtype=np.float32).reshape(4, 4)
    tensor = torch.tensor(reference)
    np.testing.assert_array_equal(tensor[0].numpy(), reference[0])  # first row
    np.testing.assert_array_equal(tensor[:, 0].numpy(), reference[:, 0])  # first column
    np.testing.assert_array_equal(tensor[..., -1].numpy(), reference[..., -1])  # last column
    np.testing.assert_array_equal(tensor[1:3, ::2].numpy(), reference[1:3, ::2])

    tensor = torch.ones(4, 4)
    tensor[:, 1] = 0
    expected = np.ones((4, 4), dtype=np.float32)
    expected[:, 1] = 0
    np.testing.assert_array_equal(tensor.numpy(), expected)

    t1 = torch.cat([tensor, tensor, tensor], dim=1)
    assert t1.shape == (4, 12)
    np.testing.assert_array_equal(t1.numpy(), np.concatenate([expected] * 3, axis=1))
    t2 = torch.stack([tensor, 2 * tensor], dim=0)
    assert t2.shape == (2, 4, 4)
    np.testing.assert_array_equal(t2[1].numpy(), 2 * expected)

    # three ways to the matrix product, and two to the elementwise one
    y1 = tensor @ tensor.T
    y2 = tensor.matmul(tensor.T)
    y3 = torch.rand_like(y1)
    torch.matmul(tensor, tensor.T, out=y3)
    y4 = torch.mm(tensor, tensor.t())
    for y in (y1, y2, y3, y4):
        np.testing.assert_array_equal(y.numpy(), expected @ expected.T)
    z1 = tensor * tensor
    z2 = tensor.mul(tensor)
    z3 = torch.rand_like(tensor)
    torch.mul(tensor, tensor, out=z3)
    for z in (z1, z2, z3):
        np.testing.assert_array_equal(z.numpy(), expected * expected)

    agg = tensor.sum()
    agg_item = agg.item()
    assert isinstance(agg_item, float) and agg_item == 12.0
    print(f"{agg_item:.3f}", f"{agg:.4f}")
    assert f"{agg.item():.3f}" == "12.000" and f"{agg:.4f}" == "12.0000"

    tensor.add_(5)  # in place: the same tensor, changed
    expected += 5
    np.testing.assert_array_equal(tensor.numpy(), expected)
    t = torch.tensor([1.0, 2.0, 3.0])
    same = t.mul_(2)
    assert same is t and t.tolist() == [2.0, 4.0, 6.0]


def test_numpy_bridge_view_and_reshape():
    t = torch.ones(5)
    n = t.numpy()
    t.add_(1)  # the array shares the tensor's memory
    np.testing.assert_array_equal(n, np.full(5, 2.0))

    n = np.ones(5)
    t = torch.from_numpy(n)
    np.add(n, 1, out=n)
    np.testing.assert_array_equal(t.numpy(), np.full(5, 2.0))

    x = torch.arange(12.)
    v = x.view(3, 4)
    r = x.reshape(2, -1)
    w = v.view(-1, 2)
    assert v.shape == (3, 4) and r.shape == (2, 6) and w.shape == (6, 2)
    np.testing.assert_array_equal(w.numpy(), np.arange(12.0).reshape(6, 2))
    v[0, 0] = 100.0  # a view shares the memory of x
    assert x[0].item() == 100.0
