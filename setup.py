"""What pyproject.toml cannot say: the templates, kept in `templates/` at the root,
ship as the package data of `generator.templates` (generator/shipped.py finds them)."""

from setuptools import find_namespace_packages, find_packages, setup

TEMPLATES = ["generator.templates", *(f"generator.templates.{name}" for name in find_namespace_packages("templates"))]

setup(
    # Every package below generator/, found rather than listed (a list missed generator.model.schemas).
    packages=[*find_packages(include=["generator*"]), *TEMPLATES],
    package_dir={"generator.templates": "templates"},
    package_data={name: ["*.jinja"] for name in TEMPLATES},
)
