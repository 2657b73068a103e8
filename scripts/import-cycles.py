#!/usr/bin/env python3
"""Fails if the modules of a crate's `src` import each other in a cycle, file by file.

Each file is a module; a path it names (`crate::a::b`, `super::x`, `self::x`, a child
module's `name::`) counts as an import of the longest module the path names. Tests
(`#[cfg(test)] mod tests`) and comments are left out. Written here because the Rust tools
that draw module graphs (cargo-modules) need a nightly-specific build and minutes to install,
for what is a few lines of path matching.
"""
import glob
import re
import sys

root = sys.argv[1].rstrip("/")


def module_of(path):
    name = path[len(root) + 1 : -3]
    name = name[: -len("/mod")] if name.endswith("/mod") else name
    return "" if name in ("lib", "main") else name.replace("/", "::")


modules = {module_of(f): f for f in glob.glob(f"{root}/**/*.rs", recursive=True)}


def resolve(path):
    parts = [p for p in path.split("::") if p]
    for k in range(len(parts), 0, -1):
        candidate = "::".join(parts[:k])
        if candidate in modules:
            return candidate
    return None


def join(*parts):
    return "::".join(p for p in parts if p)


imports = {}
for module, path in modules.items():
    src = open(path).read()
    src = re.sub(r"#\[cfg\(test\)\]\s*mod tests \{.*", "", src, flags=re.S)
    src = re.sub(r"//.*", "", src)
    parent = module.rsplit("::", 1)[0] if "::" in module else ""
    found = set()
    for p in re.findall(r"crate::((?:\w+::)*\w+)", src):
        found.add(resolve(p))
    for p in re.findall(r"(?<![:\w])super::((?:\w+::)*\w+)", src):
        found.add(resolve(join(parent, p)))
    if re.search(r"(?<![:\w])super::\{", src):
        found.add(parent if parent in modules else None)
    for p in re.findall(r"(?<![:\w])self::((?:\w+::)*\w+)", src):
        found.add(resolve(join(module, p)))
    for child in re.findall(r"^\s*(?:pub(?:\([^)]*\))? )?mod (\w+);", src, re.M):
        if re.search(rf"(?<![:\w]){child}::", src):
            found.add(resolve(join(module, child)))
    imports[module] = {m for m in found if m is not None and m != module}

# Tarjan's strongly connected components.
index, low, stack, on_stack, cycles = {}, {}, [], set(), []
sys.setrecursionlimit(10_000)


def visit(v):
    index[v] = low[v] = len(index)
    stack.append(v)
    on_stack.add(v)
    for w in imports.get(v, ()):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on_stack:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        component = []
        while True:
            w = stack.pop()
            on_stack.discard(w)
            component.append(w or "lib")
            if w == v:
                break
        if len(component) > 1:
            cycles.append(sorted(component))


for v in list(imports):
    if v not in index:
        visit(v)
print(f"{root}: {len(modules)} files, {len(cycles)} import cycles")
for c in cycles:
    print(f"  cycle of {len(c)}: {', '.join(c)}")
sys.exit(1 if cycles else 0)
