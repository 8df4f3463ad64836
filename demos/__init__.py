"""Runnable lessons: `python -m demos.NAME` (add --fast for a quick run, --out DIR for where pictures go)."""
