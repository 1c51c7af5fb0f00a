"""Extracts the Python examples of the READMEs (repository root's "## Python" section and the
package README) so that the suite runs them and mypy --strict checks them.

    python tests/readme_examples.py --write OUT.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE_README = HERE.parent / "README.md"
ROOT_README = HERE.parent.parent / "README.md"

FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def _python_section(text: str) -> str:
    """The part of the root README under its "## Python" heading."""
    m = re.search(r"^## Python\b.*?$(.*?)(?=^## |\Z)", text, re.S | re.M)
    return m.group(1) if m else ""


def blocks() -> list[tuple[str, str]]:
    """(label, code) of every runnable example, in order."""
    out: list[tuple[str, str]] = []
    sources = []
    if ROOT_README.exists():
        sources.append(("README.md#python", _python_section(ROOT_README.read_text())))
    if PACKAGE_README.exists():
        sources.append(("bindings-python/README.md", PACKAGE_README.read_text()))
    for label, text in sources:
        for i, m in enumerate(FENCE.finditer(text)):
            out.append((f"{label}[{i}]", m.group(1)))
    return out


def as_module() -> str:
    """All examples as one module of functions (for mypy)."""
    parts = ["# Generated from the READMEs by tests/readme_examples.py; do not edit.\n"]
    for i, (label, code) in enumerate(blocks()):
        body = "".join("    " + line if line.strip() else line for line in code.splitlines(True))
        parts.append(f"\n\ndef example_{i}() -> None:  # {label}\n{body}")
    return "".join(parts)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        Path(sys.argv[2]).write_text(as_module())
    else:
        print(as_module())
