"""Render an `Api` through the Jinja2 templates into source files, in memory."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import MISSING, Field, dataclass, fields, is_dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from . import examples, identifiers
from .format import parameter
from .identifiers import Code
from .model import Api
from .model.api import Argument
from .runtime._unified_records import FIELDS
from .shipped import GENERATOR, TEMPLATES
from .sources import GENERATOR_NAME, MARKER

RUNTIME = GENERATOR / "runtime"


def header(source: str) -> Code:
    """The first line of every generated file (after its comment sign)."""
    return identifiers.comment(f"{MARKER}{source}; do not edit: change the spec or templates and regenerate.")


@dataclass(frozen=True)
class Variant:
    """What differs between the sync and the async twin of a class."""

    prefix: Code  # class-name prefix: "" or "Async"
    base: Code  # runtime base class
    def_: Code  # "def" or "async def"
    await_: Code  # "" or "await "
    with_: Code  # "with" or "async with"
    iterator: Code  # what an auto-paging method returns
    raw_wrapper: Code  # the runtime's raw-response wrapper
    resource_base: Code  # the runtime base class of a resource


VARIANTS = (
    Variant(
        Code(""),
        Code("SyncAPIClient"),
        Code("def"),
        Code(""),
        Code("with"),
        Code("Iterator"),
        Code("raw_response_wrapper"),
        Code("SyncAPIResource"),
    ),
    Variant(
        Code("Async"),
        Code("AsyncAPIClient"),
        Code("async def"),
        Code("await "),
        Code("async with"),
        Code("AsyncIterator"),
        Code("async_raw_response_wrapper"),
        Code("AsyncAPIResource"),
    ),
)


# Each resource's modules: (folder, template, the folder's docstring).
RESOURCE_MODULES = (
    ("resources", "resource/resource.py.jinja", "The client's resources: one module each, imported on first use."),
    ("handlers", "resource/handlers.py.jinja", "The server's handlers and routes, one module per resource."),
)


def _only_code(value: Any) -> Any:
    """Jinja `finalize`: refuse to emit spec text that was not escaped."""
    if isinstance(value, (Code, bool, int)) or value is None:
        return "" if value is None else value
    raise TypeError(f"template emitted unescaped text {value!r}; pass it through a filter")


def argument_line(argument: Argument) -> Code:
    """A method's argument on a line of its own, shaped as both formatters keep it."""
    return Code(parameter(argument.name, argument.annotation, argument.default))


def environment(root: Path = TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root),
        undefined=jinja2.StrictUndefined,
        finalize=_only_code,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # the output is Python, escaped by the filters below
    )
    env.filters["literal"] = identifiers.literal
    env.filters["docstring"] = identifiers.docstring
    # `{{ some_macro(...) | macro }}`: a macro's output is template text whose
    # spec parts already went through the filters above. Never use it on data.
    env.filters["macro"] = Code
    env.filters["text"] = identifiers.comment  # spec text in Markdown: one line, printable
    env.filters["constructor"] = constructor
    env.filters["parameter"] = argument_line
    env.filters["toml"] = identifiers.toml  # spec text in a distribution's pyproject.toml
    env.globals.update(
        example=examples.example,
        paging_example=examples.paging_example,
        credential_arguments=examples.credential_arguments,
        fake_arguments=examples.fake_arguments,
        unified_arguments=examples.unified_arguments,
        fake_root=Code(examples.FAKE_ROOT),
        spec_json=spec_json,
    )
    return env


def constructor(value: Any) -> Code:
    """A model record (a dataclass) as a call of the runtime class of the same name,
    its fields as keyword arguments (those at their defaults left out); any other
    value as a literal. Spec text in it is escaped by `identifiers.literal`."""
    if is_dataclass(value) and not isinstance(value, type):
        arguments = [
            f"{f.name}={constructor(getattr(value, f.name))}"
            for f in fields(value)
            if not _at_default(f, getattr(value, f.name))
        ]
        return Code(f"{type(value).__name__}({', '.join(arguments)})")
    if isinstance(value, dict):
        items = (f"{identifiers.literal(str(k))}: {constructor(v)}" for k, v in value.items())
        return Code("{" + ", ".join(items) + "}")
    if isinstance(value, tuple):
        members = [constructor(v) for v in value]
        return Code("(" + ", ".join(members) + ("," if len(members) == 1 else "") + ")")
    if isinstance(value, list):
        return Code("[" + ", ".join(constructor(v) for v in value) + "]")
    return identifiers.literal(value)


def _at_default(field: Field[Any], value: Any) -> bool:
    if field.default is not MISSING:
        return bool(value == field.default)
    if field.default_factory is not MISSING:
        return bool(value == field.default_factory())
    return False


def spec_json(api: Api, header: str) -> Code:
    """The spec as JSON, the generated-file marker first: a line for each path, each
    component and each other top-level entry, so a change shows as a line of a
    diff; each line written by the standard library's C encoder (`indent=` is not)."""
    text = _json_text({"x-generated": header, **api.document}, 2, "")
    return Code("{" + text.removeprefix("{\n ") if text.startswith("{\n") else text)  # the marker on line 1


def _json_text(value: Any, depth: int, indent: str) -> str:
    """`value` as JSON; a non-empty mapping a line per entry while `depth` lasts
    (one level more below `components`)."""
    if not isinstance(value, dict) or not value or depth <= 0:
        return json.dumps(value, ensure_ascii=False)
    inner = indent + " "
    entries = [
        f"{inner}{json.dumps(key, ensure_ascii=False)}: {_json_text(item, depth - (key != 'components'), inner)}"
        for key, item in value.items()
    ]
    return "{\n" + ",\n".join(entries) + "\n" + indent + "}"


def render(api: Api, env: jinja2.Environment, import_prefix: str = "") -> dict[PurePosixPath, str]:
    """Every file of `api`'s package, keyed by its path below the output root.

    `import_prefix` is the dotted path of the output root (`generated.`), as the
    package's README imports it.
    """
    package = PurePosixPath(api.package)
    context = {
        "api": api,
        "import_path": Code(import_prefix + api.package),
        "header": header(api.source),
        "user_agent": f"{api.package}/{api.version} ({GENERATOR_NAME})",
        "variants": VARIANTS,
    }
    files = {}
    for name in sorted(env.list_templates(filter_func=lambda n: n.startswith("client/"))):
        relative = PurePosixPath(name).relative_to("client")
        files[package / relative.with_suffix("")] = env.get_template(name).render(context)
    files.update(_models(api, env, context, package))
    for folder, template, summary in RESOURCE_MODULES if api.resources else ():
        folder_docstring = env.get_template("resource/package.py.jinja")
        files[package / folder / "__init__.py"] = folder_docstring.render(context, summary=Code(summary))
        for resource in api.resources:
            module = package / folder / f"{resource.attribute}.py"
            files[module] = env.get_template(template).render(context, resource=resource)
    return files


def _models(
    api: Api, env: jinja2.Environment, context: dict[str, Any], package: PurePosixPath
) -> dict[PurePosixPath, str]:
    """`models.py`, or the `models` package when its parts are many."""
    module = env.get_template("models/module.py.jinja")
    if len(api.model_parts) == 1:
        return {package / "models.py": module.render(context, part=api.model_parts[0])}
    folder = package / "models"
    files = {
        folder / "__init__.py": env.get_template("models/package.py.jinja").render(context),
        folder / "_base.py": env.get_template("models/base.py.jinja").render(context),
    }
    for part in api.model_parts:
        files[folder / f"{part.module}.py"] = module.render(context, part=part)
    return files


def runtime(api: Api) -> dict[PurePosixPath, str]:
    """The runtime modules, copied into `api`'s package as they are but for a header line.

    They are ordinary, formatted source (`generator/runtime/`), so they are never
    formatted again.
    """
    first = f"# {header(api.source)}\n"
    sources = _runtime_sources()
    return {PurePosixPath(api.package, name): first + source for name, source in sources if name not in UNIFIED}


UNIFIED = ("_unified.py", "_unified_records.py")  # the runtime of the `meetings` package alone
MEETINGS = PurePosixPath("meetings")


def meetings(
    apis: Sequence[Api], env: jinja2.Environment, import_prefix: str = ""
) -> tuple[dict[PurePosixPath, str], dict[PurePosixPath, str]]:
    """The `meetings` package, one interface over every API whose spec maps onto it
    (`x-unified`): its rendered files, and its runtime, copied; nothing when no
    spec does."""
    vendors = [api for api in apis if api.unified is not None]
    if not vendors:
        return {}, {}
    context = {
        "vendors": vendors,
        "header": header(", ".join(api.source for api in vendors)),
        "import_path": Code(import_prefix + str(MEETINGS)),
        "fields": [Code(name) for name in FIELDS],
    }
    files = {
        MEETINGS / PurePosixPath(name).relative_to("meetings").with_suffix(""): env.get_template(name).render(context)
        for name in sorted(env.list_templates(filter_func=lambda n: n.startswith("meetings/")))
    }
    first = f"# {context['header']}\n"
    return files, {MEETINGS / name: first + source for name, source in _runtime_sources() if name in UNIFIED}


@functools.cache
def _runtime_sources() -> tuple[tuple[str, str], ...]:
    """Each runtime module's file name and source, read once per process."""
    return tuple((path.name, path.read_text("utf-8")) for path in sorted(RUNTIME.glob("_[!_]*.py")))
