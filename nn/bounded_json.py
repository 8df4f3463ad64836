"""JSON text parsed only when its nesting is bounded (json recurses once per level), with no key given twice."""
from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_OPENING = np.frombuffer(b"[{", np.uint8)
_CLOSING = np.frombuffer(b"]}", np.uint8)


def nesting_depth(text: str) -> int:
    """The deepest nesting of [ and { in JSON text (brackets inside strings do not count)."""
    skeleton = np.frombuffer(_STRING.sub("", text).encode(), np.uint8)
    steps = np.isin(skeleton, _OPENING).astype(np.int64) - np.isin(skeleton, _CLOSING)
    return int(np.cumsum(steps).max(initial=0))


def _object_without_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        repeated = next(key for i, (key, _) in enumerate(pairs) if key in dict(pairs[:i]))
        raise ValueError(f"the key {repeated!r} appears twice in one object")
    return result


def loads(text: str, max_depth: int) -> Any:
    """json.loads(text), refusing (ValueError, before parsing) text nested more than max_depth levels deep."""
    depth = nesting_depth(text)
    if depth > max_depth:
        raise ValueError(f"it is nested {depth} levels deep, more than the {max_depth} allowed")
    return json.loads(text, object_pairs_hook=_object_without_repeated_keys)
