#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Compare two closures given as N-Triples files (weft's and clingo's, in
tests/bench/reason_bench.sh) as sets of triples.

  closure_diff.py A.nt B.nt [--show K] [--name-a NAME] [--name-b NAME]

Blank nodes get labels from what describes them, not from the files (weft and
clingo name them differently): colour refinement over their structural
outgoing triples (owl:onProperty, owl:someValuesFrom, rdf:first, rdf:rest ...),
as graph isomorphism checks start. That is enough for the blank nodes of an
ontology (restrictions and list nodes); two blank nodes with the same
description get the same label, so for such graphs the counts can be off.
Prints the size of each set and of each difference, then up to K triples
(default 20) of each difference grouped by predicate (and class for rdf:type),
with a count per group. Exit status 0 when the sets are equal, 1 otherwise.
"""
import collections
import hashlib
import re
import sys

TERM = re.compile(r'\s*(<[^>]*>|_:[A-Za-z0-9_\-.]+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9\-]+|\^\^<[^>]*>)?)')
TYPE = '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>'


def read(path):
    triples = set()
    with open(path, encoding='utf-8') as f:
        for ln, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            terms, pos = [], 0
            for _ in range(3):
                m = TERM.match(line, pos)
                if not m:
                    sys.exit(f'closure_diff.py: {path}:{ln}: cannot read: {line[:100]}')
                terms.append(m.group(1))
                pos = m.end()
            triples.add(tuple(terms))
    return triples


def h(s):
    return hashlib.sha1(s.encode('utf-8')).hexdigest()[:12]


# The predicates that describe a blank node of an ontology: the structure of
# restrictions, class expressions and lists, which no rule adds to.
STRUCTURAL = {
    '<http://www.w3.org/1999/02/22-rdf-syntax-ns#first>',
    '<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>',
} | {'<http://www.w3.org/2002/07/owl#' + n + '>' for n in (
    'onProperty onClass onDataRange someValuesFrom allValuesFrom hasValue hasSelf cardinality '
    'minCardinality maxCardinality qualifiedCardinality minQualifiedCardinality '
    'maxQualifiedCardinality intersectionOf unionOf oneOf complementOf members '
    'distinctMembers inverseOf propertyChainAxiom sourceIndividual assertionProperty '
    'targetIndividual targetValue').split()}


def canonical(triples, rounds=16):
    """Relabel blank nodes by refinement over their structural outgoing triples.

    Only what describes a blank node counts (owl:onProperty, owl:someValuesFrom,
    rdf:first, rdf:rest, ...), not what the rules add to it (rdfs:subClassOf,
    members typed with it), so one missing inferred triple does not relabel a
    blank node and turn every triple that mentions it into a difference."""
    bn = lambda t: t.startswith('_:')
    out = collections.defaultdict(list)
    nodes = set()
    for t in triples:
        for x in (t[0], t[2]):
            if bn(x):
                nodes.add(x)
        if bn(t[0]) and t[1] in STRUCTURAL:
            out[t[0]].append(t)
    colour = {b: 'b' for b in nodes}
    for _ in range(rounds):
        new = {}
        for b in nodes:
            parts = sorted(p + ' ' + (colour[o] if bn(o) else o) for _, p, o in out.get(b, ()))
            new[b] = h('\n'.join(parts))
        if new == colour:
            break
        colour = new
    ren = lambda t: '_:c' + colour[t] if bn(t) else t
    return {(ren(s), p, ren(o)) for s, p, o in triples}


def group(t):
    return t[1] + (' ' + t[2] if t[1] == TYPE else '')


def show(title, diff, k):
    print(f'{title}: {len(diff)}')
    if not diff:
        return
    groups = collections.Counter(group(t) for t in diff)
    for g, n in groups.most_common(15):
        print(f'  {n:8d}  {g}')
    for t in sorted(diff)[:k]:
        print('    ' + ' '.join(t) + ' .')


def main(argv):
    args = argv[1:]
    k, names, files = 20, ['A', 'B'], []
    i = 0
    while i < len(args):
        if args[i] == '--show':
            k = int(args[i + 1]); i += 2
        elif args[i] == '--name-a':
            names[0] = args[i + 1]; i += 2
        elif args[i] == '--name-b':
            names[1] = args[i + 1]; i += 2
        else:
            files.append(args[i]); i += 1
    if len(files) != 2:
        sys.exit(__doc__)
    a, b = (canonical(read(f)) for f in files)
    print(f'{names[0]}: {len(a)} triples; {names[1]}: {len(b)} triples')
    show(f'only in {names[0]}', a - b, k)
    show(f'only in {names[1]}', b - a, k)
    return 0 if a == b else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
