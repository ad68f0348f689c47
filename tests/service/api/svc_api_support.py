"""Helpers for the API tests: a settable model status, test keys, a cuttable TCP proxy."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

from svc_support import TEST_PEPPER

from service.auth.keys import issue_key
from service.db.database import Database


@dataclass
class FakeModelStatus:
    """A ModelStatus whose readiness a test sets."""

    ready: bool = False
    version: str | None = None


@dataclass(frozen=True)
class KeyForTests:
    key_id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


IssueKey = Callable[..., KeyForTests]


def issue_into(database: Database, scopes: list[str], name: str = "test key") -> KeyForTests:
    """Issue a key directly in `database`, hashed with the test pepper."""
    with database.session() as session, session.begin():
        issued = issue_key(session=session, name=name, scopes=scopes, pepper=TEST_PEPPER.encode())
    return KeyForTests(key_id=issued.principal.key_id, token=issued.token)


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target; `cut()` drops every connection and refuses new
    ones until `restore()`, which looks to a client like a database going down and back."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.open: list[socket.socket] = []
        self.forwarding = True
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.forwarding:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        self.forwarding = False
        with self.lock:
            for connection in self.open:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                connection.close()
            self.open.clear()

    def restore(self) -> None:
        self.forwarding = True

    def close(self) -> None:
        self.cut()
        self.listener.close()
