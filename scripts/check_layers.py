#!/usr/bin/env python3
"""Checks that src/ keeps its layers: every file may name items of its own
layer's lower floors and of files below it, never of a higher layer, and no
two files name each other in a circle.

Usage: scripts/check_layers.py [SRC_DIR]       (default: src)

A file "names" a module when a `use` tree or an inline `crate::`/`super::`
path in it (comments left out) reaches an item of that module; a `pub use`
re-export counts, a `mod x;` declaration does not. The layers, top first,
are the README's Layout table; `.ci/run` and `cargo test` (tests/layers.rs)
run this, so a generated project keeps them too. Exit 0 when all is well,
1 with one line per broken rule otherwise.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

# Top first. A module may use modules of a lower rank and files of its own
# top-level module; the ground floor's modules may use each other. `app` (the
# user's own pages) sits beside the flows, and neither uses the other.
LAYERS = [
    ("main", "cli"),
    ("lib",),
    ("flows", "app"),
    ("http",),
    ("accounts",),
    ("mail",),
    ("models",),
    ("db", "domain", "config", "error", "i18n", "logging"),
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def modules(src: Path) -> dict[tuple[str, ...], Path]:
    found = {}
    for path in sorted(src.rglob("*.rs")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] in ("mod", "lib"):
            parts = parts[:-1]
        found[tuple(parts) or ("lib",)] = path
    return found


def code(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line.split("//", 1)[0] for line in text.splitlines())


def use_trees(text: str):
    for match in re.finditer(r"\buse\s+([^;]+);", text):
        yield from flatten(" ".join(match.group(1).split()))


def flatten(tree: str):
    if "{" not in tree:
        yield re.sub(r"\s+as\s+\w+$", "", tree).strip()
        return
    head, rest = tree.split("{", 1)
    body, depth, item, items = rest.rsplit("}", 1)[0], 0, "", []
    for ch in body:
        if ch == "," and depth == 0:
            items.append(item)
            item = ""
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        item += ch
    items.append(item)
    for item in filter(None, (i.strip() for i in items)):
        for sub in flatten(item):
            yield head.rstrip(":") if sub == "self" else head + sub


def target(path: str, here: tuple[str, ...], mods) -> tuple[str, ...] | None:
    parts = [p for p in path.split("::") if p]
    if not parts:
        return None
    if parts[0] == "crate":
        parts = parts[1:]
    elif parts[0] in ("self", "super"):
        base = list(here) if here != ("lib",) else []
        while parts and parts[0] in ("self", "super"):
            if parts[0] == "super":
                base = base[:-1]
            parts = parts[1:]
        parts = base + parts
    elif here != ("lib",) and tuple(list(here) + parts[:1]) in mods:
        parts = list(here) + parts
    else:
        return None
    for n in range(len(parts), 0, -1):
        if tuple(parts[:n]) in mods:
            return tuple(parts[:n])
    return None


def main() -> int:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "src").resolve()
    mods = modules(src)
    edges: dict[tuple, set] = {m: set() for m in mods}
    problems = []
    for here, path in mods.items():
        text = code(path.read_text(errors="replace"))
        paths = list(use_trees(text)) + re.findall(r"\b((?:crate|super)(?:::\w+)+)", text)
        for p in paths:
            to = target(p, here, mods)
            if to is None or to == here:
                continue
            edges[here].add(to)
            top_here, top_to = here[0], to[0]
            if top_here == top_to:
                continue
            rank_here, rank_to = RANK.get(top_here), RANK.get(top_to)
            if rank_here is None or rank_to is None:
                problems.append(f"{path.relative_to(src)}: {top_here} or {top_to} is in no layer")
            elif top_here in ("main", "lib"):
                continue
            elif rank_to > rank_here or (rank_to == rank_here == len(LAYERS) - 1):
                continue
            else:
                problems.append(
                    f"{path.relative_to(src)} ({top_here}) names {'::'.join(to)}, "
                    f"which is not below it"
                )
    problems += [f"import cycle: {', '.join(c)}" for c in cycles(edges)]
    for line in sorted(set(problems)):
        print(line)
    return 1 if problems else 0


def cycles(edges) -> list[list[str]]:
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append("::".join(w))
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in edges:
        if v not in index:
            visit(v)
    return found


if __name__ == "__main__":
    sys.exit(main())
