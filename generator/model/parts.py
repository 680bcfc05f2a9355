"""Split the models module into parts of bounded size, each importing only from earlier ones.

Types that refer to each other (a cycle) share a part; otherwise every type comes
after the types it names, so each part imports what it needs from earlier parts
at run time. An API whose models fit one part keeps a single `models.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..identifiers import Code
from .types import Alias, Enum, ListOf, MapOf, Model, Named, PyType, UnionOf

PART_LINES = 2500  # estimated lines of a part before formatting; formatting keeps them well under 5,000

Definition = Enum | Model | Alias


@dataclass
class ModelPart:
    """One module of models: its definitions, in the order they must run."""

    module: Code  # `_part1`; "" for the single `models.py`
    enums: list[Enum] = field(default_factory=list)
    models: list[Model] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    imports: list[tuple[Code, list[Code]]] = field(default_factory=list)  # (earlier part, its names used here)
    resource: str | None = None  # the one resource whose operations reach these; None: several, or none

    @property
    def names(self) -> list[Code]:
        definitions: list[Definition] = [*self.enums, *self.models, *self.aliases]
        return [d.name for d in definitions]

    @property
    def summary(self) -> str:
        """What the part holds, for its docstring."""
        if not self.module:
            return ""
        if self.resource is None:
            return "part of the `models` package: types several resources share, or none uses"
        user = f"`client.{self.resource}`" if self.resource else "the client's own operations"
        return f"part of the `models` package: types only {user} uses"

    @property
    def runtime(self) -> Code:
        """The relative import of the package root, where the runtime modules are."""
        return Code(".." if self.module else ".")

    @property
    def tagged(self) -> bool:
        """Whether a tagged union here needs the discriminator helper."""
        return any(alias.tags for alias in self.aliases)


def named(type_: PyType) -> set[str]:
    """The generated types an annotation names."""
    if isinstance(type_, Named):
        return {type_.name}
    if isinstance(type_, ListOf):
        return named(type_.item)
    if isinstance(type_, MapOf):
        return named(type_.value)
    if isinstance(type_, UnionOf):
        return set().union(*(named(o) for o in type_.options))
    return set()


def references(definition: Definition) -> set[str]:
    if isinstance(definition, Model):
        return set().union(*(named(f.type) for f in definition.fields))
    if isinstance(definition, Alias):
        return set().union(*(named(o) for o in definition.options))
    return set()


def size(definition: Definition) -> int:
    """Roughly how many lines a definition takes."""
    if isinstance(definition, Enum):
        return 12 + len(definition.members)
    if isinstance(definition, Alias):
        return 4 + 2 * len(definition.options)
    return 4 + sum(2 + 3 * f.has_alias + bool(f.description) for f in definition.fields)


def split(
    enums: list[Enum],
    models: list[Model],
    aliases: list[Alias],
    users: Mapping[str, Iterable[str]] | None = None,
    budget: int = 0,
) -> list[ModelPart]:
    """The parts, of about `budget` lines each (default `PART_LINES`); one (named "")
    when everything fits.

    `users` are the names each resource's operations name (signatures, answers,
    errors, pages), by resource. A type that only one resource reaches, directly or
    through the types that name it, goes to that resource's own parts; a type that
    several reach, to the shared parts before them; a type none reaches, to the
    parts after them. A resource's first call then imports its own parts and the
    shared ones it needs, never another resource's.
    """
    budget = budget or PART_LINES
    users = users or {}
    definitions: list[Definition] = [*enums, *models, *aliases]
    if sum(map(size, definitions)) <= budget:
        return [ModelPart(Code(""), list(enums), list(models), list(aliases))]
    by_name: dict[str, Definition] = {str(d.name): d for d in definitions}
    graph = {str(d.name): references(d) & by_name.keys() for d in definitions}
    resources = list(users)
    rank = _ranks(graph, resources, users)
    order = {str(d.name): index for index, d in enumerate(definitions)}
    by_rank: list[list[list[str]]] = [[] for _ in range(len(resources) + 2)]
    for component in components(graph):
        by_rank[rank[component[0]]].append(component)
    groups: list[tuple[str | None, list[Definition]]] = []
    for key, found in enumerate(by_rank):  # the shared types, each resource's, then the others
        lines = 0
        for component in found:
            members = [by_name[name] for name in sorted(component, key=order.__getitem__)]
            weight = sum(map(size, members))
            if not lines or lines + weight > budget:  # this owner's first part, or a full one
                groups.append((resources[key - 1] if 0 < key <= len(resources) else None, []))
                lines = 0
            groups[-1][1].extend(members)
            lines += weight
    home = {str(d.name): index for index, (_, group) in enumerate(groups) for d in group}
    parts = []
    for index, (resource, group) in enumerate(groups):
        used: dict[int, list[Code]] = {}  # by the earlier part defining them
        for name in set().union(*(references(d) for d in group)) & by_name.keys():
            if home[name] < index:
                used.setdefault(home[name], []).append(Code(name))
        imports = [(Code(f"_part{earlier + 1}"), sorted(used[earlier])) for earlier in sorted(used)]
        parts.append(
            ModelPart(
                Code(f"_part{index + 1}"),
                [d for d in group if isinstance(d, Enum)],
                [d for d in group if isinstance(d, Model)],
                [d for d in group if isinstance(d, Alias)],
                imports,
                resource,
            )
        )
    return parts


def _ranks(graph: dict[str, set[str]], resources: list[str], users: Mapping[str, Iterable[str]]) -> dict[str, int]:
    """Where each type goes: 0 when several resources reach it, 1 + the index of the
    only one that does, 1 + len(resources) when none does."""
    reached: dict[str, set[int]] = {name: set() for name in graph}
    for index, resource in enumerate(resources):
        todo = [n for n in users[resource] if n in graph]
        while todo:
            name = todo.pop()
            if index not in reached[name]:
                reached[name].add(index)
                todo += graph[name]
    return {name: 1 + min(by) if len(by) == 1 else 0 if by else 1 + len(resources) for name, by in reached.items()}


def components(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components (Tarjan's, without recursion), each after those it refers to."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(component)
    return found
