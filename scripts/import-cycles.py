"""File-level import graph of Rust crates' src/ folders, and their cycles (Tarjan SCC): fails
when a folder's files import each other in a circle (code that cannot move on its own).

    python3 scripts/import-cycles.py [-v] DIR      (e.g. emulator/src; exit 1 on a cycle)

This reads paths as text (no rustc), which is enough to hold the line once a folder is clean.

Edges: `crate::a::b` paths anywhere (use lines and inline paths), `super::`/`self::` paths,
and `use child::…` of a child module (re-exports). `mod x;` declarations are not edges.
Paths inside a file's `mod tests {}` resolve one level deeper (`super::*` = the file itself).
"""
import os, re, sys

root = next(a for a in sys.argv[1:] if a != '-v')
files = {}
for d, _, fs in os.walk(root):
    for f in fs:
        if f.endswith('.rs'):
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root)
            parts = rel[:-3].split(os.sep)
            if parts[-1] in ('mod', 'lib'):
                parts = parts[:-1]
            if parts == ['main']:
                continue  # the binary: a separate crate using the library
            files[tuple(parts)] = rel

def resolve(mod, segs):
    """Longest module prefix of mod+segs that is a file."""
    best = None
    for k in range(len(segs) + 1):
        key = tuple(mod) + tuple(segs[:k])
        if key in files:
            best = key
    return best

PATH = re.compile(r'\b(crate|super|self)((?:::\s*(?:super|[A-Za-z_][A-Za-z0-9_]*))+|::\{)')
edges = {}
for mod, rel in files.items():
    src = open(os.path.join(root, rel)).read()
    src = re.sub(r'//[^\n]*', '', src)  # comments and doc links are not imports
    test_at = None
    m = re.search(r'#\[cfg\(test\)\]\s*mod tests\s*\{', src)
    if m:
        test_at = m.start()
    out = set()
    def add(target):
        if target is not None and target != mod:
            out.add(target)
    # group imports: use crate::{a::x, b}
    for g in re.finditer(r'use\s+(crate|super)::\{([^}]*(?:\{[^}]*\}[^}]*)*)\}', src):
        base = [] if g.group(1) == 'crate' else list(mod[:-1])
        for item in re.split(r',(?![^{]*\})', g.group(2)):
            segs = [s.strip() for s in item.strip().split('::') if s.strip() and not s.strip().startswith('{')]
            segs = [s for s in segs if re.match(r'^[A-Za-z_]\w*$', s)]
            add(resolve(base, segs) or tuple(base))
    for m in PATH.finditer(src):
        head, tail = m.group(1), m.group(2)
        if tail == '::{':
            continue
        segs = [s.strip() for s in tail.split('::') if s.strip()]
        in_test = test_at is not None and m.start() > test_at
        cur = list(mod) + (['tests'] if in_test else [])
        if head == 'crate':
            base = []
        else:
            base = cur if head == 'self' else cur[:-1]
            while segs and segs[0] == 'super':
                base = base[:-1]
                segs = segs[1:]
        t = resolve(base, segs)
        if t is None:
            t = tuple(base) if tuple(base) in files else None
        add(t)
    # child::… paths of a parent module (re-exports, handler references)
    for m in re.finditer(r'(?<![:\w])([a-z_][a-z0-9_]*)::', src):
        child = tuple(mod) + (m.group(1),)
        if child in files:
            add(child)
    edges[mod] = out

name = lambda k: files[k]
sys.setrecursionlimit(10000)
index, low, stack, on, sccs, n = {}, {}, [], set(), [], [0]
def strong(v):
    index[v] = low[v] = n[0]; n[0] += 1; stack.append(v); on.add(v)
    for w in edges[v]:
        if w not in index:
            strong(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        c = []
        while True:
            w = stack.pop(); on.discard(w); c.append(w)
            if w == v: break
        sccs.append(c)
for v in files:
    if v not in index:
        strong(v)
if '-v' in sys.argv:
    for k in sorted(edges, key=name):
        print(f"{name(k):28} -> {', '.join(sorted(name(t) for t in edges[k]))}")
cycles = [c for c in sccs if len(c) > 1]
print(f"{root}: {len(files)} files, {sum(len(e) for e in edges.values())} edges, {len(cycles)} cycle(s)")
for c in cycles:
    print("cycle:", ", ".join(sorted(name(k) for k in c)))
sys.exit(1 if cycles else 0)
