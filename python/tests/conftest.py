"""Shared fixtures of the Python tests: the CLI binary of the same build (to compare against) and
small sizes. The tests import the ``fieldlab`` on sys.path: the build tree's (PYTHONPATH=build/python,
what ctest sets) or an installed one."""

from __future__ import annotations

import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def cli() -> pathlib.Path:
    """The `fieldlab` executable of the same build (FIELDLAB_CLI, else build/apps/fieldlab)."""
    path = pathlib.Path(os.environ.get("FIELDLAB_CLI", REPO / "build" / "apps" / "fieldlab"))
    if not path.is_file():
        pytest.fail(f"no fieldlab CLI at {path}: build it or set FIELDLAB_CLI")
    return path


@pytest.fixture(scope="session")
def run_cli(cli):
    """run_cli(*args) -> CompletedProcess (text, captured), asserting exit code 0 unless check=False."""

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run([str(cli), *map(str, args)], capture_output=True, text=True)
        if check and done.returncode != 0:
            raise AssertionError(f"fieldlab {' '.join(map(str, args))} failed: {done.stderr}")
        return done

    return run
