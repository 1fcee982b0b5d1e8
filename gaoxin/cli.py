"""Command line: python -m gaoxin extract | check | build | report | bench (each with --help).

Heavy libraries are imported only inside the command that needs them, so ``--help`` and an
up-to-date ``report`` stay fast.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from pathlib import Path

PROG = "python -m gaoxin"
# gaoxin.config.ROOT_ENV, spelled here because --root must be set before gaoxin.config is imported.
ROOT_ENV = "GAOXIN_ROOT"


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return value


def _notebook_number(text: str) -> str:
    if not text.isdigit():
        raise argparse.ArgumentTypeError("--only takes a notebook number such as 01")
    return text


# The build's default cell time limit, gaoxin.report.build.DEFAULT_TIMEOUT (a test keeps the two
# equal), spelled here so that reading the command line never imports the build: an up-to-date
# `report` is over before the build would have finished importing.
DEFAULT_TIMEOUT = 300  # seconds per cell, and for each notebook's export (both editions)


def _add_build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--only", metavar="NN", type=_notebook_number, help="build only the notebook numbered NN"
    )
    parser.add_argument(
        "--jobs", type=_positive_int, default=None, help="parallel notebooks (default: cores)"
    )
    parser.add_argument(
        "--timeout",
        type=_positive_int,
        default=DEFAULT_TIMEOUT,
        help=f"seconds a cell may run before the build stops (default: {DEFAULT_TIMEOUT})",
    )
    parser.add_argument("--notebooks", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--exports", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, default=None, help=argparse.SUPPRESS)


def _add_article_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--article", metavar="PATH", type=Path, help="any UTF-8 article of the genre to extract"
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        help="folder for its processed/*.csv and datapackage.json (required with --article)",
    )
    parser.add_argument(
        "--annotations",
        metavar="CSV",
        type=Path,
        help="curated names for its facts (context,quote,metric_en,domain); default: none",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="with --out: write into a folder that holds other files too",
    )


def _check_article_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if (
        args.command == "extract"
        and args.article is None
        and (args.out or args.annotations or args.force)
    ):
        parser.error("extract: --out, --annotations and --force go with --article PATH")
    if args.command == "extract" and args.article is not None and args.out is None:
        parser.error("extract: --article needs --out DIR")
    if args.command == "build" and args.article is not None and args.only is not None:
        parser.error("build: --only selects a notebook; it does not go with --article")


def make_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    loudness = common.add_mutually_exclusive_group()
    loudness.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="say which package, project and Python run, and show tracebacks",
    )
    loudness.add_argument(
        "--quiet",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print only warnings and errors (for CI logs)",
    )
    common.add_argument(
        "--root",
        metavar="DIR",
        type=Path,
        help=f"the project folder (default: ${ROOT_ENV}, else the nearest folder at or above "
        "the working directory with data/raw/source.json and notebooks/)",
    )
    parser = argparse.ArgumentParser(
        prog=PROG, description=__doc__.split("\n")[0], parents=[common]
    )
    parser.add_argument("--version", action="version", version=f"gaoxin {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    add = functools.partial(commands.add_parser, parents=[common])
    extract = add(
        "extract",
        help="extract the article into data/processed (writes only what changed)",
        description="Extract the article into data/processed/*.csv and data/datapackage.json; "
        "with --article, any article of the genre into --out.",
    )
    _add_article_options(extract)
    add(
        "check",
        help="provenance and coverage of the extracted data",
        description="Check provenance, coverage and freshness of the processed data.",
    )
    build = add(
        "build",
        help="execute the notebooks and export every report into exports/",
        description="Execute each notebook once (cached) and export reader HTML, walkthrough "
        "HTML, PDF, figures, data, the course kit and index.html into exports/.",
    )
    _add_build_options(build)
    build.add_argument(
        "--article",
        metavar="PATH",
        type=Path,
        help="build the standard article profile of any UTF-8 article of the genre into "
        "exports/<slug>/ instead of the notebooks (slug: the file name, safe characters only)",
    )
    report = add(
        "report",
        help="extract, check and build in one process (instant when nothing changed)",
        description="extract + check + build; exits at once when no input or output changed "
        "since the last complete run.",
    )
    _add_build_options(report)
    bench = add(
        "bench",
        help="benchmark the build against naive nbconvert runs",
        description="Benchmark the report build against naive per-format nbconvert runs, "
        "on copies in a temporary folder.",
    )
    bench.add_argument(
        "--jobs", type=_positive_int, default=None, help="parallel notebooks for the build"
    )
    bench.add_argument("--skip-naive", action="store_true", help="do not run the naive baseline")
    bench.add_argument("--notebooks", type=Path, default=None, help=argparse.SUPPRESS)
    bench.add_argument("--data", type=Path, default=None, help=argparse.SUPPRESS)
    return parser


# What `extract --article --out DIR` writes: DIR may hold these and nothing else without --force.
EXTRACT_OUTPUTS = ("datapackage.json", "processed")


def foreign_content(out: Path) -> str | None:
    """What is wrong with writing into out: it holds files extract did not write; or None."""
    out = Path(out)
    if not out.is_dir():
        return None
    foreign = sorted(p.name for p in out.iterdir() if p.name not in EXTRACT_OUTPUTS)
    processed = out / "processed"
    if processed.is_dir():
        foreign += sorted(
            f"processed/{p.name}" for p in processed.iterdir() if p.suffix != ".csv" or p.is_dir()
        )
    elif processed.exists():
        foreign.append("processed")
    if not foreign:
        return None
    more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
    return (
        f"{out}: holds files this command did not write ({foreign[0]}{more}); give an empty or "
        "new folder for --out, or add --force to write into it anyway"
    )


def _build_kwargs(args: argparse.Namespace) -> dict:
    kwargs = {
        "notebooks_dir": args.notebooks,
        "exports_dir": args.exports,
        "cache_dir": args.cache,
        "data_dir": args.data,
        "only": args.only,
        "jobs": args.jobs,
        "timeout": args.timeout,
    }
    if getattr(args, "quiet", False):
        kwargs["out"] = _QuietStream(sys.stdout)
    return kwargs


def _version() -> str:
    from gaoxin import __version__

    return __version__


# Libraries the report build imports, by the extra that installs them.
EXTRAS = {
    "notebooks": (
        "nbclient",
        "nbconvert",
        "nbformat",
        "ipykernel",
        "jupyter_client",
        "fontTools",
        "rich",
    ),
    "pdf": ("weasyprint",),
}


def missing_extras(command: str) -> str | None:
    """One line naming the extras to install when a command needs libraries that are missing."""
    import importlib.util

    if command not in ("build", "report", "bench"):
        return None
    missing = {
        extra: [name for name in names if importlib.util.find_spec(name) is None]
        for extra, names in EXTRAS.items()
    }
    extras = [extra for extra, names in missing.items() if names]
    if not extras:
        return None
    names = ", ".join(name for extra in extras for name in missing[extra])
    return (
        f"{PROG} {command}: needs the {' and '.join(extras)} extra{'s' * (len(extras) > 1)} "
        f"(missing: {names}): "
        f"pip install 'gaoxin[{','.join(extras)}]', or `make env` in a checkout"
    )


class _QuietStream:
    """--quiet: pass on only lines that report a problem (ERROR, warning, failed)."""

    KEEP = ("error", "warning", "failed", "executed notebook kept")

    def __init__(self, stream):
        self.stream = stream
        self.pending = ""

    def write(self, text: str) -> int:
        self.pending += text
        *lines, self.pending = self.pending.split("\n")
        for line in lines:
            if any(word in line.lower() for word in self.KEEP):
                self.stream.write(line + "\n")
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def run(args: argparse.Namespace) -> int:
    if args.command == "extract" and args.article is not None:
        from gaoxin.facts.any_article import _refuse_project_data, extract_any

        # The project's own data folder is refused by extract_any, --force or not.
        own_data = _refuse_project_data(Path(args.out)) is not None
        problem = None if args.force or own_data else foreign_content(args.out)
        if problem:
            print(f"{PROG} extract: {problem}", file=sys.stderr)
            return 1
        return extract_any(args.article, args.out, args.annotations)
    if args.command == "build" and args.article is not None:
        from gaoxin.report.profile import build_profile

        return build_profile(
            args.article,
            exports_dir=args.exports,
            cache_dir=args.cache,
            timeout=args.timeout,
        )
    if args.command == "extract":
        from gaoxin import config
        from gaoxin.facts.pipeline import extract
        from gaoxin.report.build import check_source
        from gaoxin.report.lock import build_lock

        check_source()
        # data/processed is a build input: never rewritten while a build or report runs.
        with build_lock(config.PROJECT_ROOT / ".cache"):
            extract()
        return 0
    if args.command == "check":
        from gaoxin.check import main as check_main

        return check_main([])
    if args.command == "build":
        from gaoxin.report.build import build

        return 0 if build(**_build_kwargs(args)).ok else 1
    if args.command == "report":
        from gaoxin.report.uptodate import run_report

        return run_report(_build_kwargs(args))
    from gaoxin.report.bench import run as bench_run

    return bench_run(args)


def _apply_root(argv: list[str]) -> None:
    """Export --root as $GAOXIN_ROOT before anything imports gaoxin.config (which reads it)."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--root", type=Path)
    known, _ = early.parse_known_args(argv)
    if known.root is not None:
        os.environ[ROOT_ENV] = str(known.root)


def _safe_streams() -> None:
    """Never crash on a console that cannot show a character (e.g. ASCII): escape it."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    _safe_streams()
    argv = sys.argv[1:] if argv is None else argv
    _apply_root(argv)
    parser = make_parser()
    args = parser.parse_args(argv)
    _check_article_options(parser, args)
    from gaoxin import config
    from gaoxin.report.errors import BuildError

    where = f"{PROG} {args.command}"
    needs = missing_extras(args.command)
    if needs:
        print(needs, file=sys.stderr)
        return 2
    # Extracting any article (--article, --out) needs nothing from a project.
    standalone = args.command == "extract" and args.article is not None
    if not config.PROJECT_FOUND and not standalone:
        print(config.not_found_message(), file=sys.stderr)
        return 2
    if getattr(args, "verbose", False):
        import gaoxin

        args.debug = True
        project = config.PROJECT_ROOT if config.PROJECT_FOUND else "none"
        print(
            f"{where}: gaoxin {_version()} from {Path(gaoxin.__file__).parent}; project "
            f"{project}; Python {sys.version.split()[0]} at {sys.executable}",
            file=sys.stderr,
        )
    try:
        if getattr(args, "quiet", False):
            import contextlib

            with contextlib.redirect_stdout(_QuietStream(sys.stdout)):
                return run(args)
        return run(args)
    except KeyboardInterrupt:
        print(f"{where}: interrupted", file=sys.stderr)
        return 130
    except (BuildError, OSError, ValueError) as exc:
        # BuildError and gaoxin.data.DataError (a ValueError) say what, where and what to do.
        if args.debug:
            raise
        print(f"{where}: error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:
        # A stopped build (gaoxin.report.pool.BuildInterrupted). The pool is looked up, not
        # imported: it imports pandas, which an up-to-date `report` never needs, and only the
        # pool raises it, so it is loaded whenever this exception exists.
        pool = sys.modules.get("gaoxin.report.pool")
        if pool is not None and isinstance(exc, pool.BuildInterrupted):
            print(f"{where}: {exc}", file=sys.stderr)
            return exc.exit_code
        if args.debug:
            raise
        print(
            f"{where}: unexpected error: {type(exc).__name__}: {_one_line(exc)} "
            "(run again with --debug for the traceback)",
            file=sys.stderr,
        )
        return 1


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if isinstance(exc, OSError) and exc.filename and str(exc.filename) not in text:
        text += f" ({exc.filename})"
    return text


if __name__ == "__main__":
    sys.exit(main())
