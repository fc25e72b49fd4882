// SPDX-License-Identifier: Apache-2.0
// engine/watch/failure_graph.h: the configuration, histories from the graph, the predictions
// written into their graph and replaced by the next run.
#include "engine/watch/failure_graph.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <random>

#include "engine/db/database.h"
#include "engine/sparql/results.h"
#include "engine/watch/drift.h"

namespace weft::watch {
namespace {

namespace fs = std::filesystem;

TEST(FailureConfig, ParsesAndRefuses) {
  auto c = parseFailureConfig(
      R"({"history": "SELECT ?machine ?failure WHERE {}", "start": "2025-01-01",
          "horizon_h": 48, "threshold": 0.3, "model": "exponential", "backtest": false,
          "machines": {"M1": {"tags": ["VIB", {"tag": "TEMP", "direction": -1}]}}})",
      "cfg");
  ASSERT_TRUE(c.isOk()) << c.status().message();
  EXPECT_EQ(c->options.horizon, 48);
  EXPECT_EQ(c->options.threshold, 0.3);
  EXPECT_EQ(c->options.model, LifeModel::kExponential);
  EXPECT_FALSE(c->backtest);
  ASSERT_EQ(c->machines["M1"].tags.size(), 2u);
  EXPECT_EQ(c->machines["M1"].tags[1].direction, -1);
  EXPECT_EQ(c->start, *parseTimeMs("2025-01-01"));
  EXPECT_FALSE(parseFailureConfig(R"({"start": "2025-01-01"})", "cfg").isOk());
  EXPECT_FALSE(parseFailureConfig(R"({"history": "x", "start": "2025-01-01", "horizn": 3})",
                                  "cfg").isOk());
  EXPECT_FALSE(parseFailureConfig(R"({"history": "x", "start": "2025-01-01", "model": "lognormal"})",
                                  "cfg").isOk());
}

TEST(FailureGraph, HistoriesFromTheGraphPredictionsIntoTheirGraph) {
  const fs::path dir = fs::temp_directory_path() / ("weft-failures-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto opened = store::Store::open(dir.string(), store::OpenMode::kCreateIfMissing);
  ASSERT_TRUE(opened.isOk()) << opened.status().message();
  store::Store& st = *opened.value();
  const std::string ex = "https://data.example/";
  const int64_t t0 = *parseTimeMs("2025-01-01");
  std::mt19937_64 g(3);
  auto weib = [&] {
    double u = (static_cast<double>(g() >> 11) + 0.5) * 0x1.0p-53;
    return 500 * std::pow(-std::log(u), 1 / 3.0);
  };
  double t = 0;
  int failures = 0;
  {
    auto txn = st.begin();
    ASSERT_TRUE(txn.isOk());
    while (true) {
      double f = t + weib();
      if (f > 8000) break;
      const std::string wo = ex + "wo/" + std::to_string(failures++);
      auto add = [&](const std::string& p, const rdf::Term& o) {
        rdf::Quad q;
        q.s = rdf::Term::iri(wo);
        q.p = rdf::Term::iri(ex + p);
        q.o = o;
        q.g = rdf::Term::iri(ex + "doc");
        ASSERT_TRUE(txn.value()->add(q.view()).isOk());
      };
      auto when = [&](double h) {
        return rdf::Term::literal(formatTimeMs(t0 + static_cast<int64_t>(h * 3.6e6)),
                                  "http://www.w3.org/2001/XMLSchema#dateTime");
      };
      add("machine", rdf::Term::iri(ex + "M1"));
      add("failedAt", when(f));
      add("repairedAt", when(f + 8));
      t = f + 8;
    }
    ASSERT_TRUE(txn.value()->commit().isOk());
  }
  ASSERT_GT(failures, 10);
  auto cfg = parseFailureConfig(
      R"({"history": "PREFIX ex: <https://data.example/> SELECT ?machine ?failure ?repaired WHERE { ?w ex:machine ?machine ; ex:failedAt ?failure ; ex:repairedAt ?repaired }",
          "start": "2025-01-01", "at": ")" + formatTimeMs(t0 + static_cast<int64_t>(8000 * 3.6e6)) +
          R"(", "warmup_h": 1440})",
      "cfg");
  ASSERT_TRUE(cfg.isOk()) << cfg.status().message();
  auto run = runFailures(*cfg, st, dir.string(), 0);
  ASSERT_TRUE(run.isOk()) << run.status().message();
  ASSERT_EQ(run->predictions.size(), 1u);
  const FailurePrediction& p = run->predictions[0];
  EXPECT_EQ(p.machine, ex + "M1");
  EXPECT_EQ(p.failures, failures);
  EXPECT_GT(p.shape, 1.5);  // wear-out recovered from the records
  ASSERT_TRUE(run->backtest.has_value()) << run->backtestError;
  EXPECT_GT(run->backtest->evaluated, 300u);
  std::printf("[ FAILPRED ] from the graph: %s\n", p.evidence.c_str());

  auto quads = failureQuads(*run, *cfg, "2026-01-01T00:00:00Z");
  auto w = replaceGraph(st, kFailureGraph, quads);
  ASSERT_TRUE(w.isOk()) << w.status().message();
  EXPECT_EQ(w->removed, 0u);
  auto w2 = replaceGraph(st, kFailureGraph, quads);  // the next run replaces, not appends
  ASSERT_TRUE(w2.isOk());
  EXPECT_EQ(w2->removed, quads.size());

  db::QueryRequest req;
  req.text = "PREFIX dt: <https://w3id.org/weft/dt#> SELECT ?p ?m WHERE { GRAPH <" +
             std::string(kFailureGraph) +
             "> { ?n a dt:FailurePrediction ; dt:failureProbability ?p ; dt:predictedMachine ?m } }";
  sparql::ResultSet rs;
  auto rw = sparql::makeResultSetWriter(&rs);
  sparql::QueryOutput out;
  out.results = rw.get();
  ASSERT_TRUE(db::runQuery(st, req, out).isOk());
  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_EQ(rs.rows[0][1].value, ex + "M1");
  EXPECT_NEAR(std::stod(rs.rows[0][0].value), p.probability, 1e-9);

  rdf::Quad stray = quads[0];
  stray.g = rdf::Term::iri(ex + "elsewhere");
  EXPECT_FALSE(replaceGraph(st, kFailureGraph, {stray}).isOk());
  opened.value().reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace weft::watch
