"""A wall-clock limit for emulator runs that costs microseconds, not a thread per call.

Unicorn's own `timeout` starts a timer thread on every `emu_start` (about
130 µs, ten times a short call).  One long-lived thread per process instead
waits for the current deadline and calls `emu_stop` when it passes.
"""
from __future__ import annotations

import threading
import time
import weakref
from typing import Callable, Optional


class Watchdog:
    """Stops the emulator when an armed deadline passes; `fired` tells afterwards."""

    def __init__(self, stop: Callable[[], None]):
        self._cv = threading.Condition()
        self._deadline: Optional[float] = None
        self._closed = False
        self._wake_at = 0.0                # when the thread next looks at the deadline
        self.fired = False
        self._stop = stop
        thread = threading.Thread(target=_run, args=(weakref.ref(self), self._cv), daemon=True,
                                  name="rig-watchdog")
        thread.start()

    def arm(self, seconds: float) -> None:
        """Start the clock for one run (0 or less: no limit)."""
        with self._cv:
            self.fired = False
            self._deadline = time.monotonic() + seconds if seconds > 0 else None
            if self._deadline is not None and self._deadline < self._wake_at:
                self._cv.notify()          # only when the thread would look too late: a wake-up is costly

    def disarm(self) -> None:
        """The run is over; a deadline passing now must not stop anything."""
        with self._cv:
            self._deadline = None          # the thread wakes at the old deadline and sees none

    def close(self) -> None:
        """End the thread."""
        with self._cv:
            self._closed = True
            self._cv.notify()

    def _step(self) -> Optional[float]:
        """Called with the lock held: fire if due; how long to wait next (None: until notified)."""
        if self._deadline is None:
            return None
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            self._deadline = None
            self.fired = True
            self._stop()
            return None
        return remaining


def _run(ref, cv: threading.Condition) -> None:
    # Holds the Watchdog only weakly between waits, so a dropped process ends the thread.
    while True:
        with cv:
            dog = ref()
            if dog is None or dog._closed:
                return
            wait = dog._step()
            wait = min(wait, 1.0) if wait is not None else 1.0
            dog._wake_at = time.monotonic() + wait
            del dog
            cv.wait(wait)
