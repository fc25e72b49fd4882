// SPDX-License-Identifier: Apache-2.0
// Differential test of the query planner: random small datasets and random
// SPARQL 1.1 queries (https://www.w3.org/TR/sparql11-query/), each run with
// ExecOptions::naive (the algebra evaluated as written, section 18.5) and
// with the planner; the two must return the same solutions as multisets
// (ORDER BY ... LIMIT: the same sequence, when the order is total).
//
// Environment: WEFT_DIFF_SEED (default 1) and WEFT_DIFF_CASES (default 3000)
// choose the cases; a failure prints the case seed, how to replay it, the
// query, both results, the plan and the data (N-Quads). WEFT_DIFF_VERBOSE=1
// prints every query with its row counts and plan; WEFT_DIFF_SLOW=1 the slow ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "engine/db/database.h"
#include "engine/rdf/syntax.h"
#include "engine/sparql/execute.h"
#include "engine/sparql/parser.h"
#include "engine/store/store.h"

using namespace weft;

namespace {

constexpr const char* kEx = "http://example.org/";
constexpr const char* kPrologue =
    "PREFIX : <http://example.org/>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n";

class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  int below(int n) { return static_cast<int>(gen_() % static_cast<uint64_t>(n)); }
  bool chance(int percent) { return below(100) < percent; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(static_cast<int>(v.size()))];
  }

 private:
  std::mt19937_64 gen_;
};

// ------------------------------------------------------------------ data

// Objects: the subjects themselves (so joins and paths chain), integers,
// decimals, exact doubles, plain / language-tagged strings and dates.
std::string randomObject(Rng& r) {
  switch (r.below(11)) {
    case 8:
    case 9:
    case 10:
    case 0:
    case 1:
    case 2: return "<" + std::string(kEx) + "s" + std::to_string(r.below(10)) + ">";
    case 3: return "\"" + std::to_string(r.below(10)) + "\"^^<http://www.w3.org/2001/XMLSchema#integer>";
    case 4: {
      static const std::vector<std::string> v = {
          "\"1.5\"^^<http://www.w3.org/2001/XMLSchema#decimal>", "\"3.0\"^^<http://www.w3.org/2001/XMLSchema#decimal>",
          "\"2.5E0\"^^<http://www.w3.org/2001/XMLSchema#double>", "\"7\"^^<http://www.w3.org/2001/XMLSchema#int>",
          "\"2020-01-01\"^^<http://www.w3.org/2001/XMLSchema#date>", "\"2020-01-03\"^^<http://www.w3.org/2001/XMLSchema#date>"};
      return r.pick(v);
    }
    case 5: {
      static const std::vector<std::string> v = {"\"a\"", "\"b\"", "\"ab\"", "\"B\"", "\"c\"", "\"\""};
      return r.pick(v);
    }
    case 6: {
      static const std::vector<std::string> v = {"\"a\"@en", "\"b\"@en", "\"a\"@fr", "\"ab\"@en-GB"};
      return r.pick(v);
    }
    default: return "\"" + std::to_string(r.below(4)) + "\"";  // a string that looks like a number
  }
}

std::string randomData(Rng& r) {
  int n = 30 + r.below(171);
  std::string out;
  for (int i = 0; i < n; ++i) {
    std::string line = "<" + std::string(kEx) + "s" + std::to_string(r.below(10)) + "> <" + kEx + "p" +
                       std::to_string(r.below(5)) + "> " + randomObject(r);
    int g = r.below(10);
    if (g >= 7) line += " <" + std::string(kEx) + "g" + std::to_string(g % 2) + ">";
    out += line + " .\n";
  }
  return out;
}

std::unique_ptr<store::Store> loadStore(const std::string& nquads) {
  auto st = store::Store::openMemory();
  auto txn = st->begin();
  EXPECT_TRUE(txn.isOk());
  if (!txn) return nullptr;
  store::Loader loader(txn.value().get());
  loader.startDocument();
  rdf::ReadOptions opts;
  opts.format = rdf::Format::kNQuads;
  Status s = rdf::readString(nquads, opts, loader);
  EXPECT_TRUE(s.isOk()) << s.toString();
  s = txn.value()->commit();
  EXPECT_TRUE(s.isOk()) << s.toString();
  return st;
}

// ------------------------------------------------------------------ queries

// Builds one query's text. Variables ?v0..?v3 are shared across the whole
// query so that patterns join; BIND targets and aggregates get fresh names.
class QueryGen {
 public:
  explicit QueryGen(Rng& r) : r_(r) {}

  struct Generated {
    std::string text;          // without the LIMIT clause
    std::string limit_clause;  // " LIMIT n" when ordered by every projected variable
  };

  Generated query() {
    Generated g;
    std::string where = group(0);
    int form = r_.below(10);
    if (form < 4) {
      g.text = "SELECT * WHERE {" + where + "}";
    } else if (form < 6) {
      std::vector<std::string> vars = someVars(1 + r_.below(3));
      g.text = std::string("SELECT ") + (r_.chance(50) ? "DISTINCT " : "") + join(vars) + " WHERE {" + where + "}";
      if (r_.chance(60)) {
        // ORDER BY every projected variable: ties are identical rows.
        std::string keys;
        for (const auto& v : vars) keys += r_.chance(30) ? " DESC(" + v + ")" : " " + v;
        g.text += " ORDER BY" + keys;
        g.limit_clause = " LIMIT " + std::to_string(1 + r_.below(5));
        if (r_.chance(30)) g.limit_clause += " OFFSET " + std::to_string(r_.below(3));
      }
    } else if (form < 8) {
      g.text = aggregateSelect(where);
    } else {
      // ORDER BY a subset (not total): LIMIT is not used, the multiset is compared.
      g.text = "SELECT * WHERE {" + where + "} ORDER BY " + var();
    }
    return g;
  }

 private:
  // Mostly ?v0..?v3; sometimes a variable an earlier BIND introduced.
  std::string var() {
    if (!bound_.empty() && r_.chance(10)) return r_.pick(bound_);
    return "?v" + std::to_string(r_.below(4));
  }
  std::vector<std::string> someVars(int n) {
    std::vector<std::string> out;
    for (int i = 0; i < 6 && static_cast<int>(out.size()) < n; ++i) {
      std::string v = var();
      if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
    }
    return out;
  }
  static std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
    return out;
  }
  std::string subject() { return r_.chance(88) ? var() : ":s" + std::to_string(r_.below(10)); }
  std::string pred() { return ":p" + std::to_string(r_.below(5)); }
  std::string object() {
    int k = r_.below(20);
    if (k < 16) return var();
    if (k < 18) return ":s" + std::to_string(r_.below(10));
    static const std::vector<std::string> lits = {"1", "3", "1.5", "\"a\"", "\"a\"@en", "\"2\"", "2.5e0"};
    return r_.pick(lits);
  }
  std::string path(int depth) {
    int k = depth > 2 ? 0 : r_.below(9);
    switch (k) {
      case 0: return pred();
      case 1: return path(depth + 1) + "/" + path(depth + 1);
      case 2: return "(" + path(depth + 1) + "|" + path(depth + 1) + ")";
      case 3: return "^" + pred();
      // Closures over closures are slow to evaluate naively and add little.
      case 4: return "(" + closurePath() + ")*";
      case 5: return "(" + closurePath() + ")+";
      case 6: return "(" + path(depth + 1) + ")?";
      case 7: return "!(" + pred() + (r_.chance(50) ? "|^" + pred() : "") + ")";
      default: return pred();
    }
  }
  std::string closurePath() {
    switch (r_.below(4)) {
      case 0: return pred() + "/" + pred();
      case 1: return pred() + "|^" + pred();
      case 2: return "!(" + pred() + ")";
      default: return pred();
    }
  }
  std::string triple() {
    std::string p;
    int k = r_.below(10);
    if (k < 6) p = pred();
    else if (k < 7) p = var();
    else p = path(0);
    std::string sub = subject(), obj = object();
    // ?x :p ?x rarely matches: usually pick another object variable.
    for (int tries = 0; obj == sub && tries < 4 && !r_.chance(5); ++tries) obj = object();
    return " " + sub + " " + p + " " + obj + " .";
  }
  std::string bgp() {
    std::string out;
    int n = r_.chance(80) ? 1 + r_.below(3) : 1 + r_.below(5);
    for (int i = 0; i < n; ++i) out += triple();
    return out;
  }
  std::string constant() {
    static const std::vector<std::string> c = {"0", "2", "3", "1.5", "\"a\"", "\"b\"", ":s1", "\"a\"@en", "2.5e0",
                                               "\"2020-01-02\"^^xsd:date"};
    return r_.pick(c);
  }
  std::string expr(int depth) {
    int k = depth > 2 ? r_.below(5) : r_.below(9);
    switch (k) {
      case 0: {
        static const std::vector<std::string> ops = {"=", "!=", "<", ">", "<=", ">="};
        return var() + " " + r_.pick(ops) + " " + (r_.chance(70) ? constant() : var());
      }
      case 1: return "bound(" + var() + ")";
      case 2: return "regex(str(" + var() + "), \"" + (r_.chance(50) ? "^a" : "b") + "\"" +
                     (r_.chance(30) ? ", \"i\"" : "") + ")";
      case 3: return var() + " + " + std::to_string(r_.below(3)) + " > " + std::to_string(r_.below(5));
      case 4: return var() + " * 2 - " + var() + " <= 3";
      case 5: return "(" + expr(depth + 1) + " && " + expr(depth + 1) + ")";
      case 6: return "(" + expr(depth + 1) + " || " + expr(depth + 1) + ")";
      case 7: return "!(" + expr(depth + 1) + ")";
      default: return "isIRI(" + var() + ")";
    }
  }
  std::string valueTerm() {
    static const std::vector<std::string> c = {":s0", ":s1", ":s2", ":s3", "1", "\"a\"", "UNDEF", "3"};
    return r_.pick(c);
  }
  std::string group(int depth) {
    std::string out = bgp();
    int extras = depth > 1 ? 0 : r_.below(3);
    for (int i = 0; i < extras; ++i) {
      switch (r_.below(13)) {
        case 12: {
          // A group without variables: joins with it are cross products.
          std::string ground = " :s" + std::to_string(r_.below(10)) + " " + pred() + " :s" + std::to_string(r_.below(10)) + " .";
          out += r_.chance(50) ? " OPTIONAL {" + ground + " }" : " {" + ground + " }";
          break;
        }
        case 0: out += " OPTIONAL {" + group(depth + 1) + " }"; break;
        case 1: out += " {" + group(depth + 1) + " } UNION {" + group(depth + 1) + " }"; break;
        case 2: out += " MINUS {" + group(depth + 1) + " }"; break;
        case 3:
        case 4: out += " FILTER(" + expr(0) + ")"; break;
        case 5:
          out += std::string(" FILTER ") + (r_.chance(50) ? "NOT " : "") + "EXISTS {" + group(depth + 1) + " }";
          break;
        case 6: {
          std::string target = "?b" + std::to_string(fresh_++);
          out += " BIND(" + bindExpr() + " AS " + target + ")";
          bound_.push_back(target);
          break;
        }
        case 7: {
          std::string v = var(), w = var();
          if (v == w || r_.chance(50)) {
            out += " VALUES " + v + " {";
            for (int j = 0, n = 1 + r_.below(3); j < n; ++j) out += " " + valueTerm();
            out += " }";
          } else {
            out += " VALUES (" + v + " " + w + ") {";
            for (int j = 0, n = 1 + r_.below(3); j < n; ++j) out += " (" + valueTerm() + " " + valueTerm() + ")";
            out += " }";
          }
          break;
        }
        case 8: out += " GRAPH ?g {" + group(depth + 1) + " }"; break;
        case 9: out += " GRAPH :g" + std::to_string(r_.below(3)) + " {" + group(depth + 1) + " }"; break;
        case 10: out += " { " + subSelect(depth + 1) + " }"; break;
        default: out += bgp(); break;
      }
    }
    return out;
  }
  std::string bindExpr() {
    switch (r_.below(4)) {
      case 0: return var() + " + 1";
      case 1: return "str(" + var() + ")";
      case 2: return "if(bound(" + var() + "), 1, 0)";
      default: return "coalesce(" + var() + ", " + var() + ", 0)";
    }
  }
  std::string subSelect(int depth) {
    std::string inner = group(depth);
    if (r_.chance(50)) return "SELECT " + join(someVars(1 + r_.below(2))) + " WHERE {" + inner + " }";
    std::string key = var();
    return "SELECT " + key + " (COUNT(*) AS ?c" + std::to_string(fresh_++) + ") WHERE {" + inner + " } GROUP BY " +
           key;
  }
  std::string aggregate() {
    std::string v = var();
    std::string name = std::to_string(fresh_++);
    switch (r_.below(8)) {
      case 0: return "(COUNT(*) AS ?a" + name + ")";
      case 1: return "(COUNT(" + std::string(r_.chance(40) ? "DISTINCT " : "") + v + ") AS ?a" + name + ")";
      case 2: return "(SUM(" + v + ") AS ?a" + name + ")";
      case 3: return "(MIN(" + v + ") AS ?a" + name + ")";
      case 4: return "(MAX(" + v + ") AS ?a" + name + ")";
      case 5: return "(AVG(" + v + ") AS ?a" + name + ")";
      // Column names starting with "gc" are compared as sets of '|'-separated parts.
      default: return "(GROUP_CONCAT(" + std::string(r_.chance(30) ? "DISTINCT " : "") + "str(" + v +
                      "); SEPARATOR=\"|\") AS ?gc" + name + ")";
    }
  }
  std::string aggregateSelect(const std::string& where) {
    std::vector<std::string> keys = r_.chance(25) ? std::vector<std::string>{} : someVars(1 + r_.below(2));
    std::string sel = "SELECT " + join(keys);
    for (int i = 0, n = 1 + r_.below(2); i < n; ++i) sel += " " + aggregate();
    sel += " WHERE {" + where + "}";
    if (!keys.empty()) sel += " GROUP BY " + join(keys);
    if (r_.chance(20)) sel += " HAVING (COUNT(*) > 1)";
    return sel;
  }

  Rng& r_;
  int fresh_ = 0;
  std::vector<std::string> bound_;
};

// ------------------------------------------------------------------ running

class Collect : public sparql::ResultWriter {
 public:
  Status begin(const std::vector<std::string>& v) override {
    vars = v;
    return Status::ok();
  }
  Status row(std::span<const rdf::Term> values) override {
    std::string line;
    for (size_t i = 0; i < values.size(); ++i) {
      const rdf::Term& t = values[i];
      std::string cell = t.isNone() ? std::string("UNDEF") : rdf::toNTriples(t.view());
      if (i < vars.size() && vars[i].rfind("gc", 0) == 0 && !t.isNone()) {
        // GROUP_CONCAT: the order of the parts is unspecified (section 18.5.1.7).
        std::vector<std::string> parts;
        size_t start = 0;
        for (;;) {
          size_t bar = t.value.find('|', start);
          parts.push_back(t.value.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
          if (bar == std::string::npos) break;
          start = bar + 1;
        }
        std::sort(parts.begin(), parts.end());
        cell = "concat{";
        for (const auto& p : parts) cell += p + "|";
        cell += "}" + t.lang + "^^" + t.datatype;
      }
      line += cell + "  ";
    }
    rows.push_back(std::move(line));
    return Status::ok();
  }
  Status end() override { return Status::ok(); }
  Status boolean(bool) override { return Status::ok(); }
  std::vector<std::string> vars;
  std::vector<std::string> rows;
};

struct RunResult {
  Status status;
  Collect rows;
  std::string plan;  // planned runs: the executed plan with row counts
};

RunResult run(const sparql::Dataset& data, const std::string& text, bool naive) {
  RunResult rr;
  auto q = sparql::parseQuery(text);
  if (!q) {
    rr.status = q.status();
    return rr;
  }
  sparql::ExecOptions eo;
  eo.naive = naive;
  // A few generated queries are cross products that the naive evaluator
  // takes seconds over; they are skipped (counted as "deadline").
  eo.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1000);
  eo.max_rows = 50000;
  sparql::QueryOutput out;
  out.results = &rr.rows;
  if (!naive) out.explain = &rr.plan;
  rr.status = sparql::executeQuery(q.value(), data, eo, out);
  return rr;
}

std::string show(const RunResult& r) {
  if (!r.status.isOk()) return "  error: " + r.status.toString() + "\n";
  std::string out = "  vars:";
  for (const auto& v : r.rows.vars) out += " ?" + v;
  out += "\n";
  size_t n = 0;
  for (const auto& row : r.rows.rows) {
    if (++n > 40) {
      out += "  ... " + std::to_string(r.rows.rows.size()) + " rows\n";
      break;
    }
    out += "  " + row + "\n";
  }
  return out;
}

uint64_t envNumber(const char* name, uint64_t def) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : def;
}

// Compares naive and planned; returns "" or a description of the difference.
struct Counts {
  int skipped = 0, errors = 0, nonempty = 0;
};

std::string compare(const sparql::Dataset& data, const std::string& text, bool ordered, Counts* counts) {
  auto t0 = std::chrono::steady_clock::now();
  RunResult a = run(data, text, true);
  auto t1 = std::chrono::steady_clock::now();
  RunResult b = run(data, text, false);
  auto t2 = std::chrono::steady_clock::now();
  if (std::getenv("WEFT_DIFF_SLOW") && t2 - t0 > std::chrono::milliseconds(100)) {
    auto ms = [](auto d) { return static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()); };
    std::printf("slow: naive %lld ms, planned %lld ms: %s\n", ms(t1 - t0), ms(t2 - t1), text.c_str());
  }
  int* skipped = &counts->skipped;
  if (std::getenv("WEFT_DIFF_VERBOSE")) {
    std::printf("%s\n  naive %s %zu rows, planned %s %zu rows\n", text.c_str(), a.status.toString().c_str(),
                a.rows.rows.size(), b.status.toString().c_str(), b.rows.rows.size());
    std::printf("%s", b.plan.c_str());
  }
  if (a.status.isOk() && !a.rows.rows.empty()) ++counts->nonempty;
  if (!a.status.isOk() && a.status.code() != StatusCode::kSyntaxError && a.status.code() != StatusCode::kAborted)
    ++counts->errors;
  if (a.status.code() == StatusCode::kSyntaxError && b.status.code() == StatusCode::kSyntaxError) {
    ++*skipped;  // the generator wrote something the grammar rejects (e.g. BIND scoping)
    return {};
  }
  if (a.status.code() == StatusCode::kAborted || b.status.code() == StatusCode::kAborted) {
    ++*skipped;  // deadline or row cap: nothing to compare
    return {};
  }
  if (!a.status.isOk() || !b.status.isOk()) {
    if (a.status.isOk() != b.status.isOk()) return "one run failed\n--- naive:\n" + show(a) + "--- planned:\n" + show(b);
    return {};
  }
  if (a.rows.vars != b.rows.vars) return "different variables\n--- naive:\n" + show(a) + "--- planned:\n" + show(b);
  if (!ordered) {
    std::sort(a.rows.rows.begin(), a.rows.rows.end());
    std::sort(b.rows.rows.begin(), b.rows.rows.end());
  }
  if (a.rows.rows != b.rows.rows) {
    std::sort(a.rows.rows.begin(), a.rows.rows.end());
    std::sort(b.rows.rows.begin(), b.rows.rows.end());
    return std::string(ordered ? "different rows or order" : "different rows") + "\n--- naive:\n" + show(a) +
           "--- planned:\n" + show(b) + "--- plan:\n" + b.plan;
  }
  return {};
}

TEST(Differential, NaiveAndPlannedAgree) {
  const uint64_t seed0 = envNumber("WEFT_DIFF_SEED", 1);
  const uint64_t cases = envNumber("WEFT_DIFF_CASES", 3000);
  constexpr uint64_t kQueriesPerDataset = 10;
  int failures = 0, unordered_limits = 0;
  Counts counts;
  std::string data_text;
  std::unique_ptr<store::Store> st;
  std::unique_ptr<db::StoreDataset> data;
  for (uint64_t i = 0; i < cases; ++i) {
    uint64_t case_seed = seed0 + i;
    // A dataset depends only on the seed of the first case of its block
    // (the failure message says how to replay a case).
    if (i % kQueriesPerDataset == 0) {
      Rng dr(case_seed * 7919 + 17);
      data_text = randomData(dr);
      st = loadStore(data_text);
      ASSERT_TRUE(st);
      data = std::make_unique<db::StoreDataset>(st->snapshot());
    }
    Rng r(case_seed);
    QueryGen gen(r);
    QueryGen::Generated g = gen.query();
    std::string text = std::string(kPrologue) + g.text;
    std::string why;
    if (!g.limit_clause.empty()) {
      why = compare(*data, text + g.limit_clause, /*ordered=*/true, &counts);
      if (!why.empty()) {
        // Only a bug if the full ordered sequences agree (else ORDER BY is not
        // total over these values and LIMIT may keep different ties).
        if (compare(*data, text, /*ordered=*/true, &counts).empty()) {
          text += g.limit_clause;
        } else {
          ++unordered_limits;
          why = compare(*data, text, /*ordered=*/false, &counts);
        }
      }
    } else {
      why = compare(*data, text, /*ordered=*/false, &counts);
    }
    if (!why.empty()) {
      ++failures;
      if (failures <= 10) {
        ADD_FAILURE() << "case seed " << case_seed << " (replay: WEFT_DIFF_SEED="
                      << case_seed - i % kQueriesPerDataset << " WEFT_DIFF_CASES=" << i % kQueriesPerDataset + 1
                      << "): naive and planned disagree: " << why << "--- query:\n"
                      << text << "\n--- data:\n"
                      << data_text;
      }
    }
  }
  std::printf(
      "differential: %llu cases, %d disagreements, %d not compared (syntax error, deadline), %d ORDER BY not "
      "total, %d runs with rows, %d runs with errors\n",
      static_cast<unsigned long long>(cases), failures, counts.skipped, unordered_limits, counts.nonempty,
      counts.errors);
  EXPECT_EQ(failures, 0);
}

}  // namespace
