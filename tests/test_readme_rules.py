"""The README's rule table and `lint --list-rules` say the same."""

from __future__ import annotations

import re

from click.testing import CliRunner
from conftest import ROOT

from generator.cli import main
from generator.rules import catalogue

ROW = re.compile(r"^\| `(?P<rule>[a-z0-9-]+)` \| (?P<severity>error|warning) \| (?P<summary>.*) \|$")


def readme_rules() -> dict[str, tuple[str, str]]:
    """The rows of the README's `| rule | default | what it asks |` table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("| rule | default | what it asks |\n| --- | --- | --- |\n", 1)[1].split("\n\n", 1)[0]
    rows = [ROW.match(line) for line in table.splitlines()]
    assert all(rows), table
    return {row["rule"]: (row["severity"], row["summary"]) for row in rows if row}


def test_the_readme_table_is_the_catalogue() -> None:
    assert readme_rules() == catalogue()
    assert list(readme_rules()) == list(catalogue())  # in the same order


def test_list_rules_prints_the_readme_table() -> None:
    printed = CliRunner().invoke(main, ["lint", "--list-rules"]).output.splitlines()
    assert printed == [f"{rule} ({severity}): {summary}" for rule, (severity, summary) in readme_rules().items()]
