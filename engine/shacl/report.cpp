// SPDX-License-Identifier: Apache-2.0
// Writing a ValidationReport (shacl.h): the W3C validation report vocabulary
// (https://www.w3.org/TR/shacl/#validation-report) as triples or as Turtle
// with nested results and paths, and a readable summary for terminals.
#include <algorithm>
#include <cctype>
#include <set>

#include "engine/shacl/internal/vocab.h"
#include "engine/shacl/shacl.h"

namespace weft::shacl {

namespace {

using internal::sh;

bool isPnLocal(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    bool ok =
        std::isalnum(c) || c == '_' || (i > 0 && (c == '-' || (c == '.' && i + 1 < s.size())));
    if (!ok) return false;
  }
  return true;
}

bool isPnPrefix(std::string_view s) {
  if (s.empty()) return true;  // the empty prefix ":" is valid
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (size_t i = 1; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!(std::isalnum(c) || c == '_' || c == '-' || (c == '.' && i + 1 < s.size()))) return false;
  }
  return true;
}

// The prefixes used for output: sh, the shapes files' own, then rdf, rdfs,
// xsd if those names are free.
std::vector<std::pair<std::string, std::string>> outputPrefixes(
    const std::vector<std::pair<std::string, std::string>>& in) {
  // The report spells the SHACL terms sh:..., so `sh` is always the SHACL
  // namespace, whatever the shapes files bind it to (found by fuzz_shacl).
  std::vector<std::pair<std::string, std::string>> out{{"sh", "http://www.w3.org/ns/shacl#"}};
  std::set<std::string> names{"sh"}, spaces{"http://www.w3.org/ns/shacl#"};
  for (const auto& [p, ns] : in) {
    if (!isPnPrefix(p) || ns.empty() || !names.insert(p).second) continue;
    spaces.insert(ns);
    out.emplace_back(p, ns);
  }
  const std::pair<const char*, const char*> kStd[] = {
      {"sh", "http://www.w3.org/ns/shacl#"},
      {"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
      {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
      {"xsd", "http://www.w3.org/2001/XMLSchema#"}};
  for (const auto& [p, ns] : kStd)
    if (!spaces.count(ns) && names.insert(p).second) out.emplace_back(p, ns);
  return out;
}

std::string prefixedOr(std::string_view iri,
                       const std::vector<std::pair<std::string, std::string>>& prefixes, bool* ok) {
  const std::pair<std::string, std::string>* best = nullptr;
  for (const auto& p : prefixes) {
    if (iri.size() >= p.second.size() && iri.substr(0, p.second.size()) == p.second &&
        (!best || p.second.size() > best->second.size()) && isPnLocal(iri.substr(p.second.size())))
      best = &p;
  }
  *ok = best != nullptr;
  if (!best) return {};
  return best->first + ":" + std::string(iri.substr(best->second.size()));
}

// A valid Turtle blank node label for any stored label: "b" + the label with
// characters other than letters, digits and '_' written as "-" + two hex
// digits (one-to-one, so distinct nodes stay distinct).
std::string blankLabel(std::string_view label) {
  static const char* hex = "0123456789abcdef";
  std::string out = "_:b";
  for (char ch : label) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '_') {
      out += ch;
    } else {
      out += '-';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

class TurtleOut {
 public:
  explicit TurtleOut(const std::vector<std::pair<std::string, std::string>>& prefixes)
      : prefixes_(prefixes) {}

  void iri(std::string& out, std::string_view v) const {
    bool ok = false;
    std::string p = prefixedOr(v, prefixes_, &ok);
    if (ok) {
      out += p;
      return;
    }
    out += '<';
    rdf::appendEscapedIri(out, v);
    out += '>';
  }
  void term(std::string& out, const rdf::Term& t) const {
    switch (t.kind) {
      case rdf::TermKind::kIri:
        iri(out, t.value);
        return;
      case rdf::TermKind::kBlank:
        out += blankLabel(t.value);
        return;
      case rdf::TermKind::kLiteral:
        out += '"';
        rdf::appendEscapedString(out, t.value);
        out += '"';
        if (!t.lang.empty()) {
          out += '@';
          out += t.lang;
        } else if (!t.datatype.empty() && t.datatype != internal::kXsdString) {
          out += "^^";
          iri(out, t.datatype);
        }
        return;
      case rdf::TermKind::kNone:
        return;
    }
  }
  void path(std::string& out, const PropertyPath& p) const {
    using K = PropertyPath::Kind;
    switch (p.kind) {
      case K::kPredicate:
        iri(out, p.iri);
        return;
      case K::kSequence:
        out += "( ";
        for (const auto& s : p.sub) {
          path(out, s);
          out += ' ';
        }
        out += ')';
        return;
      case K::kAlternative:
        out += "[ sh:alternativePath ( ";
        for (const auto& s : p.sub) {
          path(out, s);
          out += ' ';
        }
        out += ") ]";
        return;
      default: {
        const char* prop = p.kind == K::kInverse      ? "sh:inversePath"
                           : p.kind == K::kZeroOrMore ? "sh:zeroOrMorePath"
                           : p.kind == K::kOneOrMore  ? "sh:oneOrMorePath"
                                                      : "sh:zeroOrOnePath";
        out += "[ ";
        out += prop;
        out += ' ';
        path(out, p.sub[0]);
        out += " ]";
        return;
      }
    }
  }

 private:
  const std::vector<std::pair<std::string, std::string>>& prefixes_;
};

// Triples of a path as SHACL path nodes; returns the path's node.
class QuadOut {
 public:
  QuadOut(rdf::QuadSink& sink, std::string prefix) : sink_(sink), prefix_(std::move(prefix)) {}
  rdf::Term fresh() { return rdf::Term::blank(prefix_ + std::to_string(++n_)); }
  Status add(const rdf::Term& s, std::string_view p, const rdf::Term& o) {
    std::string pi(p);
    return sink_.quad(rdf::QuadView{s.view(), rdf::TermView::iri(pi), o.view(), rdf::TermView{}});
  }
  Result<rdf::Term> path(const PropertyPath& p) {
    using K = PropertyPath::Kind;
    if (p.kind == K::kPredicate) return rdf::Term::iri(p.iri);
    if (p.kind == K::kSequence) return list(p.sub);
    rdf::Term node = fresh();
    if (p.kind == K::kAlternative) {
      auto l = list(p.sub);
      if (!l) return l.status();
      WEFT_TRY(add(node, sh("alternativePath"), l.value()));
      return node;
    }
    auto inner = path(p.sub[0]);
    if (!inner) return inner.status();
    const char* prop = p.kind == K::kInverse      ? "inversePath"
                       : p.kind == K::kZeroOrMore ? "zeroOrMorePath"
                       : p.kind == K::kOneOrMore  ? "oneOrMorePath"
                                                  : "zeroOrOnePath";
    WEFT_TRY(add(node, sh(prop), inner.value()));
    return node;
  }
  Result<rdf::Term> list(const std::vector<PropertyPath>& items) {
    rdf::Term head = rdf::Term::iri(internal::kRdfNil);
    for (size_t i = items.size(); i-- > 0;) {
      auto item = path(items[i]);
      if (!item) return item.status();
      rdf::Term cell = fresh();
      WEFT_TRY(add(cell, internal::kRdfFirst, item.value()));
      WEFT_TRY(add(cell, internal::kRdfRest, head));
      head = std::move(cell);
    }
    return head;
  }

 private:
  rdf::QuadSink& sink_;
  std::string prefix_;
  uint64_t n_ = 0;
};

std::string severityName(const rdf::Term& s) {
  if (s.value == internal::kShViolation) return "Violation";
  if (s.value == internal::kShWarning) return "Warning";
  if (s.value == internal::kShInfo) return "Info";
  return s.value;
}

std::string plural(uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string shortName(const rdf::TermView& t,
                      const std::vector<std::pair<std::string, std::string>>& prefixes) {
  if (t.kind == rdf::TermKind::kIri) {
    auto all = outputPrefixes(prefixes);
    bool ok = false;
    std::string p = prefixedOr(t.value, all, &ok);
    if (ok) return p;
  }
  if (t.kind == rdf::TermKind::kLiteral && t.lang.empty() && t.datatype != internal::kXsdString) {
    std::string out = rdf::toNTriples(rdf::TermView::literal(t.value));
    out += "^^";
    out += shortName(rdf::TermView::iri(t.datatype), prefixes);
    return out;
  }
  return rdf::toNTriples(t);
}

Status writeReport(const ValidationReport& r, rdf::QuadSink& sink) {
  // Labels for the report's own blank nodes that no reported term uses.
  std::string prefix = "weftreport";
  auto clash = [&](const rdf::Term& t) {
    return t.kind == rdf::TermKind::kBlank && t.value.compare(0, prefix.size(), prefix) == 0;
  };
  for (bool again = true; again;) {
    again = false;
    for (const auto& res : r.results)
      if (clash(res.focus_node) || clash(res.value) || clash(res.source_shape) ||
          clash(res.source_constraint)) {
        prefix += "x";
        again = true;
        break;
      }
  }
  QuadOut out(sink, prefix);
  rdf::Term report = out.fresh();
  WEFT_TRY(out.add(report, internal::kRdfType, rdf::Term::iri(sh("ValidationReport"))));
  WEFT_TRY(out.add(report, sh("conforms"),
                   rdf::Term::literal(r.conforms ? "true" : "false", internal::kXsdBoolean)));
  for (const auto& res : r.results) {
    rdf::Term node = out.fresh();
    WEFT_TRY(out.add(report, sh("result"), node));
    WEFT_TRY(out.add(node, internal::kRdfType, rdf::Term::iri(sh("ValidationResult"))));
    WEFT_TRY(out.add(node, sh("focusNode"), res.focus_node));
    if (res.path) {
      auto p = out.path(*res.path);
      if (!p) return p.status();
      WEFT_TRY(out.add(node, sh("resultPath"), p.value()));
    }
    if (!res.value.isNone()) WEFT_TRY(out.add(node, sh("value"), res.value));
    WEFT_TRY(out.add(node, sh("sourceShape"), res.source_shape));
    WEFT_TRY(out.add(node, sh("sourceConstraintComponent"), res.component));
    if (!res.source_constraint.isNone())
      WEFT_TRY(out.add(node, sh("sourceConstraint"), res.source_constraint));
    WEFT_TRY(out.add(node, sh("resultSeverity"), res.severity));
    for (const auto& m : res.messages) WEFT_TRY(out.add(node, sh("resultMessage"), m));
  }
  return Status::ok();
}

std::string reportTurtle(const ValidationReport& r, const Shapes& shapes) {
  auto prefixes = outputPrefixes(shapes.prefixes());
  TurtleOut t(prefixes);
  std::string out;
  for (const auto& [p, ns] : prefixes) {
    out += "@prefix " + p + ": <";
    rdf::appendEscapedIri(out, ns);
    out += "> .\n";
  }
  out += '\n';
  if (r.truncated()) {
    out += "# " + std::to_string(r.results.size()) + " of " + std::to_string(r.total) +
           " results (the rest were counted but not kept: --max-results)\n";
  }
  // Blank shapes have no name in the report: say which shape each one is.
  std::set<std::string> named;
  for (const auto& res : r.results) {
    if (res.source_shape.kind != rdf::TermKind::kBlank) continue;
    std::string label;
    t.term(label, res.source_shape);
    if (!named.insert(label).second) continue;
    std::string name = shapes.displayName(res.source_shape);
    for (char& c : name)
      if (c == '\n' || c == '\r') c = ' ';
    out += "# " + label + " is the shape " + name + "\n";
  }
  out += "[] a sh:ValidationReport ;\n  sh:conforms ";
  out += r.conforms ? "true" : "false";
  for (size_t i = 0; i < r.results.size(); ++i) {
    const ValidationResult& res = r.results[i];
    out += i == 0 ? " ;\n  sh:result [\n" : " , [\n";
    out += "    a sh:ValidationResult ;\n    sh:focusNode ";
    t.term(out, res.focus_node);
    if (res.path) {
      out += " ;\n    sh:resultPath ";
      t.path(out, *res.path);
    }
    if (!res.value.isNone()) {
      out += " ;\n    sh:value ";
      t.term(out, res.value);
    }
    out += " ;\n    sh:sourceShape ";
    t.term(out, res.source_shape);
    out += " ;\n    sh:sourceConstraintComponent ";
    t.term(out, res.component);
    if (!res.source_constraint.isNone()) {
      out += " ;\n    sh:sourceConstraint ";
      t.term(out, res.source_constraint);
    }
    out += " ;\n    sh:resultSeverity ";
    t.term(out, res.severity);
    for (const auto& m : res.messages) {
      out += " ;\n    sh:resultMessage ";
      t.term(out, m);
    }
    out += "\n  ]";
  }
  out += " .\n";
  return out;
}

std::string summaryText(const ValidationReport& r, const Shapes& shapes, size_t first_n) {
  const auto& px = shapes.prefixes();
  std::string out;
  if (r.conforms) {
    out += "conforms: no results (" + plural(r.focus_nodes, "focus node", "focus nodes") +
           " checked against " + plural(shapes.targetedShapeCount(), "shape", "shapes") +
           " with targets)\n";
  } else {
    out += std::string(r.violations ? "does not conform"
                                    : "conforms to every sh:Violation constraint but has "
                                      "results") +
           ": " + plural(r.violations, "violation", "violations") + ", " +
           plural(r.warnings, "warning", "warnings") + ", " + plural(r.infos, "info", "infos");
    if (r.others)
      out += ", " + plural(r.others, "result of another severity", "results of other severities");
    out += " (" + plural(r.focus_nodes, "focus node", "focus nodes") + " checked against " +
           plural(shapes.targetedShapeCount(), "shape", "shapes") + " with targets)\n";
    out += "results per shape and constraint component:\n";
    std::vector<const ValidationReport::Count*> counts;
    for (const auto& c : r.counts) counts.push_back(&c);
    std::stable_sort(counts.begin(), counts.end(), [](auto* a, auto* b) { return a->n > b->n; });
    size_t w_shape = 0;
    for (auto* c : counts) w_shape = std::max(w_shape, shapes.displayName(c->shape).size());
    for (auto* c : counts) {
      std::string shape = shapes.displayName(c->shape);
      std::string comp = shortName(c->component.view(), px);
      char buf[64];
      std::snprintf(buf, sizeof buf, "%10llu  ", static_cast<unsigned long long>(c->n));
      out += buf;
      std::string sev = severityName(c->severity);
      out += sev + std::string(sev.size() < 10 ? 10 - sev.size() : 1, ' ');
      out += shape + std::string(w_shape + 2 - shape.size(), ' ') + comp + "\n";
    }
    size_t n = std::min(first_n, r.results.size());
    if (n > 0) {
      out += n < r.total
                 ? "first " + std::to_string(n) + " of " + std::to_string(r.total) + " results:\n"
                 : "results:\n";
      for (size_t i = 0; i < n; ++i) {
        const ValidationResult& res = r.results[i];
        out += "  " + severityName(res.severity) + ": " + shortName(res.focus_node.view(), px);
        if (res.path) {
          std::string p;
          if (res.path->kind == PropertyPath::Kind::kPredicate)
            p = shortName(rdf::TermView::iri(res.path->iri), px);
          else
            p = pathToSparql(*res.path);
          out += ' ';
          out += p;
        }
        if (!res.value.isNone()) {
          out += " = ";
          out += shortName(res.value.view(), px);
        }
        out += "\n    ";
        if (!res.messages.empty()) {
          out += res.messages[0].value;
          out += ' ';
        }
        // Appended piece by piece: GCC 12 warns (-Wrestrict, a false
        // positive) on "(" + std::string here.
        out += '(';
        out += shapes.displayName(res.source_shape);
        out += ", ";
        out += shortName(res.component.view(), px);
        out += ")\n";
      }
    }
  }
  for (const auto& note : r.notes) out += "note: " + note + "\n";
  return out;
}

}  // namespace weft::shacl
