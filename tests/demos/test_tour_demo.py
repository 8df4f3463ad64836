"""python -m demos.tour: the backprop graph and the moons demo, with their pictures listed."""
from fast_demo import assert_png, run_fast

from demos import tour


def test_tour_runs_both_stops_and_lists_the_pictures(tmp_path, capsys):
    folder, results, printed = run_fast(tour, tmp_path, capsys)
    assert results["moons"]["accuracy"] == 1.0
    assert results["backprop"]["f"] == -12.0
    assert_png(folder / "tour.png")
    for picture in ("backprop/backprop_graph.png", "moons/moons.png", "tour.png"):
        assert str((folder / picture).resolve()) in printed
