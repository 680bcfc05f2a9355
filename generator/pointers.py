"""JSON pointers (RFC 6901) into a document, and the local `$ref`s that hold them."""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator
from typing import Any
from urllib.parse import unquote

DOCUMENT_URI = "urn:openapi-document"  # the base URI a document's `$ref`s resolve against, as a schema resource

MAX_REF_CHAIN = 100  # a $ref to a $ref to a $ref...: longer chains are not followed


def escape(token: str) -> str:
    """A key as a pointer writes it: `~` as `~0`, `/` as `~1`."""
    if "~" not in token and "/" not in token:
        return token  # most keys: checking is cheaper than replacing
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(pointer: str, *tokens: str | int) -> str:
    """`pointer` extended by keys and list indexes."""
    if len(tokens) == 1:  # most calls: a million on a large spec
        (token,) = tokens
        return f"{pointer}/{escape(token) if isinstance(token, str) else token}"
    return pointer + "".join("/" + escape(str(t)) for t in tokens)


def split(pointer: str) -> list[str]:
    """The keys and indexes a pointer names: `/a~1b/0` -> `["a/b", "0"]`."""
    return [unescape(token) for token in pointer.split("/")[1:]]


def resolve(data: Any, pointer: str) -> Any:
    """The value at `pointer` in `data`; KeyError if there is none."""
    node = data
    for token in split(pointer):
        if isinstance(node, list) and token.isdecimal() and int(token) < len(node):
            node = node[int(token)]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            raise KeyError(pointer)
    return node


def ref_target(ref: Any) -> str | None:
    """The pointer a local `$ref` (`#/components/...`) names; None for anything else."""
    return unquote(ref[1:]) if isinstance(ref, str) and ref.startswith("#") else None


def refers_to(node: Any) -> str | None:
    """The pointer a `{$ref: "#..."}` mapping names; None for any other value."""
    return ref_target(node.get("$ref")) if isinstance(node, dict) else None


def chain(data: Any, pointer: str, node: Any) -> Iterator[tuple[str, Any]]:
    """`(pointer, node)`, then `(target, value)` for each local `$ref` followed.

    It ends at a value that is no such reference, or before a target that does
    not resolve or was reached already (a cycle).
    """
    yield pointer, node
    seen: set[str] = set()
    while (target := refers_to(node)) is not None and target not in seen:
        seen.add(target)
        try:
            node = resolve(data, target)
        except KeyError:
            return
        yield target, node


def deref(data: Any, pointer: str, node: Any) -> tuple[str, Any]:
    """`(pointer, value)` at the end of the `chain` of `$ref`s from `node`."""
    *_, last = chain(data, pointer, node)
    return last


def walk(node: Any, pointer: str = "", skip: Container[str] = (), reverse: bool = False) -> Iterator[tuple[str, Any]]:
    """`(pointer, value)` of `node` and of everything in it, parents first, without
    recursion; `$ref`s are not followed, keys in `skip` not entered. Siblings come
    in document order or, with `reverse`, last first."""
    stack: list[tuple[str, Any]] = [(pointer, node)]
    while stack:
        pointer, node = stack.pop()
        yield pointer, node
        if isinstance(node, dict):
            children = [(join(pointer, k), v) for k, v in node.items() if k not in skip]
        elif isinstance(node, list):
            children = [(join(pointer, i), v) for i, v in enumerate(node)]
        else:
            continue
        stack.extend(children if reverse else reversed(children))


def mappings(
    node: Any, pointer: str = "", skip: Container[str] = (), reverse: bool = False
) -> Iterator[tuple[str, dict[str, Any]]]:
    """`(pointer, mapping)` of every mapping `walk` would reach, in its order; no
    pointer is made for the scalars, most of a document."""
    stack: list[tuple[str, Any]] = [(pointer, node)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):
            yield pointer, node
            items: Iterable[tuple[str | int, Any]] = [(k, v) for k, v in node.items() if k not in skip]
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        children = [(join(pointer, k), v) for k, v in items if isinstance(v, (dict, list))]
        stack.extend(children if reverse else reversed(children))


def nodes(node: Any, skip: Container[str] = ()) -> Iterator[Any]:
    """`node` and every value in it, without recursion and without making a pointer
    for any (keys in `skip` not entered): for walks that need only the values."""
    stack = [node]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, dict):
            stack.extend(value for key, value in node.items() if key not in skip)
        elif isinstance(node, list):
            stack.extend(node)


def properties(data: Any, node: Any) -> dict[str, Any]:
    """The properties of a schema and of its allOf members, `$ref`s followed, each
    schema read once (a cycle of allOf and `$ref`s ends)."""
    found: dict[str, Any] = {}
    seen: set[int] = set()
    stack = [node]
    while stack:
        _, schema = deref(data, "", stack.pop())
        if id(schema) in seen or not isinstance(schema, dict):
            continue
        seen.add(id(schema))
        if isinstance(schema.get("properties"), dict):
            found = {**schema["properties"], **found}  # the schema's own before its members'
        if isinstance(schema.get("allOf"), list):
            stack.extend(reversed(schema["allOf"]))
    return found
