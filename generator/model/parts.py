"""Split the models module into parts of bounded size, each importing only from earlier ones.

Types that refer to each other (a cycle) share a part; otherwise every type comes
after the types it names, so each part imports what it needs from earlier parts
at run time. An API whose models fit one part keeps a single `models.py`.
"""

from __future__ import annotations

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

    @property
    def names(self) -> list[Code]:
        definitions: list[Definition] = [*self.enums, *self.models, *self.aliases]
        return [d.name for d in definitions]

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


def split(enums: list[Enum], models: list[Model], aliases: list[Alias], budget: int = 0) -> list[ModelPart]:
    """The parts, of about `budget` lines each (default `PART_LINES`); one (named "")
    when everything fits."""
    budget = budget or PART_LINES
    definitions: list[Definition] = [*enums, *models, *aliases]
    if sum(map(size, definitions)) <= budget:
        return [ModelPart(Code(""), list(enums), list(models), list(aliases))]
    by_name: dict[str, Definition] = {str(d.name): d for d in definitions}
    order = {str(d.name): index for index, d in enumerate(definitions)}
    groups: list[list[Definition]] = [[]]
    lines = 0
    for component in components({d.name: references(d) & by_name.keys() for d in definitions}):
        members = [by_name[name] for name in sorted(component, key=order.__getitem__)]
        weight = sum(map(size, members))
        if groups[-1] and lines + weight > budget:
            groups.append([])
            lines = 0
        groups[-1] += members
        lines += weight
    home = {str(d.name): index for index, group in enumerate(groups) for d in group}
    parts = []
    for index, group in enumerate(groups):
        used = set().union(*(references(d) for d in group)) & by_name.keys()
        imports = [
            (Code(f"_part{earlier + 1}"), sorted(Code(n) for n in used if home[n] == earlier))
            for earlier in range(index)
        ]
        parts.append(
            ModelPart(
                Code(f"_part{index + 1}"),
                [d for d in group if isinstance(d, Enum)],
                [d for d in group if isinstance(d, Model)],
                [d for d in group if isinstance(d, Alias)],
                [(module, names) for module, names in imports if names],
            )
        )
    return parts


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
