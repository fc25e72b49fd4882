// SPDX-License-Identifier: Apache-2.0
// GS1 identifier helpers behind the weft-fn: GS1 functions: the GS1 mod-10
// check digit (GS1 General Specifications section 7.9), GTIN/SSCC/GLN
// validation, GS1 Digital Link URI building (GS1 Digital Link URI Syntax
// 1.2) and EPC pure-identity URN decoding (GS1 EPC Tag Data Standard 2.x,
// section 6.3 and 7). Private to engine/fnml (and its tests).
#pragma once

#include <string>
#include <string_view>

#include "engine/core/status.h"

namespace weft::fnml::internal {

inline constexpr std::string_view kGs1Resolver = "https://id.gs1.org";

// The check digit for a string of digits that lacks it; -1 when a character
// is not a digit or the string is empty.
int gs1CheckDigit(std::string_view digits);
// Validates a GTIN-8/12/13/14 (digits only, check digit) and left-pads it to 14.
Status normalizeGtin(std::string_view gtin, std::string* gtin14);
// Validates a key of exactly `length` digits with a check digit ("SSCC", 18;
// "GLN", 13).
Status validateKey(std::string_view what, std::string_view key, size_t length);
// Validates a lot / serial / extension: 1 to max_len characters of GS1 AI
// encodable character set 82.
Status validateCset82(std::string_view what, std::string_view value, size_t max_len);
// The Digital Link base: `domain` without a trailing '/' (the GS1 resolver
// when empty); must be an http(s) IRI.
Status digitalLinkBase(std::string_view domain, std::string* base);
// An EPC pure-identity URN (sgtin, sscc, sgln, grai, giai; lgtin class) as a
// GS1 Digital Link IRI under `base`.
Status epcToDigitalLink(std::string_view urn, std::string_view base, std::string* out);
// The GTIN-14 of an SGTIN EPC URN, an LGTIN class URN or a GS1 Digital Link
// IRI whose primary key is /01/{gtin} (any host, any path prefix). *found is
// false (and the Status ok) for any other identifier; a malformed SGTIN /
// LGTIN URN or an invalid GTIN in a Digital Link is an error.
Status epcToGtin(std::string_view epc, std::string* gtin, bool* found);
// The GLN of an SGLN EPC URN (the extension dropped), a PGLN URN or a GS1
// Digital Link IRI whose primary key is /414/{gln} or /417/{gln}; *found as
// for epcToGtin.
Status epcToGln(std::string_view epc, std::string* gln, bool* found);

}  // namespace weft::fnml::internal
