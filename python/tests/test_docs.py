"""Every ```python block of docs/python.md, and of README.md's "## Python" section, runs as it
stands: one test per block (its id the block's heading), in a fresh namespace holding
``fieldlab``, ``np`` and ``tmp`` (a pathlib.Path of an empty temporary directory), with the
current directory another empty temporary directory. A block that raises fails its test; the
traceback names the markdown file and line.

README's block writes train.h5, ckpt.h5 ... in the current directory and reads ``bell.qasm``,
which is written there first. It trains sinenet2 for 2 epochs on 8 trajectories, the slowest
block by far, and is marked ``slow``: ``-m "not slow"`` runs the others only."""

from __future__ import annotations

import pathlib
import re
from dataclasses import dataclass
from typing import List

import pytest

import fieldlab

REPO = pathlib.Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "python.md"
README = REPO / "README.md"

BELL_QASM = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
h q[0];
cx q[0], q[1];
"""


@dataclass
class Block:
    """One ```python block: where it is, the heading above it and its source."""

    path: pathlib.Path
    line: int  # 1-based line of the block's first source line
    heading: str
    source: str

    @property
    def id(self) -> str:
        return f"{self.path.name}:{self.heading}"


def _slug(heading: str) -> str:
    words = re.sub(r"[^0-9A-Za-z]+", " ", heading).split()
    return "-".join(w.lower() for w in words) or "top"


def python_blocks(path: pathlib.Path, section: str | None = None) -> List[Block]:
    """The ```python blocks of ``path`` (only those under the level-2 heading ``section``, up to
    the next level-2 heading, when given), each with the slug of the nearest heading above it;
    a second block under the same heading gets a "-2" suffix, and so on."""
    blocks: List[Block] = []
    heading, inside = "top", section is None
    fence: str | None = None  # the open block's language ("" for none), None outside blocks
    start, lines = 0, []
    seen: dict[str, int] = {}
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fence is not None:
            if text.strip() != "```":
                lines.append(text)
                continue
            if fence == "python" and inside:
                slug = _slug(heading)
                seen[slug] = seen.get(slug, 0) + 1
                name = slug if seen[slug] == 1 else f"{slug}-{seen[slug]}"
                blocks.append(Block(path, start, name, "\n".join(lines) + "\n"))
            fence = None
        elif text.startswith("```"):
            fence, start, lines = text[3:].strip(), number + 1, []
        else:
            match = re.match(r"^(#{1,6})\s+(.*)$", text)
            if match:
                heading = match.group(2).strip()
                if section is not None and len(match.group(1)) == 2:
                    inside = heading == section
    return blocks


def _all_blocks() -> List[Block]:
    return python_blocks(DOCS) + python_blocks(README, "Python")


BLOCKS = _all_blocks()


def test_the_docs_have_their_examples() -> None:
    """Every area of docs/python.md has an example and README's Python section has one: a
    parser that found nothing would otherwise pass every test."""
    ids = [b.id for b in BLOCKS]
    assert len(ids) == len(set(ids)), ids
    for area in ("solvers", "data", "models", "plots", "quantum"):
        assert any(b.path == DOCS and b.heading.startswith(area) for b in BLOCKS), (area, ids)
    assert any(b.path == README for b in BLOCKS), ids


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrises test_block_runs with every block; README's (a 2-epoch training run, the
    slowest) is marked ``slow`` (``-m "not slow"`` leaves it out; it runs by default; the marker is
    registered in pyproject.toml)."""
    if "block" not in metafunc.fixturenames:
        return
    metafunc.parametrize(
        "block",
        [pytest.param(b, id=b.id, marks=[pytest.mark.slow] if b.path == README else [])
         for b in BLOCKS],
    )


def test_block_runs(block: Block, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tmp = tmp_path / "tmp"
    cwd = tmp_path / "cwd"
    tmp.mkdir()
    cwd.mkdir()
    if block.path == README:
        (cwd / "bell.qasm").write_text(BELL_QASM, encoding="ascii")
    monkeypatch.chdir(cwd)
    threads = fieldlab.get_num_threads()
    namespace: dict = {"__name__": "__docs__", "tmp": tmp}
    exec("import fieldlab, numpy as np", namespace)
    # Padding the source keeps the markdown's line numbers in tracebacks.
    code = compile("\n" * (block.line - 1) + block.source, str(block.path), "exec")
    try:
        exec(code, namespace)
    finally:
        fieldlab.set_num_threads(threads)
