"""python -m demos.tiny_gpt: a small causal Transformer learns the census first names; and the benchmark's
Transformer step written by hand in numpy computes the library's gradients."""
import math
import string

import numpy as np
from fast_demo import assert_png, run_fast

import autograd as ag
import nn
from demos import tiny_gpt
from demos.benchmark import transformer


def test_tiny_gpt_learns_names_and_draws_its_attention(tmp_path, capsys):
    folder, results, printed = run_fast(tiny_gpt, tmp_path, capsys)
    assert results["alphabet"] == "." + string.ascii_lowercase
    assert len(results["names"]) > 5000 and "mary" in results["names"]
    # from about log 27 (no knowledge) to well below it, on names it never saw
    assert results["val_loss"] < results["first_val_loss"] and results["val_loss"] < math.log(27) - 0.5
    assert len(results["samples"]) == 12 and all(set(s) <= set(string.ascii_lowercase) for s in results["samples"])
    assert "tokens per second" in printed and results["tokens_per_second"] > 0 and "new names:" in printed
    for maps in results["attention"]:  # causal: nothing above the diagonal, each row a distribution
        assert maps.shape == (4, 32, 32)
        assert np.all(np.triu(maps, 1) == 0)
        np.testing.assert_allclose(maps.sum(-1), 1, rtol=1e-5)
    assert_png(folder / "tiny_gpt_attention.png")
    assert_png(folder / "tiny_gpt_loss.png")


def test_the_benchmarks_numpy_step_computes_the_librarys_gradients():
    model = transformer.library_model()
    x, y = transformer.batch()
    loss = nn.functional.cross_entropy(model(ag.tensor(x)).reshape(-1, transformer.VOCAB), ag.tensor(y.reshape(-1)))
    loss.backward()
    by_hand = transformer.numpy_gradients(transformer.initial_weights(), x, y)
    assert set(by_hand) == {name for name, _ in model.named_parameters()}
    for name, p in model.named_parameters():
        scale = np.abs(by_hand[name]).max()
        np.testing.assert_allclose(p.grad.numpy(), by_hand[name], atol=1e-4 * scale, err_msg=name)
