// SPDX-License-Identifier: Apache-2.0
#include "engine/store/term_codec.h"

#include <array>

#include "engine/core/bytes.h"

namespace weft::store {
namespace {

// Append-only: codes are persistent.
constexpr std::array<std::string_view, 24> kWellKnown = {
    "http://www.w3.org/2001/XMLSchema#integer",
    "http://www.w3.org/2001/XMLSchema#decimal",
    "http://www.w3.org/2001/XMLSchema#double",
    "http://www.w3.org/2001/XMLSchema#float",
    "http://www.w3.org/2001/XMLSchema#boolean",
    "http://www.w3.org/2001/XMLSchema#dateTime",
    "http://www.w3.org/2001/XMLSchema#date",
    "http://www.w3.org/2001/XMLSchema#time",
    "http://www.w3.org/2001/XMLSchema#duration",
    "http://www.w3.org/2001/XMLSchema#dayTimeDuration",
    "http://www.w3.org/2001/XMLSchema#yearMonthDuration",
    "http://www.w3.org/2001/XMLSchema#long",
    "http://www.w3.org/2001/XMLSchema#int",
    "http://www.w3.org/2001/XMLSchema#short",
    "http://www.w3.org/2001/XMLSchema#byte",
    "http://www.w3.org/2001/XMLSchema#nonNegativeInteger",
    "http://www.w3.org/2001/XMLSchema#positiveInteger",
    "http://www.w3.org/2001/XMLSchema#anyURI",
    "http://www.w3.org/2001/XMLSchema#gYear",
    "http://www.w3.org/2001/XMLSchema#gYearMonth",
    "http://www.w3.org/2001/XMLSchema#dateTimeStamp",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#XMLLiteral",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#HTML",
};

}  // namespace

void encodeTerm(const rdf::TermView& t, std::string& out) {
  using rdf::TermKind;
  switch (t.kind) {
    case TermKind::kIri:
      out.push_back(1);
      break;
    case TermKind::kBlank:
      out.push_back(2);
      break;
    case TermKind::kLiteral:
      if (!t.lang.empty()) {
        out.push_back(4);
        putVarint(out, t.lang.size());
        // Language tags are case-insensitive (RDF 1.1 Concepts 3.3, BCP 47):
        // the store keeps them in lower case, so "x"@EN and "x"@en are one term.
        for (char c : t.lang) out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
      } else if (t.datatype.empty() || t.datatype == rdf::kXsdString) {
        out.push_back(3);
      } else {
        out.push_back(5);
        size_t code = 0;
        for (size_t i = 0; i < kWellKnown.size(); ++i) {
          if (kWellKnown[i] == t.datatype) {
            code = i + 1;
            break;
          }
        }
        putVarint(out, code);
        if (code == 0) {
          putVarint(out, t.datatype.size());
          out.append(t.datatype);
        }
      }
      break;
    case TermKind::kNone:
      out.push_back(0);
      return;
  }
  out.append(t.value);
}

bool decodeTerm(std::string_view bytes, rdf::TermView* t) {
  using rdf::TermKind;
  if (bytes.empty()) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const auto* end = p + bytes.size();
  uint8_t tag = *p++;
  auto rest = [&](const uint8_t* q) {
    return std::string_view(reinterpret_cast<const char*>(q), static_cast<size_t>(end - q));
  };
  *t = rdf::TermView();
  switch (tag) {
    case 1:
      t->kind = TermKind::kIri;
      t->value = rest(p);
      return true;
    case 2:
      t->kind = TermKind::kBlank;
      t->value = rest(p);
      return true;
    case 3:
      t->kind = TermKind::kLiteral;
      t->datatype = rdf::kXsdString;
      t->value = rest(p);
      return true;
    case 4: {
      uint64_t n;
      p = getVarint(p, end, &n);
      if (!p || n > static_cast<uint64_t>(end - p)) return false;
      t->kind = TermKind::kLiteral;
      t->lang = std::string_view(reinterpret_cast<const char*>(p), n);
      t->datatype = rdf::kRdfLangString;
      t->value = rest(p + n);
      return true;
    }
    case 5: {
      uint64_t code;
      p = getVarint(p, end, &code);
      if (!p || code > kWellKnown.size()) return false;
      t->kind = TermKind::kLiteral;
      if (code > 0) {
        t->datatype = kWellKnown[code - 1];
      } else {
        uint64_t n;
        p = getVarint(p, end, &n);
        if (!p || n > static_cast<uint64_t>(end - p)) return false;
        t->datatype = std::string_view(reinterpret_cast<const char*>(p), n);
        p += n;
      }
      t->value = rest(p);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace weft::store
