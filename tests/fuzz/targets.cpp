// SPDX-License-Identifier: Apache-2.0
// Fuzz targets for the RDF readers, the XSD value parser and SPARQL (see
// targets.h).
//
// Every reader target parses the input into a checking sink, which verifies
// the QuadView contracts of engine/rdf/term.h and touches every byte of every
// view (so ASan reports views into freed memory). When the parse succeeds it
// writes the quads as N-Quads and reads them back: the count must match, and
// for the serd-read syntaxes the terms must match too (blank nodes up to a
// consistent renaming, since the writer rewrites labels that are not valid
// BLANK_NODE_LABELs); WEFT_FUZZ_STRICT=1 compares terms for RDF/XML and
// JSON-LD as well.
//
// fuzz_sparql_parse feeds any bytes to the SPARQL 1.1 query and update parsers
// (https://www.w3.org/TR/sparql11-query/#grammar) and prints what parses as
// SSE. fuzz_sparql_eval runs each input as a query over a fixed dataset twice,
// with ExecOptions::naive (section 18 as written) and with the planner, and
// requires the same solutions as multisets.
#include "tests/fuzz/targets.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/db/database.h"
#include "engine/db/graph_filter.h"
#include "engine/rdf/syntax.h"
#include "engine/rdf/term.h"
#include "engine/rdf/xsd.h"
#include "engine/sparql/algebra.h"
#include "engine/sparql/execute.h"
#include "engine/sparql/parser.h"
#include "engine/sparql/results.h"
#include "engine/store/store.h"

namespace weft::fuzz {
namespace {

using rdf::Datatype;
using rdf::Format;
using rdf::Quad;
using rdf::QuadView;
using rdf::TermKind;
using rdf::TermView;
using rdf::Value;
using rdf::ValueType;

constexpr const char* kBaseIri = "http://example.org/fuzz/base";

// A broken invariant is a bug: report it and crash so libFuzzer saves the input.
[[noreturn]] void fail(const char* target, const std::string& what) {
  std::fprintf(stderr, "fuzz invariant broken in %s: %s\n", target, what.c_str());
  std::fflush(stderr);
  std::abort();
}

// Reads every byte so that a dangling view is caught by ASan.
unsigned touch(std::string_view s) {
  unsigned h = 0;
  for (char c : s) h = h * 31 + static_cast<unsigned char>(c);
  return h;
}

// Checks a QuadView against the contracts of term.h / sink.h and keeps
// copies when asked to.
class CheckingSink : public rdf::QuadSink {
 public:
  CheckingSink(const char* target, bool keep) : target_(target), keep_(keep) {}

  Status quad(const QuadView& q) override {
    checkTerm(q.s, "subject");
    checkTerm(q.p, "predicate");
    checkTerm(q.o, "object");
    if (!q.g.isNone()) checkTerm(q.g, "graph");
    if (!q.s.isIri() && !q.s.isBlank()) fail(target_, "subject is not an IRI or blank node");
    if (!q.p.isIri()) fail(target_, "predicate is not an IRI");
    if (q.o.isNone()) fail(target_, "object is missing");
    if (!q.g.isNone() && !q.g.isIri() && !q.g.isBlank()) fail(target_, "graph is a literal");
    ++count_;
    if (keep_) quads_.emplace_back(q);
    return Status::ok();
  }
  Status prefix(std::string_view name, std::string_view iri) override {
    checksum_ += touch(name) + touch(iri);
    return Status::ok();
  }
  Status base(std::string_view iri) override {
    checksum_ += touch(iri);
    return Status::ok();
  }

  size_t count() const { return count_; }
  const std::vector<Quad>& quads() const { return quads_; }

 private:
  void checkTerm(const TermView& t, const char* role) {
    checksum_ += touch(t.value) + touch(t.datatype) + touch(t.lang);
    if (t.isLiteral()) {
      // term.h: a literal's datatype is never empty; a language tag implies rdf:langString.
      if (t.datatype.empty()) fail(target_, std::string(role) + " literal without datatype");
      if (!t.lang.empty() && t.datatype != rdf::kRdfLangString) {
        fail(target_, std::string(role) + " literal with language tag but datatype " + std::string(t.datatype));
      }
    } else if (!t.datatype.empty() || !t.lang.empty()) {
      fail(target_, std::string(role) + " non-literal with datatype or language");
    }
  }

  const char* target_;
  bool keep_;
  size_t count_ = 0;
  unsigned checksum_ = 0;
  std::vector<Quad> quads_;
};

std::string writeNQuads(const char* target, const std::vector<Quad>& quads) {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  if (!f) std::abort();
  {
    std::unique_ptr<rdf::QuadWriter> w = rdf::makeWriter(Format::kNQuads, f);
    if (!w) fail(target, "makeWriter(kNQuads) returned null");
    for (const Quad& q : quads) {
      Status st = w->quad(q.view());
      if (!st.isOk()) fail(target, "N-Quads writer rejected a quad: " + st.toString());
    }
    Status st = w->finish();
    if (!st.isOk()) fail(target, "N-Quads writer finish: " + st.toString());
  }
  std::fclose(f);
  std::string out(buf, len);
  std::free(buf);
  return out;
}

// Blank nodes are compared up to a bijective renaming.
class BlankMap {
 public:
  bool same(const rdf::Term& a, const rdf::Term& b) {
    if (a.kind != b.kind) return false;
    if (a.kind != TermKind::kBlank) return a == b;
    auto [fwd, fnew] = fwd_.emplace(a.value, b.value);
    auto [bwd, bnew] = bwd_.emplace(b.value, a.value);
    return fwd->second == b.value && bwd->second == a.value;
  }

 private:
  std::map<std::string, std::string> fwd_, bwd_;
};

// Writes what `first` collected as N-Quads and reads it back. Setting
// WEFT_FUZZ_NO_ROUNDTRIP=1 skips this, to keep fuzzing for memory errors while
// a known round-trip failure is open.
void checkRoundTrip(const char* target, const CheckingSink& first, bool compare_terms) {
  static const bool skip = std::getenv("WEFT_FUZZ_NO_ROUNDTRIP") != nullptr;
  if (skip) return;
  std::string nq = writeNQuads(target, first.quads());
  rdf::ReadOptions opts;
  opts.format = Format::kNQuads;
  opts.base_iri = kBaseIri;
  opts.display_name = "<roundtrip>";
  CheckingSink second(target, compare_terms);
  Status st = rdf::readString(nq, opts, second);
  if (!st.isOk()) fail(target, "re-reading the written N-Quads failed: " + st.toString() + "\n" + nq);
  if (second.count() != first.count()) {
    fail(target, "round trip changed the quad count from " + std::to_string(first.count()) + " to " +
                     std::to_string(second.count()));
  }
  if (!compare_terms) return;
  BlankMap blanks;
  for (size_t i = 0; i < first.quads().size(); ++i) {
    const Quad& a = first.quads()[i];
    const Quad& b = second.quads()[i];
    if (!blanks.same(a.s, b.s) || !blanks.same(a.p, b.p) || !blanks.same(a.o, b.o) || !blanks.same(a.g, b.g)) {
      fail(target, "round trip changed quad " + std::to_string(i) + ":\n  " + rdf::toNQuads(a.view()) + "  " +
                       rdf::toNQuads(b.view()));
    }
  }
}

// WEFT_FUZZ_VERBOSE=1 prints each reader's status (for checking that seeds parse).
void report(const char* target, const Status& st, size_t quads) {
  static const bool verbose = std::getenv("WEFT_FUZZ_VERBOSE") != nullptr;
  if (verbose) std::fprintf(stderr, "%s: %zu quads, %s\n", target, quads, st.toString().c_str());
}

// WEFT_FUZZ_STRICT=1 compares terms, not just counts, in the round trip of
// the non-serd readers too.
bool strictRoundTrip() {
  static const bool strict = std::getenv("WEFT_FUZZ_STRICT") != nullptr;
  return strict;
}

rdf::ReadOptions readOptions(Format f) {
  rdf::ReadOptions opts;
  opts.format = f;
  opts.base_iri = kBaseIri;
  opts.display_name = "<fuzz>";
  return opts;
}

int fuzzSerd(const char* target, Format f, const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::unique_ptr<rdf::ByteSource> src = rdf::memorySource(input);
  CheckingSink sink(target, /*keep=*/true);
  Status st = rdf::readSerd(*src, f, readOptions(f), sink);
  report(target, st, sink.count());
  if (st.isOk()) checkRoundTrip(target, sink, /*compare_terms=*/true);
  return 0;
}

// ---------------------------------------------------------------------------
// XSD values
// ---------------------------------------------------------------------------

constexpr int kDatatypeCount = static_cast<int>(Datatype::kGMonth);

// Checks one parsed value: canonical form is a fixed point and the value is
// equivalent to itself (except NaN).
void checkValue(const Value& v, std::string_view lexical, Datatype dt) {
  const char* t = "fuzz_xsd";
  std::string canonical = rdf::canonicalLexical(v);
  (void)rdf::toDouble(v);
  if (v.datatype != dt) fail(t, "datatype not recorded");
  if (!v.isValid()) {
    if (v.type != ValueType::kInvalid) fail(t, "supported datatype parsed as kNone");
    if (!canonical.empty()) fail(t, "invalid value has a canonical form");
    return;
  }
  if (canonical.empty()) fail(t, "valid value without canonical form");
  Value w = rdf::parseValue(canonical, dt);
  if (!w.isValid()) fail(t, "canonical form \"" + canonical + "\" of \"" + std::string(lexical) + "\" does not parse");
  if (rdf::canonicalLexical(w) != canonical) {
    fail(t, "canonical form is not a fixed point: \"" + canonical + "\" -> \"" + rdf::canonicalLexical(w) + "\"");
  }
  bool is_nan = (v.type == ValueType::kFloat || v.type == ValueType::kDouble) && v.number != v.number;
  std::partial_ordering self = rdf::compareValues(v, v);
  std::partial_ordering with_canonical = rdf::compareValues(v, w);
  if (!is_nan && (self != std::partial_ordering::equivalent || with_canonical != std::partial_ordering::equivalent)) {
    fail(t, "value \"" + std::string(lexical) + "\" not equivalent to itself or its canonical form \"" + canonical + "\"");
  }
}

std::partial_ordering reversed(std::partial_ordering o) {
  if (o == std::partial_ordering::less) return std::partial_ordering::greater;
  if (o == std::partial_ordering::greater) return std::partial_ordering::less;
  return o;
}

}  // namespace

int fuzzOneNTriples(const uint8_t* data, size_t size) {
  return fuzzSerd("fuzz_ntriples", Format::kNTriples, data, size);
}
int fuzzOneNQuads(const uint8_t* data, size_t size) {
  return fuzzSerd("fuzz_nquads", Format::kNQuads, data, size);
}
int fuzzOneTurtle(const uint8_t* data, size_t size) {
  return fuzzSerd("fuzz_turtle", Format::kTurtle, data, size);
}
int fuzzOneTriG(const uint8_t* data, size_t size) { return fuzzSerd("fuzz_trig", Format::kTriG, data, size); }

int fuzzOneRdfXml(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::unique_ptr<rdf::ByteSource> src = rdf::memorySource(input);
  CheckingSink sink("fuzz_rdfxml", /*keep=*/true);
  Status st = rdf::readRdfXml(*src, readOptions(Format::kRdfXml), sink);
  report("fuzz_rdfxml", st, sink.count());
  if (st.isOk()) checkRoundTrip("fuzz_rdfxml", sink, /*compare_terms=*/strictRoundTrip());
  return 0;
}

int fuzzOneJsonLd(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckingSink sink("fuzz_jsonld", /*keep=*/true);
  // No context_map: remote contexts fail without touching files or network.
  Status st = rdf::readJsonLd(input, readOptions(Format::kJsonLd), sink);
  report("fuzz_jsonld", st, sink.count());
  if (st.isOk()) checkRoundTrip("fuzz_jsonld", sink, /*compare_terms=*/strictRoundTrip());
  return 0;
}

// Input: byte 0 and byte 1 choose the datatypes of two values; the rest is
// "lexicalA|lexicalB" (without '|', both use the same lexical form).
int fuzzOneXsd(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  auto dta = static_cast<Datatype>(data[0] % kDatatypeCount + 1);
  auto dtb = static_cast<Datatype>(data[1] % kDatatypeCount + 1);
  std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  size_t bar = rest.find('|');
  std::string_view lexa = rest.substr(0, bar);
  std::string_view lexb = bar == std::string_view::npos ? rest : rest.substr(bar + 1);

  Value a = rdf::parseValue(lexa, dta);
  Value b = rdf::parseValue(lexb, dtb);
  checkValue(a, lexa, dta);
  checkValue(b, lexb, dtb);

  // The IRI and TermView entry points agree with the enum one.
  Value via_term = rdf::parseValue(TermView::literal(lexa, rdf::datatypeIri(dta)));
  if (via_term.type != a.type || rdf::canonicalLexical(via_term) != rdf::canonicalLexical(a)) {
    fail("fuzz_xsd", "parseValue(TermView) disagrees with parseValue(Datatype)");
  }

  // compareValues is antisymmetric.
  std::partial_ordering ab = rdf::compareValues(a, b);
  std::partial_ordering ba = rdf::compareValues(b, a);
  if (ab != reversed(ba)) fail("fuzz_xsd", "compareValues is not antisymmetric");
  if (rdf::isNumeric(a) && rdf::isNumeric(b) &&
      rdf::promotedNumericType(a.type, b.type) != rdf::promotedNumericType(b.type, a.type)) {
    fail("fuzz_xsd", "promotedNumericType is not symmetric");
  }
  return 0;
}

// ---------------------------------------------------------------------------
// SPARQL
// ---------------------------------------------------------------------------

namespace {

using sparql::Expr;
using sparql::ExprKind;
using sparql::Pattern;
using sparql::PatternKind;

// Untrusted query text: small limits so one input stays fast.
sparql::ParseOptions sparqlParseOptions() {
  sparql::ParseOptions po;
  po.base_iri = kBaseIri;
  po.max_bytes = 64 * 1024;
  po.max_depth = 64;
  return po;
}

// The fixed dataset of fuzz_sparql_eval (TriG): IRIs, blank nodes, plain,
// language-tagged and typed literals (numbers of four types, dates, booleans),
// in the default graph and two named graphs, with p-cycles for paths.
constexpr const char* kEvalData = R"(
@prefix : <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
:a :p :b . :b :p :c . :c :p :a . :c :p :d . :d :q :a .
:a :name "Alice" , "Alicia"@es , "alice"@en-GB .
:b :name "Bob"^^xsd:string . :c :name "Carol"@en .
:a :age 30 . :b :age "25"^^xsd:int . :c :age 30.0 . :d :age 4.5e1 . _:x :age "-7"^^xsd:integer .
:a :born "1990-01-02"^^xsd:date . :b :born "1999-12-31T23:59:59Z"^^xsd:dateTime .
:c :born "2001-05-05T10:00:00+02:00"^^xsd:dateTime .
:a :ok true . :b :ok "0"^^xsd:boolean . :d :ok "maybe"^^xsd:boolean .
:a :knows _:x . _:x :knows _:y . _:y :knows :a . _:y :p _:y .
:d :val "abc" , "ABC" , "a\"b\nc" , "3" , "<http://x>" , :d .
:e :p :e . :e :weird "NaN"^^xsd:double , "INF"^^xsd:float , "12"^^<http://example.org/dt> .
:g1 :label "graph one" .
GRAPH :g1 { :a :p :x1 . :x1 :p :x2 . :x2 :p :a . :a :age 31 . _:z :q "g1"@fr . :x1 :name "X1" }
GRAPH :g2 { :b :q :c . :c :q :b . :b :age 26 . :a :p :b . :b :name "Bob" . :c :ok false }
)";

struct EvalStore {
  std::unique_ptr<store::Store> st;
  std::unique_ptr<db::StoreDataset> data;
};

const EvalStore& evalStore() {
  static const EvalStore* es = [] {
    auto* e = new EvalStore;
    e->st = store::Store::openMemory();
    auto txn = e->st->begin();
    if (!txn) fail("fuzz_sparql_eval", "begin: " + txn.status().toString());
    store::Loader loader(txn.value().get());
    loader.startDocument();
    rdf::ReadOptions opts = readOptions(Format::kTriG);
    Status s = rdf::readString(kEvalData, opts, loader);
    if (!s.isOk()) fail("fuzz_sparql_eval", "loading the dataset: " + s.toString());
    s = txn.value()->commit();
    if (!s.isOk()) fail("fuzz_sparql_eval", "commit: " + s.toString());
    e->data = std::make_unique<db::StoreDataset>(e->st->snapshot());
    return e;
  }();
  return *es;
}

// Whether the answer of a query may legitimately depend on evaluation order
// or on the clock / randomness (then naive and planned are not compared), or
// it must not run at all (SERVICE: no network from a fuzzer).
struct Nondeterminism {
  bool unstable = false;
  bool service = false;
};

void scanExpr(const Expr& e, Nondeterminism& n);

void scanPattern(const Pattern& p, Nondeterminism& n) {
  switch (p.kind) {
    case PatternKind::kSlice:    // LIMIT / OFFSET: which rows is unspecified
    case PatternKind::kReduced:  // REDUCED may drop any number of duplicates
      n.unstable = true;
      break;
    case PatternKind::kService: n.service = true; break;
    default: break;
  }
  for (const Expr& e : p.exprs) scanExpr(e, n);
  for (const Expr& e : p.group_exprs) scanExpr(e, n);
  for (const Expr& e : p.aggregates) scanExpr(e, n);
  for (const auto& k : p.order) scanExpr(k.expr, n);
  for (const auto& c : p.children)
    if (c) scanPattern(*c, n);
}

void scanExpr(const Expr& e, Nondeterminism& n) {
  if (e.kind == ExprKind::kBuiltin) {
    switch (e.builtin) {
      case sparql::Builtin::kRand:
      case sparql::Builtin::kNow:
      case sparql::Builtin::kUuid:
      case sparql::Builtin::kStrUuid:
      case sparql::Builtin::kBnode: n.unstable = true; break;
      default: break;
    }
  }
  // SAMPLE picks any member; GROUP_CONCAT's order is unspecified (section 18.5.1.7).
  if (e.kind == ExprKind::kAggregate &&
      (e.aggregate == sparql::AggregateKind::kSample || e.aggregate == sparql::AggregateKind::kGroupConcat)) {
    n.unstable = true;
  }
  if (e.pattern) scanPattern(*e.pattern, n);
  for (const Expr& a : e.args) scanExpr(a, n);
}

// Collects a result as sorted text lines (a multiset); CONSTRUCT / DESCRIBE
// triples have their blank node labels masked (fresh per run).
class TextResults : public sparql::ResultWriter, public rdf::QuadSink {
 public:
  Status begin(const std::vector<std::string>& vars) override {
    std::string h = "vars:";
    for (const auto& v : vars) h += " ?" + v;
    header_ = h;
    return Status::ok();
  }
  Status row(std::span<const rdf::Term> values) override {
    std::string r;
    for (const rdf::Term& t : values) {
      r += t.isNone() ? std::string("UNDEF") : rdf::toNTriples(t.view());
      r += ' ';
    }
    lines_.push_back(std::move(r));
    return Status::ok();
  }
  Status end() override { return Status::ok(); }
  Status boolean(bool value) override {
    header_ = value ? "ask: true" : "ask: false";
    return Status::ok();
  }
  Status quad(const QuadView& q) override {
    std::string r;
    for (const TermView* t : {&q.s, &q.p, &q.o}) r += t->isBlank() ? std::string("_:b") : rdf::toNTriples(*t), r += ' ';
    lines_.push_back(std::move(r));
    return Status::ok();
  }
  std::string text() {
    std::sort(lines_.begin(), lines_.end());
    std::string out = header_ + "\n";
    for (const auto& l : lines_) out += l + "\n";
    return out;
  }

 private:
  std::string header_;
  std::vector<std::string> lines_;
};

Status runEval(const sparql::Query& q, bool naive, TextResults& res, std::string* explain,
               const sparql::Dataset* data = nullptr, bool union_default = false) {
  sparql::ExecOptions eo;
  eo.naive = naive;
  eo.max_rows = 10000;
  eo.union_default_graph = union_default;
  eo.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
  sparql::QueryOutput out;
  out.results = &res;
  out.graph = &res;
  out.explain = explain;
  return sparql::executeQuery(q, data ? *data : *evalStore().data, eo, out);
}

// fuzz_policy: the eval dataset with graph :g2 withheld. One store holds all
// of it behind a FilteredDataset granting the default graph and :g1; the
// other never had :g2's quads. Every query must answer the same on both.
constexpr const char* kWithheldGraph = "http://example.org/g2";

struct PolicyStores {
  db::GraphGrant grant;
  std::unique_ptr<db::FilteredDataset> filtered;  // over evalStore()
  std::unique_ptr<store::Store> without;           // the same data minus :g2
  std::unique_ptr<db::StoreDataset> without_data;
};

const PolicyStores& policyStores() {
  static const PolicyStores* ps = [] {
    auto* p = new PolicyStores;
    p->grant.add("default");
    p->grant.add("http://example.org/g1");
    p->filtered = std::make_unique<db::FilteredDataset>(*evalStore().data, p->grant);
    p->without = store::Store::openMemory();
    auto txn = p->without->begin();
    if (!txn) fail("fuzz_policy", "begin: " + txn.status().toString());
    store::Loader loader(txn.value().get());
    loader.startDocument();
    // The same document (so the same blank node labels), minus :g2's quads.
    class DropGraph : public rdf::QuadSink {
     public:
      explicit DropGraph(rdf::QuadSink* inner) : inner_(inner) {}
      Status quad(const QuadView& q) override {
        if (q.g.isIri() && q.g.value == kWithheldGraph) return Status::ok();
        return inner_->quad(q);
      }

     private:
      rdf::QuadSink* inner_;
    } drop(&loader);
    Status s = rdf::readString(kEvalData, readOptions(Format::kTriG), drop);
    if (s.isOk()) s = txn.value()->commit();
    if (!s.isOk()) fail("fuzz_policy", "loading: " + s.toString());
    p->without_data = std::make_unique<db::StoreDataset>(p->without->snapshot());
    return p;
  }();
  return *ps;
}

}  // namespace

// Any bytes: parse as a query and as an update; a parsed algebra must print.
int fuzzOneSparqlParse(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const bool verbose = std::getenv("WEFT_FUZZ_VERBOSE") != nullptr;
  sparql::ParseOptions po = sparqlParseOptions();
  auto q = sparql::parseQuery(text, po);
  unsigned sum = 0;
  if (q) {
    std::string sse = sparql::toSse(q.value());
    sum += touch(sse);
    if (q.value().pattern) sum += touch(sparql::toSse(*q.value().pattern, q.value().vars));
  } else {
    sum += touch(q.status().message());
  }
  auto u = sparql::parseUpdate(text, po);
  if (u) {
    for (const sparql::UpdateOp& op : u.value().ops)
      if (op.where) sum += touch(sparql::toSse(*op.where, u.value().vars));
  } else {
    sum += touch(u.status().message());
  }
  if (verbose) {
    std::fprintf(stderr, "fuzz_sparql_parse: query %s; update %s\n", q.status().toString().c_str(),
                 u.status().toString().c_str());
  }
  return sum == 0xFFFFFFFFu ? 1 : 0;  // keep `sum` observable
}

// A query over the fixed dataset, run naive and planned; the two must agree
// (as multisets) unless the query is order- or clock-dependent or one of the
// runs failed (deadline, row cap, error).
int fuzzOneSparqlEval(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const bool verbose = std::getenv("WEFT_FUZZ_VERBOSE") != nullptr;
  auto q = sparql::parseQuery(text, sparqlParseOptions());
  if (!q) {
    if (verbose) std::fprintf(stderr, "fuzz_sparql_eval: %s\n", q.status().toString().c_str());
    return 0;
  }
  // WEFT_FUZZ_NO_COMPARE=1 runs both but does not compare, to keep hunting
  // memory errors while a known disagreement is open.
  static const bool no_compare = std::getenv("WEFT_FUZZ_NO_COMPARE") != nullptr;
  Nondeterminism nd;
  if (q.value().pattern) scanPattern(*q.value().pattern, nd);
  if (nd.service) return 0;
  TextResults naive_res, planned_res;
  std::string explain;
  Status a = runEval(q.value(), /*naive=*/true, naive_res, nullptr);
  Status b = runEval(q.value(), /*naive=*/false, planned_res, &explain);
  touch(explain);
  if (verbose) {
    std::fprintf(stderr, "fuzz_sparql_eval: naive %s; planned %s%s\n", a.toString().c_str(), b.toString().c_str(),
                 nd.unstable ? " (not compared)" : "");
  }
  if (!a.isOk() || !b.isOk() || nd.unstable || no_compare) return 0;
  std::string ta = naive_res.text(), tb = planned_res.text();
  if (ta != tb) {
    fail("fuzz_sparql_eval", "naive and planned results differ for\n" + std::string(text) + "\n--- naive:\n" + ta +
                                 "--- planned:\n" + tb + "--- plan:\n" + explain);
  }
  return 0;
}

// Any query, over the dataset with a graph withheld by the access filter and
// over a store that never held that graph, with and without the union
// default graph: the answers must be the same, so no query form reaches the
// withheld graph (docs/serving.md). Clock- and order-dependent queries are
// only run (for memory errors), not compared.
int fuzzOnePolicy(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto q = sparql::parseQuery(text, sparqlParseOptions());
  if (!q) return 0;
  Nondeterminism nd;
  if (q.value().pattern) scanPattern(*q.value().pattern, nd);
  if (nd.service) return 0;
  const PolicyStores& ps = policyStores();
  for (bool union_default : {false, true}) {
    TextResults filtered, without;
    Status a = runEval(q.value(), false, filtered, nullptr, ps.filtered.get(), union_default);
    Status b = runEval(q.value(), false, without, nullptr, ps.without_data.get(), union_default);
    if (!a.isOk() || !b.isOk() || nd.unstable) continue;
    std::string ta = filtered.text(), tb = without.text();
    if (ta != tb)
      fail("fuzz_policy", std::string("the filtered store and the store without the graph differ") +
                              (union_default ? " (union default graph)" : "") + " for\n" + std::string(text) +
                              "\n--- filtered:\n" + ta + "--- without the graph:\n" + tb);
  }
  return 0;
}

const FuzzTarget kFuzzTargets[] = {
    {"fuzz_ntriples", fuzzOneNTriples}, {"fuzz_nquads", fuzzOneNQuads}, {"fuzz_turtle", fuzzOneTurtle},
    {"fuzz_trig", fuzzOneTriG},         {"fuzz_rdfxml", fuzzOneRdfXml}, {"fuzz_jsonld", fuzzOneJsonLd},
    {"fuzz_xsd", fuzzOneXsd},           {"fuzz_sparql_parse", fuzzOneSparqlParse},
    {"fuzz_sparql_eval", fuzzOneSparqlEval},
    {"fuzz_mapping", fuzzOneMapping},   {"fuzz_jsonpath", fuzzOneJsonPath}, {"fuzz_csv", fuzzOneCsv},
    {"fuzz_xml", fuzzOneXml},           {"fuzz_fnml", fuzzOneFnml},     {"fuzz_json_source", fuzzOneJsonSource},
    {"fuzz_sql_source", fuzzOneSqlSource},
    {"fuzz_connectors", fuzzOneConnectors},
    {"fuzz_reason", fuzzOneReason},       {"fuzz_shacl", fuzzOneShacl},
    {"fuzz_policy", fuzzOnePolicy},       {"fuzz_http", fuzzOneHttp},
    {"fuzz_mqtt", fuzzOneMqtt},           {"fuzz_stream_message", fuzzOneStreamMessage},
    {"fuzz_stream_config", fuzzOneStreamConfig}, {"fuzz_scenario", fuzzOneScenario},
    {"fuzz_drift_config", fuzzOneDriftConfig},
    {nullptr, nullptr},
};

}  // namespace weft::fuzz
