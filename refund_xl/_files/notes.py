"""One line to the person at the command line: something was done for them that they should know
(a stale lock taken over, a sheet name made legal, far stray cells skipped).  Standard error, so
a command's output stays clean."""

from __future__ import annotations

import sys
import time

__all__ = ["note", "Progress"]


def note(text: str) -> None:
    print(f"refund-xl: {text}", file=sys.stderr, flush=True)


class Progress:
    """One stderr line per step of a long command, with the seconds since it started (silent when off)."""

    def __init__(self, on: bool):
        self.on = on
        self.t0 = time.perf_counter()

    def __call__(self, text: str) -> None:
        if self.on:
            print(f"[{time.perf_counter() - self.t0:5.1f}s] {text}", file=sys.stderr, flush=True)
