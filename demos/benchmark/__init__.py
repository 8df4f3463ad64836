"""Speed of the library against hand-written numpy doing the same computation (and against PyTorch's CPU when
`torch` happens to be installed; it is never a dependency).

Each workload is a function `report(full)` of a module of this package (per_op.py has two) that prints its rows
and returns its figures; `__main__` runs them in order:

    python -m demos.benchmark                 # every workload
    python -m demos.benchmark --only mlp      # one of them (see --help for the names)
    python -m demos.benchmark --full          # backward scaling up to 10^6 ops
"""
