"""The model store the app starts with: the champion loaded at start-up, and its watcher."""

from __future__ import annotations

from dataclasses import dataclass

from service.scoring.champion import ChampionModel, ChampionSource
from service.scoring.watcher import ChampionWatcher
from service.settings import Settings


@dataclass(frozen=True)
class ModelStore:
    """The served champion (`app.state.model_status`) and the thread that keeps it current."""

    champion: ChampionModel
    watcher: ChampionWatcher

    @classmethod
    def start(cls, settings: Settings) -> ModelStore:
        """Load `models:/provider-risk@champion` from the settings' tracking store (if any) and
        start following the alias. Blocking: call it off the event loop."""
        source = ChampionSource(settings.mlflow_tracking_uri)
        champion = ChampionModel(source.load_champion())
        watcher = ChampionWatcher(source, champion, settings.model_poll_seconds)
        watcher.start()
        return cls(champion=champion, watcher=watcher)

    def stop(self) -> None:
        """Stop following the alias."""
        self.watcher.stop()
