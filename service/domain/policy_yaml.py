"""Read a policy from YAML text, naming the file line of every problem; the default policy.

Lines come from the composed YAML node tree (each key's and item's start mark); a validation
error's field path is walked down that tree to the deepest node that exists.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from service.domain.policy_errors import Loc, PolicyError, PolicyIssue
from service.domain.policy_model import Policy

DEFAULT_POLICY_FILE = "default_policy.yaml"
# A policy is a few hundred nodes; aliases that expand past this are a mistake or an attack.
MAX_EXPANDED_NODES = 100_000
_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field (not part of the policy format)",
}


def parse_policy(text: str, source: str = "<policy>") -> Policy:
    """Validate policy YAML text; raises PolicyError whose issues name `source:line`."""
    data, lines = _load_with_lines(text, source)
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        issues = [_from_pydantic(error, lines) for error in exc.errors()]
    except PolicyError as exc:
        issues = [issue.located(line_of(issue.loc, lines)) for issue in exc.issues]
    raise PolicyError(issues, source)


def load_policy(path: str | Path) -> Policy:
    """Read and validate a policy file (UTF-8 YAML); OSError if it cannot be read."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyError(
            [PolicyIssue((), f"not UTF-8 text ({exc.reason})", 1)], str(path)
        ) from exc
    return parse_policy(text, str(path))


def default_policy_text() -> str:
    """The packaged default policy's YAML text."""
    return resources.files("service.domain").joinpath(DEFAULT_POLICY_FILE).read_text("utf-8")


def load_default_policy() -> Policy:
    """The packaged default policy, validated."""
    return parse_policy(default_policy_text(), DEFAULT_POLICY_FILE)


def load_configured_policy(path: str | Path | None) -> Policy:
    """The policy at `path` (the POLICY_PATH setting), or the packaged default when unset.

    Meant for start-up: a PolicyError here should stop the process with its report, a file
    that cannot be read (missing, a directory, no permission) included.
    """
    if path is None:
        return load_default_policy()
    try:
        return load_policy(path)
    except OSError as exc:
        issue = PolicyIssue((), f"cannot read: {exc.strerror or exc}")
        raise PolicyError([issue], str(path)) from exc


def line_of(loc: Loc, lines: dict[Loc, int]) -> int:
    """The line of the deepest YAML node on `loc`'s path."""
    return lines[_yaml_path(loc, lines)]


def _from_pydantic(error: Any, lines: dict[Loc, int]) -> PolicyIssue:
    loc: Loc = tuple(error["loc"])
    path = _yaml_path(loc, lines)
    if error["type"] == "missing" and loc:
        path = (*path, loc[-1])
    message = _MESSAGES.get(error["type"], str(error["msg"]).removeprefix("Value error, "))
    return PolicyIssue(path, message, line_of(loc, lines))


def _yaml_path(loc: Loc, lines: dict[Loc, int]) -> Loc:
    # Parts absent from the file are skipped: pydantic's union tags, a missing field's own name.
    path: Loc = ()
    for part in loc:
        for candidate in (part, str(part)):
            if (*path, candidate) in lines:
                path = (*path, candidate)
                break
    return path


def _load_with_lines(text: str, source: str) -> tuple[Any, dict[Loc, int]]:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if not isinstance(node, yaml.MappingNode):
            raise PolicyError(
                [PolicyIssue((), "must be a mapping with version, bands, segments and actions", 1)],
                source,
            )
        if _expanded_size(node, {}, set()) > MAX_EXPANDED_NODES:
            raise PolicyError(
                [PolicyIssue((), f"expands to over {MAX_EXPANDED_NODES} YAML nodes (aliases?)", 1)],
                source,
            )
        lines: dict[Loc, int] = {(): 1}
        duplicates: list[PolicyIssue] = []
        _index(node, (), lines, duplicates, set())
        if duplicates:
            raise PolicyError(duplicates, source)
        return loader.construct_document(node), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        issue = PolicyIssue((), f"not valid YAML: {exc.problem or exc.context}", line)
        raise PolicyError([issue], source) from exc
    except RecursionError:
        raise PolicyError([PolicyIssue((), "nested too deeply", 1)], source) from None
    finally:
        loader.dispose()


def _expanded_size(node: yaml.Node, memo: dict[int, int], active: set[int]) -> int:
    """How many nodes the document has once aliases are expanded (recursive aliases: too many)."""
    if id(node) in memo:
        return memo[id(node)]
    if id(node) in active:
        return MAX_EXPANDED_NODES + 1
    active.add(id(node))
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    total = 1
    for child in children:
        total += _expanded_size(child, memo, active)
        if total > MAX_EXPANDED_NODES:
            break
    active.discard(id(node))
    memo[id(node)] = total
    return total


def _index(
    node: yaml.Node, path: Loc, lines: dict[Loc, int], issues: list[PolicyIssue], seen: set[int]
) -> None:
    # An alias repeats a node already indexed; descending again could explode (billion laughs).
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key == "<<":
                continue
            child = (*path, key)
            if key in keys:
                issues.append(
                    PolicyIssue(child, "duplicate key (YAML keeps only the last one)").located(
                        key_node.start_mark.line + 1
                    )
                )
            keys.add(key)
            lines.setdefault(child, key_node.start_mark.line + 1)
            _index(value_node, child, lines, issues, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.setdefault((*path, index), item.start_mark.line + 1)
            _index(item, (*path, index), lines, issues, seen)
