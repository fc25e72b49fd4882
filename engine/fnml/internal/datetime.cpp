// SPDX-License-Identifier: Apache-2.0
// Date/time patterns in the letters of Java's DateTimeFormatter
// (https://docs.oracle.com/javase/8/docs/api/java/time/format/DateTimeFormatter.html,
// "Patterns for Formatting and Parsing"), parsed leniently on width: a
// numeric field followed directly by another numeric field takes exactly its
// letter count of digits ("yyyyMMdd"), otherwise 1 to its natural maximum.
#include "engine/fnml/internal/datetime.h"

#include <cstdio>
#include <vector>

#include "engine/fnml/internal/common.h"

namespace weft::fnml::internal {

namespace {

struct Token {
  char letter = 0;      // 0: literal text
  int count = 0;
  std::string literal;
};

Status tokenize(std::string_view pattern, std::vector<Token>* out) {
  out->clear();
  for (size_t i = 0; i < pattern.size();) {
    char c = pattern[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      size_t j = i;
      while (j < pattern.size() && pattern[j] == c) ++j;
      static constexpr std::string_view kKnown = "yuMLdHhkKmsSaEXxZzn";
      if (kKnown.find(c) == std::string_view::npos) {
        return bad(std::string("unsupported pattern letter '") + c + "' in \"" + std::string(pattern) + "\"");
      }
      out->push_back(Token{c, static_cast<int>(j - i), {}});
      i = j;
    } else if (c == '\'') {
      std::string lit;
      size_t j = i + 1;
      if (j < pattern.size() && pattern[j] == '\'') {  // '' is one quote
        lit = "'";
        j += 1;
      } else {
        for (;; ++j) {
          if (j >= pattern.size()) return bad("unterminated quote in pattern \"" + std::string(pattern) + "\"");
          if (pattern[j] == '\'') {
            if (j + 1 < pattern.size() && pattern[j + 1] == '\'') {
              lit += '\'';
              ++j;
              continue;
            }
            ++j;
            break;
          }
          lit += pattern[j];
        }
      }
      if (!out->empty() && out->back().letter == 0) {
        out->back().literal += lit;
      } else {
        out->push_back(Token{0, 0, lit});
      }
      i = j;
    } else if (c == '[' || c == ']' || c == '{' || c == '}' || c == '#') {
      return bad(std::string("unsupported pattern character '") + c + "' in \"" + std::string(pattern) + "\"");
    } else {
      if (!out->empty() && out->back().letter == 0) {
        out->back().literal += c;
      } else {
        out->push_back(Token{0, 0, std::string(1, c)});
      }
      ++i;
    }
  }
  return Status::ok();
}

bool isNumericToken(const Token& t) {
  switch (t.letter) {
    case 'y': case 'u': case 'd': case 'H': case 'h': case 'k': case 'K': case 'm': case 's': case 'S': case 'n':
      return true;
    case 'M': case 'L':
      return t.count <= 2;
    default:
      return false;
  }
}

// Month and day names, lower case; index 0 = January / Monday.
struct Names {
  std::string_view lang;
  std::string_view months[12];
  std::string_view days[7];
};

const Names kNames[] = {
    {"en",
     {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
      "december"},
     {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}},
    {"nl",
     {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november",
      "december"},
     {"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"}},
    {"fr",
     {"janvier", "f\xC3\xA9vrier", "mars", "avril", "mai", "juin", "juillet", "ao\xC3\xBBt", "septembre", "octobre",
      "novembre", "d\xC3\xA9" "cembre"},
     {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}},
    {"de",
     {"januar", "februar", "m\xC3\xA4rz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november",
      "dezember"},
     {"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"}},
    {"es",
     {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre",
      "diciembre"},
     {"lunes", "martes", "mi\xC3\xA9rcoles", "jueves", "viernes", "s\xC3\xA1" "bado", "domingo"}},
};

Status namesFor(std::string_view lang, const Names** out) {
  std::string_view base = lang.substr(0, lang.find_first_of("-_"));
  if (base.empty()) base = "en";
  for (const Names& n : kNames) {
    if (core::equalsIgnoreAsciiCase(n.lang, base)) {
      *out = &n;
      return Status::ok();
    }
  }
  return Status::unsupported("no month or day names for language \"" + std::string(lang) +
                             "\" (supported: en, nl, fr, de, es)");
}

// Matches a name word at text[*pos]: the full name, or an abbreviation of at
// least 3 letters (optionally followed by '.') that starts exactly one name.
int matchName(std::string_view text, size_t* pos, const std::string_view* names, int count) {
  size_t i = *pos;
  std::string word;
  while (i < text.size()) {
    size_t j = i;
    char32_t c = nextCodePoint(text, &j);
    bool letter = isAlnumCp(c) && !(c >= '0' && c <= '9');
    if (!letter) break;
    appendUtf8(&word, lowerCp(c));
    i = j;
  }
  if (word.empty()) return -1;
  for (int k = 0; k < count; ++k) {
    if (word == names[k]) {
      *pos = i;
      return k;
    }
  }
  if (codePointCount(word) < 3) return -1;
  int found = -1;
  for (int k = 0; k < count; ++k) {
    if (names[k].substr(0, word.size()) == word) {
      if (found >= 0) return -1;  // ambiguous
      found = k;
    }
  }
  if (found >= 0) {
    if (i < text.size() && text[i] == '.') ++i;
    *pos = i;
  }
  return found;
}

std::string capitalize(std::string_view s) {
  if (s.empty()) return {};
  size_t i = 0;
  char32_t c = nextCodePoint(s, &i);
  std::string out;
  appendUtf8(&out, upperCp(c));
  out.append(s.substr(i));
  return out;
}

std::string shortName(std::string_view full) {
  size_t off = byteOffset(full, 3);
  return std::string(full.substr(0, off == std::string_view::npos ? full.size() : off));
}

Status parseOffset(std::string_view text, size_t* pos, bool allow_z, DateTimeParts* out) {
  size_t i = *pos;
  if (allow_z && i < text.size() && text[i] == 'Z') {
    out->has_offset = true;
    out->offset_minutes = 0;
    *pos = i + 1;
    return Status::ok();
  }
  if (i >= text.size() || (text[i] != '+' && text[i] != '-')) return bad("expected a UTC offset");
  int sign = text[i] == '-' ? -1 : 1;
  ++i;
  auto two = [&](int* v) {
    if (i + 2 > text.size() || text[i] < '0' || text[i] > '9' || text[i + 1] < '0' || text[i + 1] > '9') return false;
    *v = (text[i] - '0') * 10 + (text[i + 1] - '0');
    i += 2;
    return true;
  };
  int h = 0, m = 0;
  if (!two(&h)) return bad("expected a UTC offset hour");
  if (i < text.size() && text[i] == ':') {
    ++i;
    if (!two(&m)) return bad("expected UTC offset minutes");
  } else {
    size_t save = i;
    if (!two(&m)) {
      i = save;
      m = 0;
    }
  }
  if (h > 18 || m > 59) return bad("UTC offset out of range");
  out->has_offset = true;
  out->offset_minutes = sign * (h * 60 + m);
  *pos = i;
  return Status::ok();
}

// Days since 1970-01-01 of a proleptic Gregorian date (civil-from-days inverse).
int64_t daysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t mp = (m + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// 0 = Monday.
int weekday(int64_t y, int m, int d) {
  int64_t days = daysFromCivil(y, m, d);
  int64_t w = (days + 3) % 7;  // 1970-01-01 was a Thursday (3)
  if (w < 0) w += 7;
  return static_cast<int>(w);
}

std::string pad(int64_t v, int width) {
  std::string s = std::to_string(v < 0 ? -v : v);
  if (static_cast<int>(s.size()) < width) s.insert(0, static_cast<size_t>(width) - s.size(), '0');
  if (v < 0) s.insert(0, 1, '-');
  return s;
}

std::string offsetText(int minutes, bool colon, bool with_minutes_always, bool z_for_zero) {
  if (minutes == 0 && z_for_zero) return "Z";
  std::string s = minutes < 0 ? "-" : "+";
  int a = minutes < 0 ? -minutes : minutes;
  s += pad(a / 60, 2);
  if (with_minutes_always || a % 60 != 0) {
    if (colon) s += ':';
    s += pad(a % 60, 2);
  }
  return s;
}

}  // namespace

int daysInMonth(int64_t year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2) {
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

Status parseDateTime(std::string_view text, std::string_view pattern, std::string_view lang, DateTimeParts* out) {
  std::vector<Token> tokens;
  WEFT_TRY(tokenize(pattern, &tokens));
  const Names* names = nullptr;
  *out = DateTimeParts();
  int hour12 = -1;  // h/K value awaiting AM/PM
  int ampm = -1;    // 0 AM, 1 PM
  size_t pos = 0;
  auto fail = [&](const std::string& why) {
    return bad("\"" + std::string(text) + "\" does not match pattern \"" + std::string(pattern) + "\": " + why);
  };
  for (size_t t = 0; t < tokens.size(); ++t) {
    const Token& tok = tokens[t];
    if (tok.letter == 0) {
      if (text.substr(pos, tok.literal.size()) != tok.literal) {
        return fail("expected \"" + tok.literal + "\" at position " + std::to_string(pos + 1));
      }
      pos += tok.literal.size();
      continue;
    }
    if (isNumericToken(tok)) {
      if (tok.count > 9) return fail("pattern field '" + std::string(static_cast<size_t>(tok.count), tok.letter) + "' is too wide");
      bool adjacent = t + 1 < tokens.size() && isNumericToken(tokens[t + 1]);
      int min_w = 1, max_w = 2;
      char L = tok.letter;
      if (L == 'y' || L == 'u') {
        if (tok.count == 2) {
          min_w = max_w = 2;
        } else {
          max_w = 9;
        }
      } else if (L == 'S' || L == 'n') {
        max_w = 9;
      }
      if (adjacent) min_w = max_w = tok.count;
      bool neg = false;
      if ((L == 'y' || L == 'u') && tok.count != 2 && pos < text.size() && text[pos] == '-') {
        neg = true;
        ++pos;
      }
      size_t start = pos;
      while (pos < text.size() && static_cast<int>(pos - start) < max_w && text[pos] >= '0' && text[pos] <= '9') ++pos;
      int w = static_cast<int>(pos - start);
      std::string field_name = std::string(static_cast<size_t>(tok.count), L);
      if (w < min_w) return fail("expected " + std::to_string(min_w) + " digit(s) for '" + field_name + "' at position " +
                                 std::to_string(start + 1));
      std::string_view digits = text.substr(start, pos - start);
      if (L == 'S' || L == 'n') {
        out->fraction = std::string(digits);
        out->has_time = true;
        continue;
      }
      int64_t v = 0;
      for (char c : digits) v = v * 10 + (c - '0');
      if (neg) v = -v;
      switch (L) {
        case 'y': case 'u':
          out->year = tok.count == 2 ? 2000 + v : v;
          out->has_year = true;
          break;
        case 'M': case 'L':
          if (v < 1 || v > 12) return fail("month " + std::to_string(v) + " out of range");
          out->month = static_cast<int>(v);
          break;
        case 'd':
          if (v < 1 || v > 31) return fail("day " + std::to_string(v) + " out of range");
          out->day = static_cast<int>(v);
          break;
        case 'H':
          if (v > 23) return fail("hour " + std::to_string(v) + " out of range");
          out->hour = static_cast<int>(v);
          out->has_time = true;
          break;
        case 'k':
          if (v < 1 || v > 24) return fail("hour " + std::to_string(v) + " out of range");
          out->hour = static_cast<int>(v % 24);
          out->has_time = true;
          break;
        case 'h':
          if (v < 1 || v > 12) return fail("hour " + std::to_string(v) + " out of range (1-12)");
          hour12 = static_cast<int>(v % 12);
          out->has_time = true;
          break;
        case 'K':
          if (v > 11) return fail("hour " + std::to_string(v) + " out of range (0-11)");
          hour12 = static_cast<int>(v);
          out->has_time = true;
          break;
        case 'm':
          if (v > 59) return fail("minute " + std::to_string(v) + " out of range");
          out->minute = static_cast<int>(v);
          out->has_time = true;
          break;
        case 's':
          if (v > 59) return fail("second " + std::to_string(v) + " out of range");
          out->second = static_cast<int>(v);
          out->has_time = true;
          break;
        default:
          break;
      }
      continue;
    }
    switch (tok.letter) {
      case 'M': case 'L': {
        if (!names) WEFT_TRY(namesFor(lang, &names));
        int k = matchName(text, &pos, names->months, 12);
        if (k < 0) return fail("expected a month name at position " + std::to_string(pos + 1));
        out->month = k + 1;
        break;
      }
      case 'E': {
        if (!names) WEFT_TRY(namesFor(lang, &names));
        int k = matchName(text, &pos, names->days, 7);
        if (k < 0) return fail("expected a day name at position " + std::to_string(pos + 1));
        break;
      }
      case 'a': {
        std::string_view rest = text.substr(pos, 2);
        if (core::equalsIgnoreAsciiCase(rest, "AM")) {
          ampm = 0;
        } else if (core::equalsIgnoreAsciiCase(rest, "PM")) {
          ampm = 1;
        } else {
          return fail("expected AM or PM at position " + std::to_string(pos + 1));
        }
        pos += 2;
        break;
      }
      case 'X': case 'x': case 'Z': {
        Status st = parseOffset(text, &pos, tok.letter != 'x', out);
        if (!st) return fail(st.message() + " at position " + std::to_string(pos + 1));
        break;
      }
      case 'z': {
        if (text.substr(pos, 3) == "UTC" || text.substr(pos, 3) == "GMT") {
          pos += 3;
          out->has_offset = true;
          out->offset_minutes = 0;
          if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
            Status st = parseOffset(text, &pos, false, out);
            if (!st) return fail(st.message());
          }
        } else if (pos < text.size() && text[pos] == 'Z') {
          ++pos;
          out->has_offset = true;
          out->offset_minutes = 0;
        } else {
          return Status::unsupported("\"" + std::string(text) + "\": only the time zones UTC, GMT and Z are supported");
        }
        break;
      }
      default:
        return fail(std::string("unsupported pattern letter '") + tok.letter + "'");
    }
  }
  if (pos != text.size()) return fail("unexpected text at position " + std::to_string(pos + 1));
  if (hour12 >= 0) out->hour = hour12 + (ampm == 1 ? 12 : 0);
  if (out->month && out->day && out->has_year && out->day > daysInMonth(out->year, out->month)) {
    return fail("day " + std::to_string(out->day) + " does not exist in " + pad(out->year, 4) + "-" +
                pad(out->month, 2));
  }
  return Status::ok();
}

Status parseIsoDateTime(std::string_view text, DateTimeParts* out) {
  *out = DateTimeParts();
  std::string_view s = text;
  auto fail = [&](const char* why) {
    return bad("\"" + std::string(text) + "\" is not an xsd:date or xsd:dateTime: " + why);
  };
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && s[i] == '-') {
    neg = true;
    ++i;
  }
  size_t ys = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i - ys < 4 || i - ys > 9) return fail("expected a year of 4 to 9 digits");
  int64_t y = 0;
  for (size_t k = ys; k < i; ++k) y = y * 10 + (s[k] - '0');
  out->year = neg ? -y : y;
  out->has_year = true;
  auto two = [&](int* v) {
    if (i + 2 > s.size() || s[i] < '0' || s[i] > '9' || s[i + 1] < '0' || s[i + 1] > '9') return false;
    *v = (s[i] - '0') * 10 + (s[i + 1] - '0');
    i += 2;
    return true;
  };
  if (i >= s.size() || s[i] != '-') return fail("expected '-' after the year");
  ++i;
  if (!two(&out->month) || out->month < 1 || out->month > 12) return fail("bad month");
  if (i >= s.size() || s[i] != '-') return fail("expected '-' after the month");
  ++i;
  if (!two(&out->day) || out->day < 1 || out->day > daysInMonth(out->year, out->month)) return fail("bad day");
  if (i < s.size() && (s[i] == 'T' || s[i] == ' ')) {
    ++i;
    out->has_time = true;
    if (!two(&out->hour) || out->hour > 24) return fail("bad hour");
    if (i >= s.size() || s[i] != ':') return fail("expected ':'");
    ++i;
    if (!two(&out->minute) || out->minute > 59) return fail("bad minute");
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!two(&out->second) || out->second > 59) return fail("bad second");
      if (i < s.size() && s[i] == '.') {
        ++i;
        size_t fs = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        if (i == fs) return fail("bad fraction");
        out->fraction = std::string(s.substr(fs, i - fs));
      }
    }
    if (out->hour == 24) {
      if (out->minute || out->second || out->fraction.find_first_not_of('0') != std::string::npos) {
        return fail("hour 24 only as 24:00:00");
      }
    }
  }
  if (i < s.size()) {
    Status st = parseOffset(s, &i, true, out);
    if (!st) return fail("bad time zone");
  }
  if (i != s.size()) return fail("unexpected trailing text");
  return Status::ok();
}

Status formatDateTime(const DateTimeParts& p, std::string_view pattern, std::string_view lang, std::string* out) {
  std::vector<Token> tokens;
  WEFT_TRY(tokenize(pattern, &tokens));
  const Names* names = nullptr;
  out->clear();
  auto needDate = [&](char L) -> Status {
    if (!p.has_year || !p.month || !p.day) return bad(std::string("pattern letter '") + L + "' needs a date");
    return Status::ok();
  };
  for (const Token& tok : tokens) {
    if (tok.letter == 0) {
      *out += tok.literal;
      continue;
    }
    int n = tok.count;
    switch (tok.letter) {
      case 'y': case 'u':
        if (!p.has_year) return bad("pattern letter 'y' needs a year");
        if (n == 2) {
          int64_t yy = p.year % 100;
          *out += pad(yy < 0 ? -yy : yy, 2);
        } else {
          *out += pad(p.year, n);
        }
        break;
      case 'M': case 'L':
        if (!p.month) return bad("pattern letter 'M' needs a month");
        if (n <= 2) {
          *out += pad(p.month, n);
        } else {
          if (!names) WEFT_TRY(namesFor(lang, &names));
          std::string full = names->lang == "de" || names->lang == "en" ? capitalize(names->months[p.month - 1])
                                                                          : std::string(names->months[p.month - 1]);
          *out += n == 3 ? shortName(full) : full;
        }
        break;
      case 'd':
        if (!p.day) return bad("pattern letter 'd' needs a day");
        *out += pad(p.day, n);
        break;
      case 'E': {
        WEFT_TRY(needDate('E'));
        if (!names) WEFT_TRY(namesFor(lang, &names));
        int w = weekday(p.year, p.month, p.day);
        std::string full = names->lang == "de" || names->lang == "en" ? capitalize(names->days[w])
                                                                        : std::string(names->days[w]);
        *out += n >= 4 ? full : shortName(full);
        break;
      }
      case 'H': *out += pad(p.hour, n); break;
      case 'k': *out += pad(p.hour == 0 ? 24 : p.hour, n); break;
      case 'h': *out += pad(p.hour % 12 == 0 ? 12 : p.hour % 12, n); break;
      case 'K': *out += pad(p.hour % 12, n); break;
      case 'm': *out += pad(p.minute, n); break;
      case 's': *out += pad(p.second, n); break;
      case 'S': case 'n': {
        std::string f = p.fraction.substr(0, static_cast<size_t>(n));
        f.append(static_cast<size_t>(n) - f.size(), '0');
        *out += f;
        break;
      }
      case 'a': *out += p.hour < 12 ? "AM" : "PM"; break;
      case 'X': case 'x': case 'Z': case 'z':
        if (!p.has_offset) return bad(std::string("pattern letter '") + tok.letter + "' needs a time zone offset");
        if (tok.letter == 'Z') {
          *out += offsetText(p.offset_minutes, n == 5, true, n == 5);  // +HHMM; ZZZZZ: +HH:MM or Z
        } else if (tok.letter == 'z') {
          *out += p.offset_minutes == 0 ? "UTC" : "UTC" + offsetText(p.offset_minutes, true, false, false);
        } else {
          *out += offsetText(p.offset_minutes, n >= 3, n >= 2, tok.letter == 'X');
        }
        break;
      default:
        return bad(std::string("unsupported pattern letter '") + tok.letter + "'");
    }
  }
  return Status::ok();
}

Status toXsdDate(const DateTimeParts& p, std::string* out) {
  if (!p.has_year || !p.month || !p.day) {
    return bad("a date needs a year, a month and a day (pattern letters y, M, d)");
  }
  *out = pad(p.year, 4) + "-" + pad(p.month, 2) + "-" + pad(p.day, 2);
  if (p.has_offset) *out += offsetText(p.offset_minutes, true, true, true);
  return Status::ok();
}

Status toXsdDateTime(const DateTimeParts& p, bool with_offset, std::string* out) {
  std::string d;
  DateTimeParts q = p;
  q.has_offset = false;
  WEFT_TRY(toXsdDate(q, &d));
  *out = d + "T" + pad(p.hour, 2) + ":" + pad(p.minute, 2) + ":" + pad(p.second, 2);
  std::string f = p.fraction;
  while (!f.empty() && f.back() == '0') f.pop_back();
  if (!f.empty()) *out += "." + f;
  if (with_offset && p.has_offset) *out += offsetText(p.offset_minutes, true, true, true);
  return Status::ok();
}

}  // namespace weft::fnml::internal
