// SPDX-License-Identifier: Apache-2.0
// Date/time parsing and formatting with Java DateTimeFormatter-style patterns
// ("dd/MM/yyyy HH:mm", "d MMMM yyyy", "yyyyMMdd'T'HHmmssX"), used by
// grel:date_toDate, idlab-fn:normalizeDate* and weft-fn:parseDate/formatDate.
// Results are XSD 1.1 lexical forms (https://www.w3.org/TR/xmlschema11-2/
// sections 3.3.7 dateTime and 3.3.9 date). Private to engine/fnml.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/status.h"

namespace weft::fnml::internal {

struct DateTimeParts {
  int64_t year = 0;
  int month = 0;  // 1-12; 0 when not given
  int day = 0;    // 1-31; 0 when not given
  int hour = 0, minute = 0, second = 0;
  std::string fraction;  // fractional second digits, "" when none
  bool has_year = false, has_time = false;
  bool has_offset = false;
  int offset_minutes = 0;
};

// Parses `text` with a pattern; `lang` picks month and day names ("" or "en",
// "nl", "fr", "de", "es"; a region suffix like "en-GB" is ignored). Fails with
// the reason (which field, what was expected) on any mismatch, on trailing
// text, or on an invalid date (31 April, 29 February of a common year).
Status parseDateTime(std::string_view text, std::string_view pattern, std::string_view lang,
                     DateTimeParts* out);
// Parses an xsd:date or xsd:dateTime lexical form (also "YYYY-MM-DD HH:MM:SS").
Status parseIsoDateTime(std::string_view text, DateTimeParts* out);
// Formats with a pattern (same letters as parsing).
Status formatDateTime(const DateTimeParts& p, std::string_view pattern, std::string_view lang, std::string* out);

// XSD lexical forms: "2024-03-05" (with the offset when known) and
// "2024-03-05T10:20:30[.fff][Z|+hh:mm]". Both need year, month and day.
Status toXsdDate(const DateTimeParts& p, std::string* out);
Status toXsdDateTime(const DateTimeParts& p, bool with_offset, std::string* out);

int daysInMonth(int64_t year, int month);

}  // namespace weft::fnml::internal
