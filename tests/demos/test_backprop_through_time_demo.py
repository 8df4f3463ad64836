"""python -m demos.backprop_through_time: an RNN unrolled and drawn, and its gradient fading back through time."""
import numpy as np
from fast_demo import assert_png, run_fast

from autograd import draw_graph
from demos import backprop_through_time


def test_gradients_fade_back_through_time_and_less_with_a_remembering_lstm(tmp_path, capsys):
    folder, results, printed = run_fast(backprop_through_time, tmp_path, capsys)
    assert results["clusters"] == backprop_through_time.UNROLLED_STEPS  # one cluster per time step
    norms = results["input_gradient_norms"]
    assert len(norms) == 4 and norms[0] < norms[-1]
    # over 40 steps the RNN's gradient shrinks by orders of magnitude at every ten steps; the LSTM with its
    # forget gate near 1 keeps most of it
    assert results["rnn"]["first_over_last"] < 1e-6
    assert results["lstm"]["first_over_last"] < 1e-4
    assert results["lstm_forget_bias"]["first_over_last"] > 1e-2
    assert results["rnn"]["per_step"] < results["lstm_forget_bias"]["per_step"] < 1
    assert np.isfinite([r["per_step"] for k, r in results.items() if isinstance(r, dict)]).all()
    assert "per step back in time" in printed
    assert_png(folder / "unrolled_rnn.png")
    assert_png(folder / "gradient_through_time.png")


def test_the_unrolled_graph_has_one_cluster_per_time_step_holding_its_ops():
    graph = backprop_through_time.unrolled_graph()
    graph.pop("inputs")
    source = draw_graph(**graph).source
    for t in range(1, 5):
        cluster = source.split(f"time step {t}")[1].split("}")[0]  # the subgraph of the cluster
        assert cluster.count("linear") == 1 and cluster.count("rnntanh_step") == 1, cluster
