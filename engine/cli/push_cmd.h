// SPDX-License-Identifier: Apache-2.0
// `weft push`: replicate graphs of a store into any SPARQL 1.1 Graph Store
// HTTP Protocol endpoint (https://www.w3.org/TR/sparql11-http-rdf-update/),
// in batches of at most --batch-quads triples: the first batch of a graph is
// a PUT (replacing what the remote had), the next ones POSTs (appending).
// Blank nodes become skolem IRIs, so a node split across batches stays one
// node. A state file written after each acknowledged batch lets the same
// command resume where it stopped. Exit codes: 0 every graph pushed,
// 1 failure (store, remote, refused resume), 2 bad usage.
// docs/serving.md, "Pushing to another store".
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace weft::cli {

struct PushFlags {
  std::string store_dir;
  std::string endpoint;
  std::vector<std::string> graphs;  // IRIs, or "default"; empty: every named graph
  uint64_t batch_quads = 50000;
  std::string state;  // empty: STORE/push/<hash of endpoint>.state
  bool restart = false;
  std::string user;      // USER:PASSWORD (Basic or Digest)
  std::string bearer;    // token for "Authorization: Bearer"
  double timeout = 300;  // seconds per request
  int retries = 4;
  double retry_wait = 1;  // seconds before the first retry, doubled for each next one
  std::string content_type = "text/turtle";
  std::string skolem_base = "https://w3id.org/weft/.well-known/genid/";
  bool quiet = false;
};

CLI::App* addPushCommand(CLI::App& app, PushFlags& f);
int cmdPush(const PushFlags& f);

}  // namespace weft::cli
