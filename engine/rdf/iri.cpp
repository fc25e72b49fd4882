// SPDX-License-Identifier: Apache-2.0
#include "engine/rdf/iri.h"

#include "engine/rdf/internal/syntax_check.h"

namespace weft::rdf {

std::string resolveIri(std::string_view ref, std::string_view base) {
  return internal::resolveIri(ref, base);
}
bool hasIriScheme(std::string_view s) { return internal::hasIriScheme(s); }
bool checkIri(std::string_view iri, std::string* why) { return internal::checkIri(iri, why); }
bool checkLangTag(std::string_view tag) { return internal::checkLangTag(tag); }
bool checkUtf8(std::string_view s, std::string* why) { return internal::checkUtf8(s, why); }
bool isPnCharsBase(uint32_t c) { return internal::pnCharsBase(c); }
bool isPnCharsU(uint32_t c) { return internal::pnCharsU(c); }
bool isPnChars(uint32_t c) { return internal::pnChars(c); }

}  // namespace weft::rdf
