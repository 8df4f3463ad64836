"""A short tour: backpropagation drawn as a graph, then an MLP learning two moons.

Runs demos.backprop (computation graphs with every value and gradient, and the gradients' flow through
deep networks) and demos.moons (micrograd's demo), each into its own folder, puts the two main pictures
side by side in tour.png, and lists every picture written.
"""
from __future__ import annotations

from pathlib import Path

from demos import backprop, moons
from demos.common import demo_main
from demos.plotting import plt, save

STOPS = (
    ("backprop", backprop, "backpropagation, drawn: values forward, gradients backward", "backprop_graph.png"),
    ("moons", moons, "an MLP 2-16-16-1 learns two moons (micrograd's demo)", "moons.png"),
)


def run(folder: Path, fast: bool) -> dict:
    results = {}
    for name, demo, summary, _ in STOPS:
        print(f"--- {name}: {summary}")
        part = folder / name
        part.mkdir(exist_ok=True)
        results[name] = demo.run(part, fast)

    fig, axes = plt.subplots(2, 1, figsize=(11, 9.5), gridspec_kw={"height_ratios": [1, 1]})
    for ax, (name, _, summary, picture) in zip(axes, STOPS):
        ax.imshow(plt.imread(folder / name / picture))
        ax.set_title(f"python -m demos.{name}: {summary}", fontsize=11)
        ax.axis("off")
    save(fig, folder / "tour.png")
    print("pictures:")
    for picture in sorted(folder.rglob("*.png")):
        print(f"  {picture.resolve()}")
    return results


if __name__ == "__main__":
    demo_main("tour", run)
