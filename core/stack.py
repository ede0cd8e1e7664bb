"""The embedded stack of `hardship run`: Temporal, the worker and the API.

One supervisor process starts Temporal (the dev server, or in simulated mode
the time-skipping test server), applies the migrations, then runs the worker
and the API as child processes. It stops them in reverse order on SIGINT or
SIGTERM, and stops everything when one of them dies.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import httpx
from sqlalchemy import make_url
from sqlalchemy.exc import OperationalError

from core import temporal
from core.binaries import temporal_cli, temporal_test_server
from core.clock import TestServerClock
from core.db import (
    create_db_engine,
    create_session_factory,
    ensure_database,
    transaction,
)
from core.logging import get_logger
from core.migrate import REPO_ROOT, upgrade
from core.settings import Settings
from services.demo_seed import seed_demo

log = get_logger(__name__)

TEMPORAL_START_TIMEOUT_SECONDS = 60.0
API_START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 20.0
POLL_SECONDS = 0.25
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class StackError(Exception):
    """A part of the stack failed to start or exited; the message names the part."""


class StopRequested(Exception):
    """A stop signal arrived while the stack was still starting."""


@dataclass
class Part:
    """One child process of the stack, in a process group of its own."""

    name: str
    process: subprocess.Popen[bytes]
    output: Path | None = None

    def stop(self) -> None:
        code = self.process.poll()
        if code is not None:
            log.info("part_already_exited", part=self.name, exit_code=code)
            return
        log.info("part_stopping", part=self.name, pid=self.process.pid)
        self._signal_group(signal.SIGINT)
        try:
            code = self.process.wait(STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            log.warning(
                "part_stop_timed_out",
                part=self.name,
                pid=self.process.pid,
                timeout_seconds=STOP_TIMEOUT_SECONDS,
            )
            self._signal_group(signal.SIGKILL)
            code = self.process.wait()
        log.info("part_stopped", part=self.name, exit_code=code)

    def _signal_group(self, signum: signal.Signals) -> None:
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass


class Stack:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.parts: list[Part] = []
        self._stop = threading.Event()
        self._stop_signal: str | None = None
        host, _, port = settings.temporal_address.rpartition(":")
        if host not in LOOPBACK_HOSTS or not port.isdigit():
            raise StackError(
                f"HARDSHIP_TEMPORAL_ADDRESS is {settings.temporal_address!r}, but "
                "`hardship run` starts its own Temporal server and needs "
                "127.0.0.1:PORT; use the worker and api commands to reach "
                "another server"
            )
        self.temporal_port = int(port)
        # One request log line per readiness poll would bury the stack's events.
        logging.getLogger("httpx").setLevel(logging.WARNING)

    def run(self) -> int:
        previous = {
            signum: signal.signal(signum, self._request_stop) for signum in STOP_SIGNALS
        }
        try:
            self._start()
            self._announce()
            return self._supervise()
        except StopRequested:
            log.info("stack_start_interrupted", signal=self._stop_signal)
            return 0
        except StackError as exc:
            log.error("stack_failed", error=str(exc))
            return 1
        finally:
            for part in reversed(self.parts):
                part.stop()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            log.info("stack_stopped")

    def _request_stop(self, signum: int, frame: FrameType | None) -> None:
        self._stop_signal = signal.Signals(signum).name
        self._stop.set()

    def _start(self) -> None:
        settings = self.settings
        data_dir = settings.data_dir.resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        log.info(
            "stack_starting",
            environment=settings.environment,
            data_dir=str(data_dir),
            temporal_address=settings.temporal_address,
        )

        # Another stack on the same ports would otherwise be taken for this
        # one's Temporal: this start would register and lock on its server.
        for name, port in (
            ("Temporal frontend", self.temporal_port),
            ("API", settings.api_port),
        ):
            if _port_in_use(port):
                raise StackError(
                    f"port {port} for the {name} is already in use on 127.0.0.1; "
                    "stop the other stack or choose other ports "
                    "(HARDSHIP_TEMPORAL_ADDRESS, HARDSHIP_API_PORT)"
                )

        if settings.simulated:
            command = [
                temporal_test_server(),
                str(self.temporal_port),
                "--enable-time-skipping",
            ]
        else:
            command = self._dev_server_command(data_dir)
        # The server's own text log goes to a file, so the terminal shows only
        # the service's JSON logs; a failed start quotes the file's tail.
        temporal_log = data_dir / "temporal.log"
        self._start_part("temporal", command, output=temporal_log)
        asyncio.run(self._wait_for_temporal())

        self._migrate()
        self._start_part("worker", [sys.executable, "-m", "core", "worker"])
        self._start_part("api", [sys.executable, "-m", "core", "api"])
        self._wait_for_api()

    def _dev_server_command(self, data_dir: Path) -> list[str]:
        settings = self.settings
        return [
            temporal_cli(),
            "server",
            "start-dev",
            "--ip",
            "127.0.0.1",
            "--port",
            str(self.temporal_port),
            "--ui-port",
            str(settings.temporal_ui_port),
            "--db-filename",
            str(data_dir / "temporal.db"),
            "--namespace",
            settings.temporal_namespace,
            "--sqlite-pragma",
            "journal_mode=wal",
            "--sqlite-pragma",
            "synchronous=1",
            "--log-level",
            "warn",
        ]

    def _start_part(
        self, name: str, command: list[str], *, output: Path | None = None
    ) -> None:
        self._check_stop()

        env = dict(os.environ)
        # The children read the same settings; the environment is passed
        # explicitly because `run --simulated` sets it on the command line.
        env["HARDSHIP_ENVIRONMENT"] = self.settings.environment
        # `python -m core` must import from this checkout even when the
        # project is not installed into the interpreter.
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])
        )

        # A group of its own keeps a terminal's Ctrl-C away from the child,
        # so that the supervisor stops the parts one after another.
        # NOTE: a supervisor killed with SIGKILL leaves its children running.
        if output is None:
            process = subprocess.Popen(command, env=env, process_group=0)
        else:
            with output.open("ab") as log_file:
                process = subprocess.Popen(
                    command,
                    env=env,
                    process_group=0,
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                )
        self.parts.append(Part(name, process, output))
        log.info(
            "part_started",
            part=name,
            pid=process.pid,
            log_file=str(output) if output else None,
        )

    async def _wait_for_temporal(self) -> None:
        deadline = time.monotonic() + TEMPORAL_START_TIMEOUT_SECONDS
        while True:
            self._check_parts()
            try:
                client = await asyncio.wait_for(temporal.connect(self.settings), 5)
                break
            except (RuntimeError, TimeoutError) as exc:
                if time.monotonic() > deadline:
                    raise StackError(
                        f"Temporal at {self.settings.temporal_address} did not "
                        f"respond within {TEMPORAL_START_TIMEOUT_SECONDS:.0f} s: {exc}"
                    ) from exc
            await asyncio.sleep(POLL_SECONDS)

        if self.settings.simulated:
            # Locked before any workflow starts, so the simulated clock runs at
            # wall speed: an unlocked idle test server may jump far ahead.
            await TestServerClock(client).lock()
            log.info("time_skipping_locked")
        # The dev server applies --search-attribute flags only when it creates
        # its database file, and the test server keeps nothing across starts,
        # so every start registers what is missing.
        await temporal.ensure_search_attributes(
            client, self.settings.temporal_namespace
        )
        log.info(
            "search_attributes_registered",
            names=[key.name for key in temporal.SEARCH_ATTRIBUTES],
        )
        log.info("temporal_ready", temporal_address=self.settings.temporal_address)

    def _migrate(self) -> None:
        self._check_stop()
        url = self.settings.effective_database_url
        database = make_url(url).database
        try:
            # Simulated workflows live only in the test server's memory, so
            # their projections are dropped with them at every start.
            ensure_database(url, empty=self.settings.simulated)
            upgrade(url)
            if self.settings.simulated:
                # The emptied database gets the demo unions back, so a
                # walkthrough can start at once.
                self._seed_demo(url)
        except OperationalError as exc:
            variable = (
                "HARDSHIP_SIMULATED_DATABASE_URL"
                if self.settings.simulated
                else "HARDSHIP_DATABASE_URL"
            )
            safe_url = make_url(url).render_as_string(hide_password=True)
            raise StackError(
                f"connecting to PostgreSQL at {safe_url} failed: {exc.orig}; "
                f"start PostgreSQL or set {variable}"
            ) from exc
        log.info("database_ready", database=database, emptied=self.settings.simulated)

    def _seed_demo(self, url: str) -> None:
        engine = create_db_engine(url)
        try:
            with transaction(create_session_factory(engine)) as session:
                summary = seed_demo(session)
        finally:
            engine.dispose()
        log.info("demo_seeded", unions_created=len(summary.created_union_ids))

    def _wait_for_api(self) -> None:
        url = f"{self._api_base_url()}/healthz"
        deadline = time.monotonic() + API_START_TIMEOUT_SECONDS
        while True:
            self._check_parts()
            try:
                response = httpx.get(url, timeout=2, trust_env=False)
                if response.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise StackError(
                    f"the API did not respond on {url} within "
                    f"{API_START_TIMEOUT_SECONDS:.0f} s"
                )
            self._stop.wait(POLL_SECONDS)

    def _announce(self) -> None:
        settings = self.settings
        api_url = self._api_base_url()
        if settings.simulated:
            ui = "none (time-skipping test server, clock locked at wall speed)"
        else:
            ui = f"http://127.0.0.1:{settings.temporal_ui_port}"
        log.info(
            "stack_ready",
            environment=settings.environment,
            api_docs=f"{api_url}/docs",
            temporal_address=settings.temporal_address,
            temporal_ui=ui,
        )
        lines = [
            f"API docs:     {api_url}/docs",
            f"Temporal:     {settings.temporal_address}",
            f"Temporal UI:  {ui}",
            f"Data:         {settings.data_dir}",
            "Press Ctrl-C to stop.",
        ]
        print("\n".join(lines), flush=True)  # noqa: T201 - the operator's summary

    def _supervise(self) -> int:
        while not self._stop.wait(POLL_SECONDS):
            try:
                self._check_parts()
            except StackError as exc:
                log.error("stack_failed", error=str(exc))
                return 1
        log.info("stack_stopping", signal=self._stop_signal)
        return 0

    def _check_parts(self) -> None:
        self._check_stop()
        for part in self.parts:
            code = part.process.poll()
            if code is not None:
                log.error("part_exited", part=part.name, exit_code=code)
                message = f"{part.name} exited with code {code}"
                if part.output is not None:
                    message += f"; last lines of {part.output}:\n{_tail(part.output)}"
                raise StackError(message)

    def _check_stop(self) -> None:
        if self._stop.is_set():
            raise StopRequested

    def _api_base_url(self) -> str:
        host = self.settings.api_host
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"
        return f"http://{host}:{self.settings.api_port}"


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _tail(path: Path, lines: int = 20) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"(unreadable: {exc})"
    return "\n".join(text.splitlines()[-lines:])


def run_stack(settings: Settings) -> int:
    """Run the stack in the foreground; return 0 after a stop signal, 1 on failure."""
    try:
        stack = Stack(settings)
    except StackError as exc:
        log.error("stack_failed", error=str(exc))
        return 1
    return stack.run()
