"""Rewrite the EXPECTED block of tests/test_zh.py from the current output (review the diff!).

    .venv/bin/python tests/regen_zh_expected.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import test_zh as t  # noqa: E402

lines = ["EXPECTED = {"]
for mode in ("plain", "rich"):
    for args in t.CASES:
        code, out = t.run(list(args), mode)
        lines.append(f"    ({mode!r}, {args!r}): ({code}, '''\\")
        lines.extend(out.replace("\\", "\\\\").splitlines())
        lines.append("'''),")
lines.append("}")
block = "\n".join(lines) + "\n"
path = HERE / "test_zh.py"
text = path.read_text(encoding="utf-8")
start, end = text.index("# --- EXPECTED (generated) ---\n"), text.index("# --- end EXPECTED ---\n")
path.write_text(text[:start] + "# --- EXPECTED (generated) ---\n" + block + text[end:], encoding="utf-8")
print(f"rewrote {len(lines) - 2} lines of EXPECTED in {path}")
