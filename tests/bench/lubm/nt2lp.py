#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""N-Triples to clingo facts and back, for the clingo peer of the reasoning
benchmark (tests/bench/reason_bench.sh, tests/bench/lubm/owl2rl.lp).

  nt2lp.py facts IN.nt... > FACTS.lp
      one fact t(S,P,O) per triple, each term a clingo string holding its
      N-Triples form, plus lit(T) once per literal term. Blank node labels get
      the file's position as a prefix (_:f0b1), so two files never share one.
      Duplicate triples are written once.
  nt2lp.py closure GROUND.txt OUT.nt
      reads clingo --mode=gringo --text output, writes its t/3 atoms as
      N-Triples (one triple a line, in the order read) and prints
      "closure N" and "inconsistent M" (the inconsistent/2 atoms).

The N-Triples reader handles what `weft convert` and weft_lubm_gen write:
one triple per line, IRIs in <>, blank nodes _:x, literals with escapes and an
optional @lang or ^^<datatype>. It is not a validating parser.
"""
import re
import sys

TERM = re.compile(r'\s*(<[^>]*>|_:[A-Za-z0-9_\-.]+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9\-]+|\^\^<[^>]*>)?)')


def clingo_string(term):
    return '"' + term.replace('\\', '\\\\').replace('"', '\\"') + '"'


def parse_line(line):
    terms = []
    pos = 0
    for _ in range(3):
        m = TERM.match(line, pos)
        if not m:
            return None
        terms.append(m.group(1))
        pos = m.end()
    if line[pos:].strip() != '.':
        return None
    return terms


def facts(paths):
    out = sys.stdout
    seen = set()
    literals = set()
    for fi, path in enumerate(paths):
        with open(path, encoding='utf-8') as f:
            for ln, line in enumerate(f, 1):
                line = line.strip()
                if not line or line.startswith('#'):
                    continue
                terms = parse_line(line)
                if terms is None:
                    sys.exit(f'nt2lp.py: {path}:{ln}: not an N-Triples line: {line[:80]}')
                terms = [f'_:f{fi}{t[2:]}' if t.startswith('_:') else t for t in terms]
                key = tuple(terms)
                if key in seen:
                    continue
                seen.add(key)
                if terms[2].startswith('"'):
                    literals.add(terms[2])
                out.write('t(%s,%s,%s).\n' % tuple(clingo_string(t) for t in terms))
    for t in sorted(literals):
        out.write('lit(%s).\n' % clingo_string(t))


# A clingo string literal inside a ground atom.
CSTR = re.compile(r'"((?:[^"\\]|\\.)*)"')


def unescape(s):
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t'}.get(m.group(1), m.group(1)), s)


def closure(ground, out_path):
    n = 0
    bad = 0
    with open(ground, encoding='utf-8') as f, open(out_path, 'w', encoding='utf-8') as out:
        for line in f:
            if line.startswith('t('):
                parts = CSTR.findall(line)
                if len(parts) != 3:
                    sys.exit(f'nt2lp.py: cannot read {line[:120]}')
                out.write('%s %s %s .\n' % tuple(unescape(p) for p in parts))
                n += 1
            elif line.startswith('inconsistent('):
                bad += 1
    print(f'closure {n}')
    print(f'inconsistent {bad}')


def main(argv):
    if len(argv) >= 3 and argv[1] == 'facts':
        facts(argv[2:])
    elif len(argv) == 4 and argv[1] == 'closure':
        closure(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv)
