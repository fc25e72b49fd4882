// SPDX-License-Identifier: Apache-2.0
// IRI references (RFC 3986 / RFC 3987): splitting into components and
// resolving a reference against a base (RFC 3986 section 5.2). Works on UTF-8
// bytes; non-ASCII characters are treated as unreserved, as RFC 3987 allows.
// Note the argument order of resolve(): base first, then the reference.
#pragma once

#include <string>
#include <string_view>

namespace weft::rdf::internal::rfc3986 {

// The five components of RFC 3986 section 3 (regular expression of appendix B).
// An absent component is distinct from an empty one (has_* flags).
struct IriParts {
  std::string_view scheme, authority, path, query, fragment;
  bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
};

// Splits any string into components; never fails (appendix B accepts all).
IriParts split(std::string_view iri);

// True when `s` starts with a syntactically valid scheme followed by ':'
// (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":").
bool hasScheme(std::string_view s);

// True for an absolute IRI that can appear in RDF: a scheme, no characters
// that IRIs forbid (space, controls, <>"{}|\^`), '%' only as "%" HEXDIG
// HEXDIG, and at most one '#'.
bool isWellFormedAbsoluteIri(std::string_view s);

// RFC 3986 5.2.4 remove_dot_segments.
std::string removeDotSegments(std::string_view path);

// RFC 3986 5.2.2 (strict parser): the target IRI of `ref` against `base`.
// If `ref` has a scheme it is returned with its dot segments removed; if `base`
// has no scheme the result is `ref` unchanged (there is nothing to resolve
// against).
std::string resolve(std::string_view base, std::string_view ref);

// RFC 3986 5.3 recomposition.
std::string recompose(const IriParts& p);

}  // namespace weft::rdf::internal::rfc3986
