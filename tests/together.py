"""Run the same thing on several threads released at one moment: races."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def all_at_once(count: int, act: Callable[[int], Any], timeout: float = 120.0) -> list[Any]:
    """act(0) ... act(count - 1), each on its own thread, all released
    together at a barrier. Returns what each returned, or the exception it
    raised (in its place), so a test can tell winners, losers and errors."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = act(i)
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
