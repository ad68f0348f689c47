"""Write turns: one writer at a time per SQLite file, across threads and processes."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from service.db.database import Database
from service.db.write_turn import NoTurns, WriteTurns

HOLD_S = 0.6


def test_threads_of_a_process_take_turns(tmp_path: Path) -> None:
    turns = WriteTurns(tmp_path / "risk.db")
    inside, most = 0, 0
    lock = threading.Lock()

    def writer() -> None:
        nonlocal inside, most
        for _ in range(20):
            with turns.turn():
                with lock:
                    inside += 1
                    most = max(most, inside)
                time.sleep(0.001)
                with lock:
                    inside -= 1

    threads = [threading.Thread(target=writer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 1


def test_a_turn_waits_for_another_process(tmp_path: Path) -> None:
    database = tmp_path / "risk.db"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from service.db.write_turn import WriteTurns;"
            "turns = WriteTurns(Path(sys.argv[1]))\n"
            "with turns.turn():\n"
            "    print('held', flush=True); time.sleep(float(sys.argv[2]))",
            str(database),
            str(HOLD_S),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with WriteTurns(database).turn():
            waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()
    assert waited >= HOLD_S / 2


def test_only_sqlite_files_take_turns(tmp_path: Path, postgres_database: Database) -> None:
    sqlite_file = Database.connect(f"sqlite:///{tmp_path / 'risk.db'}")
    in_memory = Database.connect("sqlite://")
    try:
        assert isinstance(sqlite_file.write_turns, WriteTurns)
        assert isinstance(in_memory.write_turns, WriteTurns)  # threads still share one lock
        assert isinstance(postgres_database.write_turns, NoTurns)
        with sqlite_file.write_turn():
            pass
        assert (tmp_path / "risk.db.write-turn").exists()
    finally:
        sqlite_file.dispose()
        in_memory.dispose()
