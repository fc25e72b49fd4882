// SPDX-License-Identifier: Apache-2.0
// A mapping document in memory (the loader's and the logical views' view of
// it): quads indexed by subject, with legacy rml.io / R2RML / ql: IRIs
// rewritten into the RML namespace (http://w3id.org/rml/) on the way in.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/rdf/term.h"

namespace weft::map::internal {

constexpr std::string_view kRml = "http://w3id.org/rml/";
constexpr std::string_view kRmlLegacy = "http://semweb.mmlab.be/ns/rml#";
constexpr std::string_view kRr = "http://www.w3.org/ns/r2rml#";
constexpr std::string_view kQl = "http://semweb.mmlab.be/ns/ql#";
constexpr std::string_view kFnmlLegacy = "http://semweb.mmlab.be/ns/fnml#";
constexpr std::string_view kFno = "https://w3id.org/function/ontology#";
constexpr std::string_view kFnoOld = "http://w3id.org/function/ontology#";
constexpr std::string_view kD2rq = "http://www.wiwiss.fu-berlin.de/suhl/bizer/D2RQ/0.1#";
constexpr std::string_view kSd = "http://www.w3.org/ns/sparql-service-description#";
constexpr std::string_view kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

inline std::string rml(std::string_view local) { return std::string(kRml) + std::string(local); }

// Legacy IRIs -> RML-Core/IO. R2RML's rr:column is a reference, rr:logicalTable
// a logical source; everything else keeps its local name.
inline std::string normalize(const std::string& iri) {
  auto starts = [&](std::string_view ns) { return iri.compare(0, ns.size(), ns) == 0; };
  if (starts(kRr)) {
    std::string local = iri.substr(kRr.size());
    if (local == "column") return rml("reference");
    if (local == "logicalTable") return rml("logicalSource");
    if (local == "sqlQuery") return rml("query");
    return rml(local);
  }
  if (starts(kRmlLegacy)) return rml(iri.substr(kRmlLegacy.size()));
  if (starts(kQl)) return rml(iri.substr(kQl.size()));
  if (starts(kFnoOld)) return std::string(kFno) + iri.substr(kFnoOld.size());
  return iri;
}

inline std::string termKey(const rdf::Term& t) {
  std::string k(1, static_cast<char>('0' + static_cast<int>(t.kind)));
  k += t.value;
  return k;
}

class Doc {
 public:
  explicit Doc(std::vector<rdf::Quad> quads) : quads_(std::move(quads)) {
    for (auto& q : quads_) {
      if (q.p.value.compare(0, kRmlLegacy.size(), kRmlLegacy) == 0) legacy = true;
      if (q.p.kind == rdf::TermKind::kIri) q.p.value = normalize(q.p.value);
      if (q.o.kind == rdf::TermKind::kIri) q.o.value = normalize(q.o.value);
    }
    for (size_t i = 0; i < quads_.size(); ++i) by_subject_[termKey(quads_[i].s)].push_back(i);
  }
  std::vector<const rdf::Term*> objects(const rdf::Term& s, std::string_view p) const {
    std::vector<const rdf::Term*> out;
    auto it = by_subject_.find(termKey(s));
    if (it == by_subject_.end()) return out;
    for (size_t i : it->second)
      if (quads_[i].p.value == p) out.push_back(&quads_[i].o);
    return out;
  }
  bool has(const rdf::Term& s, std::string_view p) const { return !objects(s, p).empty(); }
  bool hasType(const rdf::Term& s, std::string_view cls) const {
    for (auto* o : objects(s, kRdfType))
      if (o->value == cls) return true;
    return false;
  }
  std::vector<rdf::Term> subjectsWith(std::string_view p) const {
    std::vector<rdf::Term> out;
    std::set<std::string> seen;
    for (auto& q : quads_)
      if (q.p.value == p && seen.insert(termKey(q.s)).second) out.push_back(q.s);
    return out;
  }
  std::vector<rdf::Term> subjectsOfType(std::string_view cls) const {
    std::vector<rdf::Term> out;
    std::set<std::string> seen;
    for (auto& q : quads_)
      if (q.p.value == kRdfType && q.o.value == cls && seen.insert(termKey(q.s)).second)
        out.push_back(q.s);
    return out;
  }

 public:
  bool legacy = false;  // uses the rml.io namespace

 private:
  std::vector<rdf::Quad> quads_;
  std::unordered_map<std::string, std::vector<size_t>> by_subject_;
};

}  // namespace weft::map::internal
