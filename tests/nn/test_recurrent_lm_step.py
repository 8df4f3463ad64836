"""The LSTM language-model step of the benchmark: the library's modules and the numpy written by hand there
(forward, backpropagation through time, SGD) make the same update, so that the benchmark compares like with like."""
import numpy as np

import autograd as ag
from demos.benchmark import lstm


def test_the_library_and_numpy_by_hand_make_the_same_training_step():
    weights = lstm.initial_weights()
    model = lstm.LanguageModel()
    model.load_state_dict({name: ag.tensor(array) for name, array in weights.items()})
    before = {name: array.copy() for name, array in weights.items()}
    lstm.library_step(model)()
    lstm.numpy_step(weights)()
    for name, param in model.state_dict().items():
        change_by_hand = weights[name] - before[name]
        assert np.abs(change_by_hand).max() > 0, name
        np.testing.assert_allclose(param.numpy() - before[name], change_by_hand, rtol=2e-3, atol=1e-6, err_msg=name)
