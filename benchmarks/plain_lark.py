"""The reference workload: a plain Lark LALR parse of `.hvc` text that builds a tree with positions.

    python benchmarks/plain_lark.py FILE

It has its own minimal grammar (not hvlint's), and does what any Lark-based tool would do first: build
the parser from the grammar, parse, and keep the tree. hvlint's whole check is measured against it.
"""

from __future__ import annotations

import sys

from lark import Lark

GRAMMAR = r"""
start: block*
block: NAME (NAME | STRING)? "{" (block | attribute)* "}" ";"?
attribute: NAME "=" value ";"?
?value: STRING | NAME | NUMBER | QUANTITY | BOOLEAN | list
list: "[" [value ("," value)* ","?] "]"
QUANTITY.4: /(0x[0-9A-Fa-f]+|[0-9]+(\.[0-9]+)?)/ UNIT
UNIT: /([KMGT]i?B\/s|B\/s|[KMGT]?bps|[KMGT]i?B|B|ms|min|s|h|%)(?![A-Za-z0-9_.\-\/%])/
NUMBER.3: /(0x[0-9A-Fa-f]+|[0-9]+(\.[0-9]+)?)(?![A-Za-z0-9_.\-\/%])/
BOOLEAN.2: /(true|false)(?![A-Za-z0-9_.\-])/
NAME.1: /[A-Za-z0-9_][A-Za-z0-9_.\-]*/
STRING: /"([^"\\\r\n]|\\["\\nt])*"/ | /'[^'\r\n]*'/
COMMENT: /(#|\/\/)[^\n]*/
%ignore /[ \t\f\r\n]+/
%ignore COMMENT
"""


def main(path: str) -> int:
    """Parses the file into a tree with positions; prints how many blocks it holds."""
    parser = Lark(GRAMMAR, parser="lalr", propagate_positions=True)
    with open(path, encoding="utf-8") as handle:
        tree = parser.parse(handle.read())
    print(f"{len(tree.children)} top-level blocks")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
