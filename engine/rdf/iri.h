// SPDX-License-Identifier: Apache-2.0
// IRI helpers other modules need (the SPARQL parser, mappers): reference
// resolution (RFC 3986 section 5.2) and the checks the RDF readers apply.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace weft::rdf {

// Resolve `ref` against the absolute IRI `base`.
std::string resolveIri(std::string_view ref, std::string_view base);
// True if `s` starts with a scheme and ':'.
bool hasIriScheme(std::string_view s);
// An absolute IRI as N-Triples' IRIREF admits it; `why` says what is wrong.
bool checkIri(std::string_view iri, std::string* why = nullptr);
// [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*
bool checkLangTag(std::string_view tag);
// Name characters shared by Turtle and SPARQL (PN_CHARS_BASE, PN_CHARS_U,
// PN_CHARS of Turtle 6.5 / SPARQL 19.8).
bool isPnCharsBase(uint32_t c);
bool isPnCharsU(uint32_t c);
bool isPnChars(uint32_t c);
// Well-formed UTF-8.
bool checkUtf8(std::string_view s, std::string* why = nullptr);

}  // namespace weft::rdf
