"""Parses a `fieldlab <command> --help` into {keyword: default string} (CLI11's option lines look
like `  --viscosity FLOAT:a number ≥ 0=0.001`; flags have no default)."""

from __future__ import annotations

import re
from typing import Any, Optional

_OPTION = re.compile(r"^\s+(?:-\w,)?--([\w-]+)(.*)$")


def cli_defaults(help_text: str) -> dict[str, Optional[str]]:
    """{python keyword: the default text after the last '=' of its type column, or None}."""
    out: dict[str, Optional[str]] = {}
    for line in help_text.splitlines():
        m = _OPTION.match(line)
        if not m:
            continue
        spec = re.split(r"\s{2,}", m.group(2).strip())[0] if m.group(2).strip() else ""
        default = None
        if "=" in spec:
            default = spec.rsplit("=", 1)[1].removesuffix(" ...").strip()
        out[m.group(1).replace("-", "_")] = default
    return out


def same_default(python_value: Any, cli_text: Optional[str]) -> bool:
    """True when a Python default prints as the CLI's default text."""
    if cli_text is None:
        return python_value in (None, False, [], "")
    if isinstance(python_value, bool):
        return str(python_value).lower() == cli_text.lower()
    if isinstance(python_value, (list, tuple)):
        return "[" + ",".join(str(v) for v in python_value) + "]" == cli_text
    if isinstance(python_value, float):
        return float(cli_text) == python_value
    return str(python_value) == cli_text
