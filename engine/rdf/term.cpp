// SPDX-License-Identifier: Apache-2.0
#include "engine/rdf/term.h"

#include <array>
#include <cstdint>
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

namespace {
// Byte classes for the N-Triples writers: 1 = escaped in a string literal,
// 2 = escaped in an IRI. Runs of other bytes are appended in one go (the
// writers are on the hot path of every export and mapping run).
constexpr std::array<uint8_t, 256> kEscape = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 1 | 2;
  t[0x20] = 2;
  t[0x7f] = 1;
  t['"'] = 1 | 2;
  t['\\'] = 1 | 2;
  for (char c : {'<', '>', '{', '}', '|', '^', '`'}) t[static_cast<unsigned char>(c)] = 2;
  return t;
}();

void appendUchar(std::string& out, unsigned char c) {
  static const char* kHex = "0123456789ABCDEF";
  char buf[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
  out.append(buf, 6);
}
}  // namespace

void appendEscapedString(std::string& out, std::string_view s) {
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!(kEscape[c] & 1)) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: appendUchar(out, c);
    }
  }
  out.append(s.data() + run, s.size() - run);
}

// Characters not allowed in IRIREF are written as UCHAR escapes.
void appendEscapedIri(std::string& out, std::string_view s) {
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!(kEscape[c] & 2)) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    appendUchar(out, c);
  }
  out.append(s.data() + run, s.size() - run);
}

void appendNTriples(std::string& out, const TermView& t) { appendNTriplesWith(out, t, appendEscapedString); }

void appendNTriplesWith(std::string& out, const TermView& t, void (*escape)(std::string&, std::string_view)) {
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
      escape(out, t.value);
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
