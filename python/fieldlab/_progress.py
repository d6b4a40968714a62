"""Progress reporting for long calls: what the ``progress=`` argument of every long call accepts.

* ``None`` or ``False``: nothing is shown (the default).
* ``True``: a tqdm bar (``pip install tqdm``).
* a tqdm bar you made: its total is set and it is advanced.
* any callable ``f(done, total, label, note)``: called from the calling thread after each unit.

The compiled core calls the reporter returned by :func:`reporter` as
``reporter(event, label, value, note)`` with event ``"start"`` (value = total), ``"advance"``
(value = units done since the last call) or ``"finish"``; the calls come on the thread that made
the long call, between units, never from a worker thread.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from ._optional import require


def reporter(progress: Any) -> Optional[Callable[[str, str, int, str], None]]:
    """The reporter for a ``progress=`` argument (``None`` when nothing is to be shown)."""
    if progress is None or progress is False:
        return None
    if progress is True:
        tqdm = require("tqdm", "tqdm", "progress=True").tqdm
        return _TqdmReporter(lambda label, total: tqdm(total=total, desc=label), owns=True)
    if hasattr(progress, "update") and hasattr(progress, "total"):
        return _TqdmReporter(lambda label, total: progress, owns=False)
    if callable(progress):
        return _CallbackReporter(progress)
    raise TypeError(
        "progress: expected None, True, a tqdm bar or a callable f(done, total, label, note); "
        f"got {type(progress).__name__}"
    )


class _CallbackReporter:
    def __init__(self, callback: Callable[[int, int, str, str], Any]) -> None:
        self._callback = callback
        self._label = ""
        self._total = 0
        self._done = 0

    def __call__(self, event: str, label: str, value: int, note: str) -> None:
        if event == "start":
            self._label, self._total, self._done = label, value, 0
            self._callback(0, self._total, self._label, "")
        elif event == "advance":
            self._done += value
            self._callback(self._done, self._total, self._label, note)


class _TqdmReporter:
    def __init__(self, make: Callable[[str, int], Any], owns: bool) -> None:
        self._make = make
        self._owns = owns
        self._bar: Any = None

    def __call__(self, event: str, label: str, value: int, note: str) -> None:
        if event == "start":
            self._bar = self._make(label, value)
            if not self._owns:
                self._bar.reset(total=value)
                self._bar.set_description(label)
        elif event == "advance" and self._bar is not None:
            self._bar.update(value)
            if note:
                self._bar.set_postfix_str(note, refresh=False)
        elif event == "finish" and self._bar is not None:
            if self._owns:
                self._bar.close()
            else:
                self._bar.refresh()
            self._bar = None
