"""Run the emulator with uvicorn: in the foreground (CLI) or on a background thread (tests)."""

from __future__ import annotations

import threading
import time
from types import TracebackType

import uvicorn

from .app import create_app
from .config import EmulatorConfig
from .emulator import Emulator


def serve(config: EmulatorConfig, emulator: Emulator | None = None) -> None:
    """Serve until interrupted (the CLI's foreground mode)."""
    app = create_app(config, emulator)
    uvicorn.run(app, host=config.host, port=config.port, log_level="warning", access_log=False)


class EmulatorServer:
    """A real HTTP emulator on a background thread; use as a context manager.

    `port=0` in the config picks a free port. `base_url` is what to pass to
    `StripeClient(base_addresses={"api": ...})`.
    """

    def __init__(self, config: EmulatorConfig | None = None, start_timeout: float = 20.0) -> None:
        config = config or EmulatorConfig(port=0)
        self.config = config
        self.port = config.port
        self.emulator = Emulator(config)
        self.start_timeout = start_timeout
        uv_config = uvicorn.Config(
            create_app(emulator=self.emulator),
            host=config.host,
            port=config.port,
            log_level="warning",
            access_log=False,
            lifespan="on",
        )
        self._server = uvicorn.Server(uv_config)
        self._thread = threading.Thread(
            target=self._server.run, name="stripe-emulator", daemon=True
        )

    @property
    def base_url(self) -> str:
        """`http://host:port` of the running emulator."""
        return f"http://{self.config.host}:{self.port}"

    def start(self) -> EmulatorServer:
        """Start serving and wait until the port accepts requests."""
        self._thread.start()
        deadline = time.monotonic() + self.start_timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"Stripe emulator did not start on {self.base_url}")
            time.sleep(0.02)
        if self.port == 0:
            # uvicorn bound port 0 itself, so no other process can take the port meanwhile.
            self.port = int(self._server.servers[0].sockets[0].getsockname()[1])
        return self

    def stop(self) -> None:
        """Ask uvicorn to exit and wait for the thread."""
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
