"""Generated packages as installable distributions (`generate --dist DIR`): each
package in `DIR/<name>/<name>/`, beside its own `pyproject.toml` and README.

The distribution's name is the package's (`calendar_api` -> `calendar-api`); its
version is the spec's `info.version` as PEP 440 reads it (`pep440`); it depends
on the libraries the runtime imports, with the ranges our own pyproject.toml
declares for them (read from the generator's installed metadata, `requirements`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import PurePosixPath

import jinja2
from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import InvalidVersion, Version

from .identifiers import Code
from .model import Api
from .problems import GeneratorError, Problem
from .render import header
from .sources import GENERATOR_NAME

# What the generated package imports, by part: the client is the distribution's
# dependencies, the server and its fake an extra. The ranges are pyproject.toml's.
CLIENT = ("httpx", "pydantic")
SERVER = ("fastapi", "jsonschema", "python-multipart")
TESTED_WITH = "dev"  # the extra of our pyproject.toml that names the ranges the runtime is tested with


@dataclass(frozen=True)
class Distribution:
    """What a package's pyproject.toml says; templates/dist/pyproject.toml.jinja prints it."""

    name: str
    version: str
    description: str
    requires_python: str
    dependencies: list[str]
    server: list[str]  # the `server` extra
    packages: list[str]  # dotted, the package first
    package_data: dict[str, list[str]]  # package -> the files in it that are not Python modules
    build_requires: str = "setuptools>=68"  # pyproject.toml's [project] table, and package data by glob
    build_backend: str = "setuptools.build_meta"


def pep440(version: str) -> str:
    """The spec's `info.version` as a valid, normalised PEP 440 version.

    A version PEP 440 reads is kept in its normal form (`v2` -> `2`, `1.0-beta` ->
    `1.0b0`, `2.0.0-rc.1` -> `2.0.0rc1`). Otherwise its leading numbers (separated
    by dots, dashes or underscores) are the release and the rest a local label
    (`1.0.0-SNAPSHOT` -> `1.0.0+snapshot`, `2023-01-15` -> `2023.1.15`); with no
    leading number the release is 0 (`latest` -> `0+latest`, `` -> `0`).
    """
    text = version.strip()
    try:
        return str(Version(text))
    except InvalidVersion:
        pass
    found = re.match(r"[vV]?(\d+(?:[._-]\d+)*)(.*)", text, re.DOTALL)
    release, rest = (found.group(1), found.group(2)) if found else ("0", text)
    numbers = ".".join(str(int(n)) for n in re.split(r"[._-]", release))
    label = ".".join(re.findall(r"[a-z0-9]+", rest.lower()))  # ASCII letters and digits, in runs
    return str(Version(f"{numbers}+{label}" if label else numbers))


def distribution_name(package: str) -> str:
    """The package's name, normalised as PEP 503 spells a distribution."""
    return re.sub(r"[-_.]+", "-", package).lower()


@cache
def requirements() -> tuple[dict[str, str], str]:
    """Each library's requirement as our pyproject.toml's `dev` extra states it
    (`httpx>=0.27`), and our `requires-python`: from the generator's metadata,
    which pip writes from pyproject.toml at install."""
    try:
        declared = metadata.requires(GENERATOR_NAME) or []
        requires_python = metadata.metadata(GENERATOR_NAME)["Requires-Python"] or ""
    except metadata.PackageNotFoundError:
        raise _error(f"{GENERATOR_NAME} is not installed (`pip install .`): its metadata names the ranges") from None
    found: dict[str, str] = {}
    for text in declared:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue
        marker = requirement.marker
        if marker is not None and marker.evaluate({"extra": TESTED_WITH}) and not marker.evaluate({"extra": ""}):
            found[distribution_name(requirement.name)] = f"{requirement.name}{requirement.specifier}"
    missing = [name for name in (*CLIENT, *SERVER) if name not in found]
    if missing:
        raise _error(f"the {TESTED_WITH!r} extra of {GENERATOR_NAME} does not name {', '.join(missing)}")
    return found, requires_python


def _error(message: str) -> GeneratorError:
    return GeneratorError([Problem("pyproject.toml", 1, "", message, "config")])


def distribution(api: Api, files: Mapping[PurePosixPath, str]) -> Distribution:
    """The distribution of `api`'s package, whose rendered `files` are keyed below it."""
    ranges, requires_python = requirements()
    packages: list[str] = []
    data: dict[str, list[str]] = {}
    for path in sorted(files, key=lambda p: (len(p.parts), p)):
        owner = ".".join(path.parent.parts)
        if path.name == "__init__.py":
            packages.append(owner)
        elif path.suffix != ".py":
            data.setdefault(owner, []).append(path.name)
    return Distribution(
        name=distribution_name(api.package),
        version=pep440(api.version),
        description=f"A typed Python client for {api.title} ({api.version}), generated from {api.source}",
        requires_python=requires_python,
        dependencies=[ranges[name] for name in CLIENT],
        server=[ranges[name] for name in SERVER],
        packages=packages,
        package_data=data,
    )


README = PurePosixPath("README.md")


def distributions(
    apis: list[Api], files: Mapping[PurePosixPath, str], env: jinja2.Environment
) -> dict[PurePosixPath, str]:
    """The rendered packages (`files`, a folder per package) each as a distribution:
    `<name>/pyproject.toml`, `<name>/README.md` (the package's), `<name>/<name>/...`."""
    out: dict[PurePosixPath, str] = {}
    template = env.get_template("dist/pyproject.toml.jinja")
    for api in apis:
        root = PurePosixPath(api.package)
        own = {path: text for path, text in files.items() if path.parts[0] == root.name}
        out.update({root / path: text for path, text in own.items()})
        out[root / "pyproject.toml"] = template.render(dist=distribution(api, own), header=Code(header(api.source)))
        out[root / README] = own[root / README]
    return out
