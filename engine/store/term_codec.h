// SPDX-License-Identifier: Apache-2.0
// The dictionary's byte encoding of a term (docs/STORAGE.md, "Term encoding").
// One tag byte, then:
//   1 IRI           value
//   2 blank node    label
//   3 xsd:string    lexical form
//   4 lang literal  varint(len(lang)) lang lexical (lang in lower case)
//   5 typed literal varint(code) [varint(len(dt)) dt if code == 0] lexical
// where code k > 0 names the (k-1)-th well-known XSD/RDF datatype. The
// lexical form comes last, unprefixed, so it may hold any byte.
// WARNING: this is a persistent format; changing it needs a store version bump.
#pragma once

#include <string>
#include <string_view>

#include "engine/rdf/term.h"

namespace weft::store {

void encodeTerm(const rdf::TermView& t, std::string& out);
inline std::string encodeTerm(const rdf::TermView& t) {
  std::string s;
  encodeTerm(t, s);
  return s;
}
// Decodes; the views point into `bytes` (or static storage). False if malformed.
bool decodeTerm(std::string_view bytes, rdf::TermView* t);

}  // namespace weft::store
