"""The model store the app starts with: the champion loaded at start-up, and its watcher; with
`shadow_challenger`, the challenger too, scored beside every decision and never acted on."""

from __future__ import annotations

from dataclasses import dataclass

from service.scoring.champion import ChampionModel, ChampionSource, LoadedModel
from service.scoring.watcher import ChampionWatcher
from service.settings import Settings
from training.registry import CHALLENGER


@dataclass(frozen=True)
class ModelStore:
    """The served champion (`app.state.model_status`), the optional shadow challenger, and the
    threads that keep each current with its alias."""

    champion: ChampionModel
    watcher: ChampionWatcher
    shadow: ChampionModel | None = None
    shadow_watcher: ChampionWatcher | None = None

    @classmethod
    def start(cls, settings: Settings) -> ModelStore:
        """Load `models:/provider-risk@champion` (and `@challenger` in shadow) from the
        settings' tracking store, if any, and follow the aliases. Blocking: call it off the
        event loop."""
        champion, watcher = _follow(ChampionSource(settings.mlflow_tracking_uri), settings)
        if not settings.shadow_challenger:
            return cls(champion=champion, watcher=watcher)
        source = ChampionSource(settings.mlflow_tracking_uri, alias=CHALLENGER)
        shadow, shadow_watcher = _follow(source, settings)
        return cls(champion, watcher, shadow, shadow_watcher)

    def current_shadow(self) -> LoadedModel | None:
        """The challenger to score in shadow now, None when off or none is registered."""
        if self.shadow is None or not self.shadow.ready:
            return None
        return self.shadow.current()

    def stop(self) -> None:
        """Stop following the aliases."""
        self.watcher.stop()
        if self.shadow_watcher is not None:
            self.shadow_watcher.stop()


def _follow(source: ChampionSource, settings: Settings) -> tuple[ChampionModel, ChampionWatcher]:
    model = ChampionModel(source.load_champion())
    watcher = ChampionWatcher(source, model, settings.model_poll_seconds)
    watcher.start()
    return model, watcher
