"""A model's declarations and the references to them: the outline, go to definition and references."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from lsprotocol import types

from hvlint.language.model import Cluster, Host, Model, Node, Processor
from hvlint.language.syntax import Span
from hvlint.server.text import Lines, contains

SYMBOL_KINDS = {
    "cluster": types.SymbolKind.Namespace,
    "host": types.SymbolKind.Class,
    "vm": types.SymbolKind.Object,
    "network": types.SymbolKind.Interface,
    "storage": types.SymbolKind.Struct,
    "processor": types.SymbolKind.Constant,
}
REFERENCES = {"host": "host", "possible_owners": "host", "processor": "processor", "networks": "network"}
"""Attributes that name declarations, by the kind they name (storage `hosts` is added below)."""


class Reference(NamedTuple):
    """A name written in an attribute, and the declaration it names (None for a catalogue processor)."""

    span: Span
    target: Node | None


def nodes(model: Model) -> Iterator[Node]:
    """Every declared object of the model, clusters first with what they hold."""
    for cluster in model.clusters:
        yield cluster
        yield from (*cluster.processors, *cluster.networks, *cluster.storage, *cluster.hosts, *cluster.vms)
    for host in model.hosts:
        yield host
        yield from host.vms
    yield from model.processors


def written(lines: Lines, span: Span) -> str:
    """The name a one-line span holds, without its quotes."""
    return lines.line(span.line - 1)[span.column - 1 : span.end_column - 1].strip("\"'")


def _declared(model: Model) -> dict[tuple[str, str], Node]:
    return {(node.block_kind, node.name.casefold()): node for node in nodes(model)}


def references(model: Model, lines: Lines) -> list[Reference]:
    """Every reference of the file to a declaration: hosts, networks, processors, storage hosts."""
    declared = _declared(model)
    found: list[Reference] = []
    for node in nodes(model):
        wanted = dict(REFERENCES)
        if node.block_kind == "storage":
            wanted["hosts"] = "host"
        for attribute, kind in wanted.items():
            if attribute not in node.positions.values:
                continue
            spans = node.positions.items(attribute) or (node.positions.values[attribute],)
            for span in spans:
                target = declared.get((kind, written(lines, span).casefold()))
                if target is not None or kind == "processor":
                    found.append(Reference(span, target))
    return found


def name_span(node: Node) -> Span:
    """Where the node's name is written (its block's header when it has none)."""
    return node.positions.label or node.positions.header


def declaration_at(model: Model, line: int, column: int) -> Node | None:
    """The declaration whose name or header is at the place."""
    for node in nodes(model):
        if contains(name_span(node), line, column) or contains(node.positions.header, line, column):
            return node
    return None


def definition(model: Model, lines: Lines, line: int, column: int) -> Span | None:
    """Where the name referred to at the place is declared; None for a catalogue processor or no name."""
    for reference in references(model, lines):
        if contains(reference.span, line, column):
            target = reference.target
            if target is None or (isinstance(target, Processor) and target.origin != "file"):
                return None
            return name_span(target)
    return None


def references_to(model: Model, lines: Lines, line: int, column: int, declaration: bool) -> list[Span]:
    """Every reference to the declaration named at the place (or referred to there), and the declaration
    itself when asked."""
    target = declaration_at(model, line, column)
    if target is None:
        target = next(
            (ref.target for ref in references(model, lines) if contains(ref.span, line, column)), None
        )
    if target is None:
        return []
    spans = [ref.span for ref in references(model, lines) if ref.target is target]
    return [name_span(target), *spans] if declaration else spans


def symbols(model: Model, lines: Lines) -> list[types.DocumentSymbol]:
    """The outline: clusters with what they hold, hosts with their VMs, processors."""

    def symbol(node: Node, children: list[types.DocumentSymbol]) -> types.DocumentSymbol:
        label = name_span(node)
        whole = Span(
            node.positions.header.line, node.positions.header.column, label.end_line, label.end_column
        )
        return types.DocumentSymbol(
            name=node.name,
            kind=SYMBOL_KINDS[node.block_kind],
            range=lines.range(whole),
            selection_range=lines.range(label),
            children=children,
        )

    def host(node: Host) -> types.DocumentSymbol:
        return symbol(node, [symbol(vm, []) for vm in node.vms if vm.declared_in_host])

    def cluster(node: Cluster) -> types.DocumentSymbol:
        inner: list[Node] = [*node.processors, *node.networks, *node.storage]
        children = [symbol(item, []) for item in inner] + [host(item) for item in node.hosts]
        children += [symbol(vm, []) for vm in node.vms if not vm.declared_in_host]
        return symbol(node, children)

    outline = [cluster(item) for item in model.clusters] + [host(item) for item in model.hosts]
    return outline + [symbol(item, []) for item in model.processors]
