"""ChampionModel and ChampionWatcher without a registry: readiness, swaps, load failures."""

from __future__ import annotations

import dataclasses

import pytest
from scoring_support import tiny_risk_model

from service.errors import ModelNotReady
from service.scoring.champion import ChampionModel, LoadedModel
from service.scoring.watcher import ChampionWatcher


@dataclasses.dataclass
class FakeSource:
    """A registry whose alias points at `number`; loading `broken` versions fails."""

    number: str | None
    broken: frozenset[str] = frozenset()
    name: str = "provider-risk"
    loads: int = 0

    def champion_number(self) -> str | None:
        return self.number

    def load(self, number: str) -> LoadedModel:
        self.loads += 1
        if number in self.broken:
            raise ValueError("trained on another feature registry")
        return LoadedModel(model=tiny_risk_model(), version=f"{self.name}/{number}", number=number)


def _watcher(source: FakeSource, champion: ChampionModel) -> ChampionWatcher:
    return ChampionWatcher(source, champion, poll_seconds=60)  # type: ignore[arg-type]


def test_an_empty_champion_is_not_ready_and_refuses_to_score():
    champion = ChampionModel()
    assert (champion.ready, champion.version) == (False, None)
    with pytest.raises(ModelNotReady):
        champion.current()


def test_the_watcher_loads_a_new_alias_target_once():
    source = FakeSource(number="1")
    champion = ChampionModel()
    watcher = _watcher(source, champion)
    assert watcher.check_once()
    assert (champion.ready, champion.version) == (True, "provider-risk/1")
    assert not watcher.check_once()
    assert source.loads == 1
    source.number = "2"
    assert watcher.check_once()
    assert champion.current().version == "provider-risk/2"


def test_a_version_that_fails_to_load_leaves_the_old_one_serving():
    source = FakeSource(number="1", broken=frozenset({"2"}))
    champion = ChampionModel()
    watcher = _watcher(source, champion)
    watcher.check_once()
    source.number = "2"
    assert not watcher.check_once()
    assert champion.version == "provider-risk/1"


def test_a_removed_alias_keeps_the_loaded_model():
    source = FakeSource(number="1")
    champion = ChampionModel()
    watcher = _watcher(source, champion)
    watcher.check_once()
    source.number = None
    assert not watcher.check_once()
    assert champion.ready


def test_the_watcher_thread_stops_promptly():
    watcher = _watcher(FakeSource(number=None), ChampionModel())
    watcher.start()
    assert watcher.running
    watcher.stop(timeout=5)
    assert not watcher.running
