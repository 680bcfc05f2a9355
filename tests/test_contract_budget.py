"""`make contract`'s share of examples per operation, and the operations it leaves
to the fake's 501 (those without an action)."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import contract
import pytest
from conftest import ROOT

from generator.sources import discover, package_name


def test_a_large_spec_shares_the_examples_of_a_small_one() -> None:
    budget = contract.EXAMPLES * contract.BUDGET_OPERATIONS
    assert contract.examples(1) == contract.examples(contract.BUDGET_OPERATIONS) == contract.EXAMPLES
    assert contract.examples(10 * contract.BUDGET_OPERATIONS) * 10 * contract.BUDGET_OPERATIONS <= budget
    assert contract.examples(10**6) == contract.MIN_EXAMPLES


@pytest.mark.parametrize("vendor", [package_name(p) for p in discover(ROOT / "specs")])
def test_only_operations_with_a_fake_action_are_included(vendor: str) -> None:
    server = importlib.import_module(f"generated.{vendor}.server")
    actions = importlib.import_module(f"generated.{vendor}._server_config").ACTIONS
    included, count = contract.acted(server, actions)
    with_action = [route for route in server.ROUTES if route.name in actions]
    assert count == len(with_action)
    assert len(included) == (0 if count in (0, len(server.ROUTES)) else 2 * count)
    if with_action:  # one action less: that operation is left out, the others named
        first, *rest = with_action
        included, count = contract.acted(server, {route.name: actions[route.name] for route in rest})
        assert count == len(rest)
        assert included[::2] == ["--include-operation-id"] * len(rest)
        assert set(included[1::2]) == {server.SPEC["paths"][r.path][r.method.lower()]["operationId"] for r in rest}


def test_a_spec_without_fake_actions_is_skipped_not_failed() -> None:
    server = SimpleNamespace(ROUTES=[SimpleNamespace(name="a")], SPEC={})
    assert contract.acted(server, {}) == ([], 0)
