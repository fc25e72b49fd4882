// SPDX-License-Identifier: Apache-2.0
// Exchange packages (docs/serving.md, "Exchange packages"): a folder with the
// quads one organisation may read and a manifest that lets the receiver
// check them.
//
//   weft export --store DIR --config POLICY.json --for ORG --out PKG_DIR
//               [--format nq|trig] [--graph IRI ...] [--from NAME] [--sign KEY.pem]
//   weft import --store DIR [--trust PUB.pem] PKG_DIR
//
// PKG_DIR/dataset.nq (or .trig) holds the graphs the serving policy lets ORG
// read (engine/server/policy.h), narrowed by --graph; PKG_DIR/manifest.ttl
// describes the package in PROV-O and carries the SHA-256 of the dataset's
// RDFC-1.0 canonical N-Quads (engine/rdf/canon.h) and of the data file's
// bytes; with --sign, PKG_DIR/manifest.sig is an Ed25519 signature of the
// manifest's bytes. Import parses the data, canonicalizes it and loads it in
// one transaction only if the hash (and, with --trust, the signature) match.
//
// The package options extend the existing `weft export` subcommand (a plain
// export is unchanged: without --for, --format is still required and --graph
// takes one graph). Exit codes: 0 success, 1 failure (a package that does not
// verify, I/O, store), 2 bad usage.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

namespace weft::cli {

struct ExchangeFlags {
  // weft export --for (the rest of export's flags are read from export_cmd).
  CLI::App* export_cmd = nullptr;
  std::string config, for_org, from, out_dir, sign_key;
  // weft import
  CLI::App* import_cmd = nullptr;
  std::string import_store, package, trust_key;
  bool quiet = false;
  // Both: the canonicalization work limit (CanonOptions::max_deep_iterations; 0 automatic).
  uint64_t max_deep_iterations = 0;
};

// Adds the package options to `export_cmd` (the `weft export` subcommand) and
// the `weft import` subcommand to `app`.
void addExchangeCommands(CLI::App& app, CLI::App* export_cmd, ExchangeFlags& f);

// Runs `weft export --for ...` or `weft import ...` if the command line asked
// for one; returns its exit code, or -1 if it asked for something else.
int runExchange(const ExchangeFlags& f);

}  // namespace weft::cli
