// SPDX-License-Identifier: Apache-2.0
// Tokenizer for SPARQL 1.1 Query and Update text
// (https://www.w3.org/TR/sparql11-query/#grammar, section 19: the terminals of
// 19.8 and the rules of 19.2 for codepoint escapes, 19.4 comments and 19.5
// IRI references). Used only by parser.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace weft::sparql::internal {

enum class TokKind : uint8_t {
  kEof,
  kIri,      // IRIREF: `value` is the IRI as written (escapes decoded, unresolved)
  kPName,    // PNAME_NS / PNAME_LN: `prefix` and `value` (the local part, unescaped)
  kBlank,    // BLANK_NODE_LABEL: `value` is the label without "_:"
  kVar,      // VAR1 / VAR2: `value` is the name without '?' or '$'
  kString,   // any of the four string forms: `value` decoded
  kInteger,  // INTEGER (unsigned; signs are separate '+'/'-' tokens)
  kDecimal,
  kDouble,
  kLangTag,  // LANGTAG: `value` without '@'
  kWord,     // a bare name: keywords, 'a', true/false
  kPunct,    // punctuation and operators: `value` is the symbol
  kError,    // a lexical error: `value` is the message
};

struct Token {
  TokKind kind = TokKind::kEof;
  std::string value;
  std::string prefix;  // kPName
  size_t begin = 0;    // byte offsets into the (escape-decoded) text
  size_t end = 0;
  // For '+' and '-': a number follows with no space between (a signed literal).
  bool sign_of_number = false;
};

// Section 19.2: replaces \uXXXX and \UXXXXXXXX everywhere in the text before
// tokenizing. Escapes inside `\\` pairs are left alone, and escapes that would
// produce a quote or a backslash are kept so string literals stay intact (the
// string and IRI scanners decode those themselves).
std::string decodeCodepointEscapes(std::string_view text);

// The token starting at or after byte `*pos` (after spaces and comments);
// advances `*pos` past it. At the end: kEof; on a lexical error: kError.
Token nextToken(std::string_view text, size_t* pos);

// 1-based line and column (in code points) of a byte offset.
void lineColumn(std::string_view text, size_t offset, int* line, int* column);


}  // namespace weft::sparql::internal
