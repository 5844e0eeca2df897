"""Editing help on a parsed document: hover, completion, quick fixes and formatting (server.md)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lsprotocol import types

from hvlint.language.model import VM, Host, Model, Processor
from hvlint.server import outline
from hvlint.server.text import Lines, contains

if TYPE_CHECKING:
    from hvlint.config import Config
    from hvlint.findings import Finding
    from hvlint.language.syntax import Span
    from hvlint.plugins import Registry

_WORD = re.compile(r"[\w.:/-]+")
_DID_YOU_MEAN = re.compile(r"did you mean `([^`]+)`")
_DIRECTIVE = re.compile(r"hvlint:\s*disable=([A-Za-z0-9,]*)")
_ANY_DIRECTIVE = re.compile(r"hvlint:\s*disable(?:-file)?=([A-Za-z0-9,]*)")


def word_at(lines: Lines, line: int, column: int) -> str:
    """The word (name, number or quantity) under the 1-based place."""
    text = lines.line(line - 1)
    for match in _WORD.finditer(text):
        if match.start() < column <= match.end() + 1:
            return match.group()
    return ""


def hover_text(
    model: Model | None,
    lines: Lines,
    line: int,
    column: int,
    findings: list[Finding],
    registry: Registry | None,
    config: Config | None,
) -> str | None:
    """What hovering the place shows: a rule's explanation on a finding, a VM's estimate, a host's
    processor and VMs, a processor's identity, or a quantity in plain units."""
    parts = [_explained(finding.code, registry) for finding in findings if _finding_at(finding, line, column)]
    if model is not None:
        node = outline.declaration_at(model, line, column)
        if isinstance(node, VM) and config is not None:
            parts.append(_estimate(model, node, config))
        elif isinstance(node, Host):
            parts.append(_host(node))
        elif isinstance(node, Processor):
            parts.append(_processor(node))
        else:
            processor = _processor_referred(model, lines, line, column)
            if processor is not None:
                parts.append(_processor(processor))
    quantity = _quantity(word_at(lines, line, column))
    if quantity:
        parts.append(quantity)
    return "\n\n".join(part for part in parts if part) or None


def _finding_at(finding: Finding, line: int, column: int) -> bool:
    from hvlint.language.syntax import Span

    return contains(Span(finding.line, finding.column, finding.end_line, finding.end_column), line, column)


def _explained(code: str, registry: Registry | None) -> str:
    from hvlint.diagnostics import BY_CODE

    info = registry.rules.get(code) if registry is not None else None
    if info is not None:
        from hvlint.explain import explanation

        return explanation(info)
    known = BY_CODE.get(code)
    return f"**{code}** {known.name}: {known.summary}" if known else ""


def _estimate(model: Model, vm: VM, config: Config) -> str:
    from hvlint import estimate_cli

    estimates = [item for item in estimate_cli.estimate_models([model], config) if item.vm is vm]
    if not estimates:
        return f"vm {vm.name}: no estimate (it is in no cluster)"
    return "```text\n" + estimate_cli.render_table(estimates).rstrip("\n") + "\n```"


def _host(host: Host) -> str:
    processor = host.processor.name if host.processor else "no processor"
    vms = ", ".join(vm.name for vm in host.vms) or "none"
    return f"host **{host.name}**: processor `{processor}`; runs {len(host.vms)} VMs: {vms}"


def _processor(processor: Processor) -> str:
    features = " ".join(sorted(processor.features))
    return (
        f"processor **{processor.name}** ({processor.origin}): vendor {processor.vendor}, "
        f"family {processor.family}, model {processor.model}\n\nfeatures: {features}"
    )


def _processor_referred(model: Model, lines: Lines, line: int, column: int) -> Processor | None:
    from hvlint.language.catalogue import catalogue

    for reference in outline.references(model, lines):
        if contains(reference.span, line, column):
            if isinstance(reference.target, Processor):
                return reference.target
            if reference.target is None:
                return catalogue().get(outline.written(lines, reference.span).casefold())
    return None


def _quantity(word: str) -> str | None:
    from hvlint.language.units import parse_quantity

    quantity = parse_quantity(word) if word else None
    if quantity is None or quantity.kind == "ratio":
        return None
    unit = {"size": "bytes", "rate": "bytes per second", "duration": "seconds"}.get(quantity.kind, "")
    value = quantity.value
    shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.6g}"
    return f"`{word}` = {shown} {unit}".rstrip()


# -- quick fixes -----------------------------------------------------------------------------------------


def _edit(lines: Lines, span: Span, new_text: str) -> types.TextEdit:
    return types.TextEdit(range=lines.range(span), new_text=new_text)


def quick_fixes(
    uri: str, lines: Lines, model: Model | None, diagnostic: types.Diagnostic, finding: Finding
) -> list[types.CodeAction]:
    """The quick fixes of one finding: suppress it on its line, take a did-you-mean, drop an unused
    suppression, set `compatibility_mode = minimum` for HV402."""
    from hvlint.language.syntax import Span

    def action(title: str, edits: list[types.TextEdit]) -> types.CodeAction:
        change = types.WorkspaceEdit(changes={uri: edits})
        return types.CodeAction(
            title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic], edit=change
        )

    actions = []
    code = finding.code
    text = lines.line(finding.line - 1)
    directive = _DIRECTIVE.search(text)
    if code not in ("HV000", "HV001"):
        if directive is not None:
            codes = directive.group(1)
            at = Span(finding.line, directive.end(1) + 1, finding.line, directive.end(1) + 1)
            edit = _edit(lines, at, f",{code}" if codes else code)
        else:
            end = Span(finding.line, len(text) + 1, finding.line, len(text) + 1)
            edit = _edit(lines, end, f"  # hvlint: disable={code}")
        actions.append(action(f"Suppress {code} on this line", [edit]))
    hint = _DID_YOU_MEAN.search(finding.message)
    if code == "HV004" and hint is not None:
        span = Span(finding.line, finding.column, finding.end_line, finding.end_column)
        actions.append(action(f"Replace with `{hint.group(1)}`", [_edit(lines, span, hint.group(1))]))
    anywhere = _ANY_DIRECTIVE.search(text)
    if code == "HV005" and anywhere is not None:
        actions.append(action("Remove the unused suppression", [_without_code(lines, finding, anywhere)]))
    if code == "HV402" and model is not None:
        vm = next((vm for vm in model.all_vms() if vm.describe() == finding.object), None)
        if vm is not None:
            title = f"Set compatibility_mode = minimum on vm {vm.name} (the VM must be off to change it)"
            actions.append(action(title, [_compatibility(lines, vm)]))
    return actions


def _without_code(lines: Lines, finding: Finding, directive: re.Match[str]) -> types.TextEdit:
    from hvlint.language.syntax import Span

    text = lines.line(finding.line - 1)
    removed = text[finding.column - 1 : finding.end_column - 1]
    kept = [code for code in directive.group(1).split(",") if code and code != removed]
    if kept:
        span = Span(finding.line, directive.start(1) + 1, finding.line, directive.end(1) + 1)
        return _edit(lines, span, ",".join(kept))
    start = text.rfind("#", 0, directive.start())
    before = len(text[:start].rstrip())
    return _edit(lines, Span(finding.line, before + 1, finding.line, len(text) + 1), "")


def _compatibility(lines: Lines, vm: VM) -> types.TextEdit:
    from hvlint.language.syntax import Span

    if "compatibility_mode" in vm.positions.values:
        return _edit(lines, vm.positions.values["compatibility_mode"], "minimum")
    label = outline.name_span(vm)
    text = lines.line(label.end_line - 1)
    brace = text.find("{", label.end_column - 1)
    indent = len(text) - len(text.lstrip()) + 2
    at = Span(label.end_line, brace + 2, label.end_line, brace + 2)
    return _edit(lines, at, "\n" + " " * indent + "compatibility_mode = minimum")


def formatting(lines: Lines) -> list[types.TextEdit]:
    """The whole document as `hvlint format` writes it; no edit when it is formatted or does not parse."""
    from hvlint.formatting import format_text
    from hvlint.formatting.errors import FormatError

    try:
        formatted = format_text(lines.text)
    except FormatError:
        return []
    if formatted == lines.text:
        return []
    end = types.Position(line=len(lines.lines), character=0)
    return [
        types.TextEdit(
            range=types.Range(start=types.Position(line=0, character=0), end=end), new_text=formatted
        )
    ]


# -- completion ------------------------------------------------------------------------------------------

_SCAN = re.compile(
    r"#[^\n]*|//[^\n]*|\"[^\"\n]*\"|'[^'\n]*'|\b([a-z_]+)\b(?:[ \t]+(?:\"[^\"\n]*\"|[\w.-]+))?\s*\{|\}"
)
_AFTER_EQUALS = re.compile(r"\b([a-z_]+)\s*=\s*\[?(?:[^=\]]*,\s*)?[\w\"'.-]*\Z")


def enclosing_kind(before: str) -> str:
    """The kind of the innermost block open at the end of `before` (`file` at the top level)."""
    stack: list[str] = []
    for match in _SCAN.finditer(before):
        if match.group(1):
            stack.append(match.group(1))
        elif match.group() == "}" and stack:
            stack.pop()
    return stack[-1] if stack else "file"


def completion_items(before: str, model: Model | None) -> list[types.CompletionItem]:
    """What may be written at the end of `before`: a key's values after `KEY =`, else the attributes of
    the enclosing block not given yet and the blocks that may stand there."""
    from hvlint.language.schema import ATTRIBUTES, BLOCKS

    kind = enclosing_kind(before)
    schema = ATTRIBUTES.get(kind, {})
    line = before.rsplit("\n", 1)[-1]
    after = _AFTER_EQUALS.search(line)
    if after is not None and after.group(1) == "adapters" and model is not None:
        return [
            types.CompletionItem(label=name, kind=types.CompletionItemKind.Value)
            for name in switch_names(model)
        ]
    if after is not None and after.group(1) in schema:
        return _values(schema[after.group(1)], model)
    given = set(re.findall(r"\b([a-z_]+)\s*=", before[before.rfind("{") + 1 :]))
    items = [
        types.CompletionItem(
            label=name,
            kind=types.CompletionItemKind.Property,
            detail=getattr(value_type, "description", ""),
            documentation=f"`{name}` of a {kind} block: {getattr(value_type, 'description', '')}",
            insert_text=f"{name} = ",
        )
        for name, value_type in schema.items()
        if name not in given
    ]
    for block in BLOCKS.get(kind, ()):
        snippet = f'{block} "${{1:name}}" {{\n\t$0\n}}'
        items.append(
            types.CompletionItem(
                label=block,
                kind=types.CompletionItemKind.Snippet,
                insert_text=snippet,
                insert_text_format=types.InsertTextFormat.Snippet,
                detail=f"a {block} block",
            )
        )
    return items


def _values(value_type: object, model: Model | None) -> list[types.CompletionItem]:
    from hvlint.language.values import Boolean, Enum, ListOf, Reference

    if isinstance(value_type, ListOf):
        value_type = value_type.item
    names: list[str] = []
    if isinstance(value_type, Enum):
        names = list(value_type.choices)
    elif isinstance(value_type, Boolean):
        names = ["true", "false"]
    elif isinstance(value_type, Reference) and model is not None:
        names = _names(value_type.target, model)
    return [types.CompletionItem(label=name, kind=types.CompletionItemKind.Value) for name in names]


def _names(kind: str, model: Model) -> list[str]:
    if kind == "processor":
        from hvlint.language.catalogue import catalogue

        own = [node.name for node in outline.nodes(model) if isinstance(node, Processor)]
        return own + [processor.name for processor in catalogue().values()]
    return [node.name for node in outline.nodes(model) if node.block_kind == kind]


def switch_names(model: Model) -> list[str]:
    """Every virtual switch the file's hosts have (what `adapters` may name)."""
    return sorted({switch for host in model.all_hosts() for switch in host.switches})
