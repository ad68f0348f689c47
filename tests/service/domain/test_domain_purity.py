"""The policy domain stays pure: no web framework, SQL, HTTP or Stripe SDK imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import service.domain

DOMAIN = Path(service.domain.__file__).parent
FORBIDDEN = {"fastapi", "starlette", "sqlalchemy", "stripe", "httpx", "requests", "uvicorn"}


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_domain_module_imports_no_adapter(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
    }
    assert imported & FORBIDDEN == set()
    assert not any(name.startswith("service.stripe") for name in _modules(tree))


def _modules(tree: ast.AST) -> set[str]:
    return {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
