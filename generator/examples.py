"""Example calls for generated documentation, built from the model."""

from __future__ import annotations

from dataclasses import dataclass, field

from .identifiers import Code, literal
from .model import Api, ListOf, LiteralOf, MapOf, Operation, PyType, Scalar, UnionOf
from .model.types import ANY

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


@dataclass
class Example:
    """A call to show in a README: which method, with which arguments, needing which imports."""

    operation: Operation
    arguments: Code = Code("")
    modules: set[str] = field(default_factory=set)  # `datetime`, `models`: what the arguments name

    @property
    def method(self) -> Code:
        """The method as reached from a client: `meetings.get_meeting`."""
        op = self.operation
        return Code(f"{op.resource}.{op.method_name}" if op.resource else op.method_name)

    @property
    def raw_method(self) -> Code:
        op = self.operation
        owner = f"{op.resource}.with_raw_response" if op.resource else "with_raw_response"
        return Code(f"{owner}.{op.method_name}")

    @property
    def iter_method(self) -> Code:
        op = self.operation
        return Code(f"{op.resource}.{op.iter_method_name}" if op.resource else str(op.iter_method_name))

    @property
    def uses_datetime(self) -> bool:
        return "datetime" in self.modules

    @property
    def uses_models(self) -> bool:
        return "models" in self.modules


def example_value(api: Api, type_: PyType, depth: int = 0, modules: set[str] | None = None) -> Code:
    """A Python expression of `type_`: required fields only, first enum member; the
    modules it names are added to `modules`."""
    modules = set() if modules is None else modules
    if isinstance(type_, LiteralOf):
        return literal(type_.values[0])
    if isinstance(type_, Scalar):
        if type_ != ANY:  # whose example is None
            modules |= type_.imports()
        return Code(SCALARS[type_.python])
    if isinstance(type_, ListOf):
        return Code(f"[{example_value(api, type_.item, depth + 1, modules)}]" if depth < 3 else "[]")
    if isinstance(type_, MapOf):
        return Code("{}")
    if isinstance(type_, UnionOf):
        return example_value(api, next(o for o in type_.options if o != Scalar("None")), depth, modules)
    modules.add("models")
    if type_.is_enum:
        enum = next(e for e in api.enums if e.name == type_.name)
        return Code(f"models.{enum.name}.{enum.members[0].name}")
    alias = next((a for a in api.aliases if a.name == type_.name), None)
    if alias is not None:  # a union: an example of its first option
        return example_value(api, alias.options[0], depth, modules)
    model = next(m for m in api.models if m.name == type_.name)
    fields = [f"{f.name}={example_value(api, f.type, depth + 1, modules)}" for f in model.fields if f.required]
    return Code(f"models.{model.name}({', '.join(fields)})")


def example_call(api: Api, op: Operation) -> Example:
    """A call to `op` with its path parameters, required keywords and body."""
    example = Example(op)
    parts: list[str] = [example_value(api, p.type, 0, example.modules) for p in op.path_parameters]
    parts += [
        f"{p.name}={example_value(api, p.type, 0, example.modules)}"
        for p in op.keyword_parameters
        if p.required and not p.default
    ]
    if op.body is not None and op.body.required:
        parts.append(f"body={example_value(api, op.body.type, 0, example.modules)}")
    example.arguments = Code(", ".join(parts))
    return example


def example(api: Api) -> Example | None:
    """The call the README shows: a GET that returns something, if there is one;
    None for an API without operations."""
    reads = [op for op in api.operations if op.http_method == "GET" and op.return_annotation != "None"]
    plain = [op for op in reads if op.pagination is None]
    op = next(iter(plain or reads or api.operations), None)
    return None if op is None else example_call(api, op)


def paging_example(api: Api) -> Example | None:
    """The auto-paging call the README shows, if any operation pages."""
    return example_call(api, api.paginated[0]) if api.paginated else None


def credential_arguments(api: Api) -> Code:
    """What the README's examples pass to the client: credentials, and the server
    when the API has no default one."""
    needed = dict.fromkeys(param for scheme in api.security_schemes for param, _ in scheme.needed)
    arguments = [f"{p}={literal('YOUR_' + p.upper())}" for p in needed]
    if not api.base_url:
        arguments.append(f"base_url={literal(api.documented_url or 'https://api.example.com')}")
    return Code(", ".join(arguments))


FAKE_ROOT = "http://127.0.0.1:8000"  # where `python -m generator serve` listens by default
# What the fake accepts (the server runtime's `Credentials()`), by scheme kind.
FAKE_SECRETS = {
    "bearer": ["test-token"],
    "api_key": ["test-key"],
    "basic": ["user", "password"],
    "oauth2": ["test-client", "test-secret"],
}


def fake_arguments(api: Api) -> Code:
    """The client's arguments for the served fake: its test credentials and URLs."""
    secrets = {
        param: secret
        for scheme in api.security_schemes
        for (param, _), secret in zip(scheme.needed, FAKE_SECRETS.get(scheme.kind, []))
    }
    arguments = [f"{param}={literal(secret)}" for param, secret in secrets.items()]
    arguments.append(f"base_url={literal(FAKE_ROOT + api.server.base_path)}")
    if api.oauth and api.server.token_path:
        arguments.append(f"token_url={literal(FAKE_ROOT + api.server.token_path)}")
    return Code(", ".join(arguments))


def unified_arguments(api: Api) -> Code:
    """`connect`'s arguments for the served fake: the client's, and a value for each
    of the vendor's context names (the fake takes any)."""
    context = api.unified.context if api.unified is not None else ()
    return Code(", ".join([fake_arguments(api), *(f"{name}={literal('example-' + name)}" for name in context)]))
