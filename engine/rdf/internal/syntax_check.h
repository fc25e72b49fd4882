// SPDX-License-Identifier: Apache-2.0
// Internal: IRI, language tag and UTF-8 checks and IRI resolution shared by
// the readers and writers (they fill the gaps of Serd 0.30 and Raptor 2.0).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace weft::rdf::internal {

// True if `s` starts with a URI scheme followed by ':' (RFC 3986 section 3.1:
// ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":").
bool hasIriScheme(std::string_view s);

// An absolute IRI as the IRIREF production of N-Triples/Turtle admits it: a
// scheme (RDF 1.1 Concepts 3.2), none of the excluded characters (controls,
// space, <>"{}|^`\), valid UTF-8. Like IRIREF (and Serd), it does not check
// percent-encoding, so every IRI a reader accepts can be written and re-read.
// On false, `why` says what is wrong.
bool checkIri(std::string_view iri, std::string* why = nullptr);

// Language tag as the Turtle/N-Triples LANGTAG production:
// [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*.
bool checkLangTag(std::string_view tag);

// Well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool checkUtf8(std::string_view s, std::string* why = nullptr);

// Reference resolution, RFC 3986 section 5.2 (with 5.2.4 remove_dot_segments).
// `base` must be absolute; `ref` may be relative or absolute.
std::string resolveIri(std::string_view ref, std::string_view base);

// Characters allowed in a Turtle PN_LOCAL written without escapes? Used by
// writers to decide whether prefix:local is possible (Turtle 6.5, PN_LOCAL).
bool isPnLocal(std::string_view local);
// Turtle PN_PREFIX (may be empty).
bool isPnPrefix(std::string_view prefix);
// Name characters shared by Turtle and SPARQL (Turtle 6.5, SPARQL 19.8):
// PN_CHARS_BASE, PN_CHARS_U, PN_CHARS.
bool pnCharsBase(uint32_t c);
bool pnCharsU(uint32_t c);
bool pnChars(uint32_t c);
// Blank node label as N-Triples BLANK_NODE_LABEL (after "_:").
bool isBlankLabel(std::string_view label);

}  // namespace weft::rdf::internal
