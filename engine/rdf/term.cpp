// SPDX-License-Identifier: Apache-2.0
#include "engine/rdf/term.h"

#include <cstdio>
#include <tuple>

namespace weft::rdf {

bool operator<(const Term& a, const Term& b) {
  return std::tie(a.kind, a.value, a.datatype, a.lang) <
         std::tie(b.kind, b.value, b.datatype, b.lang);
}

bool operator<(const Quad& a, const Quad& b) {
  return std::tie(a.g, a.s, a.p, a.o) < std::tie(b.g, b.s, b.p, b.o);
}

void appendEscapedString(std::string& out, std::string_view s) {
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
}

void appendEscapedIri(std::string& out, std::string_view s) {
  for (unsigned char c : s) {
    // Characters not allowed in IRIREF are written as UCHAR escapes.
    if (c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' ||
        c == '|' || c == '^' || c == '`' || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
}

void appendNTriples(std::string& out, const TermView& t) {
  switch (t.kind) {
    case TermKind::kIri:
      out += '<';
      appendEscapedIri(out, t.value);
      out += '>';
      break;
    case TermKind::kBlank:
      out += "_:";
      out += t.value;
      break;
    case TermKind::kLiteral:
      out += '"';
      appendEscapedString(out, t.value);
      out += '"';
      if (!t.lang.empty()) {
        out += '@';
        out += t.lang;
      } else if (!t.datatype.empty() && t.datatype != kXsdString) {
        out += "^^<";
        appendEscapedIri(out, t.datatype);
        out += '>';
      }
      break;
    case TermKind::kNone:
      break;
  }
}

std::string toNTriples(const TermView& t) {
  std::string out;
  appendNTriples(out, t);
  return out;
}

void appendNQuads(std::string& out, const QuadView& q) {
  appendNTriples(out, q.s);
  out += ' ';
  appendNTriples(out, q.p);
  out += ' ';
  appendNTriples(out, q.o);
  if (!q.g.isNone()) {
    out += ' ';
    appendNTriples(out, q.g);
  }
  out += " .\n";
}

std::string toNQuads(const QuadView& q) {
  std::string out;
  appendNQuads(out, q);
  return out;
}

}  // namespace weft::rdf
