"""The `hardship` command line: migrations, the embedded stack, worker and API."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NoReturn

from pydantic import ValidationError

from core.logging import configure_logging, get_logger
from core.settings import Settings, get_settings
from services import assess_cli

log = get_logger(__name__)


@dataclass(frozen=True)
class Command:
    """One subcommand: its help line, its arguments and the function it runs."""

    help: str
    handler: Callable[[argparse.Namespace, Settings], int]
    add_arguments: Callable[[argparse.ArgumentParser], None] = field(
        default=lambda parser: None
    )
    # The temporalio SDK can crash while the interpreter shuts down after a
    # client was used, which turns a finished command into a non-zero exit.
    # Such commands leave through exit_process() once their work is done.
    uses_temporal_client: bool = True


def exit_process(code: int) -> NoReturn:
    """Flush logs and stdio, then end the process without interpreter teardown."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def migrate(args: argparse.Namespace, settings: Settings) -> int:
    from core.db import ensure_database
    from core.migrate import upgrade

    url = settings.effective_database_url
    ensure_database(url)
    upgrade(url)
    log.info("migrations_applied", environment=settings.environment)
    return 0


def seed_demo(args: argparse.Namespace, settings: Settings) -> int:
    from core.db import create_db_engine, create_session_factory, transaction
    from services.demo_seed import seed_demo as insert_demo_unions

    engine = create_db_engine(settings.effective_database_url)
    try:
        with transaction(create_session_factory(engine)) as session:
            summary = insert_demo_unions(session)
    finally:
        engine.dispose()
    log.info(
        "demo_seeded",
        unions_created=len(summary.created_union_ids),
        staff_created=len(summary.created_staff_ids),
    )
    return 0


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--simulated",
        action="store_true",
        help=(
            "run on Temporal's time-skipping test server with the simulated "
            "database, which is emptied at start"
        ),
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from core.stack import run_stack

    if args.simulated:
        settings = Settings(environment="simulated")
    return run_stack(settings)


def worker(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_run_worker(settings))


async def _run_worker(settings: Settings) -> int:
    from core import temporal
    from core.worker import build_worker

    client = await temporal.connect(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)

    async with build_worker(client, settings):
        log.info(
            "worker_started",
            task_queue=settings.task_queue,
            temporal_address=settings.temporal_address,
            environment=settings.environment,
        )
        await stop.wait()
        log.info("worker_stopping")
    log.info("worker_stopped")
    return 0


def api(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=settings.api_host,
        port=settings.api_port,
        # None keeps the JSON logging that configure_logging set up.
        log_config=None,
        log_level=settings.log_level.lower(),
    )
    return 0


# Subcommand name → its Command. Feature commands (assess, simulate, import,
# export, create-admin, seed-demo) are added here next to their own modules.
COMMANDS: dict[str, Command] = {
    "migrate": Command(
        help="create the database if missing and apply every migration",
        handler=migrate,
        uses_temporal_client=False,
    ),
    "run": Command(
        help=(
            "run Temporal, the worker and the API in the foreground; "
            "Ctrl-C stops all three"
        ),
        handler=run,
        add_arguments=add_run_arguments,
    ),
    "seed-demo": Command(
        help="insert the demo province's unions and staff (running it twice is safe)",
        handler=seed_demo,
        uses_temporal_client=False,
    ),
    "worker": Command(
        help="run the Temporal worker until SIGINT or SIGTERM",
        handler=worker,
    ),
    "api": Command(
        help="serve the HTTP API (host and port from HARDSHIP_API_HOST/_PORT)",
        handler=api,
    ),
    "assess": Command(
        help="assess household files and print each verdict with its reasons",
        handler=assess_cli.run,
        add_arguments=assess_cli.add_arguments,
        uses_temporal_client=False,
    ),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hardship",
        description=(
            "Case service for hardship-worker families (困难职工建档帮扶). "
            "Settings come from HARDSHIP_* environment variables."
        ),
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, command in COMMANDS.items():
        subparser = subparsers.add_parser(
            name, help=command.help, description=command.help
        )
        command.add_arguments(subparser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = COMMANDS[args.command]
    configure_logging()
    try:
        settings = get_settings()
    except ValidationError as exc:
        # Without the input values, which may contain a secret.
        errors = [
            f"{'.'.join(map(str, error['loc'])) or 'settings'}: {error['msg']}"
            for error in exc.errors(include_url=False, include_input=False)
        ]
        log.error("settings_invalid", command=args.command, errors=errors)
        return 2
    configure_logging(settings.log_level)

    try:
        code = command.handler(args, settings)
    except Exception:
        log.exception("command_failed", command=args.command)
        code = 1
    if command.uses_temporal_client:
        exit_process(code)
    return code
