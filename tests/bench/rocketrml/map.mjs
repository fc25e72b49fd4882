// SPDX-License-Identifier: Apache-2.0
// Peer for tests/bench/map_bench.sh: runs a (legacy rml.io) mapping with
// RocketRML and writes N-Quads. Run from the data directory (sources are
// relative to it): node map.mjs MAPPING.ttl OUT.nq
import rocketrml from 'rocketrml';

const [, , mapping, out] = process.argv;
const t0 = performance.now();
await rocketrml.parseFile(mapping, out, { toRDF: true, verbose: false });
console.log(JSON.stringify({ ms: performance.now() - t0 }));
