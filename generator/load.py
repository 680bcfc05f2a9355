"""Load a YAML or JSON spec, remembering the line of every JSON pointer."""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .pointers import join, resolve, walk
from .problems import Problem

# A document may not expand to more nodes than this: it stops alias bombs
# ("billion laughs") before they eat the machine's memory.
MAX_NODES = 5_000_000
# PyYAML's composer recurses a few frames per nesting level; it is pure Python,
# so a higher limit costs no C stack. Deeper documents are rejected, cleanly.
COMPOSE_RECURSION_LIMIT = 20_000


@contextlib.contextmanager
def _recursion_limit(limit: int) -> Iterator[None]:
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, previous))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


@dataclass
class Document:
    """A parsed spec: its data and the 1-based line of each pointer in it."""

    path: Path
    display: str
    data: Any
    lines: dict[str, int] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # pointer prefix -> file it came from
    sources: list[Path] = field(default_factory=list)  # the other files it was read from

    def line_of(self, pointer: str) -> int:
        """The line of `pointer`, or of its nearest ancestor that exists."""
        while pointer:
            if pointer in self.lines:
                return self.lines[pointer]
            pointer = pointer.rsplit("/", 1)[0]
        return self.lines.get("", 1)

    def file_of(self, pointer: str) -> str:
        """The file a pointer's text is in: the spec, or a file it references."""
        prefix = next((p for p in self.files if pointer == p or pointer.startswith(p + "/")), None)
        return self.files[prefix] if prefix else self.display

    def problem(self, pointer: str, message: str, rule: str) -> Problem:
        return Problem(self.file_of(pointer), self.line_of(pointer), pointer, message, rule)

    def resolve(self, pointer: str) -> Any:
        """The value at a local pointer; raises KeyError if there is none."""
        return resolve(self.data, pointer)


def display_path(path: Path) -> str:
    """The path as the user should see it: relative to the working directory."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


BUNDLE = "/x-bundled"  # where the files a spec references are put into it


def load(path: Path) -> Document | Problem:
    """Parse `path` and every local file its `$ref`s name; a problem if one cannot be read.

    Each referenced file goes under `/x-bundled/<its path>` and the `$ref`s are
    rewritten to point there, so the rest of the pipeline sees one document. A
    `$ref` may only name files in the spec's own folder (and below it).
    """
    document = _load_file(path)
    if isinstance(document, Problem):
        return document
    return _bundle(document)


def _load_file(path: Path) -> Document | Problem:
    display = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Problem(display, 1, "", f"cannot read the file: {exc}", "file-unreadable")
    if path.suffix == ".json" and "\n" not in text.strip():
        loaded = _load_json_line(path, display, text)
        if loaded is not None:
            return loaded
    try:
        with _recursion_limit(COMPOSE_RECURSION_LIMIT):
            root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return Problem(display, line, "", f"malformed YAML: {exc.problem or exc}", "syntax")
    except yaml.YAMLError as exc:
        return Problem(display, 1, "", f"malformed YAML: {exc}", "syntax")
    except RecursionError:  # PyYAML's composer recurses once per nesting level
        return Problem(display, 1, "", "the document is nested too deeply to parse", "syntax")
    if root is None:
        return Problem(display, 1, "", "the file is empty", "file-unreadable")
    document = Document(path, display, None)
    try:
        document.data = _construct(root, document.lines)
    except _LoadError as exc:
        return Problem(display, exc.line, exc.pointer, exc.message, "syntax")
    return document


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def _load_json_line(path: Path, display: str, text: str) -> Document | Problem | None:
    """A JSON document written on one line (as most published ones are): every
    pointer is on line 1, so the standard library's parser does, many times faster."""

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        for key, value in pairs:
            if key in mapping:
                raise _LoadError(1, "", f"duplicate key {key!r}")
            mapping[key] = value
        return mapping

    try:
        data = json.loads(text, object_pairs_hook=unique)
    except (json.JSONDecodeError, RecursionError):
        return None  # YAML, not JSON, or deeper than the standard library goes: the YAML path takes it
    except _LoadError as exc:
        return Problem(display, 1, "", exc.message, "syntax")
    if _ESCAPED_SURROGATE.search(text):
        data = _join_surrogates(data)
    return Document(path, display, data, {"": 1})


def _join_surrogates(data: Any) -> Any:
    """Every string with surrogate halves joined into characters (a lone half: U+FFFD)."""

    def fix(value: Any) -> Any:
        if isinstance(value, dict):
            stack.append(value := {_text(k): v for k, v in value.items()})
        elif isinstance(value, list):
            stack.append(value := list(value))
        return _text(value) if isinstance(value, str) else value

    stack: list[Any] = []
    root = fix(data)
    while stack:
        node = stack.pop()
        for key, value in list(node.items()) if isinstance(node, dict) else list(enumerate(node)):
            node[key] = fix(value)
    return root


def _text(value: str) -> str:
    if not _SURROGATE.search(value):
        return value
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


class _LoadError(Exception):
    def __init__(self, line: int, pointer: str, message: str) -> None:
        self.line, self.pointer, self.message = line, pointer, message


_SCALARS = yaml.SafeLoader("")
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_COLLECTIONS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _scalar(node: yaml.ScalarNode, pointer: str) -> Any:
    """A scalar as JSON would see it: dates stay strings, no custom tags."""
    if node.tag == _TIMESTAMP:
        return node.value
    construct = _SCALARS.yaml_constructors.get(node.tag)
    if construct is None:
        raise _LoadError(node.start_mark.line + 1, pointer, f"unsupported YAML tag {node.tag}")
    value = construct(_SCALARS, node)
    # JSON writes characters beyond U+FFFF as "\ud83c\udf89"; YAML decodes each
    # half on its own. Join the pairs; a lone half becomes U+FFFD.
    return _text(value) if isinstance(value, str) else value


def _construct(root: yaml.Node, lines: dict[str, int]) -> Any:
    """Build plain Python data from a YAML node graph, without recursion."""
    count = 0
    result: list[Any] = [None]
    # Each entry: (node, pointer, container, key to store into, line); a
    # mapping value is located at its key's line.
    stack: list[tuple[yaml.Node, str, Any, Any, int]] = [(root, "", result, 0, 1)]
    while stack:
        node, pointer, parent, key, line = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise _LoadError(
                node.start_mark.line + 1,
                pointer,
                f"the document expands to more than {MAX_NODES} nodes "
                "(YAML aliases nested too deeply?)",
            )
        lines[pointer] = line
        value: Any
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTIONS:
            raise _LoadError(node.start_mark.line + 1, pointer, f"unsupported YAML tag {node.tag}")
        if isinstance(node, yaml.MappingNode):
            value = {}
            for key_node, value_node in reversed(node.value):
                name = _key(key_node, pointer)
                entry = (value_node, join(pointer, name), value, name, key_node.start_mark.line + 1)
                stack.append(entry)
            # Keys are pushed in reverse so they pop, and so insert, in order.
            parent[key] = value
            _reorder(value, node, pointer)
        elif isinstance(node, yaml.SequenceNode):
            value = [None] * len(node.value)
            for index in reversed(range(len(node.value))):
                item = node.value[index]
                stack.append((item, join(pointer, index), value, index, item.start_mark.line + 1))
            parent[key] = value
        else:
            assert isinstance(node, yaml.ScalarNode)
            parent[key] = _scalar(node, pointer)
    return result[0]


def _key(node: yaml.Node, pointer: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise _LoadError(node.start_mark.line + 1, pointer, "a mapping key must be a scalar")
    if node.value == "<<" and node.tag == "tag:yaml.org,2002:merge":
        raise _LoadError(node.start_mark.line + 1, pointer, "YAML merge keys (<<) are not supported")
    # OpenAPI keys are strings: status codes such as 200 stay "200".
    return _text(str(node.value))


def _reorder(mapping: dict[str, Any], node: yaml.MappingNode, pointer: str) -> None:
    """Pre-fill keys in document order and reject duplicates."""
    seen: set[str] = set()
    for key_node, _ in node.value:
        name = _text(str(key_node.value))
        if name in seen:
            raise _LoadError(
                key_node.start_mark.line + 1, join(pointer, name), f"duplicate key {name!r}"
            )
        seen.add(name)
        mapping[name] = None


def _bundle(root: Document) -> Document | Problem:
    """Pull the files that `$ref`s name into `root`, rewriting the references."""
    folder = root.path.resolve().parent
    queue: list[tuple[str, Path]] = [("", root.path.resolve())]  # (pointer prefix, its file)
    prefixes: dict[Path, str] = {root.path.resolve(): ""}
    while queue:
        prefix, source = queue.pop(0)
        for pointer, node in _ref_holders(root.resolve(prefix), prefix):
            ref = node["$ref"]
            location, _, fragment = ref.partition("#")
            if not location:
                node["$ref"] = "#" + prefix + fragment if prefix else ref
                continue
            if "://" in location or location.startswith("//"):
                return root.problem(join(pointer, "$ref"), f"$ref {ref!r} is not a local file", "ref-unresolved")
            target = (source.parent / location).resolve()
            if not target.is_relative_to(folder):
                return root.problem(join(pointer, "$ref"), f"$ref {ref!r} leaves the spec's folder", "ref-unresolved")
            if target not in prefixes:
                external = _load_file(target)
                if isinstance(external, Problem):
                    return external
                relative = target.relative_to(folder).as_posix()
                key = join(BUNDLE, relative)
                prefixes[target] = key
                root.data.setdefault("x-bundled", {})[relative] = external.data
                root.lines.update({key + p: line for p, line in external.lines.items()})
                root.files[key] = external.display
                root.sources.append(target)
                queue.append((key, target))
            node["$ref"] = "#" + prefixes[target] + fragment
    return root


def _ref_holders(data: Any, prefix: str) -> list[tuple[str, dict[str, Any]]]:
    """Every mapping with a string `$ref` in `data` (found at `prefix`), with its
    pointer; none in the spec's own `/x-bundled`."""
    return [
        (pointer, node) for pointer, node in walk(data, prefix, reverse=True)
        if isinstance(node, dict) and isinstance(node.get("$ref"), str)
        and (prefix or not (pointer == BUNDLE or pointer.startswith(BUNDLE + "/")))
    ]
