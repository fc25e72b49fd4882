// SPDX-License-Identifier: Apache-2.0
// Fuzz target entry points, one per untrusted input format. Each function has
// the libFuzzer contract: it accepts any bytes, returns 0, and crashes
// (abort) only on a bug: a sanitizer report or a broken invariant. The thin
// fuzz_<name>.cpp files wrap them as LLVMFuzzerTestOneInput; fuzz_regress
// (regress_main.cpp) replays seeds and saved crash inputs through them in
// ordinary g++ builds.
#pragma once

#include <cstddef>
#include <cstdint>

namespace weft::fuzz {

int fuzzOneNTriples(const uint8_t* data, size_t size);
int fuzzOneNQuads(const uint8_t* data, size_t size);
int fuzzOneTurtle(const uint8_t* data, size_t size);
int fuzzOneTriG(const uint8_t* data, size_t size);
int fuzzOneRdfXml(const uint8_t* data, size_t size);
int fuzzOneJsonLd(const uint8_t* data, size_t size);
int fuzzOneXsd(const uint8_t* data, size_t size);
// SPARQL: the query / update parser, and query evaluation (naive vs planned).
int fuzzOneSparqlParse(const uint8_t* data, size_t size);
int fuzzOneSparqlEval(const uint8_t* data, size_t size);
// The mapping layer: mapping documents, JSONPath, the CSV / XML sources and
// the function library (one file each: targets_<name>.cpp).
int fuzzOneMapping(const uint8_t* data, size_t size);
int fuzzOneJsonPath(const uint8_t* data, size_t size);
int fuzzOneCsv(const uint8_t* data, size_t size);
int fuzzOneXml(const uint8_t* data, size_t size);
int fuzzOneFnml(const uint8_t* data, size_t size);
int fuzzOneJsonSource(const uint8_t* data, size_t size);
int fuzzOneSqlSource(const uint8_t* data, size_t size);
// Connectors: detection and validation of native record files (targets_connectors.cpp).
int fuzzOneConnectors(const uint8_t* data, size_t size);
// The reasoning and validation layers (targets_reason.cpp): OWL 2 RL / RDFS
// materialisation of a Turtle document, and SHACL validation of shapes + data.
int fuzzOneReason(const uint8_t* data, size_t size);
int fuzzOneShacl(const uint8_t* data, size_t size);
// Serving (targets_server.cpp and targets.cpp): a query through the access
// filter equals the same query on a store without the withheld graph; raw
// bytes sent to an in-process `weft serve` get a 4xx/2xx answer, never a
// crash, a 500 or a withheld value.
int fuzzOnePolicy(const uint8_t* data, size_t size);
int fuzzOneHttp(const uint8_t* data, size_t size);
// Streaming (targets_stream.cpp): the broker's MQTT packets, a historian
// samples message, the `weft stream` configuration.
int fuzzOneMqtt(const uint8_t* data, size_t size);
int fuzzOneStreamMessage(const uint8_t* data, size_t size);
int fuzzOneStreamConfig(const uint8_t* data, size_t size);
// The twin and the watch (targets_twin.cpp): a scenario file (first byte: JSON or Turtle),
// applied to a small model; a drift-detection configuration.
int fuzzOneScenario(const uint8_t* data, size_t size);
int fuzzOneDriftConfig(const uint8_t* data, size_t size);

struct FuzzTarget {
  const char* name;  // executable name, also the seeds/ and regress/ folder name
  int (*fn)(const uint8_t*, size_t);
};

// All targets, terminated by {nullptr, nullptr}.
extern const FuzzTarget kFuzzTargets[];

}  // namespace weft::fuzz
