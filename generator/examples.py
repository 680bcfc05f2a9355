"""Example calls for generated documentation, built from the model."""

from __future__ import annotations

from .identifiers import Code, literal
from .model import Api, ListOf, MapOf, Named, Operation, PyType, Scalar, UnionOf

SCALARS = {
    "str": '"..."',
    "bytes": 'b"..."',
    "int": "1",
    "float": "1.0",
    "bool": "True",
    "datetime.datetime": "datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.timezone.utc)",
    "datetime.date": "datetime.date(2026, 1, 5)",
    "typing.Any": "None",
    "None": "None",
}


def example_value(api: Api, type_: PyType, depth: int = 0) -> Code:
    """A Python expression of `type_`: required fields only, first enum member."""
    if isinstance(type_, Scalar):
        if type_.python.startswith("typing.Literal["):
            return Code(type_.python.removeprefix("typing.Literal[").removesuffix("]"))
        return Code(SCALARS[type_.python])
    if isinstance(type_, ListOf):
        return Code(f"[{example_value(api, type_.item, depth + 1)}]" if depth < 3 else "[]")
    if isinstance(type_, MapOf):
        return Code("{}")
    if isinstance(type_, UnionOf):
        return example_value(api, next(o for o in type_.options if o != Scalar("None")), depth)
    if type_.is_enum:
        enum = next(e for e in api.enums if e.name == type_.name)
        return Code(f"models.{enum.name}.{enum.members[0].name}")
    alias = next((a for a in api.aliases if a.name == type_.name), None)
    if alias is not None:  # a union: an example of its first option
        return example_value(api, alias.options[0], depth)
    model = next(m for m in api.models if m.name == type_.name)
    fields = [f"{f.name}={example_value(api, f.type, depth + 1)}" for f in model.fields if f.required]
    return Code(f"models.{model.name}({', '.join(fields)})")


def example_arguments(api: Api, op: Operation) -> Code:
    """The arguments of a call to `op`: path parameters, required keywords, the body."""
    parts: list[str] = [example_value(api, p.type) for p in op.path_parameters]
    parts += [f"{p.name}={example_value(api, p.type)}" for p in op.keyword_parameters if p.required and not p.default]
    if op.body is not None and op.body.required:
        parts.append(f"body={example_value(api, op.body.type)}")
    return Code(", ".join(parts))


def example_operation(api: Api) -> Operation | None:
    """The operation the README shows: a GET that returns something, if there is one;
    None for an API without operations."""
    reads = [op for op in api.operations if op.http_method == "GET" and op.return_annotation != "None"]
    plain = [op for op in reads if op.pagination is None]
    return next(iter(plain or reads or api.operations), None)


def credential_arguments(api: Api) -> Code:
    return Code(", ".join(f"{p}={literal('YOUR_' + p.upper())}" for p in api.credential_arguments))
