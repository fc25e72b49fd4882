// SPDX-License-Identifier: Apache-2.0
// OverlayDataset (overlay.h): an update request's reads and writes over a
// store snapshot. The net insertions and deletions are kept in all six
// permutation orders, so a scan is the snapshot's range scan merged with one
// range of insertions and filtered by one range of deletions, and the output
// keeps the permutation's order.
#include "engine/db/overlay.h"

#include <algorithm>
#include <cctype>

#include "engine/rdf/syntax.h"

namespace weft::db {

using internal::IdKey;
using internal::kGSPO;
using internal::kSPOG;
using sparql::Id;
using sparql::IdQuad;
using sparql::kAnyId;
using sparql::kDefaultGraphId;

namespace {

bool isLocal(Id id) { return (id & sparql::kLocalIdBit) != 0; }

IdKey keyOf(const IdQuad& q) { return {q.s, q.p, q.o, q.g}; }

// Number of leading bound components in the permutation chosen for `pat`
// (the permutation puts exactly the bound components first).
int boundPrefix(const IdQuad& pat) {
  return (pat.s != kAnyId) + (pat.p != kAnyId) + (pat.o != kAnyId) + (pat.g != kAnyId);
}

// The keys of `set` (permuted into `perm`) whose first `prefix` components
// equal those of `lower`, copied out (the set may change while a cursor lives).
std::vector<IdKey> range(const std::set<IdKey>& set, const IdKey& lower, int prefix) {
  std::vector<IdKey> out;
  for (auto it = set.lower_bound(lower); it != set.end(); ++it) {
    if (!std::equal(it->begin(), it->begin() + prefix, lower.begin())) break;
    out.push_back(*it);
  }
  return out;
}

size_t rangeSize(const std::set<IdKey>& set, const IdKey& lower, int prefix) {
  size_t n = 0;
  for (auto it = set.lower_bound(lower); it != set.end(); ++it) {
    if (!std::equal(it->begin(), it->begin() + prefix, lower.begin())) break;
    ++n;
  }
  return n;
}

IdKey unpermute(const IdKey& k, int perm) {
  IdKey q{};
  for (int i = 0; i < 4; ++i) q[internal::kPermComponents[perm][i]] = k[i];
  return q;
}

// Snapshot cursor minus deletions plus insertions, all in permutation order.
class MergeCursor : public sparql::QuadCursor {
 public:
  MergeCursor(std::unique_ptr<store::Snapshot::Cursor> base, int perm, std::vector<IdKey> adds,
              std::vector<IdKey> dels)
      : base_(std::move(base)), perm_(perm), adds_(std::move(adds)), dels_(std::move(dels)) {
    advanceBase();
  }
  bool next(IdQuad* out) override {
    bool has_add = ai_ < adds_.size();
    if (!has_base_ && !has_add) return false;
    IdKey k;
    if (has_add && (!has_base_ || adds_[ai_] < base_key_)) {
      k = adds_[ai_++];
    } else {
      k = base_key_;
      advanceBase();
    }
    IdKey q = unpermute(k, perm_);
    *out = IdQuad{q[0], q[1], q[2], q[3]};
    return true;
  }

 private:
  void advanceBase() {
    has_base_ = false;
    if (!base_) return;
    store::QuadIds q;
    while (base_->next(&q)) {
      IdKey k = internal::permuted(IdKey{q.s, q.p, q.o, q.g}, perm_);
      while (di_ < dels_.size() && dels_[di_] < k) ++di_;
      if (di_ < dels_.size() && dels_[di_] == k) continue;
      base_key_ = k;
      has_base_ = true;
      return;
    }
    base_.reset();
  }
  std::unique_ptr<store::Snapshot::Cursor> base_;
  int perm_;
  std::vector<IdKey> adds_, dels_;
  size_t ai_ = 0, di_ = 0;
  IdKey base_key_{};
  bool has_base_ = false;
};

void termKey(const rdf::TermView& t, std::string& out) {
  out.clear();
  out += static_cast<char>(t.kind);
  out.append(t.value);
  out += '\0';
  out.append(t.datatype);
  out += '\0';
  out.append(t.lang);
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The local path of a LOAD source: a file: IRI (RFC 8089: file:/p,
// file:///p, file://localhost/p; percent-decoded) or a plain path.
Result<std::string> loadPath(const std::string& iri) {
  size_t colon = iri.find(':');
  bool has_scheme = colon != std::string::npos && colon > 1 && std::isalpha(static_cast<unsigned char>(iri[0]));
  for (size_t i = 1; has_scheme && i < colon; ++i) {
    char c = iri[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') has_scheme = false;
  }
  if (!has_scheme) return iri;
  std::string scheme = iri.substr(0, colon);
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme == "http" || scheme == "https") {
    return Status::unsupported("LOAD of http(s) IRIs needs the server (issue 7): <" + iri + ">");
  }
  if (scheme != "file") return Status::unsupported("LOAD supports file: IRIs and paths only, not <" + iri + ">");
  std::string rest = iri.substr(colon + 1);
  if (rest.compare(0, 2, "//") == 0) {
    size_t slash = rest.find('/', 2);
    std::string authority = rest.substr(2, slash == std::string::npos ? std::string::npos : slash - 2);
    if (!authority.empty() && authority != "localhost") {
      return Status::unsupported("LOAD of a file: IRI on another host: <" + iri + ">");
    }
    rest = slash == std::string::npos ? std::string("/") : rest.substr(slash);
  }
  std::string path;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '%' && i + 2 < rest.size() && hexValue(rest[i + 1]) >= 0 && hexValue(rest[i + 2]) >= 0) {
      path += static_cast<char>(hexValue(rest[i + 1]) * 16 + hexValue(rest[i + 2]));
      i += 2;
    } else {
      path += rest[i];
    }
  }
  return path;
}

// Feeds one LOADed document into the overlay, its blank nodes renamed into
// a scope of their own ("l<n>_<label>").
class LoadSink : public rdf::QuadSink {
 public:
  LoadSink(sparql::MutableDataset* ds, uint64_t n) : ds_(ds), prefix_("l" + std::to_string(n) + "_") {}
  Status quad(const rdf::QuadView& q) override {
    rdf::QuadView v{scoped(q.s, bs_), q.p, scoped(q.o, bo_), scoped(q.g, bg_)};
    return ds_->insert(v);
  }

 private:
  rdf::TermView scoped(const rdf::TermView& t, std::string& buf) {
    if (!t.isBlank()) return t;
    buf = prefix_;
    buf.append(t.value);
    return rdf::TermView::blank(buf);
  }
  sparql::MutableDataset* ds_;
  std::string prefix_, bs_, bo_, bg_;
};

}  // namespace

OverlayDataset::OverlayDataset(std::shared_ptr<const store::Snapshot> snap) : snap_(std::move(snap)) {}

Id OverlayDataset::lookup(const rdf::TermView& t) const {
  if (t.isNone()) return kDefaultGraphId;
  Id id = snap_->lookup(t);
  if (id != kAnyId) return id;
  std::string key;
  termKey(t, key);
  auto it = local_ids_.find(key);
  return it == local_ids_.end() ? kAnyId : it->second;
}

bool OverlayDataset::decode(Id id, rdf::Term* out) const {
  if ((id & sparql::kQueryIdBits) == kOverlayIdBase) {
    uint64_t i = id - kOverlayIdBase;
    if (i >= local_.size()) return false;
    *out = local_[i];
    return true;
  }
  if (isLocal(id)) return false;
  return snap_->decode(id, out);
}

Id OverlayDataset::intern(const rdf::TermView& t) {
  if (t.isNone()) return kDefaultGraphId;
  Id id = snap_->lookup(t);
  if (id != kAnyId) return id;
  termKey(t, key_buf_);
  auto [it, fresh] = local_ids_.try_emplace(key_buf_, kOverlayIdBase + local_.size());
  if (fresh) local_.emplace_back(t);
  return it->second;
}

bool OverlayDataset::inSnapshot(const Key& k) const {
  for (Id id : k) if (isLocal(id)) return false;
  auto c = snap_->scan(store::QuadIds{k[0], k[1], k[2], k[3]});
  store::QuadIds q;
  return c.next(&q);
}

std::unique_ptr<sparql::QuadCursor> OverlayDataset::scan(const IdQuad& pattern, char order[4]) const {
  int perm = internal::scanPerm(pattern);
  internal::writeOrder(perm, order);
  int prefix = boundPrefix(pattern);
  IdKey lower = internal::permuted(keyOf(pattern), perm);
  for (int i = prefix; i < 4; ++i) lower[i] = 0;
  std::unique_ptr<store::Snapshot::Cursor> base;
  bool local = isLocal(pattern.s) || isLocal(pattern.p) || isLocal(pattern.o) || isLocal(pattern.g);
  if (!local) {
    base = std::make_unique<store::Snapshot::Cursor>(
        snap_->scan(store::QuadIds{pattern.s, pattern.p, pattern.o, pattern.g}));
  }
  return std::make_unique<MergeCursor>(std::move(base), perm, range(ins_[perm], lower, prefix),
                                       local ? std::vector<IdKey>() : range(del_[perm], lower, prefix));
}

uint64_t OverlayDataset::count(const IdQuad& pattern) const {
  int perm = internal::scanPerm(pattern);
  int prefix = boundPrefix(pattern);
  IdKey lower = internal::permuted(keyOf(pattern), perm);
  for (int i = prefix; i < 4; ++i) lower[i] = 0;
  uint64_t n = rangeSize(ins_[perm], lower, prefix);
  if (isLocal(pattern.s) || isLocal(pattern.p) || isLocal(pattern.o) || isLocal(pattern.g)) return n;
  uint64_t base = snap_->count(store::QuadIds{pattern.s, pattern.p, pattern.o, pattern.g});
  uint64_t dels = rangeSize(del_[perm], lower, prefix);
  return base + n - std::min<uint64_t>(dels, base);
}

bool OverlayDataset::anyInGraph(Id g) const {
  IdQuad q;
  return scan(IdQuad{kAnyId, kAnyId, kAnyId, g})->next(&q);
}

std::vector<Id> OverlayDataset::namedGraphs() const {
  std::vector<Id> out;
  for (Id g : snap_->graphs()) {
    auto it = del_[kGSPO].lower_bound(IdKey{g, 0, 0, 0});
    bool touched = it != del_[kGSPO].end() && (*it)[0] == g;
    if (!touched || anyInGraph(g)) out.push_back(g);
  }
  // Graphs of inserted quads: GSPO order groups them.
  Id last = kAnyId;
  for (const auto& k : ins_[kGSPO]) {
    if (k[0] == last || k[0] == kDefaultGraphId) continue;
    last = k[0];
    out.push_back(k[0]);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Status OverlayDataset::insert(const rdf::QuadView& q) {
  if (q.s.isNone() || q.p.isNone() || q.o.isNone()) return Status::invalidArgument("insert of a quad with an empty term");
  Key k{intern(q.s), intern(q.p), intern(q.o), intern(q.g)};
  if (del_[kSPOG].count(k)) {
    for (int p = 0; p < 6; ++p) del_[p].erase(internal::permuted(k, p));
    return Status::ok();
  }
  if (ins_[kSPOG].count(k) || inSnapshot(k)) return Status::ok();
  for (int p = 0; p < 6; ++p) ins_[p].insert(internal::permuted(k, p));
  return Status::ok();
}

Status OverlayDataset::erase(const rdf::QuadView& q) {
  if (q.s.isNone() || q.p.isNone() || q.o.isNone()) return Status::ok();
  Key k{lookup(q.s), lookup(q.p), lookup(q.o), lookup(q.g)};
  for (Id id : k) if (id == kAnyId) return Status::ok();  // a term nobody has: the quad is absent
  if (ins_[kSPOG].count(k)) {
    for (int p = 0; p < 6; ++p) ins_[p].erase(internal::permuted(k, p));
    return Status::ok();
  }
  if (del_[kSPOG].count(k) || !inSnapshot(k)) return Status::ok();
  for (int p = 0; p < 6; ++p) del_[p].insert(internal::permuted(k, p));
  return Status::ok();
}

Status OverlayDataset::load(const rdf::Term& source, const rdf::Term& graph) {
  if (source.kind != rdf::TermKind::kIri) return Status::invalidArgument("LOAD needs an IRI");
  auto path = loadPath(source.value);
  if (!path) return path.status();
  rdf::ReadOptions opts;
  opts.format = rdf::formatFromPath(path.value());
  if (opts.format == rdf::Format::kUnknown) {
    return Status::invalidArgument("LOAD: cannot tell the syntax of '" + path.value() +
                                   "' from its name (use .nt, .nq, .ttl, .trig, .rdf or .jsonld)");
  }
  if (graph.kind == rdf::TermKind::kIri) opts.graph = graph.value;
  LoadSink sink(this, ++loads_);
  return rdf::readFile(path.value(), opts, sink);
}

bool OverlayDataset::graphExists(Id graph) const {
  if (graph == kDefaultGraphId) return true;
  if (graph == kAnyId) return false;
  return created_.count(graph) > 0 || anyInGraph(graph);
}

void OverlayDataset::noteCreated(const rdf::Term& graph) {
  if (graph.isNone()) return;
  created_.insert(intern(graph.view()));
}

Status OverlayDataset::commitTo(store::Transaction& txn) const {
  for (const auto& k : del_[kSPOG]) txn.removeIds(store::QuadIds{k[0], k[1], k[2], k[3]});
  uint64_t scope = 0;
  rdf::Term t[4];
  std::string labels[4];
  for (const auto& k : ins_[kSPOG]) {
    if (!isLocal(k[0]) && !isLocal(k[1]) && !isLocal(k[2]) && !isLocal(k[3])) {
      txn.addIds(store::QuadIds{k[0], k[1], k[2], k[3]});
      continue;
    }
    rdf::TermView v[4];
    for (int i = 0; i < 4; ++i) {
      if (!decode(k[i], &t[i])) return Status::internal("update: a quad refers to an unknown term id");
      v[i] = t[i].view();
      if (isLocal(k[i]) && t[i].kind == rdf::TermKind::kBlank) {
        // A blank node made by this request: a scope of its own in the store.
        if (scope == 0) scope = txn.newDocumentScope();
        labels[i] = "d" + std::to_string(scope) + "_" + t[i].value;
        v[i] = rdf::TermView::blank(labels[i]);
      }
    }
    WEFT_TRY(txn.add(rdf::QuadView{v[0], v[1], v[2], v[3]}));
  }
  return Status::ok();
}

}  // namespace weft::db
