"""`hardship assess FILE...`: assess household files from the command line.

Results go to stdout, one block (or one JSON line with `--json`) per file
that was assessed, in the order given. Invalid files go to stderr with each
field path, and make the exit status 1. Today's date, against which a future
assessment date is rejected, is the system clock's date in Asia/Shanghai.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from sqlalchemy import make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from api.errors import ErrorDetail, Unprocessable
from core.clock import SHANGHAI
from core.db import create_db_engine
from core.settings import Settings
from eligibility import AssessmentResult, Standards
from eligibility.engine import VERDICT_LABELS
from models.schemas.assessments import outcome_body
from services.assessments import assess_file
from services.standards import standards_in_force


class FileUnusable(Exception):
    """A file that cannot be assessed: unreadable, not a JSON object, or its
    region's standards cannot be read from the database."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.details: list[ErrorDetail] = []


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="household file in JSON, as POST /api/v1/assessments accepts it",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help=(
            "print each result as the API returns it, without id and "
            "created_at, as one JSON object per line"
        ),
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    today = datetime.now(SHANGHAI).date()
    lookup = DatabaseLookup(settings)
    failed = False
    try:
        for path in args.files:
            try:
                result = _assess_path(path, today, lookup)
            except (Unprocessable, FileUnusable) as exc:
                failed = True
                _print_error(path, exc, sys.stderr)
                continue
            if args.json:
                body = outcome_body(result.model_dump(mode="json"))
                _write(sys.stdout, [json.dumps(body, ensure_ascii=False)])
            else:
                _print_result(path, result, sys.stdout)
    finally:
        lookup.close()
    return 1 if failed else 0


def _assess_path(path: Path, today: date, lookup: DatabaseLookup) -> AssessmentResult:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FileUnusable(f"cannot read the file: {exc.strerror}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FileUnusable(f"the file is not valid UTF-8 JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise FileUnusable(
            f"the file contains a JSON {type(data).__name__}, but a household "
            "file must be a JSON object"
        )
    _, result = assess_file(data, today=today, lookup=lookup)
    return result


class DatabaseLookup:
    """Standards lookup in the settings' database, connected on first use.

    Files that give their standards' figures never touch the database, so
    they are assessed without one.
    """

    def __init__(self, settings: Settings) -> None:
        self._url = settings.effective_database_url
        self._engine: Engine | None = None
        self._session: Session | None = None

    def __call__(self, region: str, on: date) -> Standards | None:
        if self._session is None:
            self._engine = create_db_engine(self._url)
            self._session = Session(self._engine)
        shown_url = make_url(self._url).render_as_string(hide_password=True)
        try:
            return standards_in_force(self._session, region, on)
        except OperationalError as exc:
            self._session.rollback()
            raise FileUnusable(
                f"the file names region {region!r} without its standards' "
                f"figures, so they are read from the database at {shown_url}, "
                f"which is unreachable: {_first_line(exc.orig)}. Start "
                "PostgreSQL, set HARDSHIP_DATABASE_URL, or give the figures in "
                "the file"
            ) from exc
        except ProgrammingError as exc:
            self._session.rollback()
            raise FileUnusable(
                f"the database at {shown_url} has no standards table: "
                f"{_first_line(exc.orig)}. Run `hardship migrate` first"
            ) from exc

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
        if self._engine is not None:
            self._engine.dispose()


def _first_line(error: BaseException | None) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _write(out: TextIO, lines: list[str]) -> None:
    # Flushed per file, so output interleaves with stderr in file order.
    out.write("".join(line + "\n" for line in lines))
    out.flush()


def _print_error(path: Path, exc: Unprocessable | FileUnusable, out: TextIO) -> None:
    lines = [f"{path}: invalid: {exc.message}"]
    for detail in exc.details:
        where = ".".join(str(part) for part in detail.loc) or "(file)"
        lines.append(f"{path}: {where}: {detail.message}")
    _write(out, lines)


def _print_result(path: Path, result: AssessmentResult, out: TextIO) -> None:
    categories = "、".join(str(number) for number in result.categories) or "无 none"
    lines = [
        f"{path}: {VERDICT_LABELS[result.verdict]} ({result.verdict})",
        f"  类别 categories: {categories}",
        f"  人均月收入 per-capita monthly income: "
        f"{result.per_capita_monthly_income} 元",
    ]
    lines += [f"  {item.text}" for item in result.explanations]
    for warning in result.warnings:
        where = ".".join(str(part) for part in warning.loc)
        lines.append(f"  警告 warning: {where}: {warning.message}")
    _write(out, lines)
