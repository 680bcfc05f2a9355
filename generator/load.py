"""Load a YAML or JSON spec, remembering the line of every JSON pointer."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import yaml

from . import overlay
from .pointers import join, mappings, resolve
from .problems import Problem
from .sources import display_path, is_overlay, overlay_paths

# A document may not expand to more nodes than this: it stops alias bombs
# ("billion laughs") before they eat the machine's memory.
MAX_NODES = 5_000_000
# Deeper documents are rejected, cleanly: every later stage has a limit of its own.
MAX_DEPTH = 10_000


@dataclass
class Document:
    """A parsed spec: its data and the 1-based line of each pointer in it."""

    path: Path
    display: str
    data: Any
    # pointer -> line, or what builds that map when a problem first needs it
    located: dict[str, int] | Callable[[], dict[str, int]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # pointer prefix -> file it came from
    sources: list[Path] = field(default_factory=list)  # the other files it was read from
    findings: list[Problem] = field(default_factory=list)  # warnings about loading it (its overlay's)

    @property
    def lines(self) -> dict[str, int]:
        """The line of every pointer, built on first use if it was not at loading."""
        if callable(self.located):
            self.located = self.located()
        return self.located

    def include(self, prefix: str, other: Document) -> None:
        """Take the lines of `other`, put under `prefix`, when they are first needed."""
        own = self.located

        def merged() -> dict[str, int]:
            lines = own() if callable(own) else own
            return lines | {prefix + pointer: line for pointer, line in other.lines.items()}

        self.located = merged

    def edit(self, edits: Sequence[overlay.Edit], source: Document) -> None:
        """Take an overlay's edits: a node it grafted is in `source`'s file, at its
        lines there (built when first needed)."""
        own = self.located
        files = dict(self.files)
        for edit in edits:
            _replay(files, edit, {edit.source: source.display} if isinstance(edit, overlay.Graft) else {})
        self.files = files

        def edited() -> dict[str, int]:
            lines = dict(own() if callable(own) else own)
            for edit in edits:
                _replay(lines, edit, source.lines)
            return lines

        self.located = edited

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


BUNDLE = "/x-bundled"  # where the files a spec references are put into it


def load(path: Path) -> Document | Problem:
    """Parse `path`, apply its overlay, and parse every local file its `$ref`s
    name; a problem if one cannot be read or the overlay cannot be applied.

    The overlay is `NAME.overlay.yaml` (or `.yml`, `.json`) beside `NAME.json`
    (see `overlay_paths`), applied before anything else reads the spec.
    Each referenced file goes under `/x-bundled/<its path>` and the `$ref`s are
    rewritten to point there, so the rest of the pipeline sees one document. A
    `$ref` may only name files in the spec's own folder (and below it).
    """
    if is_overlay(path):
        message = "this file is an overlay (its name ends in .overlay), and no spec it belongs to is beside it"
        return Problem(display_path(path), 1, "", message, "overlay")
    document = _load_file(path)
    if isinstance(document, Problem):
        return document
    overlaid = _overlay(document)
    return overlaid if isinstance(overlaid, Problem) else _bundle(overlaid)


def _overlay(document: Document) -> Document | Problem:
    """`document` with its overlay applied, if it has one; the first problem if that fails."""
    found = [p for p in overlay_paths(document.path) if p.is_file()]
    if not found:
        return document
    if len(found) > 1:
        message = f"{document.display} has {len(found)} overlays: keep one of {', '.join(p.name for p in found)}"
        return Problem(display_path(found[0]), 1, "", message, "overlay")
    actions = _load_file(found[0])
    if isinstance(actions, Problem):
        return actions
    errors = overlay.check(actions.data)
    if not errors:
        try:
            applied = overlay.apply(document.data, actions.data)
        except RecursionError:
            return actions.problem("", "the overlay is nested too deeply to apply", "overlay")
        errors = applied.errors
    if errors:
        return min(actions.problem(pointer, message, "overlay") for pointer, message in errors)
    document.edit(applied.edits, actions)
    document.sources.append(actions.path)
    unmatched = [actions.problem(pointer, message, "overlay-target") for pointer, message in applied.unmatched]
    document.findings += [replace(problem, severity="warning") for problem in unmatched]
    return document


V = TypeVar("V")


def _replay(mapping: dict[str, V], edit: overlay.Edit, source: Mapping[str, V]) -> None:
    """Bring `mapping` (pointer -> what) up to date with `edit`: what was at the
    edited node and below it dropped, a grafted node's taken from `source` (by its
    pointers there), the items after a removed one moved up."""
    at = edit.at
    if isinstance(edit, overlay.Graft) and not edit.replaces:
        mapping.pop(at, None)  # a scalar at most: nothing below it to look for
    else:
        for pointer in [p for p in mapping if p == at or p.startswith(at + "/")]:
            del mapping[pointer]
    if isinstance(edit, overlay.Graft):
        root = edit.source
        mapping.update({at + p[len(root) :]: v for p, v in source.items() if p == root or p.startswith(root + "/")})
    elif edit.index is not None:
        parent = at.rsplit("/", 1)[0] + "/"
        moved = [(p, _moved_up(p, parent, edit.index)) for p in mapping if p.startswith(parent)]
        values = {new: mapping.pop(old) for old, new in moved if new != old}
        mapping.update(values)


def _moved_up(pointer: str, parent: str, removed: int) -> str:
    """`pointer`, with its index in the list at `parent` one less if it came after `removed`."""
    if not pointer.startswith(parent):
        return pointer
    token, slash, rest = pointer[len(parent) :].partition("/")
    if not token.isdecimal() or int(token) <= removed:
        return pointer
    return f"{parent}{int(token) - 1}{slash}{rest}"


def _load_file(path: Path) -> Document | Problem:
    display = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Problem(display, 1, "", f"cannot read the file: {exc}", "file-unreadable")
    broken: json.JSONDecodeError | None = None
    if path.suffix == ".json":
        loaded = _load_json(path, display, text)
        if isinstance(loaded, Document):
            return loaded
        broken = loaded
    parsed = parse(text)
    if isinstance(parsed, Fault):
        if broken is not None and parsed.message.startswith(MALFORMED):  # neither JSON nor YAML: say why as JSON
            message = f"malformed JSON: {broken.msg} (column {broken.colno})"
            return Problem(display, broken.lineno, "", message, "syntax")
        return Problem(display, parsed.line, parsed.pointer, parsed.message, parsed.rule)
    data, lines = parsed
    return Document(path, display, data, lines)


def _load_json(path: Path, display: str, text: str) -> Document | json.JSONDecodeError | None:
    """A JSON document, parsed by the standard library (many times faster than any
    YAML parser); its line map is built only if a problem needs one. Otherwise
    the YAML path must take it: not JSON (YAML in a .json file: the JSON error is
    returned, reported if the YAML parser fails too), nested deeper than the
    standard library goes, or a duplicate key, which it locates (None)."""

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        mapping = dict(pairs)
        if len(mapping) < len(pairs):
            raise _Duplicate
        return mapping

    try:
        data = json.loads(text, object_pairs_hook=unique)
    except json.JSONDecodeError as exc:
        return exc
    except (RecursionError, _Duplicate):
        return None
    if _ESCAPED_SURROGATE.search(text):
        data = _join_surrogates(data)
    return Document(path, display, data, lambda: _json_lines(text))


class _Duplicate(Exception):
    pass


def _json_lines(text: str) -> dict[str, int]:
    """The line of every pointer of a JSON text (which is YAML): all on line 1 for a one-line text."""
    parsed = parse(text) if "\n" in text.strip() else None
    return {"": 1} if parsed is None or isinstance(parsed, Fault) else parsed[1]


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


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
    # JSON writes characters beyond U+FFFF as "\ud83c\udf89"; YAML decodes each
    # half on its own. Join the pairs; a lone half becomes U+FFFD.
    if not _SURROGATE.search(value):
        return value
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


@dataclass(frozen=True)
class Fault:
    """Why a text could not be parsed, and where."""

    line: int
    pointer: str
    message: str
    rule: str = "syntax"


def parse(text: str) -> tuple[Any, dict[str, int]] | Fault:
    """The data of a YAML (or JSON) text and the line of each of its pointers.

    libyaml's event parser reads it when it can (the pure-Python one otherwise:
    it has no libyaml, or writes surrogate escapes, which libyaml rejects); a
    malformed text is read again by the pure-Python parser, whose messages are
    the clearer.
    """
    fast = yaml.__with_libyaml__ and not _ESCAPED_SURROGATE.search(text)
    parsed = _parse(text, yaml.CSafeLoader if fast else yaml.SafeLoader)
    if fast and isinstance(parsed, Fault) and parsed.message.startswith(MALFORMED):
        return _parse(text, yaml.SafeLoader)
    return parsed


MALFORMED = "malformed YAML: "


def _parse(text: str, loader: Any) -> tuple[Any, dict[str, int]] | Fault:
    events = yaml.parse(text, Loader=loader)
    try:
        try:
            composed = _compose(events)
        except _LoadError as exc:
            for _ in events:  # a syntax error further on is reported first
                pass
            return Fault(exc.line, exc.pointer, exc.message)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return Fault(mark.line + 1 if mark else 1, "", MALFORMED + str(exc.problem or exc))
    except yaml.YAMLError as exc:
        return Fault(1, "", MALFORMED + str(exc))
    return Fault(1, "", "the file is empty", "file-unreadable") if composed is None else composed


class _LoadError(Exception):
    def __init__(self, line: int, pointer: str, message: str) -> None:
        self.line, self.pointer, self.message = line, pointer, message


_SCALARS = yaml.SafeLoader("")
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_COLLECTIONS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_SURROGATE = re.compile("[\ud800-\udfff]")
TOO_MANY = f"the document expands to more than {MAX_NODES} nodes (YAML aliases nested too deeply?)"


# Events are typed loosely: the stubs cannot say which kinds have marks, tags, anchors.
Event = Any
Anchors = dict[str, "_Anchor"]


@dataclass
class _Open:
    """A mapping or sequence being composed; a mapping's key waiting for its value."""

    value: Any
    pointer: str
    anchor: _Anchor | None
    key: str | None = None
    line: int = 0  # the key's


@dataclass
class _Anchor:
    """A node an alias may name: a scalar's event, or a mapping or sequence (once complete)."""

    mark: Any
    scalar: Event = None
    value: Any = None
    pointer: str = ""
    done: bool = False


def _compose(events: Iterator[Event]) -> tuple[Any, dict[str, int]] | None:
    """Plain data, and the line of each pointer, from the events of one YAML
    document (None if there is none), without recursion.

    A mapping value is located at its key's line; aliases are expanded, each
    copy keeping the lines of what it copies.
    """
    lines: dict[str, int] = {}
    anchors: Anchors = {}
    stack: list[_Open] = []
    root: list[Any] = []
    count = 0
    first: Any = None  # the document's start
    for event in events:
        kind = type(event)
        if kind is yaml.DocumentStartEvent:
            if first is not None:
                raise yaml.composer.ComposerError(
                    "expected a single document in the stream", first, "but found another document", event.start_mark
                )
            first = event.start_mark
            continue
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            done = stack.pop()
            if done.anchor is not None:
                done.anchor.done = True
            continue
        if kind not in _NODES:
            continue  # the stream's start and end, the document's end
        parent = stack[-1] if stack else None
        if parent is None:
            pointer, line = "", 1
        elif isinstance(parent.value, dict):
            if parent.key is None:
                parent.key, parent.line = _key(event, parent.pointer, anchors), event.start_mark.line + 1
                if parent.key in parent.value:
                    raise _LoadError(parent.line, join(parent.pointer, parent.key), f"duplicate key {parent.key!r}")
                _anchor(event, anchors, _Anchor(event.start_mark, scalar=event))
                continue
            pointer, line = join(parent.pointer, parent.key), parent.line
        else:
            pointer, line = join(parent.pointer, len(parent.value)), event.start_mark.line + 1
        count += 1
        if count > MAX_NODES:
            raise _LoadError(event.start_mark.line + 1, pointer, TOO_MANY)
        lines[pointer] = line
        value: Any
        if kind is yaml.ScalarEvent:
            value = _scalar(event, pointer)
            _anchor(event, anchors, _Anchor(event.start_mark, scalar=event))
        elif kind is yaml.AliasEvent:
            value, count = _alias(event, pointer, anchors, lines, count)
        else:
            if event.tag not in (None, "!") and event.tag not in _COLLECTIONS:
                raise _LoadError(event.start_mark.line + 1, pointer, f"unsupported YAML tag {event.tag}")
            if len(stack) >= MAX_DEPTH:
                raise _LoadError(1, "", "the document is nested too deeply to parse")
            value = {} if kind is yaml.MappingStartEvent else []
            anchor = _Anchor(event.start_mark, value=value, pointer=pointer)
            stack.append(_Open(value, pointer, anchor if _anchor(event, anchors, anchor) else None))
        if parent is None:
            root.append(value)
        elif parent.key is not None:
            parent.value[parent.key] = value
            parent.key = None
        else:
            parent.value.append(value)
    return (root[0], lines) if root else None


_NODES = (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)


def _anchor(event: Event, anchors: Anchors, node: _Anchor) -> bool:
    """Register `node` under the anchor its event names, if any; PyYAML's composer
    refuses a name used twice, and so does this."""
    name = event.anchor if type(event) is not yaml.AliasEvent else None
    if name is None:
        return False
    if name in anchors:
        raise yaml.composer.ComposerError(
            f"found duplicate anchor {name!r}; first occurrence",
            anchors[name].mark,
            "second occurrence",
            event.start_mark,
        )
    anchors[name] = node
    return True


def _target(event: Event, pointer: str, anchors: Anchors) -> _Anchor:
    """The node an alias names."""
    target = anchors.get(event.anchor)
    if target is None:
        raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}", event.start_mark)
    if target.scalar is None and not target.done:
        raise _LoadError(event.start_mark.line + 1, pointer, f"the alias *{event.anchor} is inside the node it names")
    return target


def _alias(event: Event, pointer: str, anchors: Anchors, lines: dict[str, int], count: int) -> tuple[Any, int]:
    """A copy of what an alias names, at `pointer`, and the count of nodes so far."""
    target = _target(event, pointer, anchors)
    if target.scalar is not None:
        return _scalar(target.scalar, pointer), count
    result: list[Any] = [None]
    stack: list[tuple[Any, str, str, Any, Any]] = [(target.value, target.pointer, pointer, result, 0)]
    while stack:
        value, source, at, parent, key = stack.pop()
        if parent is not result:  # the alias itself is counted, and located, already
            count += 1
            if count > MAX_NODES:
                raise _LoadError(lines[source], at, TOO_MANY)
            lines[at] = lines[source]
        copy: Any
        if isinstance(value, dict):
            parent[key] = copy = dict.fromkeys(value)
            children = [(v, join(source, k), join(at, k), copy, k) for k, v in value.items()]
        elif isinstance(value, list):
            parent[key] = copy = [None] * len(value)
            children = [(v, join(source, i), join(at, i), copy, i) for i, v in enumerate(value)]
        else:
            parent[key] = value
            continue
        stack.extend(reversed(children))
    return result[0], count


def _tag(event: Event) -> str:
    if event.tag not in (None, "!"):
        return str(event.tag)
    if not event.implicit[0]:
        return _STR
    return str(_SCALARS.resolve(yaml.ScalarNode, event.value, event.implicit))  # type: ignore[no-untyped-call]


def _scalar(event: Event, pointer: str) -> Any:
    """A scalar as JSON would see it: dates stay strings, no custom tags."""
    tag = _tag(event)
    if tag == _STR or tag == _TIMESTAMP:
        value = event.value
    else:
        construct = _SCALARS.yaml_constructors.get(tag)
        if construct is None:
            raise _LoadError(event.start_mark.line + 1, pointer, f"unsupported YAML tag {tag}")
        value = construct(_SCALARS, yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style))
    return _text(value) if isinstance(value, str) else value


def _key(event: Event, pointer: str, anchors: Anchors) -> str:
    if type(event) is yaml.AliasEvent:
        event = _target(event, pointer, anchors).scalar or event
    line = event.start_mark.line + 1
    if type(event) is not yaml.ScalarEvent:
        raise _LoadError(line, pointer, "a mapping key must be a scalar")
    if event.value == "<<" and _tag(event) == _MERGE:
        raise _LoadError(line, pointer, "YAML merge keys (<<) are not supported")
    # OpenAPI keys are strings: status codes such as 200 stay "200".
    return _text(event.value)


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
                root.include(key, external)
                root.files[key] = external.display
                root.sources.append(target)
                queue.append((key, target))
            node["$ref"] = "#" + prefixes[target] + fragment
    return root


def _ref_holders(data: Any, prefix: str) -> list[tuple[str, dict[str, Any]]]:
    """Every mapping with a string `$ref` in `data` (found at `prefix`), with its
    pointer; none in the spec's own `/x-bundled`."""
    return [
        (pointer, node)
        for pointer, node in mappings(data, prefix, reverse=True)
        if isinstance(node.get("$ref"), str) and (prefix or not (pointer == BUNDLE or pointer.startswith(BUNDLE + "/")))
    ]
