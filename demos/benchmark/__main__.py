"""python -m demos.benchmark: run the workloads of this package in order (see its docstring)."""
from __future__ import annotations

import argparse
from collections.abc import Callable

from demos.benchmark import conv, lstm, mlp, per_op, transformer

# name -> report(full) of each workload, in the order they print
WORKLOADS: dict[str, Callable[[bool], dict]] = {
    "per_op": per_op.report_per_op,
    "mlp": mlp.report,
    "scaling": per_op.report_scaling,
    "conv": conv.report,
    "lstm": lstm.report,
    "transformer": transformer.report,
}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m demos.benchmark")
    parser.add_argument("--full", action="store_true", help="also time backward through 10^6 ops")
    parser.add_argument("--only", choices=list(WORKLOADS), action="append", help="run only these workloads")
    args = parser.parse_args(argv)
    figures: dict = {}
    for name, report in WORKLOADS.items():
        if args.only is None or name in args.only:
            figures.update(report(args.full))
    return figures


if __name__ == "__main__":
    main()
