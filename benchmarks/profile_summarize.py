"""Where summarize spends its time: cProfile of the whole job, in one process.

    python benchmarks/profile_summarize.py [INBOX] [--top 15]

Reading runs serially here (``--workers 1``) so that every function shows up
in one profile; the real command reads on every core.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
from pathlib import Path

from bench import DATA, generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inbox", nargs="?", type=Path)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    inbox = args.inbox or generate(DATA / "inbox-100x500", 100, 500)
    from qudao.cli import app

    import tempfile

    profile = cProfile.Profile()
    with tempfile.TemporaryDirectory(prefix="qudao-profile-") as tmp:  # never the machine's /dev/null
        profile.enable()
        try:
            app(["summarize", str(inbox), "--json", str(Path(tmp) / "s.json"), "-q", "--as-of", "2026-11-27",
                 "--workers", "1"], standalone_mode=False)
        finally:
            profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.top)
    text = out.getvalue()
    sys.stdout.write(text[text.index("ncalls") - 3:] if "ncalls" in text else text)


if __name__ == "__main__":
    main()
