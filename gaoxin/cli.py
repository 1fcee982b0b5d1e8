"""Command line: python -m gaoxin extract | check | build | bench."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m gaoxin", description=__doc__)
    parser.add_argument("command", choices=["extract", "check", "build", "bench"])
    args, rest = parser.parse_known_args(argv)
    if args.command == "extract":
        from gaoxin.facts.pipeline import extract

        extract()
        return 0
    if args.command == "check":
        from gaoxin.facts.check import main as check_main

        return check_main(rest)
    if args.command == "build":
        from gaoxin.report.build import main as build_main

        return build_main(rest)
    from gaoxin.report.bench import main as bench_main

    return bench_main(rest)


if __name__ == "__main__":
    sys.exit(main())
