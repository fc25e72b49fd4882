// SPDX-License-Identifier: Apache-2.0
// Query results in and out (results.h): format names, the writer and reader
// dispatch (the formats themselves live in internal/results_*.cpp), result
// sets written in the DAWG "rs:" vocabulary of the SPARQL 1.0 tests
// (http://www.w3.org/2001/sw/DataAccess/tests/result-set#), and the
// comparison the conformance runner and the tests use: solution multisets
// (or sequences) equal up to a consistent renaming of blank nodes.
#include "engine/sparql/results.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "engine/rdf/xsd.h"
#include "engine/sparql/internal/results_io.h"

namespace weft::sparql {

bool resultFormatFromName(std::string_view name, ResultFormat* out) {
  std::string n;
  for (char c : name) n += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (n == "json" || n == "srj") *out = ResultFormat::kJson;
  else if (n == "xml" || n == "srx") *out = ResultFormat::kXml;
  else if (n == "csv") *out = ResultFormat::kCsv;
  else if (n == "tsv") *out = ResultFormat::kTsv;
  else if (n == "table" || n == "text" || n == "txt") *out = ResultFormat::kTable;
  else return false;
  return true;
}

const char* resultFormatMediaType(ResultFormat f) {
  switch (f) {
    case ResultFormat::kJson: return "application/sparql-results+json";
    case ResultFormat::kXml: return "application/sparql-results+xml";
    case ResultFormat::kCsv: return "text/csv; charset=utf-8";
    case ResultFormat::kTsv: return "text/tab-separated-values; charset=utf-8";
    case ResultFormat::kTable: return "text/plain; charset=utf-8";
  }
  return "application/octet-stream";
}

std::unique_ptr<ResultWriter> makeResultWriter(ResultFormat f, std::FILE* out) {
  switch (f) {
    case ResultFormat::kJson: return internal::makeJsonResultWriter(out);
    case ResultFormat::kXml: return internal::makeXmlResultWriter(out);
    case ResultFormat::kCsv: return internal::makeCsvResultWriter(out);
    case ResultFormat::kTsv: return internal::makeTsvResultWriter(out);
    case ResultFormat::kTable: return internal::makeTableResultWriter(out);
  }
  return nullptr;
}

Result<ResultSet> parseResults(std::string_view text, ResultFormat f) {
  switch (f) {
    case ResultFormat::kJson: return internal::parseJsonResults(text);
    case ResultFormat::kXml: return internal::parseXmlResults(text);
    case ResultFormat::kCsv: return internal::parseCsvResults(text);
    case ResultFormat::kTsv: return internal::parseTsvResults(text);
    case ResultFormat::kTable: break;
  }
  return Status::unsupported("the table format is written only, not read");
}

// ------------------------------------------------------------ rs: vocabulary

namespace {

constexpr std::string_view kRs = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#";

std::string rs(std::string_view local) { return std::string(kRs) + std::string(local); }

}  // namespace

Result<ResultSet> resultSetFromQuads(const std::vector<rdf::Quad>& quads) {
  // subject (N-Triples form) -> its quads
  std::map<std::string, std::vector<const rdf::Quad*>> by_subject;
  for (const rdf::Quad& q : quads) by_subject[rdf::toNTriples(q.s.view())].push_back(&q);
  auto objects = [&](const rdf::Term& s, std::string_view p) {
    std::vector<const rdf::Term*> out;
    auto it = by_subject.find(rdf::toNTriples(s.view()));
    if (it != by_subject.end())
      for (const rdf::Quad* q : it->second)
        if (q->p.value == p) out.push_back(&q->o);
    return out;
  };
  const std::string type = std::string(rdf::kRdf) + "type";
  const rdf::Term* set = nullptr;
  for (const rdf::Quad& q : quads)
    if (q.p.value == type && q.o.kind == rdf::TermKind::kIri && q.o.value == rs("ResultSet")) {
      set = &q.s;
      break;
    }
  if (!set) return Status::invalidArgument("no rs:ResultSet in the result graph");

  ResultSet out;
  auto boolean = objects(*set, rs("boolean"));
  if (!boolean.empty()) {
    out.is_boolean = true;
    out.boolean = boolean.front()->value == "true" || boolean.front()->value == "1";
    return out;
  }
  auto varIndex = [&](const std::string& name) {
    for (size_t i = 0; i < out.vars.size(); ++i)
      if (out.vars[i] == name) return i;
    out.vars.push_back(name);
    for (auto& row : out.rows) row.resize(out.vars.size());
    return out.vars.size() - 1;
  };
  for (const rdf::Term* v : objects(*set, rs("resultVariable"))) varIndex(v->value);
  // (index, position in document, row): rows with rs:index sort by it.
  std::vector<std::pair<std::pair<int64_t, size_t>, std::vector<rdf::Term>>> rows;
  for (const rdf::Term* sol : objects(*set, rs("solution"))) {
    std::vector<rdf::Term> row(out.vars.size());
    for (const rdf::Term* b : objects(*sol, rs("binding"))) {
      auto var = objects(*b, rs("variable"));
      auto val = objects(*b, rs("value"));
      if (var.empty() || val.empty())
        return Status::invalidArgument("rs:binding without rs:variable or rs:value");
      size_t i = varIndex(var.front()->value);
      for (auto& r : rows) r.second.resize(out.vars.size());
      row.resize(out.vars.size());
      row[i] = *val.front();
    }
    int64_t index = INT64_MAX;
    auto idx = objects(*sol, rs("index"));
    if (!idx.empty()) {
      const std::string& lex = idx.front()->value;
      int64_t n = 0;
      auto [p, ec] = std::from_chars(lex.data(), lex.data() + lex.size(), n);
      if (ec != std::errc() || p != lex.data() + lex.size())
        return Status::invalidArgument("rs:index is not an integer: " + lex);
      index = n;
    }
    rows.push_back({{index, rows.size()}, std::move(row)});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& r : rows) {
    r.second.resize(out.vars.size());
    out.rows.push_back(std::move(r.second));
  }
  return out;
}

// ------------------------------------------------------------ comparison

namespace {

using Row = std::vector<rdf::Term>;

bool hasBlank(const Row& r) {
  for (const rdf::Term& t : r)
    if (t.kind == rdf::TermKind::kBlank) return true;
  return false;
}

std::string rowText(const Row& r, const std::vector<std::string>& vars) {
  std::string out = "{";
  bool any = false;
  for (size_t i = 0; i < r.size(); ++i) {
    if (r[i].isNone()) continue;
    if (any) out += ", ";
    any = true;
    out += '?';
    out += vars[i];
    out += '=';
    out += rdf::toNTriples(r[i].view());
  }
  return out + "}";
}

std::string lowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Term equality as the test suites mean it:
//  - language tags compare case-insensitively (RDF 1.1 Concepts section 3.3
//    makes their value space lower case; the expected results differ in
//    case from the data, "en-us" vs "en-US");
//  - numeric literals of the same datatype compare by value: the expected
//    results write 6.0 as "6"^^xsd:decimal and 1.0E6 as "1.0e6", forms a
//    processor does not produce (Jena's harness compares values too).
// The datatype must still agree, so 1 (integer) never matches 1.0 (decimal).
rdf::Term normalized(const rdf::Term& t) {
  if (t.kind != rdf::TermKind::kLiteral) return t;
  rdf::Term n = t;
  if (!t.lang.empty()) {
    n.lang = lowerAscii(t.lang);
    return n;
  }
  rdf::Value v = rdf::parseValue(t.view());
  if (v.isValid() && rdf::isNumeric(v)) n.value = rdf::canonicalLexical(v);
  return n;
}

bool sameTerm(const rdf::Term& a, const rdf::Term& b) {
  if (a == b) return true;
  if (a.kind != rdf::TermKind::kLiteral || b.kind != rdf::TermKind::kLiteral) return false;
  return normalized(a) == normalized(b);
}

std::string rowKey(const Row& r) {
  std::string k;
  for (const rdf::Term& t : r) {
    k += static_cast<char>('0' + static_cast<int>(t.kind));
    rdf::appendNTriples(k, normalized(t).view());
    k += '\t';
  }
  return k;
}

// What a CSV field keeps of a term: IRIs and literals become their string;
// an empty string is indistinguishable from unbound.
rdf::Term csvLossy(const rdf::Term& t) {
  if (t.kind == rdf::TermKind::kIri || t.kind == rdf::TermKind::kLiteral) {
    if (t.value.empty()) return rdf::Term();
    return rdf::Term::literal(t.value);
  }
  return t;
}

// Blank node bijection, extended row by row; undo by truncating the trail.
struct BnodeMap {
  std::map<std::string, std::string> fwd, back;
  std::vector<std::string> trail;  // expected labels added, in order

  bool unify(const Row& e, const Row& a) {
    size_t mark = trail.size();
    for (size_t i = 0; i < e.size(); ++i) {
      const rdf::Term& x = e[i];
      const rdf::Term& y = a[i];
      if (x.kind != y.kind) return undo(mark);
      if (x.kind != rdf::TermKind::kBlank) {
        if (!sameTerm(x, y)) return undo(mark);
        continue;
      }
      auto f = fwd.find(x.value);
      auto b = back.find(y.value);
      if (f != fwd.end() || b != back.end()) {
        if (f == fwd.end() || b == back.end() || f->second != y.value || b->second != x.value)
          return undo(mark);
        continue;
      }
      fwd[x.value] = y.value;
      back[y.value] = x.value;
      trail.push_back(x.value);
    }
    return true;
  }
  bool undo(size_t mark) {
    while (trail.size() > mark) {
      auto f = fwd.find(trail.back());
      back.erase(f->second);
      fwd.erase(f);
      trail.pop_back();
    }
    return false;
  }
};

struct Matcher {
  const std::vector<Row>& e;
  const std::vector<Row>& a;
  std::vector<bool> used;
  BnodeMap map;
  uint64_t steps = 0;
  bool gave_up = false;
  static constexpr uint64_t kMaxSteps = 5'000'000;

  bool solve(size_t i) {
    if (i == e.size()) return true;
    for (size_t j = 0; j < a.size(); ++j) {
      if (used[j]) continue;
      if (++steps > kMaxSteps) {
        gave_up = true;
        return false;
      }
      size_t mark = map.trail.size();
      if (!map.unify(e[i], a[j])) continue;
      used[j] = true;
      if (solve(i + 1)) return true;
      if (gave_up) return false;
      used[j] = false;
      map.undo(mark);
    }
    return false;
  }
};

void listRows(std::string* why, const char* title, const std::vector<const Row*>& rows,
              const std::vector<std::string>& vars) {
  if (rows.empty()) return;
  *why += "\n  ";
  *why += title;
  *why += " (" + std::to_string(rows.size()) + "):";
  for (size_t i = 0; i < rows.size() && i < 8; ++i) *why += "\n    " + rowText(*rows[i], vars);
  if (rows.size() > 8) *why += "\n    ...";
}

}  // namespace

bool equivalentResults(const ResultSet& expected, const ResultSet& actual, bool ordered,
                       std::string* why, bool lossy_csv) {
  std::string scratch;
  if (!why) why = &scratch;
  why->clear();
  if (expected.is_boolean || actual.is_boolean) {
    if (expected.is_boolean != actual.is_boolean) {
      *why = expected.is_boolean ? "expected a boolean, got a table" : "expected a table, got a boolean";
      return false;
    }
    if (expected.boolean != actual.boolean) {
      *why = std::string("expected ") + (expected.boolean ? "true" : "false") + ", got " +
             (actual.boolean ? "true" : "false");
      return false;
    }
    return true;
  }
  // Columns are matched by name.
  std::set<std::string> ev(expected.vars.begin(), expected.vars.end());
  std::set<std::string> av(actual.vars.begin(), actual.vars.end());
  if (ev != av) {
    *why = "variables differ: expected";
    for (const auto& v : expected.vars) *why += " ?" + v;
    *why += ", got";
    for (const auto& v : actual.vars) *why += " ?" + v;
    return false;
  }
  const std::vector<std::string>& vars = expected.vars;
  std::vector<size_t> col(vars.size());
  for (size_t k = 0; k < vars.size(); ++k)
    col[k] = std::find(actual.vars.begin(), actual.vars.end(), vars[k]) - actual.vars.begin();
  auto convert = [&](const Row& r, const std::vector<size_t>* perm) {
    Row out(vars.size());
    for (size_t k = 0; k < vars.size(); ++k) {
      size_t src = perm ? (*perm)[k] : k;
      if (src < r.size()) out[k] = lossy_csv ? csvLossy(r[src]) : r[src];
    }
    return out;
  };
  std::vector<Row> e, a;
  for (const Row& r : expected.rows) e.push_back(convert(r, nullptr));
  for (const Row& r : actual.rows) a.push_back(convert(r, &col));
  if (e.size() != a.size()) {
    *why = "expected " + std::to_string(e.size()) + " rows, got " + std::to_string(a.size());
  }

  if (ordered) {
    if (!why->empty()) {
      std::vector<const Row*> er, ar;
      for (const Row& r : e) er.push_back(&r);
      for (const Row& r : a) ar.push_back(&r);
      listRows(why, "expected", er, vars);
      listRows(why, "got", ar, vars);
      return false;
    }
    BnodeMap map;
    for (size_t i = 0; i < e.size(); ++i)
      if (!map.unify(e[i], a[i])) {
        *why = "row " + std::to_string(i + 1) + " differs: expected " + rowText(e[i], vars) +
               ", got " + rowText(a[i], vars);
        return false;
      }
    return true;
  }

  // Ground rows must match as multisets; rows with blank nodes need a search.
  std::map<std::string, std::vector<const Row*>> eg, ag;
  std::vector<Row> eb, ab;
  for (const Row& r : e) {
    if (hasBlank(r)) eb.push_back(r);
    else eg[rowKey(r)].push_back(&r);
  }
  for (const Row& r : a) {
    if (hasBlank(r)) ab.push_back(r);
    else ag[rowKey(r)].push_back(&r);
  }
  std::vector<const Row*> missing, extra;
  for (const auto& [k, rows] : eg) {
    auto it = ag.find(k);
    size_t have = it == ag.end() ? 0 : it->second.size();
    for (size_t i = have; i < rows.size(); ++i) missing.push_back(rows[i]);
  }
  for (const auto& [k, rows] : ag) {
    auto it = eg.find(k);
    size_t have = it == eg.end() ? 0 : it->second.size();
    for (size_t i = have; i < rows.size(); ++i) extra.push_back(rows[i]);
  }
  if (eb.size() != ab.size()) {
    for (const Row& r : eb) missing.push_back(&r);
    for (const Row& r : ab) extra.push_back(&r);
  }
  if (!missing.empty() || !extra.empty()) {
    if (why->empty()) *why = "solutions differ";
    listRows(why, "missing", missing, vars);
    listRows(why, "unexpected", extra, vars);
    return false;
  }
  Matcher m{eb, ab, std::vector<bool>(ab.size()), {}};
  if (m.solve(0)) return true;
  *why = m.gave_up ? "gave up matching blank nodes (search too large)"
                   : "no consistent blank node mapping between the solutions";
  std::vector<const Row*> er, ar;
  for (const Row& r : eb) er.push_back(&r);
  for (const Row& r : ab) ar.push_back(&r);
  listRows(why, "expected rows with blank nodes", er, vars);
  listRows(why, "got", ar, vars);
  return false;
}

namespace {
class ResultSetWriter : public ResultWriter {
 public:
  explicit ResultSetWriter(ResultSet* out) : out_(out) {}
  Status begin(const std::vector<std::string>& vars) override {
    *out_ = ResultSet();
    out_->vars = vars;
    return Status::ok();
  }
  Status row(std::span<const rdf::Term> values) override {
    out_->rows.emplace_back(values.begin(), values.end());
    return Status::ok();
  }
  Status end() override { return Status::ok(); }
  Status boolean(bool value) override {
    *out_ = ResultSet();
    out_->is_boolean = true;
    out_->boolean = value;
    return Status::ok();
  }

 private:
  ResultSet* out_;
};
}  // namespace

std::unique_ptr<ResultWriter> makeResultSetWriter(ResultSet* out) {
  return std::make_unique<ResultSetWriter>(out);
}

}  // namespace weft::sparql
