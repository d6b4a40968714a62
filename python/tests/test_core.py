"""The module's shared machinery: errors, threads, progress reporting, KeyboardInterrupt and the
released GIL (through the test hook _run_interruptible_sleep, which runs the same path as every
long call)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import threading

import pytest

import fieldlab
from fieldlab import _core
from fieldlab._progress import reporter


def test_errors_are_the_matching_builtin_exceptions():
    assert issubclass(fieldlab.UsageError, ValueError)
    assert issubclass(fieldlab.ConfigError, ValueError)
    assert issubclass(fieldlab.FileError, OSError)
    assert issubclass(fieldlab.NumericalError, FloatingPointError)
    assert issubclass(fieldlab.InternalError, RuntimeError)
    for cls in (fieldlab.UsageError, fieldlab.FileError, fieldlab.NumericalError):
        assert issubclass(cls, fieldlab.Error)


def test_thread_count_is_checked_and_kept():
    before = fieldlab.get_num_threads()
    with pytest.raises(fieldlab.UsageError, match="threads must be between"):
        fieldlab.set_num_threads(10**6)
    fieldlab.set_num_threads(1)
    assert fieldlab.get_num_threads() == 1
    fieldlab.set_num_threads(0)
    assert fieldlab.get_num_threads() == before


def test_progress_reaches_a_callable_from_the_calling_thread():
    calls = []
    caller = threading.get_ident()
    steps = _core._run_interruptible_sleep(
        0.2, reporter(lambda done, total, label, note: calls.append((done, total, label,
                                                                       threading.get_ident())))
    )
    assert steps == 20
    assert calls[0][:3] == (0, 20, "sleep")
    assert calls[-1][:2] == (20, 20)
    assert {c[3] for c in calls} == {caller}


def test_progress_drives_a_tqdm_bar():
    tqdm = pytest.importorskip("tqdm")
    bar = tqdm.tqdm(total=1, file=io.StringIO())
    _core._run_interruptible_sleep(0.1, reporter(bar))
    assert bar.n == 10 and bar.total == 10


def test_bad_progress_argument_is_a_type_error():
    with pytest.raises(TypeError, match="progress: expected"):
        reporter(42)


def test_a_raising_progress_callback_stops_the_call_and_propagates():
    def boom(done, total, label, note):
        if done >= 3:
            raise ZeroDivisionError("from the callback")

    with pytest.raises(ZeroDivisionError, match="from the callback"):
        _core._run_interruptible_sleep(5.0, reporter(boom))


def test_the_gil_is_released_during_a_long_call():
    counter = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            counter[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    _core._run_interruptible_sleep(0.3)
    seen = counter[0]
    stop.set()
    t.join()
    assert seen > 1000


def test_sigint_stops_a_long_call_with_keyboard_interrupt():
    script = textwrap.dedent(
        """
        import os, signal, threading, time
        from fieldlab import _core
        threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        t = time.monotonic()
        try:
            _core._run_interruptible_sleep(30.0)
        except KeyboardInterrupt:
            print(f"interrupted {time.monotonic() - t:.2f}")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=20, env=os.environ)
    assert done.returncode == 0, done.stderr
    seconds = float(done.stdout.split()[1])
    assert 0.25 < seconds < 5.0
