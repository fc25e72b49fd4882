// SPDX-License-Identifier: Apache-2.0
// `weft serve` (SPARQL 1.1 Protocol, Graph Store Protocol, the query page,
// access control: engine/server/) and `weft key` (new API keys and their
// hashes for the policy file). See docs/serving.md.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace weft::cli {

struct ServeFlags {
  std::string store_dir;
  std::string bind = "127.0.0.1";
  int port = 7878;
  std::string config;
  std::string port_file;  // write the bound port here (tests ask for --port 0)
  bool no_merge = false;
  bool no_reason = false;
  bool quiet = false;
  double service_timeout = 30;
  // --stream: the MQTT pipeline of `weft stream` inside the server
  std::string stream_config, broker = "mqtt://127.0.0.1:1883", stream_client_id;
  // weft key
  std::string hash_key;
};

CLI::App* addServeCommand(CLI::App& app, ServeFlags& f);
int cmdServe(const ServeFlags& f);
CLI::App* addKeyCommand(CLI::App& app, ServeFlags& f);
int cmdKey(const ServeFlags& f);

}  // namespace weft::cli
