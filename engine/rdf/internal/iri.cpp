// SPDX-License-Identifier: Apache-2.0
#include "engine/rdf/internal/iri.h"

namespace weft::rdf::internal::rfc3986 {

namespace {
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

bool hasScheme(std::string_view s) {
  if (s.empty() || !isAlpha(s[0])) return false;
  for (size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == ':') return true;
    if (!(isAlpha(c) || isDigit(c) || c == '+' || c == '-' || c == '.')) return false;
  }
  return false;
}

bool isWellFormedAbsoluteIri(std::string_view s) {
  if (!hasScheme(s)) return false;
  if (s.find('#') != s.rfind('#')) return false;  // '#' is not allowed in a fragment
  auto isHex = [](char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  };
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = s[i];
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' ||
        c == '|' || c == '\\' || c == '^' || c == '`')
      return false;
    // pct-encoded = "%" HEXDIG HEXDIG
    if (c == '%' && !(i + 2 < s.size() && isHex(s[i + 1]) && isHex(s[i + 2]))) return false;
  }
  return true;
}

// Appendix B: ^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?
IriParts split(std::string_view s) {
  IriParts p;
  size_t i = 0;
  if (hasScheme(s)) {
    size_t colon = s.find(':');
    p.scheme = s.substr(0, colon);
    p.has_scheme = true;
    i = colon + 1;
  }
  if (s.substr(i, 2) == "//") {
    size_t end = s.find_first_of("/?#", i + 2);
    if (end == std::string_view::npos) end = s.size();
    p.authority = s.substr(i + 2, end - i - 2);
    p.has_authority = true;
    i = end;
  }
  size_t end = s.find_first_of("?#", i);
  if (end == std::string_view::npos) end = s.size();
  p.path = s.substr(i, end - i);
  i = end;
  if (i < s.size() && s[i] == '?') {
    end = s.find('#', i);
    if (end == std::string_view::npos) end = s.size();
    p.query = s.substr(i + 1, end - i - 1);
    p.has_query = true;
    i = end;
  }
  if (i < s.size() && s[i] == '#') {
    p.fragment = s.substr(i + 1);
    p.has_fragment = true;
  }
  return p;
}

std::string removeDotSegments(std::string_view in) {
  // 5.2.4: the input buffer is consumed from the left; `out` is the output
  // buffer, whose last segment step 2.C/2.D removes.
  std::string out;
  auto popLastSegment = [&out] {
    size_t slash = out.rfind('/');
    out.erase(slash == std::string::npos ? 0 : slash);
  };
  while (!in.empty()) {
    if (in.substr(0, 3) == "../") {          // 2.A
      in.remove_prefix(3);
    } else if (in.substr(0, 2) == "./") {    // 2.A
      in.remove_prefix(2);
    } else if (in.substr(0, 3) == "/./") {   // 2.B
      in.remove_prefix(2);
    } else if (in == "/.") {                 // 2.B
      in = "/";
    } else if (in.substr(0, 4) == "/../") {  // 2.C
      in.remove_prefix(3);
      popLastSegment();
    } else if (in == "/..") {                // 2.C
      in = "/";
      popLastSegment();
    } else if (in == "." || in == "..") {    // 2.D
      in = {};
    } else {                                 // 2.E: move the first segment
      size_t next = in.find('/', in[0] == '/' ? 1 : 0);
      if (next == std::string_view::npos) next = in.size();
      out.append(in.substr(0, next));
      in.remove_prefix(next);
    }
  }
  return out;
}

std::string recompose(const IriParts& p) {
  std::string r;
  if (p.has_scheme) {
    r.append(p.scheme);
    r += ':';
  }
  if (p.has_authority) {
    r += "//";
    r.append(p.authority);
  }
  r.append(p.path);
  if (p.has_query) {
    r += '?';
    r.append(p.query);
  }
  if (p.has_fragment) {
    r += '#';
    r.append(p.fragment);
  }
  return r;
}

std::string resolve(std::string_view base_s, std::string_view ref_s) {
  IriParts r = split(ref_s);
  if (r.has_scheme) {  // 5.2.2: T = R with dot segments removed
    std::string path = removeDotSegments(r.path);
    r.path = path;
    return recompose(r);
  }
  IriParts b = split(base_s);
  if (!b.has_scheme) return std::string(ref_s);
  IriParts t;
  std::string path;  // storage for the merged path
  t.scheme = b.scheme;
  t.has_scheme = true;
  if (r.has_authority) {
    t.authority = r.authority;
    t.has_authority = true;
    path = removeDotSegments(r.path);
    t.query = r.query;
    t.has_query = r.has_query;
  } else {
    t.authority = b.authority;
    t.has_authority = b.has_authority;
    if (r.path.empty()) {
      path = std::string(b.path);
      if (r.has_query) {
        t.query = r.query;
        t.has_query = true;
      } else {
        t.query = b.query;
        t.has_query = b.has_query;
      }
    } else {
      if (r.path[0] == '/') {
        path = removeDotSegments(r.path);
      } else {
        // 5.2.3 merge
        std::string merged;
        if (b.has_authority && b.path.empty()) {
          merged = "/";
          merged.append(r.path);
        } else {
          size_t slash = b.path.rfind('/');
          if (slash != std::string_view::npos) merged.append(b.path.substr(0, slash + 1));
          merged.append(r.path);
        }
        path = removeDotSegments(merged);
      }
      t.query = r.query;
      t.has_query = r.has_query;
    }
  }
  t.path = path;
  t.fragment = r.fragment;
  t.has_fragment = r.has_fragment;
  return recompose(t);
}

}  // namespace weft::rdf::internal::rfc3986
