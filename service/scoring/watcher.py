"""A background thread that follows the champion alias and swaps in each new version."""

from __future__ import annotations

import logging
import threading

from mlflow.exceptions import MlflowException

from service.log_safety import failure_without_message
from service.scoring.champion import ChampionModel, ChampionSource

logger = logging.getLogger(__name__)


class ChampionWatcher:
    """Polls the alias every `poll_seconds`; loads a new version off the request path and
    swaps it in whole, so no request fails or waits for the load."""

    def __init__(self, source: ChampionSource, champion: ChampionModel, poll_seconds: float):
        self.source = source
        self.champion = champion
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="champion-watcher", daemon=True)

    def start(self) -> None:
        """Start polling in the background."""
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop polling and wait for the thread (a load in progress finishes first)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=timeout)

    @property
    def running(self) -> bool:
        """Whether the polling thread is alive."""
        return self._thread.is_alive()

    def check_once(self) -> bool:
        """Load and serve the alias's version if it differs from the loaded one; True if
        swapped. A version that fails to load is logged and the old one keeps serving."""
        number = self.source.champion_number()
        if number is None or number == self.champion.number:
            return False
        try:
            loaded = self.source.load(number)
        except (MlflowException, OSError, ValueError, TypeError, KeyError) as exc:
            logger.error(
                "cannot load %s/%s, keeping the current model: %s", self.source.name, number, exc
            )
            return False
        self.champion.swap(loaded)
        logger.info("now serving %s", loaded.version)
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            try:
                self.check_once()
            except Exception as exc:
                # The watcher must outlive a flaky store: log and try again next round.
                logger.error("polling the champion alias failed: %s", failure_without_message(exc))
