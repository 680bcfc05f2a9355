"""Compare the operations of two documents: methods, parameters, bodies and responses."""

from __future__ import annotations

from typing import Any

from .. import paths
from ..model.operations import base_type, status_key
from ..pointers import deref, join
from .effects import Surface, argument_effect
from .found import Found, removed, route
from .schemas import Direction, Pair, SchemaComparison, shown


def _key(operation: paths.Operation) -> tuple[str, str]:
    return route(operation.method, str(operation.path))


def _parameter_key(parameter: paths.Parameter) -> tuple[str, str]:
    name, location = parameter.key
    return location, name.lower() if location == "header" else name


def _operations(data: Any) -> dict[tuple[str, str], paths.Operation]:
    return {_key(op): op for op in paths.operations(data) if op.path is not None and isinstance(op.node, dict)}


def _get(node: Any, key: str) -> Any:
    return node.get(key) if isinstance(node, dict) else None


def _content(data: Any, pointer: str, node: Any) -> dict[str, tuple[str, Any]]:
    """The media types of a body or response, by base type: (pointer of the schema, schema)."""
    content = _get(node, "content")
    found: dict[str, tuple[str, Any]] = {}
    for media_type, media in content.items() if isinstance(content, dict) else ():
        if isinstance(media, dict) and "schema" in media:
            found.setdefault(base_type(media_type), (join(pointer, "content", media_type, "schema"), media["schema"]))
        elif isinstance(media, dict):
            found.setdefault(base_type(media_type), (join(pointer, "content", media_type), {}))
    return found


def _success(status: str) -> bool:
    return status.startswith("2")


class OperationComparison:
    """The changes between the operations of two documents, and of everything they reach."""

    def __init__(self, old: Any, new: Any, old_surface: Surface, new_surface: Surface) -> None:
        self.old, self.new = old, new
        self.old_surface, self.new_surface = old_surface, new_surface
        self.schemas = SchemaComparison(old, new, old_surface, new_surface)
        self.found: list[Found] = []

    def run(self) -> list[Found]:
        before, after = _operations(self.old), _operations(self.new)
        for key, operation in before.items():
            if key not in after:
                call = self.old_surface.call(operation.pointer)
                message = f"{operation.method.upper()} {operation.path} is removed"
                self.found.append(
                    removed("operation-removed", operation.pointer, message, f"{call} is removed" if call else "")
                )
        for key, operation in after.items():
            if key not in before:
                call = self.new_surface.call(operation.pointer)
                message = f"{operation.method.upper()} {operation.path} is added"
                self.found.append(
                    Found("operation-added", operation.pointer, message, f"{call} is added" if call else "")
                )
            else:
                self._operation(before[key], operation)
        return self.found + self.schemas.found

    def _operation(self, old: paths.Operation, new: paths.Operation) -> None:
        label = f"{new.method.upper()} {new.path}"
        before, after = self.old_surface.call(old.pointer), self.new_surface.call(new.pointer)
        if before and after and before != after:
            renamed = _get(old.node, "operationId") != _get(new.node, "operationId")
            rule = "operation-id-changed" if renamed else "operation-moved"
            pointer = join(new.pointer, "operationId") if renamed and "operationId" in new.node else new.pointer
            what = "its operationId changes" if renamed else "it moves to another resource"
            self.found.append(Found(rule, pointer, f"{label}: {what}", f"{before} becomes {after}"))
        if new.node.get("deprecated") is True and old.node.get("deprecated") is not True:
            self.found.append(Found("operation-deprecated", join(new.pointer, "deprecated"), f"{label} is deprecated"))
        self._parameters(old, new, label)
        self._body(old, new, label)
        self._responses(old, new, label)

    def _parameters(self, old: paths.Operation, new: paths.Operation, label: str) -> None:
        before = {_parameter_key(p): p for p in old.parameters if isinstance(p.node, dict)}
        after = {_parameter_key(p): p for p in new.parameters if isinstance(p.node, dict)}
        for key, parameter in before.items():
            if key not in after:
                effect = argument_effect(self.old_surface, old.pointer, *parameter.key[::-1], "loses the")
                message = f"{label}: the {key[0]} parameter {parameter.key[0]!r} is removed"
                self.found.append(removed("request-parameter-removed", parameter.site, message, effect))
        for key, parameter in after.items():
            name, location = parameter.key
            required = parameter.node.get("required") is True or location == "path"
            if key not in before:
                kind = "required" if required else "optional"
                effect = argument_effect(self.new_surface, new.pointer, location, name, f"gains the {kind}")
                message = f"{label} has the new {kind} {location} parameter {name!r}"
                self.found.append(Found(f"new-{kind}-request-parameter", parameter.site, message, effect))
                continue
            self._parameter(old, new, before[key], parameter, required, label)

    def _parameter(
        self,
        old: paths.Operation,
        new: paths.Operation,
        was: paths.Parameter,
        now: paths.Parameter,
        required: bool,
        label: str,
    ) -> None:
        name, location = now.key
        what = f"the {location} parameter {name!r} of {label}"
        if (was.node.get("required") is True or location == "path") != required:
            became = "required" if required else "optional"
            argument = self.new_surface.parameter(new.pointer, location, name)
            call = self.new_surface.call(new.pointer)
            effect = f"argument {argument.name} of {call} becomes {became}" if argument and call else ""
            pointer = join(now.pointer, "required")
            self.found.append(Found(f"request-parameter-became-{became}", pointer, f"{what} becomes {became}", effect))
        old_schema, new_schema = _get(was.node, "schema"), _get(now.node, "schema")
        if isinstance(old_schema, dict) and isinstance(new_schema, dict):
            before = _get(deref(self.old, "", old_schema)[1], "default")
            after = _get(deref(self.new, "", new_schema)[1], "default")
            if before != after:
                message = f"the default of {what} changes from {shown(before)} to {shown(after)}"
                effect = self._argument_default(old, new, location, name)
                self.found.append(
                    Found("request-parameter-default-changed", join(now.pointer, "schema"), message, effect)
                )
            self.schemas.compare(
                Pair(
                    (join(was.pointer, "schema"), old_schema),
                    (join(now.pointer, "schema"), new_schema),
                    "parameter",
                    what,
                    type_effect=self._argument_type(old, new, location, name),
                ),
                "request",
            )

    def _argument_default(self, old: paths.Operation, new: paths.Operation, location: str, name: str) -> str:
        before = self.old_surface.parameter(old.pointer, location, name)
        after = self.new_surface.parameter(new.pointer, location, name)
        call = self.new_surface.call(new.pointer)
        if before is None or after is None or before.default == after.default:
            return ""
        return f"argument {after.name} of {call} defaults to {after.default or 'None'} (was {before.default or 'None'})"

    def _argument_type(self, old: paths.Operation, new: paths.Operation, location: str, name: str) -> str:
        before = self.old_surface.parameter(old.pointer, location, name)
        after = self.new_surface.parameter(new.pointer, location, name)
        call = self.new_surface.call(new.pointer)
        if before is None or after is None or before.annotation == after.annotation:
            return ""
        return f"argument {after.name} of {call} changes from {before.annotation} to {after.annotation}"

    def _body(self, old: paths.Operation, new: paths.Operation, label: str) -> None:
        old_at, old_body = deref(self.old, join(old.pointer, "requestBody"), old.node.get("requestBody"))
        new_at, new_body = deref(self.new, join(new.pointer, "requestBody"), new.node.get("requestBody"))
        call = self.new_surface.call(new.pointer) or self.old_surface.call(old.pointer)
        if not isinstance(new_body, dict):
            if isinstance(old_body, dict):
                effect = f"{call} loses the argument body" if call else ""
                self.found.append(
                    removed("request-body-removed", old_at, f"{label}: the request body is removed", effect)
                )
            return
        required = new_body.get("required") is True
        kind = "required" if required else "optional"
        if not isinstance(old_body, dict):
            effect = f"{call} gains the {kind} argument body" if call else ""
            self.found.append(
                Found(f"new-{kind}-request-body", new_at, f"{label} has a new {kind} request body", effect)
            )
            return
        if (old_body.get("required") is True) != required:
            effect = f"argument body of {call} becomes {kind}" if call else ""
            message = f"the request body of {label} becomes {kind}"
            self.found.append(Found(f"request-body-became-{kind}", join(new_at, "required"), message, effect))
        self._media(
            old_at, old_body, new_at, new_body, "request", f"the request body of {label}", self._body_type(old, new)
        )

    def _body_type(self, old: paths.Operation, new: paths.Operation) -> str:
        before, after = self.old_surface.operations.get(old.pointer), self.new_surface.operations.get(new.pointer)
        if not (before and after and before.body and after.body) or before.body.annotation == after.body.annotation:
            return ""
        return f"argument body of {after.call_name} changes from {before.body.annotation} to {after.body.annotation}"

    def _returns(self, old: paths.Operation, new: paths.Operation) -> str:
        before, after = self.old_surface.operations.get(old.pointer), self.new_surface.operations.get(new.pointer)
        if not (before and after) or before.return_annotation == after.return_annotation:
            return ""
        return f"{after.call_name} returns {after.return_annotation} instead of {before.return_annotation}"

    def _media(
        self, old_at: str, old: Any, new_at: str, new: Any, direction: Direction, where: str, type_effect: str
    ) -> None:
        before, after = _content(self.old, old_at, old), _content(self.new, new_at, new)
        for media_type, (pointer, _) in before.items():
            if media_type not in after:
                message = f"{where} no longer has the media type {media_type}"
                self.found.append(removed(f"{direction}-media-type-removed", pointer, message))
        for media_type, (pointer, schema) in after.items():
            if media_type not in before:
                self.found.append(
                    Found(f"{direction}-media-type-added", pointer, f"{where} has the new media type {media_type}")
                )
                continue
            shown = where if len(after) == 1 else f"{where} ({media_type})"
            self.schemas.compare(
                Pair(before[media_type], (pointer, schema), "body", shown, type_effect=type_effect), direction
            )

    def _responses(self, old: paths.Operation, new: paths.Operation, label: str) -> None:
        def responses(data: Any, operation: paths.Operation) -> dict[str, tuple[str, str, Any]]:
            """(where it is listed, where its `$ref`s lead, the response) by status."""
            found = _get(operation.node, "responses")
            at = join(operation.pointer, "responses")
            entries = found.items() if isinstance(found, dict) else ()
            return {status_key(str(k)): (join(at, str(k)), *deref(data, join(at, str(k)), v)) for k, v in entries}

        before, after = responses(self.old, old), responses(self.new, new)
        returns = self._returns(old, new)
        for status, (site, _, _) in before.items():
            if status not in after:
                rule = "response-status-removed" if _success(status) else "response-error-status-removed"
                message = f"{label} no longer answers {status}"
                self.found.append(removed(rule, site, message, returns if _success(status) else ""))
        for status, (site, pointer, response) in after.items():
            if status not in before:
                rule = "response-success-status-added" if _success(status) else "response-error-status-added"
                self.found.append(
                    Found(rule, site, f"{label} may answer {status}", returns if _success(status) else "")
                )
                continue
            _, old_at, old_response = before[status]
            where = f"the {status} response of {label}"
            self._media(old_at, old_response, pointer, response, "response", where, returns if _success(status) else "")
