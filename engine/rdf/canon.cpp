// SPDX-License-Identifier: Apache-2.0
// RDFC-1.0, following the algorithm sections of https://www.w3.org/TR/rdf-canon/
// (4.4 canonicalization, 4.6 first degree, 4.7 related, 4.8 N-degree).
// Blank nodes are numbered by first appearance; other terms are interned in
// their canonical N-Quads form, so a quad is a few numbers and hashing a
// blank node's quads only splices labels between pre-serialized terms.
#include "engine/rdf/canon.h"

#include <openssl/evp.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

namespace weft::rdf {

bool canonHashFromName(std::string_view name, CanonHash* out) {
  std::string n;
  for (char c : name)
    if (c != '-' && c != '_') n += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  if (n == "SHA256") *out = CanonHash::kSha256;
  else if (n == "SHA384") *out = CanonHash::kSha384;
  else return false;
  return true;
}

std::string hashHex(CanonHash algorithm, std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  const EVP_MD* type = algorithm == CanonHash::kSha384 ? EVP_sha384() : EVP_sha256();
  EVP_Digest(bytes.data(), bytes.size(), md, &len, type, nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out(len * 2, '0');
  for (unsigned i = 0; i < len; ++i) {
    out[2 * i] = kHex[md[i] >> 4];
    out[2 * i + 1] = kHex[md[i] & 15];
  }
  return out;
}

namespace {

void appendUchar(std::string& out, unsigned char c) {
  static const char* kHex = "0123456789ABCDEF";
  char buf[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
  out.append(buf, 6);
}

void appendCanonicalString(std::string& out, std::string_view s) {
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default: appendUchar(out, c);
    }
  }
  out.append(s.data() + run, s.size() - run);
}

}  // namespace

// A valid IRI has nothing to escape; appendEscapedIri only touches the
// characters IRIREF cannot hold, so even a bad IRI stays one token.
void appendCanonicalTerm(std::string& out, const TermView& t) { appendNTriplesWith(out, t, appendCanonicalString); }

void appendCanonicalNQuads(std::string& out, const QuadView& q) {
  appendCanonicalTerm(out, q.s);
  out += ' ';
  appendCanonicalTerm(out, q.p);
  out += ' ';
  appendCanonicalTerm(out, q.o);
  if (!q.g.isNone()) {
    out += ' ';
    appendCanonicalTerm(out, q.g);
  }
  out += " .\n";
}

namespace {

constexpr int32_t kNotBlank = -1;
constexpr char kPositions[4] = {'s', 'p', 'o', 'g'};

// A distinct input quad: for each position the number of its term in the
// term table (kNotTerm for a blank node or the default graph) and of its
// blank node (kNotBlank otherwise); `pred` numbers the predicate's IRI as is.
constexpr uint32_t kNotTerm = UINT32_MAX;
struct CQuad {
  uint32_t term[4] = {kNotTerm, kNotTerm, kNotTerm, kNotTerm};
  int32_t blank[4] = {kNotBlank, kNotBlank, kNotBlank, kNotBlank};
  uint32_t pred = 0;
  bool operator<(const CQuad& o) const {
    for (int i = 0; i < 4; ++i) {
      if (term[i] != o.term[i]) return term[i] < o.term[i];
      if (blank[i] != o.blank[i]) return blank[i] < o.blank[i];
    }
    return false;
  }
  bool operator==(const CQuad& o) const { return !(*this < o) && !(o < *this); }
};

// An identifier issuer with prefix "b" (4.5), copied once per permutation in
// the N-degree search: a vector in issue order, plus a hash index once it is
// too long to scan.
class TempIssuer {
 public:
  int64_t find(uint32_t n) const {
    if (index_.empty()) {
      for (size_t i = 0; i < order_.size(); ++i)
        if (order_[i] == n) return static_cast<int64_t>(i);
      return -1;
    }
    auto it = index_.find(n);
    return it == index_.end() ? int64_t{-1} : int64_t{it->second};
  }
  // Issues (or returns) n's number; `fresh` tells whether it is new.
  uint32_t issue(uint32_t n, bool* fresh = nullptr) {
    int64_t i = find(n);
    if (fresh) *fresh = i < 0;
    if (i >= 0) return static_cast<uint32_t>(i);
    uint32_t k = static_cast<uint32_t>(order_.size());
    order_.push_back(n);
    if (!index_.empty()) {
      index_.emplace(n, k);
    } else if (order_.size() > kLinear) {
      for (uint32_t j = 0; j < order_.size(); ++j) index_.emplace(order_[j], j);
    }
    return k;
  }
  const std::vector<uint32_t>& order() const { return order_; }

 private:
  static constexpr size_t kLinear = 24;
  std::vector<uint32_t> order_;
  std::unordered_map<uint32_t, uint32_t> index_;
};

}  // namespace

class DatasetCanonicalizer::Impl {
 public:
  explicit Impl(const CanonOptions& o) : opts_(o) {}

  Status add(const QuadView& q) {
    if (q.s.isNone() || q.p.isNone() || q.o.isNone())
      return Status::invalidArgument("canonicalization: a quad lacks a subject, predicate or object");
    CQuad c;
    const TermView* terms[4] = {&q.s, &q.p, &q.o, &q.g};
    for (int i = 0; i < 4; ++i) {
      const TermView& t = *terms[i];
      if (t.isBlank()) {
        auto [it, added] = blank_ids_.try_emplace(std::string(t.value), static_cast<uint32_t>(labels_.size()));
        if (added) labels_.emplace_back(t.value);
        c.blank[i] = static_cast<int32_t>(it->second);
      } else if (!t.isNone()) {
        key_.clear();
        appendCanonicalTerm(key_, t);
        auto [it, added] = term_ids_.try_emplace(key_, static_cast<uint32_t>(texts_.size()));
        if (added) {
          texts_.push_back(key_);
          if (opts_.keep_quads) terms_.emplace_back(t);
        }
        c.term[i] = it->second;
      }
    }
    auto [pit, padded] = pred_ids_.try_emplace(std::string(q.p.value), static_cast<uint32_t>(preds_.size()));
    if (padded) preds_.emplace_back(q.p.value);
    c.pred = pit->second;
    quads_.push_back(c);
    return Status::ok();
  }

  Result<CanonResult> run() {
    dedupe();
    const size_t n = labels_.size();
    canon_.assign(n, -1);
    first_.resize(n);
    // 4.4.3 step 3: first-degree hashes, grouped by hash (std::map: code point order).
    std::map<std::string, std::vector<uint32_t>> by_hash;
    for (uint32_t b = 0; b < n; ++b) {
      first_[b] = hashFirstDegree(b);
      by_hash[first_[b]].push_back(b);
    }
    // Step 4: unique hashes get canonical identifiers first.
    for (auto it = by_hash.begin(); it != by_hash.end();) {
      if (it->second.size() > 1) {
        ++it;
        continue;
      }
      issueCanonical(it->second.front());
      it = by_hash.erase(it);
    }
    node_limit_ = opts_.max_deep_iterations;
    if (node_limit_ == 0) node_limit_ = CanonOptions::kMinDeepIterations + 2 * largestComponent();
    total_limit_ = opts_.max_ndegree_calls;
    deep_.assign(n, 0);
    // Step 5: the rest, by N-degree hashes.
    for (auto& [hash, nodes] : by_hash) {
      std::vector<std::pair<std::string, TempIssuer>> paths;
      for (uint32_t b : nodes) {
        if (canon_[b] >= 0) continue;
        TempIssuer issuer;
        issuer.issue(b);
        auto h = hashNDegree(b, issuer);
        if (!h) return h.status();
        paths.emplace_back(std::move(h.value()), std::move(issuer));
      }
      std::stable_sort(paths.begin(), paths.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (auto& [h, issuer] : paths)
        for (uint32_t b : issuer.order()) issueCanonical(b);
    }
    return output();
  }

 private:
  // A dataset is a set: drop repeated quads (by sorting an index, which
  // costs 4 bytes a quad), then list each blank node's quads.
  void dedupe() {
    std::vector<uint32_t> order(quads_.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [this](uint32_t a, uint32_t b) {
      return quads_[a] < quads_[b] || (quads_[a] == quads_[b] && a < b);
    });
    std::vector<bool> drop(quads_.size(), false);
    for (size_t i = 1; i < order.size(); ++i)
      if (quads_[order[i]] == quads_[order[i - 1]]) drop[order[i]] = true;
    std::vector<uint32_t>().swap(order);
    size_t w = 0;
    for (size_t r = 0; r < quads_.size(); ++r)
      if (!drop[r]) quads_[w++] = quads_[r];
    quads_.resize(w);
    quads_.shrink_to_fit();
    quads_of_.assign(labels_.size(), {});
    for (uint32_t qi = 0; qi < quads_.size(); ++qi) {
      // Each quad once per blank node, even if the node fills two positions.
      for (int32_t b : quads_[qi].blank) {
        if (b == kNotBlank) continue;
        auto& list = quads_of_[b];
        if (list.empty() || list.back() != qi) list.push_back(qi);
      }
    }
  }

  // The most blank nodes connected to each other through quads. Hash
  // N-Degree Quads only follows such links, and a top-level call reaches each
  // node of its component about once unless symmetry multiplies the paths, so
  // this bounds the honest work per node.
  uint64_t largestComponent() const {
    std::vector<uint32_t> parent(labels_.size());
    for (uint32_t i = 0; i < parent.size(); ++i) parent[i] = i;
    auto root = [&parent](uint32_t x) {
      while (parent[x] != x) x = parent[x] = parent[parent[x]];
      return x;
    };
    for (const CQuad& q : quads_) {
      int32_t first = kNotBlank;
      for (int32_t b : q.blank) {
        if (b == kNotBlank) continue;
        if (first == kNotBlank) first = b;
        else parent[root(static_cast<uint32_t>(b))] = root(static_cast<uint32_t>(first));
      }
    }
    std::vector<uint64_t> size(labels_.size(), 0);
    uint64_t largest = 0;
    for (uint32_t i = 0; i < parent.size(); ++i) largest = std::max(largest, ++size[root(i)]);
    return largest;
  }

  // One quad in canonical N-Quads with blank nodes written by `label`.
  template <typename Label>
  void serialize(std::string& out, const CQuad& q, Label label) const {
    for (int i = 0; i < 4; ++i) {
      if (i == 3 && q.blank[3] == kNotBlank && q.term[3] == kNotTerm) break;
      if (i > 0) out += ' ';
      if (q.blank[i] == kNotBlank) out += texts_[q.term[i]];
      else label(out, static_cast<uint32_t>(q.blank[i]));
    }
    out += " .\n";
  }

  // 4.6: the reference node as _:a, every other blank node as _:z.
  std::string hashFirstDegree(uint32_t b) const {
    std::vector<std::string> lines;
    lines.reserve(quads_of_[b].size());
    for (uint32_t qi : quads_of_[b]) {
      std::string line;
      serialize(line, quads_[qi], [b](std::string& out, uint32_t x) { out += x == b ? "_:a" : "_:z"; });
      lines.push_back(std::move(line));
    }
    std::sort(lines.begin(), lines.end());
    std::string all;
    for (const auto& l : lines) all += l;
    return hashHex(opts_.hash, all);
  }

  void issueCanonical(uint32_t b) {
    if (canon_[b] >= 0) return;
    canon_[b] = static_cast<int32_t>(canon_order_.size());
    canon_order_.push_back(b);
  }

  // 4.7: the hash of a blank node related to the reference node by `quad`.
  std::string hashRelated(uint32_t related, const CQuad& quad, const TempIssuer& issuer, int position) const {
    std::string input(1, kPositions[position]);
    if (position != 3) {
      // The predicate's IRI as it is, between angle brackets.
      input += '<';
      input += preds_[quad.pred];
      input += '>';
    }
    if (canon_[related] >= 0) {
      input += "_:c14n" + std::to_string(canon_[related]);
    } else if (int64_t t = issuer.find(related); t >= 0) {
      input += "_:b" + std::to_string(t);
    } else {
      input += first_[related];
    }
    return hashHex(opts_.hash, input);
  }

  // True if `path` can no longer become the chosen (smallest) path.
  static bool worse(const std::string& path, const std::string& chosen) {
    return !chosen.empty() && path.size() >= chosen.size() && path > chosen;
  }

  // 4.8: Hash N-Degree Quads; `issuer` is replaced by the chosen issuer.
  Result<std::string> hashNDegree(uint32_t b, TempIssuer& issuer) {
    ++calls_;
    if (++deep_[b] > node_limit_ || (total_limit_ && calls_ > total_limit_)) {
      std::string what = deep_[b] > node_limit_
                             ? std::to_string(node_limit_) + " N-degree hash calls for one blank node"
                             : std::to_string(total_limit_) + " N-degree hash calls";
      return Status::aborted("canonicalization: more than " + what +
                             " (the blank nodes are too symmetric: a poison dataset?); raise the "
                             "work limit to go on");
    }
    max_deep_ = std::max(max_deep_, deep_[b]);
    // Steps 1-3: related blank nodes grouped by related hash.
    std::map<std::string, std::vector<uint32_t>> related;
    for (uint32_t qi : quads_of_[b]) {
      const CQuad& q = quads_[qi];
      for (int pos : {0, 2, 3}) {
        int32_t r = q.blank[pos];
        if (r == kNotBlank || static_cast<uint32_t>(r) == b) continue;
        related[hashRelated(static_cast<uint32_t>(r), q, issuer, pos)].push_back(static_cast<uint32_t>(r));
      }
    }
    std::string data;
    for (auto& [hash, nodes] : related) {
      data += hash;
      std::string chosen_path;
      TempIssuer chosen_issuer;
      // Every distinct permutation (repeated nodes give repeated, identical ones).
      std::sort(nodes.begin(), nodes.end());
      do {
        TempIssuer copy = issuer;
        std::string path;
        std::vector<uint32_t> recursion;
        bool skip = false;
        for (uint32_t r : nodes) {
          if (canon_[r] >= 0) {
            path += "_:c14n" + std::to_string(canon_[r]);
          } else {
            bool fresh = false;
            uint32_t t = copy.issue(r, &fresh);
            if (fresh) recursion.push_back(r);
            path += "_:b" + std::to_string(t);
          }
          if (worse(path, chosen_path)) {
            skip = true;
            break;
          }
        }
        if (skip) continue;
        for (uint32_t r : recursion) {
          auto h = hashNDegree(r, copy);
          if (!h) return h.status();
          path += "_:b" + std::to_string(copy.issue(r));
          path += '<';
          path += h.value();
          path += '>';
          if (worse(path, chosen_path)) {
            skip = true;
            break;
          }
        }
        if (skip) continue;
        if (chosen_path.empty() || path < chosen_path) {
          chosen_path = std::move(path);
          chosen_issuer = std::move(copy);
        }
      } while (std::next_permutation(nodes.begin(), nodes.end()));
      data += chosen_path;
      issuer = std::move(chosen_issuer);
    }
    return hashHex(opts_.hash, data);
  }

  CanonResult output() {
    CanonResult r;
    r.ndegree_calls = calls_;
    r.max_deep_iterations = max_deep_;
    auto label = [this](std::string& out, uint32_t x) {
      out += "_:c14n";
      out += std::to_string(canon_[x]);
    };
    // All lines in one buffer, then sorted by reference: no string per line.
    std::string buf;
    std::vector<std::pair<uint64_t, uint32_t>> lines;  // offset, quad
    lines.reserve(quads_.size());
    for (uint32_t i = 0; i < quads_.size(); ++i) {
      lines.emplace_back(buf.size(), i);
      serialize(buf, quads_[i], label);
    }
    auto text = [&buf, &lines](size_t k) {
      uint64_t end = k + 1 < lines.size() ? lines[k + 1].first : buf.size();
      return std::string_view(buf).substr(lines[k].first, end - lines[k].first);
    };
    std::vector<uint32_t> order(lines.size());
    for (uint32_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(), [&text](uint32_t a, uint32_t b) { return text(a) < text(b); });
    r.nquads.reserve(buf.size());
    for (uint32_t k : order) r.nquads += text(k);
    std::string().swap(buf);
    if (opts_.keep_quads) {
      r.quads.reserve(order.size());
      for (uint32_t k : order) {
        const CQuad& c = quads_[lines[k].second];
        Quad q;
        Term* terms[4] = {&q.s, &q.p, &q.o, &q.g};
        for (int i = 0; i < 4; ++i) {
          if (c.blank[i] != kNotBlank) *terms[i] = Term::blank("c14n" + std::to_string(canon_[c.blank[i]]));
          else if (c.term[i] != kNotTerm) *terms[i] = terms_[c.term[i]];
        }
        r.quads.push_back(std::move(q));
      }
    }
    r.issued.reserve(labels_.size());
    for (uint32_t b = 0; b < labels_.size(); ++b)
      r.issued.emplace_back(labels_[b], "c14n" + std::to_string(canon_[b]));
    return r;
  }

  CanonOptions opts_;
  uint64_t node_limit_ = 0, total_limit_ = 0, calls_ = 0, max_deep_ = 0;
  std::vector<CQuad> quads_;
  // Terms by canonical text (what hashing splices), and as given (for `quads`).
  std::unordered_map<std::string, uint32_t> term_ids_;
  std::vector<std::string> texts_;
  std::vector<Term> terms_;
  std::unordered_map<std::string, uint32_t> pred_ids_;
  std::vector<std::string> preds_;                // predicate IRIs as they are
  std::unordered_map<std::string, uint32_t> blank_ids_;
  std::vector<std::string> labels_;              // blank node number -> input label
  std::vector<std::vector<uint32_t>> quads_of_;  // blank node number -> its quads
  std::vector<std::string> first_;               // first-degree hashes
  std::vector<int32_t> canon_;                   // canonical number or -1
  std::vector<uint32_t> canon_order_;
  std::vector<uint64_t> deep_;                   // N-degree calls per blank node
  std::string key_;
};

DatasetCanonicalizer::DatasetCanonicalizer(const CanonOptions& opts) : impl_(std::make_unique<Impl>(opts)) {}
DatasetCanonicalizer::~DatasetCanonicalizer() = default;

Status DatasetCanonicalizer::quad(const QuadView& q) {
  if (!impl_) return Status::invalidArgument("canonicalization: quad() after finish()");
  return impl_->add(q);
}

Result<CanonResult> DatasetCanonicalizer::finish() {
  if (!impl_) return Status::invalidArgument("canonicalization: finish() called twice");
  auto r = impl_->run();
  impl_.reset();
  return r;
}

Result<CanonResult> canonicalize(const std::vector<Quad>& quads, const CanonOptions& opts) {
  DatasetCanonicalizer c(opts);
  for (const Quad& q : quads) WEFT_TRY(c.quad(q.view()));
  return c.finish();
}

Result<std::string> datasetHash(const std::vector<Quad>& quads, const CanonOptions& opts) {
  auto r = canonicalize(quads, opts);
  if (!r) return r.status();
  return hashHex(CanonHash::kSha256, r->nquads);
}

}  // namespace weft::rdf
