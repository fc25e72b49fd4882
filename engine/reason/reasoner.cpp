// SPDX-License-Identifier: Apache-2.0
// reason::materialize and friends: read the store into the engine
// (internal/engine.h), run it, and write the difference to the inferred graph.
#include "engine/reason/reasoner.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "engine/core/bytes.h"
#include "engine/core/proc_status.h"
#include "engine/db/database.h"
#include "engine/reason/internal/engine.h"
#include "engine/rdf/xsd.h"
#include "engine/reason/internal/flat_map.h"
#include "engine/sparql/execute.h"
#include "engine/sparql/parser.h"

namespace weft::reason {

Status saveOptions(const std::string& dir, const Options& o);

namespace {

using internal::Engine;
using internal::T;
using internal::Tri;
namespace fs = std::filesystem;

constexpr std::string_view kOwl = "http://www.w3.org/2002/07/owl#";
constexpr std::string_view kRdfs = "http://www.w3.org/2000/01/rdf-schema#";
constexpr std::string_view kDt = "https://w3id.org/weft/dt#";
constexpr std::string_view kInconsistencyBase = "https://w3id.org/weft/inconsistency/";
// `<inferred graph> dt:reasonerRun "nonce"`, written in the same commit as the
// inferred graph: a state file whose nonce differs (a crash between the
// commit and the state's rename) is not used.
constexpr std::string_view kReasonerRun = "https://w3id.org/weft/dt#reasonerRun";
constexpr uint64_t kLocal = sparql::kLocalIdBit;

using Ext3 = std::array<uint64_t, 3>;

// Store ids <-> dense engine ids; terms the store does not hold (made by the
// domain rules, or vocabulary the data never mentions) get local ids.
class Terms : public internal::TermInfo {
 public:
  explicit Terms(const store::Snapshot& snap) : snap_(&snap) {}

  // A resident run moves on to the store's next version: later terms are
  // looked up there, and terms this run made (local ids) that a commit has
  // since stored answer to their store ids too.
  void rebind(const store::Snapshot& snap) {
    snap_ = &snap;
    for (size_t i = 0; i < local_.size(); ++i) {
      uint32_t d = map_.get(kLocal | i);
      if (d == internal::FlatMap::kMissing) continue;
      uint64_t id = snap.lookup(local_[i].view());
      if (id == 0 || map_.get(id) != internal::FlatMap::kMissing) continue;
      map_.at(id) = d;
      ext_[d] = id;  // written by id from now on, like any stored term
    }
  }

  T dense(uint64_t ext) {
    uint32_t& d = map_.at(ext);
    if (d == internal::FlatMap::kMissing) {
      d = static_cast<T>(ext_.size());
      ext_.push_back(ext);
      kind_.push_back(-1);
    }
    return d;
  }
  // Dense id of an ext id only if known.
  T known(uint64_t ext) const { return map_.get(ext); }
  uint64_t ext(T d) const { return ext_[d]; }
  size_t size() const { return ext_.size(); }

  uint64_t extOf(const rdf::TermView& t, bool create) {
    std::string key = rdf::toNTriples(t);
    auto it = local_index_.find(key);
    if (it != local_index_.end()) return kLocal | it->second;
    uint64_t id = snap_->lookup(t);
    if (id != 0) return id;
    if (!create) return 0;
    uint64_t idx = local_.size();
    local_.emplace_back(t);
    local_index_.emplace(std::move(key), idx);
    return kLocal | idx;
  }
  T intern(const rdf::TermView& t) { return dense(extOf(t, true)); }
  T iri(std::string_view base, std::string_view local) {
    std::string s(base);
    s += local;
    return intern(rdf::TermView::iri(s));
  }
  // Dense id of a term, or kNone if neither the store nor the engine has it.
  T find(const rdf::TermView& t) {
    uint64_t e = extOf(t, false);
    if (e == 0) return internal::kNone;
    return dense(e);
  }

  bool decodeExt(uint64_t ext, rdf::Term* out) const {
    if (ext & kLocal) {
      uint64_t i = ext & ~kLocal;
      if (i >= local_.size()) return false;
      *out = local_[i];
      return true;
    }
    return snap_->decode(ext, out);
  }
  bool decode(T d, rdf::Term* out) const { return decodeExt(ext_[d], out); }

  bool isLiteral(T t) override {
    if (kind_[t] < 0) {
      rdf::Term term;
      kind_[t] = decode(t, &term) ? static_cast<int8_t>(term.kind) : 0;
    }
    return kind_[t] == static_cast<int8_t>(rdf::TermKind::kLiteral);
  }
  std::string text(T t) override {
    rdf::Term term;
    if (!decode(t, &term)) return "?";
    return rdf::toNTriples(term.view());
  }

 private:
  const store::Snapshot* snap_;
  internal::FlatMap map_;
  std::vector<uint64_t> ext_;
  std::vector<int8_t> kind_;
  std::vector<rdf::Term> local_;
  std::unordered_map<std::string, uint64_t> local_index_;
};

internal::Vocab makeVocab(Terms& tm) {
  internal::Vocab v;
  auto rdf = [&](const char* l) { return tm.iri(rdf::kRdf, l); };
  auto rdfs = [&](const char* l) { return tm.iri(kRdfs, l); };
  auto owl = [&](const char* l) { return tm.iri(kOwl, l); };
  v.type = rdf("type");
  v.first = rdf("first");
  v.rest = rdf("rest");
  v.nil = rdf("nil");
  v.sco = rdfs("subClassOf");
  v.spo = rdfs("subPropertyOf");
  v.domain = rdfs("domain");
  v.range = rdfs("range");
  v.datatype = rdfs("Datatype");
  v.eqc = owl("equivalentClass");
  v.eqp = owl("equivalentProperty");
  v.inverse = owl("inverseOf");
  v.chain = owl("propertyChainAxiom");
  v.key = owl("hasKey");
  v.inter = owl("intersectionOf");
  v.uni = owl("unionOf");
  v.compl_ = owl("complementOf");
  v.svf = owl("someValuesFrom");
  v.avf = owl("allValuesFrom");
  v.hv = owl("hasValue");
  v.onp = owl("onProperty");
  v.onclass = owl("onClass");
  v.maxc = owl("maxCardinality");
  v.maxqc = owl("maxQualifiedCardinality");
  v.oneof = owl("oneOf");
  v.dw = owl("disjointWith");
  v.pdw = owl("propertyDisjointWith");
  v.members = owl("members");
  v.distinct = owl("distinctMembers");
  v.sameas = owl("sameAs");
  v.difffrom = owl("differentFrom");
  v.src_ind = owl("sourceIndividual");
  v.assert_prop = owl("assertionProperty");
  v.tgt_ind = owl("targetIndividual");
  v.tgt_val = owl("targetValue");
  v.thing = owl("Thing");
  v.nothing = owl("Nothing");
  v.cls = owl("Class");
  v.objprop = owl("ObjectProperty");
  v.dataprop = owl("DatatypeProperty");
  v.transitive = owl("TransitiveProperty");
  v.symmetric = owl("SymmetricProperty");
  v.asymmetric = owl("AsymmetricProperty");
  v.irreflexive = owl("IrreflexiveProperty");
  v.functional = owl("FunctionalProperty");
  v.invfunctional = owl("InverseFunctionalProperty");
  v.alldisjointclasses = owl("AllDisjointClasses");
  v.alldisjointprops = owl("AllDisjointProperties");
  v.alldifferent = owl("AllDifferent");
  v.npa = owl("NegativePropertyAssertion");
  v.annotprop = owl("AnnotationProperty");
  for (const char* a : {"label", "comment", "seeAlso", "isDefinedBy"})
    v.annotations.push_back(rdfs(a));
  for (const char* a : {"deprecated", "versionInfo", "priorVersion", "backwardCompatibleWith",
                        "incompatibleWith"})
    v.annotations.push_back(owl(a));
  // dt-type1: the datatypes of OWL 2 RL (Profiles section 4.2).
  for (const char* d : {"PlainLiteral", "XMLLiteral"}) v.datatypes.push_back(rdf(d));
  v.datatypes.push_back(rdfs("Literal"));
  // (owl:real and owl:rational are not OWL 2 RL datatypes.)
  for (const char* d :
       {"decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger",
        "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte", "float", "double", "string", "normalizedString", "token",
        "language", "Name", "NCName", "NMTOKEN", "boolean", "hexBinary", "base64Binary", "anyURI",
        "dateTime", "dateTimeStamp"})
    v.datatypes.push_back(tm.iri(rdf::kXsd, d));
  std::string nni = std::string(rdf::kXsd) + "nonNegativeInteger";
  std::string integer = std::string(rdf::kXsd) + "integer";
  // Interned (as local terms if the store has none yet), not looked up: a
  // resident run meets the literal when a later commit brings it.
  v.zero = tm.intern(rdf::TermView::literal("0", nni));
  v.one = tm.intern(rdf::TermView::literal("1", nni));
  v.zero_i = tm.intern(rdf::TermView::literal("0", integer));
  v.one_i = tm.intern(rdf::TermView::literal("1", integer));
  return v;
}


// Datatype families for dt-not-type: value spaces that can overlap.
int dtFamily(std::string_view dt) {
  if (dt.substr(0, rdf::kXsd.size()) != rdf::kXsd) return 0;
  std::string_view l = dt.substr(rdf::kXsd.size());
  for (std::string_view f : {"string", "normalizedString", "token", "language", "Name", "NCName",
                             "NMTOKEN"})
    if (l == f) return 1;
  if (l == "float") return 3;
  if (l == "double") return 4;
  if (l == "dateTime" || l == "dateTimeStamp") return 5;
  rdf::Datatype d = rdf::datatypeFromIri(dt);
  if (d == rdf::Datatype::kDecimal) return 2;
  if (d >= rdf::Datatype::kInteger && d <= rdf::Datatype::kPositiveInteger) return 2;
  return 0;
}

// Is the literal's value in the value space of datatype `t`? Unknown
// (non-XSD) datatypes are given the benefit of the doubt.
bool inValueSpace(const rdf::Term& lit, std::string_view t) {
  std::string_view d = lit.datatype;
  if (t == std::string(kRdfs) + "Literal") return true;
  if (t == std::string(rdf::kRdf) + "PlainLiteral") return d == rdf::kXsdString || d == rdf::kRdfLangString;
  if (t == d) {
    rdf::Datatype k = rdf::datatypeFromIri(d);
    return k == rdf::Datatype::kUnknown || rdf::parseValue(lit.value, k).isValid();
  }
  int ft = dtFamily(t), fd = dtFamily(d);
  bool xsd = t.substr(0, rdf::kXsd.size()) == rdf::kXsd || t.substr(0, rdf::kRdf.size()) == rdf::kRdf;
  if (ft == 0) return !xsd;
  if (ft != fd) return false;
  if (ft == 2 || ft == 5) return rdf::parseValue(lit.value, t).isValid();
  return true;
}

// ---------------------------------------------------------------------------
// The closure as a sparql::Dataset (one default graph), for domain rules.

class ClosureDataset : public sparql::Dataset {
 public:
  ClosureDataset(Engine& e, Terms& tm) : e_(e), tm_(tm) {}
  sparql::Id lookup(const rdf::TermView& t) const override { return tm_.extOf(t, false); }
  bool decode(sparql::Id id, rdf::Term* out) const override { return tm_.decodeExt(id, out); }

  class Cursor : public sparql::QuadCursor {
   public:
    std::vector<sparql::IdQuad> rows;
    size_t i = 0;
    bool next(sparql::IdQuad* out) override {
      if (i >= rows.size()) return false;
      *out = rows[i++];
      return true;
    }
  };
  std::unique_ptr<sparql::QuadCursor> scan(const sparql::IdQuad& pat, char order[4]) const override {
    (void)order;  // chains are not sorted: no merge joins
    auto c = std::make_unique<Cursor>();
    forEach(pat, [&](uint32_t id) {
      const Tri& t = e_.triple(id);
      c->rows.push_back({tm_.ext(t.s), tm_.ext(t.p), tm_.ext(t.o), sparql::kDefaultGraphId});
      return true;
    });
    return c;
  }
  uint64_t count(const sparql::IdQuad& pat) const override {
    uint64_t n = 0;
    forEach(pat, [&](uint32_t) {
      ++n;
      return true;
    });
    return n;
  }
  std::vector<sparql::Id> namedGraphs() const override { return {}; }

 private:
  template <typename F>
  void forEach(const sparql::IdQuad& pat, F&& f) const {
    if (pat.g != sparql::kAnyId && pat.g != sparql::kDefaultGraphId) return;
    T d[3];
    const sparql::Id in[3] = {pat.s, pat.p, pat.o};
    for (int k = 0; k < 3; ++k) {
      if (in[k] == sparql::kAnyId) {
        d[k] = internal::kNone;
      } else {
        d[k] = tm_.known(in[k]);
        if (d[k] == internal::kNone) return;
        d[k] = e_.rep(d[k]);  // the closure is kept on representatives
      }
    }
    e_.scan(d[0], d[1], d[2], f);
  }
  Engine& e_;
  Terms& tm_;
};

class CollectSink : public rdf::QuadSink {
 public:
  std::vector<rdf::Quad> quads;
  Status quad(const rdf::QuadView& q) override {
    quads.emplace_back(q);
    return Status::ok();
  }
};

struct ParsedRule {
  std::string name;
  sparql::Query query;
};

// What a domain rule's answer can depend on: the triples its patterns match.
// A rule whose patterns match none of a batch's new closure triples answers
// as before (Resident skips the rules then). Conservative: a variable
// predicate, a negated property set, a zero-length path (it matches every
// node, so a new node anywhere changes it) or SERVICE make it depend on all.
struct RuleFootprint {
  bool any = false;
  bool type_any = false;                 // ?x rdf:type ?c
  std::unordered_set<std::string> preds;    // predicate IRIs (rdf:type only via classes / type_any)
  std::unordered_set<std::string> classes;  // ?x rdf:type C
};

void footprintPath(const sparql::Path& p, RuleFootprint* f) {
  switch (p.kind) {
    case sparql::PathKind::kLink:
      if (p.iri.value == std::string(rdf::kRdf) + "type") f->type_any = true;
      else f->preds.insert(p.iri.value);
      return;
    case sparql::PathKind::kNegated:
    case sparql::PathKind::kZeroOrMore:
    case sparql::PathKind::kZeroOrOne:
      f->any = true;
      return;
    default:
      for (const sparql::Path& q : p.sub) footprintPath(q, f);
  }
}

void footprintExpr(const sparql::Expr& e, RuleFootprint* f);

void footprintPattern(const sparql::Pattern& p, RuleFootprint* f) {
  if (p.kind == sparql::PatternKind::kService) f->any = true;
  for (const sparql::TriplePattern& t : p.triples) {
    if (t.p.isVar()) {
      f->any = true;
    } else if (t.p.term.value == std::string(rdf::kRdf) + "type") {
      if (t.o.isVar()) f->type_any = true;
      else f->classes.insert(t.o.term.value);
    } else {
      f->preds.insert(t.p.term.value);
    }
  }
  if (p.kind == sparql::PatternKind::kPath) footprintPath(p.path, f);
  for (const auto& c : p.children) footprintPattern(*c, f);
  for (const sparql::Expr& e : p.exprs) footprintExpr(e, f);
  for (const sparql::Expr& e : p.group_exprs) footprintExpr(e, f);
  for (const sparql::Expr& e : p.aggregates) footprintExpr(e, f);
  for (const sparql::OrderKey& k : p.order) footprintExpr(k.expr, f);
}

void footprintExpr(const sparql::Expr& e, RuleFootprint* f) {
  if (e.pattern) footprintPattern(*e.pattern, f);
  for (const sparql::Expr& a : e.args) footprintExpr(a, f);
}

Result<std::vector<ParsedRule>> parseRules(const std::vector<DomainRule>& rules) {
  std::vector<ParsedRule> out;
  for (const DomainRule& r : rules) {
    auto q = sparql::parseQuery(r.text);
    if (!q) return Status::invalidArgument("domain rule " + r.name + ": " + q.status().message());
    if (q->form != sparql::QueryForm::kConstruct)
      return Status::invalidArgument("domain rule " + r.name + " is not a CONSTRUCT query");
    out.push_back({r.name, std::move(q.value())});
  }
  return out;
}

// ---------------------------------------------------------------------------
// Incremental state: DIR/reason/state (the asserted triples and the domain
// rules' outputs of the last run, as store ids).

constexpr char kMagic[8] = {'W', 'E', 'F', 'T', 'R', 'S', 'N', '3'};

// A run's nonce (and other 64-bit names) as 16 hex digits.
std::string hex16(uint64_t v) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(v));
  return hex;
}

// The IRI of an inconsistency report: named by its rule and terms, so the
// same violation keeps its node across runs.
std::string inconsistencyNode(const Inconsistency& inc) {
  std::string k = inc.rule;
  for (const rdf::Term& t : inc.terms) k += " " + rdf::toNTriples(t.view());
  return std::string(kInconsistencyBase) + hex16(hashBytes(k));
}

// A' is named by the sum of its triples' hashes (order-free, so a resident
// run can add a batch's triples to it).
uint64_t tripleHash(const Ext3& t) { return mix64(t[0] * 0x9e3779b97f4a7c15ULL ^ mix64(t[1] + mix64(t[2]))); }

// Two files written at the end of a run: `asserted` (A', sorted) and `rules`
// (the domain rules' outputs). Both carry the options' hash and the run's
// nonce; a pair that does not match is no state.
struct StateHeader {
  uint64_t config = 0;
  uint64_t nonce = 0;
  uint64_t flags = 0;  // kDerivedMerges
};
constexpr uint64_t kDerivedMerges = 1;  // the closure has owl:sameAs derived by rules
constexpr uint64_t kDomainMerges = 2;   // ... by domain rules (which may negate: any change recomputes)

uint64_t configHash(const Options& o) {
  // The engine's version: state from a weft whose rules differ is not reused.
  std::string s = "weft-reason-2 ";
  s += o.profile == Profile::kRdfs ? "rdfs" : "owl-rl";
  s += o.eq_ref ? "+eqref" : "";
  for (const DomainRule& r : o.rules) s += "\n#" + r.name + "\n" + r.text;
  return hashBytes(s);
}

std::string stateDir(const store::Store& s) { return s.dir() + "/reason"; }

bool readTriples(const std::string& path, StateHeader* h, std::vector<Ext3>* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  char magic[8];
  uint64_t n = 0;
  if (!in.read(magic, 8) || std::memcmp(magic, kMagic, 8) != 0) return false;
  if (!in.read(reinterpret_cast<char*>(h), sizeof *h)) return false;
  if (!in.read(reinterpret_cast<char*>(&n), 8)) return false;
  std::error_code ec;
  uint64_t size = fs::file_size(path, ec);
  if (ec || n > size / sizeof(Ext3)) return false;  // a damaged file: no state
  out->resize(n);
  return static_cast<bool>(
      in.read(reinterpret_cast<char*>(out->data()), static_cast<std::streamsize>(n * sizeof(Ext3))));
}

// Streams sorted triples to a state file; the count is filled in at the end.
class TripleFile {
 public:
  Status open(const std::string& path, const StateHeader& h) {
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    path_ = path;
    out_.open(path, std::ios::binary | std::ios::trunc);
    out_.write(kMagic, 8);
    out_.write(reinterpret_cast<const char*>(&h), sizeof h);
    uint64_t zero = 0;
    out_.write(reinterpret_cast<const char*>(&zero), 8);
    return out_ ? Status::ok() : Status::ioError("cannot write " + path);
  }
  void add(const Ext3& t) {
    out_.write(reinterpret_cast<const char*>(t.data()), sizeof t);
    ++n_;
  }
  // The header again (its nonce is known only at the end), then the count.
  Status close(const StateHeader& h) {
    out_.seekp(8);
    out_.write(reinterpret_cast<const char*>(&h), sizeof h);
    out_.write(reinterpret_cast<const char*>(&n_), 8);
    out_.close();
    return out_ ? Status::ok() : Status::ioError("cannot write " + path_);
  }
  bool isOpen() const { return out_.is_open(); }

 private:
  std::ofstream out_;
  std::string path_;
  uint64_t n_ = 0;
};

Status writeTriples(const std::string& path, const StateHeader& h, const std::vector<Ext3>& v) {
  TripleFile f;
  WEFT_TRY(f.open(path, h));
  for (const Ext3& t : v) f.add(t);
  return f.close(h);
}

struct State {
  StateHeader header;
  std::vector<Ext3> asserted;  // sorted
  std::vector<Ext3> from_rules;
};

bool readState(const std::string& dir, uint64_t config, State* st) {
  // The flags are known only at the end of a run: they live in `rules`.
  StateHeader h2;
  bool ok = readTriples(dir + "/asserted", &st->header, &st->asserted) &&
            readTriples(dir + "/rules", &h2, &st->from_rules) && st->header.config == config &&
            h2.config == config && h2.nonce == st->header.nonce;
  st->header.flags = h2.flags;
  return ok;
}

// ---------------------------------------------------------------------------

// Where a datatype check starts (Run::checkDatatypes).
struct Since {
  uint32_t first = 0;
  size_t typings = 0, merges = 0;
};

struct Run {
  store::Store& store;
  const Options& opts;
  std::shared_ptr<const store::Snapshot> snap;
  Terms tm;
  internal::Vocab v;
  uint64_t g_inf = 0;  // store id of the inferred graph (0 if none yet)
  std::vector<ParsedRule> rules;
  std::vector<Ext3> asserted;  // A': sorted, distinct
  std::unordered_set<uint64_t> inconsistency_nodes;
  std::vector<std::pair<uint64_t, uint64_t>> old_links;  // sameAs links in the inferred graph

  Run(store::Store& s, const Options& o) : store(s), opts(o), snap(s.snapshot()), tm(*snap) {}
  store::CommitDelta own;  // what the run's own commit changed

  // A' goes to DIR/reason/asserted.tmp as soon as the engine has it, and
  // leaves memory; materialize() renames the file once the run commits.
  StateHeader header;
  bool derived_merges_before = false, domain_merges_before = false;
  bool save_state = false;
  TripleFile streamed;  // A' written while reading (full runs)
  Status saveAsserted() {
    Status s;
    if (streamed.isOpen()) {
      s = streamed.close(header);
      if (s && !sorted) s = Status::internal("the store scan was not in SPOG order");
    } else if (save_state) {
      s = writeTriples(stateDir(store) + "/asserted.tmp", header, asserted);
    }
    asserted = {};
    return s;
  }

  void progress(const std::string& line) const {
    if (opts.progress) opts.progress(line);
  }

  // Reads the store: the inferred graph's links and reports are noted, every
  // other distinct triple (A') goes to `sink` in (s, p, o) id order, or to
  // `asserted` without a sink.
  uint64_t asserted_count = 0;
  void readStore(const std::function<void(const Ext3&)>& sink = nullptr) {
    refreshIds();
    const uint64_t same = same_id;
    uint64_t type = snap->lookup(rdf::TermView::iri(std::string(rdf::kRdf) + "type"));
    uint64_t incons = snap->lookup(rdf::TermView::iri(std::string(kDt) + "Inconsistency"));
    if (g_inf != 0 && incons != 0) {
      auto c = snap->scan({0, type, incons, g_inf});
      store::QuadIds q;
      while (c.next(&q)) inconsistency_nodes.insert(q.s);
    }
    auto c = snap->scan({});
    store::QuadIds buf[1024];
    size_t n;
    while ((n = c.nextBatch(buf, 1024)) > 0) {
      for (size_t i = 0; i < n; ++i) {
        const store::QuadIds& q = buf[i];
        if (g_inf != 0 && q.g == g_inf) {
          if (inconsistency_nodes.count(q.s)) continue;
          // Under RDFS owl:sameAs is a property like any other: its triples
          // in the inferred graph are conclusions, not merges.
          if (q.p == same && owl()) old_links.push_back({q.s, q.o});
          if (run_pred != 0 && q.p == run_pred) {
            rdf::Term t;
            if (snap->decode(q.o, &t)) graph_nonce = t.value;
          }
        } else {
          // SPOG order: the copies of a triple in several graphs are adjacent.
          Ext3 t{q.s, q.p, q.o};
          if (t == last) continue;
          if (t < last) sorted = false;
          last = t;
          ++asserted_count;
          content_hash += tripleHash(t);
          if (sink) {
            sink(t);
          } else {
            asserted.push_back(t);
          }
        }
      }
    }
    if (!sorted) {
      std::sort(asserted.begin(), asserted.end());
      asserted.erase(std::unique(asserted.begin(), asserted.end()), asserted.end());
      asserted_count = asserted.size();
    }
  }
  uint64_t content_hash = 0;  // order-free hash of A' (the run's nonce with the options)
  uint64_t same_id = 0, repr_id = 0;  // store ids of owl:sameAs, dt:representative (0: absent)
  uint64_t run_pred = 0;    // store id of dt:reasonerRun
  std::string graph_nonce;  // its value in the inferred graph
  Ext3 last{0, 0, 0};
  bool sorted = true;  // false: the scan was not in SPOG order (then a streamed state is not saved)

  Tri dense(const Ext3& e) { return {tm.dense(e[0]), tm.dense(e[1]), tm.dense(e[2])}; }

  // The inferred graph's triples (not the sameAs links and inconsistency
  // reports), sorted by (s, p, o) id: the scan with g bound reads GSPO.
  template <typename F>
  void forInferred(F&& f) const {
    if (g_inf == 0) return;
    const uint64_t same = owl() ? same_id : 0, repr = repr_id;
    auto c = snap->scan({0, 0, 0, g_inf});
    store::QuadIds buf[1024];
    size_t n;
    while ((n = c.nextBatch(buf, 1024)) > 0)
      for (size_t i = 0; i < n; ++i)
        if (!inconsistency_nodes.count(buf[i].s) && (same == 0 || buf[i].p != same) &&
            (repr == 0 || buf[i].p != repr) && (run_pred == 0 || buf[i].p != run_pred))
          f(buf[i]);
  }

  Engine::DomainRound domainRound(Engine& e, Status* err) {
    if (rules.empty()) return nullptr;
    return [this, &e, err](std::vector<std::pair<Tri, uint32_t>>* out) {
      ClosureDataset ds(e, tm);
      for (uint32_t ri = 0; ri < rules.size(); ++ri) {
        CollectSink sink;
        sparql::QueryOutput qo;
        qo.graph = &sink;
        Status s = sparql::executeQuery(rules[ri].query, ds, {}, qo);
        if (!s) {
          if (err->isOk()) *err = Status::invalidArgument("domain rule " + rules[ri].name + ": " + s.message());
          return;
        }
        for (const rdf::Quad& q : sink.quads) {
          if ((q.s.kind == rdf::TermKind::kBlank && tm.find(q.s.view()) == internal::kNone) ||
              (q.o.kind == rdf::TermKind::kBlank && tm.find(q.o.view()) == internal::kNone)) {
            if (err->isOk())
              *err = Status::invalidArgument("domain rule " + rules[ri].name +
                                             " makes new blank nodes; give derived resources IRIs");
            return;
          }
          out->push_back({{tm.intern(q.s.view()), tm.intern(q.p.view()), tm.intern(q.o.view())}, ri});
        }
      }
      progress("domain rules: " + std::to_string(out->size()) + " triples");
    };
  }

  // Loads A' into the engine and runs it from scratch.
  bool owl() const { return opts.profile == Profile::kOwlRl; }
  void feed(Engine& e, const Ext3& a) {
    Tri t = dense(a);
    if (t.p == v.sameas && owl()) {
      e.merge(t.s, t.o);
      return;
    }
    e.addAsserted(t);
  }
  // From scratch; A' is in `asserted`, or was fed to the engine while reading.
  Status full(Engine& e) {
    for (const Ext3& a : asserted) feed(e, a);
    Status err;
    progress("reasoning over " + std::to_string(asserted_count) + " asserted triples");
    WEFT_TRY(saveAsserted());
    e.run(domainRound(e, &err));
    return err;
  }

  // Incremental: returns false (with why) if it cannot be done.
  Status incremental(Engine& e, State& st, bool* done, std::string* why) {
    *done = false;
    std::vector<Ext3> plus, minus;
    std::set_difference(asserted.begin(), asserted.end(), st.asserted.begin(), st.asserted.end(),
                        std::back_inserter(plus));
    std::set_difference(st.asserted.begin(), st.asserted.end(), asserted.begin(), asserted.end(),
                        std::back_inserter(minus));
    progress("incremental: +" + std::to_string(plus.size()) + " -" + std::to_string(minus.size()) +
             " asserted triples since the last run");
    const uint64_t same = same_id;
    for (const Ext3& m : minus)
      if (owl() && same != 0 && m[1] == same) {
        *why = "an owl:sameAs assertion was deleted";
        return Status::ok();
      }
    // Deletions under derived identities: the closure is kept on
    // representatives, where a merge's alias-level support (two values of a
    // functional property, two keys) is no longer visible to DRed.
    if (!minus.empty() && (st.header.flags & kDerivedMerges)) {
      *why = "records were deleted and the closure has owl:sameAs derived from keys or functional properties";
      return Status::ok();
    }
    if ((!minus.empty() || !plus.empty()) && (st.header.flags & kDomainMerges)) {
      *why = "domain rules derived owl:sameAs (a merge cannot be retracted incrementally)";
      return Status::ok();
    }
    derived_merges_before = st.header.flags & kDerivedMerges;
    domain_merges_before = st.header.flags & kDomainMerges;
    // The old closure: sameAs links, old asserted triples, the inferred graph.
    for (auto& [a, b] : old_links) e.merge(tm.dense(a), tm.dense(b), internal::kDerivUnknown);
    for (const Ext3& a : st.asserted) {
      Tri t = dense(a);
      if (t.p == v.sameas && owl()) {
        e.merge(t.s, t.o);
        continue;
      }
      e.addLinked(t, 0);
    }
    forInferred([&](const store::QuadIds& q) { e.addLinked(dense({q.s, q.p, q.o}), 0); });
    for (const Ext3& x : st.from_rules) {
      uint32_t id = e.find(dense(x));
      if (id != internal::kNone) e.setFlags(id, e.flags(id) | internal::kFromRule);
    }
    resetAsserted(e);
    e.compile();
    if (!minus.empty() || (!rules.empty() && !plus.empty())) {
      std::vector<Tri> gone;
      for (const Ext3& a : minus) gone.push_back(dense(a));
      // The domain rules' outputs are retracted with any change and the rules
      // run again: that keeps deletions right, and rules that negate asserted
      // facts (an EPCIS error declaration voiding an event) right on insertion.
      if (!e.retract(gone, !rules.empty())) {
        *why = "the deletion touches owl:sameAs or the schema";
        return Status::ok();
      }
    }
    for (const Ext3& a : plus) {
      Tri t = dense(a);
      if (t.p == v.sameas && owl()) {
        e.merge(t.s, t.o);
        continue;
      }
      e.addAsserted(t);
    }
    Status err;
    st = State();
    WEFT_TRY(saveAsserted());
    e.run(domainRound(e, &err));
    *done = true;
    return err;
  }

  // kAsserted = the canonical form of some triple of A'.
  void resetAsserted(Engine& e) {
    for (uint32_t id = 0; id < e.size(); ++id)
      e.setFlags(id, e.flags(id) & ~(internal::kAsserted | internal::kExact));
    for (const Ext3& a : asserted) {
      Tri t = dense(a);
      if (t.p == v.sameas && owl()) continue;
      uint32_t id = e.find(t);
      if (id == internal::kNone) continue;
      uint8_t f = e.flags(id) | internal::kAsserted;
      if (e.triple(id) == t) f |= internal::kExact;
      e.setFlags(id, f);
    }
  }


  // dt-not-type, with dt-type2: a literal outside its own datatype's lexical
  // space; with prp-rng / cls-avf: a literal value concluded to be of a
  // datatype that does not contain it (the range of its property). Terms:
  // the literal and the datatype, as the rule binds them.
  // With `since`: only what the triples from since.first on, and the
  // engine's literal typings and merges after those counts, can violate
  // (Resident: the closure only grew and the schema did not change).
  void checkDatatypes(Engine& e, std::vector<internal::Inconsistency>* out, Since since = {}) {
    if (!owl()) return;
    std::unordered_set<T> dts(v.datatypes.begin(), v.datatypes.end());
    e.scan(internal::kNone, v.type, v.datatype, [&](uint32_t id) {
      dts.insert(e.triple(id).s);
      return true;
    });
    std::set<std::pair<T, T>> bad;
    rdf::Term lit, dt;
    auto check = [&](T l, T d) {
      if (!dts.count(d) || bad.count({l, d})) return;
      if (tm.decode(l, &lit) && tm.decode(d, &dt) && !inValueSpace(lit, dt.value)) bad.insert({l, d});
    };
    // Ranges are checked over the whole closure (an incremental run's
    // literalTypings() hold only its own conclusions).
    std::unordered_map<T, std::vector<T>> ranges;  // property -> datatypes
    e.scan(internal::kNone, v.range, internal::kNone, [&](uint32_t id) {
      const Tri& t = e.triple(id);
      if (dts.count(t.o)) ranges[t.s].push_back(t.o);
      return true;
    });
    std::vector<uint8_t> seen(tm.size(), 0);
    for (uint32_t id = since.first; id < e.size(); ++id) {
      if (!e.live(id)) continue;
      const Tri t = e.triple(id);
      bool own = t.o < seen.size() && !seen[t.o];
      if (own) seen[t.o] = 1;
      auto rit = ranges.find(t.p);
      if (!own && rit == ranges.end()) continue;
      if (!tm.isLiteral(t.o)) continue;
      if (own && tm.decode(t.o, &lit)) {
        rdf::Datatype k = rdf::datatypeFromIri(lit.datatype);
        if (k != rdf::Datatype::kUnknown && !rdf::parseValue(lit.value, k).isValid())
          bad.insert({t.o, tm.intern(rdf::TermView::iri(lit.datatype))});
      }
      if (rit != ranges.end())
        for (T r : rit->second) check(t.o, r);
    }
    const auto& typings = e.literalTypings();
    for (size_t i = since.typings; i < typings.size(); ++i) check(typings[i].first, typings[i].second);
    // cls-avf over the whole closure too (an incremental run's
    // literalTypings() hold only its own conclusions).
    for (const internal::Rule& r : e.rules()) {
      if (r.name != "cls-avf" || r.body.size() != 2 || r.head.size() != 1) continue;
      T cls = static_cast<T>(r.body[0].t[2]), p = static_cast<T>(r.body[1].t[1]);
      T d = static_cast<T>(r.head[0].t[2]);
      if (!dts.count(d)) continue;
      auto checkValues = [&](T x) {
        e.scan(x, p, internal::kNone, [&](uint32_t id) {
          const Tri t = e.triple(id);
          if (tm.isLiteral(t.o) && e.find({t.s, v.type, cls}) != internal::kNone) check(t.o, d);
          return true;
        });
      };
      if (since.first == 0) {
        checkValues(internal::kNone);
        continue;
      }
      // Only a new value or a new member of the class can violate.
      for (uint32_t id = since.first; id < e.size(); ++id) {
        if (!e.live(id)) continue;
        const Tri t = e.triple(id);
        if (t.p == p && tm.isLiteral(t.o) && e.find({t.s, v.type, cls}) != internal::kNone) check(t.o, d);
        if (t.p == v.type && t.o == cls) checkValues(t.s);
      }
    }
    for (auto [l, d] : bad) out->push_back({"dt-not-type", {l, d}, internal::kNone});
    // owl:sameAs between a literal and another value (prp-fp, cls-maxc2 on a
    // data property with two values): with dt-diff and eq-diff1, false unless
    // the two are the same value.
    std::set<std::pair<T, T>> pairs;
    const auto& lmerges = e.literalMerges();
    for (size_t i = since.merges; i < lmerges.size(); ++i) {
      auto [a, b] = lmerges[i];
      if (a > b) std::swap(a, b);
      if (!pairs.insert({a, b}).second) continue;
      rdf::Term ta, tb;
      if (!tm.decode(a, &ta) || !tm.decode(b, &tb)) continue;
      if (ta.kind == rdf::TermKind::kLiteral && tb.kind == rdf::TermKind::kLiteral) {
        rdf::Value va = rdf::parseValue(ta.view()), vb = rdf::parseValue(tb.view());
        if (va.isValid() && vb.isValid() && rdf::compareValues(va, vb) == std::partial_ordering::equivalent)
          continue;
      }
      out->push_back({"eq-diff1", {a, b}, internal::kNone});
    }
  }

  // Inconsistency reports as the Report gives them and the IRIs of their
  // nodes (deterministic: the same violation keeps its node across runs).
  void reports(Engine& e, const std::vector<internal::Inconsistency>& incons, Report* rep,
               std::vector<std::string>* nodes) {
    std::unordered_set<std::string> seen;
    for (const internal::Inconsistency& inc : incons) {
      Inconsistency out;
      out.rule = inc.rule;
      // Terms: those of the violated axioms (subjects and objects, not the
      // OWL vocabulary they are typed with), then the rule's bindings, each
      // once: cax-dw gives [c1, c2, x] as the spec names them.
      std::vector<T> terms;
      auto push = [&](T t) {
        if (t != internal::kNone && std::find(terms.begin(), terms.end(), t) == terms.end())
          terms.push_back(t);
      };
      std::string axioms;
      if (inc.rule_index != internal::kNone) {
        const internal::Rule& rule = e.rules()[inc.rule_index];
        auto named = [&](T t) { return !tm.isLiteral(t) && tm.text(t).rfind("_:", 0) != 0; };
        for (uint32_t ax : rule.axioms) {
          const Tri& t = e.triple(ax);
          if (named(t.s)) push(t.s);
          if (t.p != v.type && named(t.o)) push(t.o);
          axioms += " (axiom " + tm.text(t.s) + " " + tm.text(t.p) + " " + tm.text(t.o) + ")";
        }
        // The classes and properties the rule was compiled with (list members).
        for (const internal::Atom& a : rule.body) {
          if (a.t[1] >= 0 && static_cast<T>(a.t[1]) != v.type) push(static_cast<T>(a.t[1]));
          if (a.t[1] >= 0 && static_cast<T>(a.t[1]) == v.type && a.t[2] >= 0) push(static_cast<T>(a.t[2]));
        }
      }
      for (T t : inc.terms) push(t);
      std::string msg = inc.rule + ":";
      for (T t : terms) {
        rdf::Term term;
        tm.decode(t, &term);
        out.terms.push_back(term);
      }
      for (T t : inc.terms) msg += " " + tm.text(t);
      msg += axioms;
      out.message = msg;
      std::string node = inconsistencyNode(out);
      // The same violation found twice (a term listed twice in an
      // owl:AllDifferent) is one report.
      if (!seen.insert(node).second) continue;
      nodes->push_back(std::move(node));
      rep->inconsistencies.push_back(std::move(out));
    }
  }

  // The reports' triples in the inferred graph.
  Status writeReports(store::Transaction& txn, Report* rep, const std::vector<std::string>& nodes) {
    std::string gi(kInferredGraph);
    rdf::TermView gv = rdf::TermView::iri(gi);
    for (size_t n = 0; n < nodes.size(); ++n) {
      const Inconsistency& inc = rep->inconsistencies[n];
      rdf::Term node = rdf::Term::iri(nodes[n]);
      auto iri = [](std::string_view a, std::string_view b) {
        return rdf::Term::iri(std::string(a) + std::string(b));
      };
      auto q = [&](const rdf::Term& p, const rdf::Term& o) { return txn.add({node.view(), p.view(), o.view(), gv}); };
      WEFT_TRY(q(iri(rdf::kRdf, "type"), iri(kDt, "Inconsistency")));
      WEFT_TRY(q(iri(kDt, "rule"), rdf::Term::literal(inc.rule)));
      WEFT_TRY(q(iri(kRdfs, "comment"), rdf::Term::literal(inc.message)));
      for (const rdf::Term& t : inc.terms) WEFT_TRY(q(iri(kDt, "involves"), t));
      rep->inferred += 3 + inc.terms.size();
    }
    return Status::ok();
  }

  // The state files for the closure as of snapshot `at` (the inferred graph's
  // nonce is header.nonce): A' read again from `at`, then both files renamed
  // into place and the options saved. Internal error if A' is not the one the
  // nonce names (nothing is written then).
  Status saveState(const store::Snapshot& at, uint64_t flags, const std::vector<Ext3>& from_rules) {
    const std::string dir = stateDir(store);
    StateHeader h = header;
    h.flags = flags;
    TripleFile f;
    WEFT_TRY(f.open(dir + "/asserted.tmp", h));
    uint64_t hash = 0;
    Ext3 prev{0, 0, 0};
    auto c = at.scan({});
    store::QuadIds buf[1024];
    size_t n;
    while ((n = c.nextBatch(buf, 1024)) > 0)
      for (size_t i = 0; i < n; ++i) {
        if (g_inf != 0 && buf[i].g == g_inf) continue;
        Ext3 t{buf[i].s, buf[i].p, buf[i].o};
        if (t == prev) continue;
        prev = t;
        hash += tripleHash(t);
        f.add(t);
      }
    WEFT_TRY(f.close(h));
    if (hash != content_hash) {
      std::error_code ec;
      fs::remove(dir + "/asserted.tmp", ec);
      return Status::internal("the resident closure's asserted triples are not the store's");
    }
    WEFT_TRY(writeTriples(dir + "/rules.tmp", h, from_rules));
    std::error_code ec;
    fs::rename(dir + "/asserted.tmp", dir + "/asserted", ec);
    if (!ec) fs::rename(dir + "/rules.tmp", dir + "/rules", ec);
    if (ec) return Status::ioError("cannot save the incremental state in " + dir + ": " + ec.message());
    return saveOptions(dir, opts);
  }

  // The store ids the run keeps, looked up in its snapshot (at the start,
  // and again after each commit of a resident run).
  void refreshIds() {
    auto id = [&](std::string_view base, std::string_view local) {
      return snap->lookup(rdf::TermView::iri(std::string(base) + std::string(local)));
    };
    g_inf = snap->lookup(rdf::TermView::iri(std::string(kInferredGraph)));
    same_id = id(kOwl, "sameAs");
    repr_id = id(kDt, "representative");
    run_pred = snap->lookup(rdf::TermView::iri(std::string(kReasonerRun)));
  }

  // `<inferred graph> dt:reasonerRun "nonce"`: names the asserted data the
  // inferred graph was computed from (see kReasonerRun).
  Status addNonce(store::Transaction& txn) const {
    const std::string gi(kInferredGraph), pred(kReasonerRun), hex = hex16(header.nonce);
    rdf::TermView gv = rdf::TermView::iri(gi);
    return txn.add({gv, rdf::TermView::iri(pred), rdf::TermView::literal(hex), gv});
  }

  // One triple into the inferred graph: by ids when the store has its terms
  // and the graph, else by the terms themselves.
  Status addInferred(store::Transaction& txn, const Tri& t) {
    Ext3 x{tm.ext(t.s), tm.ext(t.p), tm.ext(t.o)};
    if (g_inf != 0 && !((x[0] | x[1] | x[2]) & kLocal)) {
      txn.addIds({x[0], x[1], x[2], g_inf});
      return Status::ok();
    }
    rdf::Term ts, tp, to;
    tm.decodeExt(x[0], &ts);
    tm.decodeExt(x[1], &tp);
    tm.decodeExt(x[2], &to);
    std::string gi(kInferredGraph);
    return txn.add({ts.view(), tp.view(), to.view(), rdf::TermView::iri(gi)});
  }

  // Writes the inferred graph's new content; fills the report.
  // The engine is released before the commit, so the store's commit (its
  // new sorted runs) reuses the engine's memory instead of adding to it.
  Status write(std::unique_ptr<Engine>& ep, const std::vector<internal::Inconsistency>& incons,
               Report* rep, std::vector<Ext3>* from_rules, bool keep) {
    Engine& e = *ep;
    // The wanted content as dense triples sorted by their store ids (local
    // ids, with the top bit, sort last), to merge with the graph's GSPO scan.
    std::vector<Tri> want;
    uint64_t closure = 0;
    // Sized first: allocated once, next to the engine at its largest (a
    // vector growing by doubling would briefly hold two copies).
    auto aliases = e.aliases();
    {
      size_t n = 3 * aliases.size();
      for (uint32_t id = 0; id < e.size(); ++id)
        n += (e.flags(id) & (internal::kDead | internal::kExact)) == 0;
      want.reserve(n);
    }
    for (uint32_t id = 0; id < e.size(); ++id) {
      uint8_t f = e.flags(id);
      if (f & internal::kDead) continue;
      ++closure;
      const Tri& t = e.triple(id);
      if (f & internal::kFromRule) from_rules->push_back({tm.ext(t.s), tm.ext(t.p), tm.ext(t.o)});
      if (!(f & internal::kExact)) want.push_back(t);
    }
    const T same = v.sameas;
    const T repr = tm.iri(kDt, "representative");  // for db::MergedDataset
    std::map<T, uint64_t> class_size;
    for (auto [m, r] : aliases) {
      want.push_back({m, same, r});
      want.push_back({r, same, m});
      want.push_back({m, repr, r});
      ++class_size[r];
    }
    if (opts.eq_ref) {
      std::unordered_set<T> seen;
      for (uint32_t id = 0; id < e.size(); ++id) {
        if (!e.live(id)) continue;
        const Tri& t = e.triple(id);
        for (T x : {t.s, t.p, t.o})
          if (seen.insert(x).second && !tm.isLiteral(x)) want.push_back({x, same, x});
      }
      for (auto [m, r] : aliases) want.push_back({m, same, m});
    }
    auto key = [&](const Tri& t) -> Ext3 { return {tm.ext(t.s), tm.ext(t.p), tm.ext(t.o)}; };
    std::sort(want.begin(), want.end(), [&](const Tri& a, const Tri& b) { return key(a) < key(b); });
    want.erase(std::unique(want.begin(), want.end()), want.end());
    rep->closure = closure + 2 * aliases.size();
    rep->same_as_classes = class_size.size();
    for (auto& [r, n] : class_size) rep->same_as_members += n + 1;
    rep->inferred = want.size() + 1;  // + the dt:reasonerRun triple

    std::vector<std::string> inc_nodes;
    reports(e, incons, rep, &inc_nodes);
    if (!keep) ep.reset();

    auto txn = store.begin();
    if (!txn) return txn.status();
    (*txn)->reserveAdds(want.size() + 1);
    auto add = [&](const Tri& t) { return addInferred(**txn, t); };
    // Merge the wanted triples with what the graph holds (links and reports
    // included: they are in `want` or rewritten below).
    size_t i = 0;
    if (g_inf != 0) {
      auto c = snap->scan({0, 0, 0, g_inf});
      store::QuadIds buf[1024];
      size_t n;
      while ((n = c.nextBatch(buf, 1024)) > 0) {
        for (size_t j = 0; j < n; ++j) {
          const store::QuadIds& q = buf[j];
          if (inconsistency_nodes.count(q.s) || (run_pred != 0 && q.p == run_pred)) {
            (*txn)->removeIds(q);
            continue;
          }
          Ext3 have{q.s, q.p, q.o};
          while (i < want.size() && key(want[i]) < have) WEFT_TRY(add(want[i++]));
          if (i < want.size() && key(want[i]) == have) {
            ++i;
          } else {
            (*txn)->removeIds(q);
          }
        }
      }
    }
    while (i < want.size()) WEFT_TRY(add(want[i++]));
    want = {};
    WEFT_TRY(writeReports(**txn, rep, inc_nodes));
    WEFT_TRY(addNonce(**txn));
    (*txn)->recordChanges(&own);
    WEFT_TRY((*txn)->commit());
    // Counted without the dt:reasonerRun bookkeeping triple.
    bool nonce_changed = graph_nonce != hex16(header.nonce);
    rep->added = (*txn)->added() - (nonce_changed ? 1 : 0);
    rep->removed = (*txn)->removed() - (nonce_changed && !graph_nonce.empty() ? 1 : 0);
    return Status::ok();
  }
};

}  // namespace

// DIR/reason/options: "profile P", "eq-ref 0|1", then per rule
// "rule <bytes> <name>" and the text.
Status saveOptions(const std::string& dir, const Options& o) {
  std::string out = std::string("profile ") + (o.profile == Profile::kRdfs ? "rdfs" : "owl-rl") +
                    "\neq-ref " + (o.eq_ref ? "1" : "0") + "\n";
  for (const DomainRule& r : o.rules)
    out += "rule " + std::to_string(r.text.size()) + " " + r.name + "\n" + r.text + "\n";
  std::string tmp = dir + "/options.tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << out;
    if (!f.flush()) return Status::ioError("cannot write " + tmp);
  }
  std::error_code ec;
  fs::rename(tmp, dir + "/options", ec);
  if (ec) return Status::ioError("cannot write " + dir + "/options: " + ec.message());
  return Status::ok();
}

// Peak resident set size of this process so far, in KiB.
uint64_t peakRssKb() { return procStatusBytes("VmHWM:") / 1024; }

namespace {

// What a run leaves for Resident: the run (terms, vocabulary, bookkeeping)
// and the engine holding the closure it committed.
struct Kept {
  std::unique_ptr<Run> run;
  std::unique_ptr<Engine> engine;
};

Result<Report> materializeImpl(store::Store& store, const Options& opts, Kept* keep) {
  auto t0 = std::chrono::steady_clock::now();
  Report rep;
  rep.rss_start_kb = peakRssKb();
  auto run_owner = std::make_unique<Run>(store, opts);
  Run& run = *run_owner;
  auto parsed = parseRules(opts.rules);
  if (!parsed) return parsed.status();
  run.rules = std::move(parsed.value());
  auto since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };

  State old;
  const uint64_t config = configHash(opts);
  bool have_state = store.durable() && !opts.full && readState(stateDir(store), config, &old);
  if (!have_state)
    rep.why_full = opts.full            ? "asked for"
                   : store.durable()    ? "no earlier run with these options"
                                        : "in-memory store";
  run.save_state = store.durable();
  run.header.config = config;

  std::unique_ptr<Engine> e;
  auto fresh = [&]() {
    run.v = makeVocab(run.tm);
    auto eng = std::make_unique<Engine>(opts.profile == Profile::kRdfs ? internal::Profile::kRdfs
                                                                       : internal::Profile::kOwlRl,
                                        run.v, &run.tm, false);
    // Room for the closure; address space only (LUBM's closure is 1.7x its data).
    eng->reserve(run.snap->size() * 3 + (1 << 16));
    return eng;
  };
  if (run.snap->size() > (uint64_t{1} << 30))
    return Status::unsupported("the store holds " + std::to_string(run.snap->size()) +
                               " quads; one reasoning run handles at most 2^30 (the engine's ids are 32-bit)");
  auto t1 = t0;
  run.progress("reading the store");
  // The nonce names the asserted data and options a state describes: the
  // same data reasoned again writes the same dt:reasonerRun value.
  auto setNonce = [&] { run.header.nonce = mix64(config ^ run.content_hash); };
  if (have_state) {
    run.readStore();
    setNonce();
    rep.read_seconds = since(t0);
    t1 = std::chrono::steady_clock::now();
    e = fresh();
    bool done = false;
    Status s;
    if (run.graph_nonce != hex16(old.header.nonce))
      rep.why_full = "the inferred graph is not the one the incremental state describes (an interrupted run?)";
    else
      s = run.incremental(*e, old, &done, &rep.why_full);
    if (!s) return s;
    rep.incremental = done;
    if (!done) {  // run.asserted is still whole: incremental() gave up before using it up
      e.reset();
      e = fresh();
      WEFT_TRY(run.full(*e));
    }
  } else {
    // Straight from the scan into the engine (and the state file): no copy of A'.
    e = fresh();
    if (run.save_state) WEFT_TRY(run.streamed.open(stateDir(store) + "/asserted.tmp", run.header));
    Engine* eng = e.get();
    run.readStore([&](const Ext3& t) {
      if (run.streamed.isOpen()) run.streamed.add(t);
      run.feed(*eng, t);
    });
    setNonce();
    rep.read_seconds = since(t0);
    t1 = std::chrono::steady_clock::now();
    WEFT_TRY(run.full(*e));
  }
  rep.asserted = run.asserted_count;
  run.progress("checking consistency");
  auto incons = e->checkConsistency();
  run.checkDatatypes(*e, &incons);
  rep.rules = e->rules().size();
  rep.work = e->work();
  const bool derived_merges = e->derivedMerges();
  const bool domain_merges = e->mergedByDomainRules();
  rep.reason_seconds = since(t1);
  rep.rss_reasoned_kb = peakRssKb();
  auto t2 = std::chrono::steady_clock::now();
  run.progress("writing the inferred graph");
  std::vector<Ext3> from_rules;
  WEFT_TRY(run.write(e, incons, &rep, &from_rules, keep != nullptr));
  if (store.durable()) {
    // The rules' outputs as store ids now that their terms are in the store.
    auto snap = store.snapshot();
    std::vector<Ext3> fr;
    for (const Ext3& x : from_rules) {
      Ext3 y = x;
      bool ok = true;
      for (uint64_t& id : y) {
        if (!(id & kLocal)) continue;
        rdf::Term t;
        run.tm.decodeExt(id, &t);
        id = snap->lookup(t.view());
        ok &= id != 0;
      }
      if (ok) fr.push_back(y);
    }
    std::string dir = stateDir(store);
    StateHeader h = run.header;
    h.flags = ((run.derived_merges_before || derived_merges) ? kDerivedMerges : 0) |
              ((run.domain_merges_before || domain_merges) ? kDomainMerges : 0);
    WEFT_TRY(writeTriples(dir + "/rules.tmp", h, fr));
    std::error_code ec;
    fs::rename(dir + "/asserted.tmp", dir + "/asserted", ec);
    if (!ec) fs::rename(dir + "/rules.tmp", dir + "/rules", ec);
    if (ec) return Status::ioError("cannot save the incremental state in " + dir + ": " + ec.message());
    WEFT_TRY(saveOptions(dir, opts));
  }
  rep.write_seconds = since(t2);
  rep.rss_end_kb = peakRssKb();
  rep.seconds = since(t0);
  run.derived_merges_before = run.derived_merges_before || derived_merges;
  // Kept only if the closure covers exactly the store as of the run's own
  // commit (no other writer committed between the run's snapshot and it).
  if (keep && e && run.own.txn == run.snap->txn() + 1) {
    keep->run = std::move(run_owner);
    keep->engine = std::move(e);
  }
  return rep;
}

}  // namespace

Result<Report> materialize(store::Store& store, const Options& opts) { return materializeImpl(store, opts, nullptr); }

// ---------------------------------------------------------------------------
// Resident: the closure kept between commits.

struct Resident::Impl {
  store::Store& store;
  Options opts;
  bool reasoned = false;
  Kept k;                  // run and engine, current as of `txn` (engine null: reload first)
  uint64_t txn = 0;        // the store's transaction the closure covers (its own commit)
  bool dirty = false;      // the inferred graph's nonce is ahead of DIR/reason/
  uint64_t closure = 0, inferred = 0;
  std::vector<Inconsistency> incs;   // the inconsistencies reported in the inferred graph
  std::vector<std::string> inc_nodes;  // their nodes' IRIs (same order)
  // The domain rules' footprints in engine ids (any rule with `any` set: all).
  bool rules_any = false, rules_type_any = false;
  std::unordered_set<T> rule_preds, rule_classes;

  explicit Impl(store::Store& s) : store(s) {}

  uint64_t flags() const {
    return (k.run->derived_merges_before || k.engine->derivedMerges()) ? kDerivedMerges : 0;
  }

  // The domain rules' outputs among the closure's first `n` triples, as
  // store ids (those whose terms the store does not hold are left out, as
  // materialize() does).
  std::vector<Ext3> fromRules(size_t n) const {
    std::vector<Ext3> out;
    const Engine& e = *k.engine;
    for (uint32_t id = 0; id < n; ++id) {
      if ((e.flags(id) & (internal::kFromRule | internal::kDead)) != internal::kFromRule) continue;
      const Tri& t = e.triple(id);
      Ext3 x{k.run->tm.ext(t.s), k.run->tm.ext(t.p), k.run->tm.ext(t.o)};
      if (!((x[0] | x[1] | x[2]) & kLocal)) out.push_back(x);
    }
    return out;
  }

  void footprints() {
    rules_any = rules_type_any = false;
    rule_preds.clear();
    rule_classes.clear();
    for (const ParsedRule& pr : k.run->rules) {
      RuleFootprint f;
      footprintPattern(*pr.query.pattern, &f);
      rules_any |= f.any;
      rules_type_any |= f.type_any;
      for (const std::string& iri : f.preds) rule_preds.insert(k.run->tm.intern(rdf::TermView::iri(iri)));
      for (const std::string& iri : f.classes) rule_classes.insert(k.run->tm.intern(rdf::TermView::iri(iri)));
    }
  }

  // Can a domain rule see one of the closure's triples from `first` on?
  bool rulesSee(const Engine& e, size_t first) const {
    if (k.run->rules.empty()) return false;
    if (rules_any) return true;
    const T type = k.run->v.type;
    for (uint32_t id = static_cast<uint32_t>(first); id < e.size(); ++id) {
      if (!e.live(id)) continue;
      const Tri& t = e.triple(id);
      if (t.p == type ? (rules_type_any || rule_classes.count(t.o)) : rule_preds.count(t.p) != 0) return true;
    }
    return false;
  }

  // The state for the closure in memory, if it is the store's as of `txn`.
  Status flushState() {
    if (!dirty || !k.engine) return Status::ok();
    if (k.run->snap->txn() != txn) return Status::ok();  // cannot name that version: next run is full
    WEFT_TRY(k.run->saveState(*k.run->snap, flags(), fromRules(k.engine->size())));
    dirty = false;
    return Status::ok();
  }

  // materialize(), keeping its engine; the state is written first if the
  // graph is ahead of it (else the run would start from scratch).
  Result<Report> reload() {
    if (Status s = flushState(); !s) {
      // A state that cannot be written leaves a full run to materialize().
      (void)s;
    }
    k = Kept();
    const bool keep = store.durable();
    Kept fresh;
    auto r = materializeImpl(store, opts, keep ? &fresh : nullptr);
    dirty = false;
    if (!r) return r;
    if (fresh.engine) {
      k = std::move(fresh);
      txn = k.run->own.txn;
      moveOn();
      if (k.run) footprints();
      closure = r->closure;
      inferred = r->inferred;
      incs = r->inconsistencies;
      inc_nodes.clear();
      for (const Inconsistency& inc : incs) inc_nodes.push_back(inconsistencyNode(inc));
    }
    return r;
  }

  // After the closure's own commit: the run looks at the store as of it.
  void moveOn() {
    auto snap = store.snapshot();
    if (snap->txn() != txn) {  // another writer came in between: not current any more
      k = Kept();
      return;
    }
    Run& r = *k.run;
    r.snap = snap;
    r.tm.rebind(*snap);
    r.refreshIds();
    r.graph_nonce = hex16(r.header.nonce);
    r.inconsistency_nodes.clear();
    for (const std::string& n : inc_nodes)
      if (uint64_t id = snap->lookup(rdf::TermView::iri(n)); id != 0) r.inconsistency_nodes.insert(id);
  }

  // The fast path; *fallback when it cannot be taken (nothing changed then).
  Result<Report> fast(const store::CommitDelta& d, bool* fallback) {
    auto t0 = std::chrono::steady_clock::now();
    Run& r = *k.run;
    Engine& e = *k.engine;
    auto snap = store.snapshot();
    // The batch's triples outside the inferred graph, with how many of the
    // batch's quads carry each: a triple is new to A' if the store holds no
    // other copy of it (in a graph the batch did not add it to).
    const uint64_t g_inf = r.g_inf;
    std::vector<Ext3> batch;
    batch.reserve(d.added.size());
    for (const store::QuadIds& q : d.added)
      if (g_inf == 0 || q.g != g_inf) batch.push_back({q.s, q.p, q.o});
    std::sort(batch.begin(), batch.end());
    std::vector<Ext3> fresh;
    const uint64_t same = snap->lookup(rdf::TermView::iri(std::string(kOwl) + "sameAs"));
    for (size_t i = 0; i < batch.size();) {
      size_t j = i;
      while (j < batch.size() && batch[j] == batch[i]) ++j;
      const Ext3& t = batch[i];
      uint64_t n = snap->count({t[0], t[1], t[2], store::kAny});
      if (g_inf != 0) n -= snap->count({t[0], t[1], t[2], g_inf});
      if (n == j - i) {
        if (same != 0 && t[1] == same && r.owl()) {
          *fallback = true;
          return Report{};
        }
        fresh.push_back(t);
      }
      i = j;
    }
    // Queue them on the closure and run to the fixpoint.
    auto prev_snap = r.snap;
    r.snap = snap;
    r.tm.rebind(*snap);
    const uint64_t unions0 = e.unions();
    const size_t n0 = e.size(), rules0 = e.rules().size();
    const size_t typings0 = e.literalTypings().size(), lmerges0 = e.literalMerges().size();
    std::vector<Tri> was_inferred;  // in the inferred graph before, asserted now
    for (const Ext3& t : fresh) {
      Tri x = r.dense(t);
      uint32_t id = e.find(x);
      if (id != internal::kNone && !(e.flags(id) & internal::kExact) && e.triple(id) == x) was_inferred.push_back(x);
      e.addAsserted(x);
    }
    e.run(nullptr);
    if (e.unions() != unions0 || rulesSee(e, n0)) {
      // A merge rewrites triples already written; a domain rule that sees a
      // new triple may change its answer (they are re-run whole): either way
      // materialize() instead, from the state as of the last commit (saved
      // here if the graph is ahead of it; the engine is dropped).
      r.snap = prev_snap;
      if (dirty) {
        Status s = k.run->saveState(*prev_snap, k.run->derived_merges_before ? kDerivedMerges : 0, fromRules(n0));
        if (s) dirty = false;
      }
      k = Kept();
      *fallback = true;
      return Report{};
    }
    for (const Ext3& t : fresh) r.content_hash += tripleHash(t);
    r.header.nonce = mix64(r.header.config ^ r.content_hash);
    Report rep;
    rep.incremental = true;
    rep.resident = true;
    rep.read_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // Inconsistencies: with the schema unchanged only what the new triples
    // take part in (the closure only grew: earlier ones stand); else all again.
    bool schema = e.rules().size() != rules0;
    for (uint32_t id = static_cast<uint32_t>(n0); id < e.size() && !schema; ++id)
      schema = e.live(id) && e.isSchema(e.triple(id));
    std::vector<internal::Inconsistency> incons;
    if (schema) {
      incons = e.checkConsistency();
      r.checkDatatypes(e, &incons);
    } else {
      incons = e.checkConsistencyFrom(static_cast<uint32_t>(n0));
      r.checkDatatypes(e, &incons, {static_cast<uint32_t>(n0), typings0, lmerges0});
    }
    Report found;
    std::vector<std::string> found_nodes;
    r.reports(e, incons, &found, &found_nodes);
    // Reports to write: all of them again if the set changed after a schema
    // change; else only the new ones.
    bool rewrite_reports = false;
    std::vector<size_t> to_write;
    if (schema) {
      std::set<std::string> now(found_nodes.begin(), found_nodes.end());
      rewrite_reports = now != std::set<std::string>(inc_nodes.begin(), inc_nodes.end());
      if (rewrite_reports) {
        incs.clear();
        inc_nodes.clear();
        for (size_t i = 0; i < found_nodes.size(); ++i)
          if (std::find(inc_nodes.begin(), inc_nodes.end(), found_nodes[i]) == inc_nodes.end()) {
            incs.push_back(found.inconsistencies[i]);
            inc_nodes.push_back(found_nodes[i]);
            to_write.push_back(incs.size() - 1);
          }
      }
    } else {
      std::set<std::string> have(inc_nodes.begin(), inc_nodes.end());
      for (size_t i = 0; i < found_nodes.size(); ++i)
        if (have.insert(found_nodes[i]).second) {
          incs.push_back(found.inconsistencies[i]);
          inc_nodes.push_back(found_nodes[i]);
          to_write.push_back(incs.size() - 1);
        }
    }
    rep.inconsistencies = incs;
    auto t1 = std::chrono::steady_clock::now();
    rep.reason_seconds = std::chrono::duration<double>(t1 - t0).count() - rep.read_seconds;

    auto txn_or = store.begin();
    if (!txn_or) return txn_or.status();
    store::Transaction& tx = **txn_or;
    uint64_t fresh_closure = 0;
    for (uint32_t id = static_cast<uint32_t>(n0); id < e.size(); ++id) {
      const uint8_t f = e.flags(id);
      if (f & internal::kDead) continue;
      ++fresh_closure;
      if (!(f & internal::kExact)) WEFT_TRY(r.addInferred(tx, e.triple(id)));
    }
    for (const Tri& t : was_inferred)
      if (r.g_inf != 0) tx.removeIds({r.tm.ext(t.s), r.tm.ext(t.p), r.tm.ext(t.o), r.g_inf});
    if (rewrite_reports && r.g_inf != 0) {
      for (uint64_t node : r.inconsistency_nodes) {
        auto c = snap->scan({node, store::kAny, store::kAny, r.g_inf});
        store::QuadIds q;
        while (c.next(&q)) tx.removeIds(q);
      }
    }
    if (!to_write.empty()) {
      Report tmp;
      std::vector<std::string> names;
      for (size_t i : to_write) {
        tmp.inconsistencies.push_back(incs[i]);
        names.push_back(inc_nodes[i]);
      }
      WEFT_TRY(r.writeReports(tx, &tmp, names));
    }
    // The run's nonce: names A' as it is now.
    if (r.g_inf != 0 && r.run_pred != 0) {
      auto c = snap->scan({r.g_inf, r.run_pred, store::kAny, r.g_inf});
      store::QuadIds q;
      while (c.next(&q)) tx.removeIds(q);
    }
    WEFT_TRY(r.addNonce(tx));
    r.own = store::CommitDelta();
    tx.recordChanges(&r.own);
    WEFT_TRY(tx.commit());
    dirty = true;
    // Counted without the dt:reasonerRun bookkeeping triple.
    rep.added = r.own.added.size() - 1;
    rep.removed = r.own.removed - (r.run_pred != 0 ? 1 : 0);
    closure += fresh_closure;
    inferred = inferred + r.own.added.size() - r.own.removed;
    rep.closure = closure;
    rep.inferred = inferred;
    rep.asserted = r.asserted_count += fresh.size();
    rep.rules = e.rules().size();
    rep.work = e.work();
    txn = r.own.txn;
    if (txn != d.txn + 1) {
      k = Kept();  // another commit came in between: its additions are not in the closure
    } else {
      moveOn();
    }
    rep.write_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return rep;
  }
};

Resident::Resident(store::Store& store) : d_(std::make_unique<Impl>(store)) {}
Resident::~Resident() = default;

Result<bool> Resident::open() {
  auto have = storedOptions(d_->store, &d_->opts);
  if (!have) return have.status();
  d_->reasoned = have.value();
  return d_->reasoned;
}

Result<Report> Resident::afterCommit(const store::CommitDelta& delta) {
  Impl& m = *d_;
  if (!m.reasoned) return Report{};
  const bool current = m.k.engine && delta.removed == 0 && delta.txn == m.txn + 1 &&
                       m.store.snapshot()->txn() == delta.txn;
  if (current) {
    bool fallback = false;
    auto r = m.fast(delta, &fallback);
    if (!fallback) return r;
  }
  return m.reload();
}

Result<Report> Resident::afterWrite() {
  if (!d_->reasoned) return Report{};
  return d_->reload();
}

Status Resident::flush() { return d_->reasoned ? d_->flushState() : Status::ok(); }

Status dropInferred(store::Store& store) {
  auto snap = store.snapshot();
  uint64_t g = snap->lookup(rdf::TermView::iri(std::string(kInferredGraph)));
  auto txn = store.begin();
  if (!txn) return txn.status();
  if (g != 0) {
    auto c = snap->scan({0, 0, 0, g});
    store::QuadIds q;
    while (c.next(&q)) (*txn)->removeIds(q);
  }
  WEFT_TRY((*txn)->commit());
  if (store.durable()) {
    std::error_code ec;
    fs::remove_all(stateDir(store), ec);
  }
  return Status::ok();
}

namespace {

// Prints derivation trees (explain()).
class Explainer {
 public:
  Explainer(Run& run, Engine& e) : run_(run), e_(e) {}

  std::string termText(T t) { return shorten(run_.tm.text(t)); }
  std::string tripleText(const Tri& t) {
    return termText(t.s) + " " + termText(t.p) + " " + termText(t.o);
  }

  void node(uint32_t id, int depth, const std::string& label) {
    std::string ind(static_cast<size_t>(depth) * 2, ' ');
    const Tri& t = e_.triple(id);
    out_ += ind + label + tripleText(t);
    if (!shown_.insert(id).second) {
      out_ += "   (shown above)\n";
      return;
    }
    if (depth > 40) {
      out_ += "   ...\n";
      return;
    }
    uint32_t rule = 0;
    std::vector<uint32_t> prem;
    if (!e_.derivation(id, &rule, &prem)) {
      out_ += "\n";
      return;
    }
    if (rule == internal::kDerivAsserted) {
      out_ += "   [asserted" + sources(t) + "]\n";
    } else if (rule == internal::kDerivRewrite) {
      out_ += "   [eq-rep: the same triple on the owl:sameAs representative]\n";
      const Tri& a = e_.triple(prem[0]);
      node(prem[0], depth + 1, "");
      for (T x : {a.s, a.p, a.o})
        if (e_.rep(x) != x) same(x, depth + 1);
    } else if (rule == internal::kDerivDomain) {
      out_ += "   [domain rule " + (prem.empty() ? std::string("?") : run_.rules[prem[0]].name) + "]\n";
      if (!prem.empty())
        for (uint32_t p : domainPremises(prem[0], t)) node(p, depth + 1, "");
    } else if (rule == internal::kDerivUnknown) {
      out_ += "\n";
    } else {
      const internal::Rule& r = e_.rules()[rule];
      out_ += "   [" + r.name + "]\n";
      for (uint32_t ax : r.axioms) node(ax, depth + 1, "axiom: ");
      for (uint32_t p : prem)  // a rule without body has its axioms as premises
        if (std::find(r.axioms.begin(), r.axioms.end(), p) == r.axioms.end()) node(p, depth + 1, "");
    }
  }

  // How x came to be the same as its representative.
  void same(T x, int depth) {
    std::string ind(static_cast<size_t>(depth) * 2, ' ');
    std::set<T> seen{x};
    T cur = x;
    for (int step = 0; step < 16; ++step) {
      T other;
      uint32_t rule;
      std::vector<uint32_t> prem;
      if (!e_.mergeDerivation(cur, &other, &rule, &prem)) break;
      out_ += ind + termText(cur) + " owl:sameAs " + termText(other);
      if (rule == internal::kDerivAsserted) {
        out_ += "   [asserted]\n";
      } else if (rule == internal::kDerivDomain) {
        out_ += "   [domain rule]\n";
      } else {
        const internal::Rule& r = e_.rules()[rule];
        out_ += "   [" + r.name + "]\n";
        for (uint32_t ax : r.axioms) node(ax, depth + 1, "axiom: ");
        for (uint32_t p : prem) node(p, depth + 1, "");
      }
      if (!seen.insert(other).second || other == e_.rep(x)) break;
      cur = other;
    }
  }

  // The triples a domain rule matched to conclude `t`: its WHERE pattern run
  // again with the template's variables bound to t's terms, constructing the
  // pattern's own triples (one solution).
  std::vector<uint32_t> domainPremises(uint32_t ri, const Tri& t) {
    std::vector<uint32_t> out;
    const sparql::Query& rq = run_.rules[ri].query;
    std::vector<sparql::QuadPattern> bgp;
    std::function<void(const sparql::Pattern&, bool)> collect = [&](const sparql::Pattern& p, bool neg) {
      if (neg) return;
      if (p.kind == sparql::PatternKind::kBgp)
        for (const auto& tp : p.triples) bgp.push_back({tp.s, tp.p, tp.o, {}});
      for (size_t i = 0; i < p.children.size(); ++i)
        collect(*p.children[i], p.kind == sparql::PatternKind::kMinus && i == 1);
    };
    if (rq.pattern) collect(*rq.pattern, false);
    rdf::Term want[3];
    for (int k = 0; k < 3; ++k) run_.tm.decode(k == 0 ? t.s : k == 1 ? t.p : t.o, &want[k]);
    ClosureDataset ds(e_, run_.tm);
    for (const sparql::QuadPattern& tp : rq.construct_template) {
      const sparql::TermOrVar* parts[3] = {&tp.s, &tp.p, &tp.o};
      std::vector<sparql::VarId> vars;
      std::vector<rdf::Term> vals;
      bool ok = true;
      for (int k = 0; k < 3 && ok; ++k) {
        if (parts[k]->var == sparql::kNoVar) {
          ok = parts[k]->term == want[k];
        } else {
          auto it = std::find(vars.begin(), vars.end(), parts[k]->var);
          if (it == vars.end()) {
            vars.push_back(parts[k]->var);
            vals.push_back(want[k]);
          } else {
            ok = vals[it - vars.begin()] == want[k];
          }
        }
      }
      if (!ok) continue;
      sparql::Query q = rq;
      auto values = std::make_shared<sparql::Pattern>();
      values->kind = sparql::PatternKind::kValues;
      values->values_vars = vars;
      values->values_rows.push_back(vals);
      auto join = std::make_shared<sparql::Pattern>();
      join->kind = sparql::PatternKind::kJoin;
      join->children = {values, rq.pattern};
      auto slice = std::make_shared<sparql::Pattern>();
      slice->kind = sparql::PatternKind::kSlice;
      slice->limit = 1;
      slice->children = {join};
      q.pattern = slice;
      q.construct_template = bgp;
      CollectSink sink;
      sparql::QueryOutput qo;
      qo.graph = &sink;
      if (!sparql::executeQuery(q, ds, {}, qo) || sink.quads.empty()) continue;
      for (const rdf::Quad& x : sink.quads) {
        T a = run_.tm.find(x.s.view()), b = run_.tm.find(x.p.view()), c = run_.tm.find(x.o.view());
        if (a == internal::kNone || b == internal::kNone || c == internal::kNone) continue;
        uint32_t id = e_.find({a, b, c});
        if (id != internal::kNone && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
      }
      break;
    }
    return out;
  }

  std::string& out() { return out_; }

 private:
  // " in <graph> (file name)" for each graph asserting the triple.
  std::string sources(const Tri& t) {
    const auto& snap = *run_.snap;
    std::string out;
    auto c = snap.scan({run_.tm.ext(t.s), run_.tm.ext(t.p), run_.tm.ext(t.o), 0});
    store::QuadIds q;
    uint64_t file = snap.lookup(rdf::TermView::iri(std::string(kDt) + "fileName"));
    int n = 0;
    while (c.next(&q)) {
      if (++n > 4) {
        out += " ...";
        break;
      }
      rdf::Term g;
      if (q.g == store::kDefaultGraph || !snap.decode(q.g, &g)) {
        out += " in the default graph";
        continue;
      }
      out += " in <" + g.value + ">";
      if (file != 0) {
        auto f = snap.scan({q.g, file, 0, 0});
        store::QuadIds fq;
        rdf::Term name;
        if (f.next(&fq) && snap.decode(fq.o, &name)) out += " (" + name.value + ")";
      }
    }
    return out;
  }
  static std::string shorten(std::string s) {
    static const std::pair<const char*, const char*> kPrefixes[] = {
        {"<http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf:"},
        {"<http://www.w3.org/2000/01/rdf-schema#", "rdfs:"},
        {"<http://www.w3.org/2002/07/owl#", "owl:"},
        {"<https://w3id.org/weft/dt#", "dt:"}};
    for (auto [full, pre] : kPrefixes) {
      size_t n = std::strlen(full);
      if (s.compare(0, n, full) == 0 && s.back() == '>') return pre + s.substr(n, s.size() - n - 1);
    }
    return s;
  }

  Run& run_;
  Engine& e_;
  std::string out_;
  std::set<uint32_t> shown_;
};

}  // namespace

Result<std::string> explain(store::Store& store, const Options& opts, const rdf::Term& s,
                            const rdf::Term& p, const rdf::Term& o) {
  Run run(store, opts);
  auto parsed = parseRules(opts.rules);
  if (!parsed) return parsed.status();
  run.rules = std::move(parsed.value());
  run.readStore();
  run.v = makeVocab(run.tm);
  Engine e(opts.profile == Profile::kRdfs ? internal::Profile::kRdfs : internal::Profile::kOwlRl,
           run.v, &run.tm, true);
  WEFT_TRY(run.full(e));
  T ds = run.tm.find(s.view()), dp = run.tm.find(p.view()), dob = run.tm.find(o.view());
  std::string spelled = rdf::toNTriples(s.view()) + " " + rdf::toNTriples(p.view()) + " " +
                        rdf::toNTriples(o.view());
  if (ds == internal::kNone || dp == internal::kNone || dob == internal::kNone)
    return Status::notFound(spelled + " is not in the closure (a term is unknown to the store)");
  Explainer ex(run, e);
  if (dp == run.v.sameas && opts.profile == Profile::kOwlRl) {
    if (e.rep(ds) != e.rep(dob)) return Status::notFound(spelled + " is not in the closure");
    ex.out() += spelled + "\n";
    if (ds != e.rep(ds)) ex.same(ds, 1);
    if (dob != e.rep(dob)) ex.same(dob, 1);
    return ex.out();
  }
  uint32_t id = e.find({ds, dp, dob});
  if (id == internal::kNone || !e.live(id)) return Status::notFound(spelled + " is not in the closure");
  Tri asked{ds, dp, dob};
  if (!(e.triple(id) == asked))
    ex.out() += spelled + "\n  holds as its representative's triple:\n";
  ex.node(id, e.triple(id) == asked ? 0 : 1, "");
  return ex.out();
}

Result<bool> storedOptions(const store::Store& store, Options* out) {
  if (!store.durable()) return false;
  std::string path = stateDir(store) + "/options";
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Options o;
  size_t pos = 0;
  auto line = [&]() {
    size_t e = all.find('\n', pos);
    if (e == std::string::npos) e = all.size();
    std::string l = all.substr(pos, e - pos);
    pos = std::min(all.size(), e + 1);
    return l;
  };
  auto bad = [&]() { return Status::corruption(path + " is damaged; run weft reason --full"); };
  std::string l = line();
  if (l == "profile rdfs") {
    o.profile = Profile::kRdfs;
  } else if (l != "profile owl-rl") {
    return bad();
  }
  l = line();
  if (l != "eq-ref 0" && l != "eq-ref 1") return bad();
  o.eq_ref = l == "eq-ref 1";
  while (pos < all.size()) {
    l = line();
    if (l.rfind("rule ", 0) != 0) return bad();
    size_t sp = l.find(' ', 5);
    if (sp == std::string::npos) return bad();
    size_t n = std::strtoull(l.c_str() + 5, nullptr, 10);
    if (pos + n > all.size()) return bad();
    o.rules.push_back({l.substr(sp + 1), all.substr(pos, n)});
    pos += n + 1;
  }
  *out = std::move(o);
  return true;
}

Result<std::vector<DomainRule>> loadRules(const std::string& path) {
  std::vector<std::string> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (auto& de : fs::directory_iterator(path, ec))
      if (de.path().extension() == ".rq") files.push_back(de.path().string());
    std::sort(files.begin(), files.end());
  } else if (fs::exists(path, ec)) {
    files.push_back(path);
  } else {
    return Status::notFound("no rules at " + path);
  }
  std::vector<DomainRule> out;
  for (const std::string& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) return Status::ioError("cannot read " + f);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    out.push_back({fs::path(f).filename().string(), std::move(text)});
  }
  return out;
}

}  // namespace weft::reason
