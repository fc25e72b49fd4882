// SPDX-License-Identifier: Apache-2.0
// Result readers for JSON, CSV and TSV:
//   JSON https://www.w3.org/TR/sparql11-results-json/ (RapidJSON DOM; also
//        accepts the older "typed-literal" type)
//   CSV  https://www.w3.org/TR/sparql11-results-csv-tsv/#csv: RFC 4180
//        records; values carry no term kinds, so a field is read as a simple
//        literal, "_:x" as a blank node and an empty unquoted field as unbound
//   TSV  https://www.w3.org/TR/sparql11-results-csv-tsv/#tsv: "?var" header,
//        then tab-separated terms in Turtle syntax (IRIs, blank nodes,
//        literals, bare numbers and booleans)
// CSV and TSV have no ASK form; a single "_askResult" column holding true or
// false reads back as a boolean result (what our writers produce).
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "engine/core/utf8.h"
#include "engine/sparql/internal/results_io.h"

namespace weft::sparql::internal {
namespace {

Status jsonError(const std::string& what) { return Status::syntaxError("results JSON: " + what); }

Result<rdf::Term> jsonTerm(const rapidjson::Value& v) {
  if (!v.IsObject()) return jsonError("binding value is not an object");
  auto type = v.FindMember("type");
  auto value = v.FindMember("value");
  if (type == v.MemberEnd() || !type->value.IsString())
    return jsonError("binding without a \"type\" string");
  if (value == v.MemberEnd() || !value->value.IsString())
    return jsonError("binding without a \"value\" string");
  std::string_view t(type->value.GetString(), type->value.GetStringLength());
  std::string_view val(value->value.GetString(), value->value.GetStringLength());
  if (t == "uri") return rdf::Term::iri(val);
  if (t == "bnode") return rdf::Term::blank(val);
  if (t == "literal" || t == "typed-literal") {
    std::string_view lang, dt = rdf::kXsdString;
    auto l = v.FindMember("xml:lang");
    if (l != v.MemberEnd()) {
      if (!l->value.IsString()) return jsonError("\"xml:lang\" is not a string");
      lang = std::string_view(l->value.GetString(), l->value.GetStringLength());
    }
    auto d = v.FindMember("datatype");
    if (d != v.MemberEnd()) {
      if (!d->value.IsString()) return jsonError("\"datatype\" is not a string");
      dt = std::string_view(d->value.GetString(), d->value.GetStringLength());
    }
    return rdf::Term::literal(val, dt, lang);
  }
  return jsonError("unknown term type \"" + std::string(t) + "\"");
}

size_t varIndex(ResultSet& rs, std::string_view name) {
  for (size_t i = 0; i < rs.vars.size(); ++i)
    if (rs.vars[i] == name) return i;
  // Not declared in the head: tolerate it as an extra column.
  rs.vars.emplace_back(name);
  for (auto& row : rs.rows) row.resize(rs.vars.size());
  return rs.vars.size() - 1;
}


// Splits text into lines (LF or CRLF); a final line break ends the last line
// rather than starting an empty one.
std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return lines;
}

// One Turtle term of a TSV field.
class TsvTermParser {
 public:
  TsvTermParser(std::string_view s, size_t line) : s_(s), line_(line) {}

  Result<rdf::Term> parse() {
    if (s_.empty()) return rdf::Term();
    rdf::Term t;
    char c = s_[0];
    if (c == '<') {
      std::string iri;
      WEFT_TRY(iriRef(&iri));
      t = rdf::Term::iri(iri);
    } else if (c == '_' && s_.size() > 2 && s_[1] == ':') {
      t = rdf::Term::blank(s_.substr(2));
      pos_ = s_.size();
    } else if (c == '"' || c == '\'') {
      std::string lex;
      WEFT_TRY(quoted(&lex));
      if (pos_ < s_.size() && s_[pos_] == '@') {
        std::string_view lang = s_.substr(pos_ + 1);
        if (lang.empty()) return error("empty language tag");
        t = rdf::Term::literal(lex, rdf::kRdfLangString, lang);
        pos_ = s_.size();
      } else if (s_.substr(pos_, 2) == "^^") {
        pos_ += 2;
        if (pos_ >= s_.size() || s_[pos_] != '<') return error("expected <datatype IRI> after ^^");
        std::string dt;
        WEFT_TRY(iriRef(&dt));
        t = rdf::Term::literal(lex, dt);
      } else {
        t = rdf::Term::literal(lex);
      }
    } else if (s_ == "true" || s_ == "false") {
      t = rdf::Term::literal(s_, std::string(rdf::kXsd) + "boolean");
      pos_ = s_.size();
    } else {
      std::string_view dt = numericType(s_);
      if (dt.empty()) return error("cannot read term '" + std::string(s_) + "'");
      t = rdf::Term::literal(s_, std::string(rdf::kXsd) + std::string(dt));
      pos_ = s_.size();
    }
    if (pos_ != s_.size()) return error("unexpected text after term");
    return t;
  }

 private:
  Status error(const std::string& what) const {
    return Status::syntaxError("results TSV: line " + std::to_string(line_) + ": " + what);
  }
  // INTEGER, DECIMAL or DOUBLE per the Turtle grammar; "" if none.
  static std::string_view numericType(std::string_view v) {
    size_t i = 0;
    if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
    size_t a = i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
    size_t before = i - a, after = 0;
    bool dot = false;
    if (i < v.size() && v[i] == '.') {
      dot = true;
      ++i;
      size_t b = i;
      while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
      after = i - b;
    }
    if (before == 0 && after == 0) return {};
    if (i == v.size()) {
      if (!dot) return "integer";
      return after > 0 ? "decimal" : std::string_view();
    }
    if (v[i] != 'e' && v[i] != 'E') return {};
    ++i;
    if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
    size_t e = i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
    return (i > e && i == v.size()) ? "double" : std::string_view();
  }
  Status hexEscape(int n, std::string* out) {
    if (pos_ + n > s_.size()) return error("truncated \\u escape");
    uint32_t cp = 0;
    for (int k = 0; k < n; ++k) {
      char h = s_[pos_ + k];
      cp <<= 4;
      if (h >= '0' && h <= '9') cp |= h - '0';
      else if (h >= 'a' && h <= 'f') cp |= h - 'a' + 10;
      else if (h >= 'A' && h <= 'F') cp |= h - 'A' + 10;
      else return error("bad hex digit in escape");
    }
    if (cp > 0x10FFFF) return error("escape beyond U+10FFFF");
    pos_ += n;
    appendUtf8(*out, cp);
    return Status::ok();
  }
  Status iriRef(std::string* out) {
    ++pos_;  // '<'
    while (pos_ < s_.size() && s_[pos_] != '>') {
      if (s_[pos_] == '\\') {
        ++pos_;
        if (pos_ < s_.size() && s_[pos_] == 'u') {
          ++pos_;
          WEFT_TRY(hexEscape(4, out));
        } else if (pos_ < s_.size() && s_[pos_] == 'U') {
          ++pos_;
          WEFT_TRY(hexEscape(8, out));
        } else {
          return error("bad escape in IRI");
        }
      } else {
        *out += s_[pos_++];
      }
    }
    if (pos_ >= s_.size()) return error("unterminated IRI");
    ++pos_;
    return Status::ok();
  }
  Status quoted(std::string* out) {
    char q = s_[pos_];
    bool lng = s_.substr(pos_, 3) == std::string(3, q);
    pos_ += lng ? 3 : 1;
    for (;;) {
      if (pos_ >= s_.size()) return error("unterminated string");
      char c = s_[pos_];
      if (c == q) {
        if (!lng) {
          ++pos_;
          return Status::ok();
        }
        if (s_.substr(pos_, 3) == std::string(3, q)) {
          pos_ += 3;
          return Status::ok();
        }
      }
      if (c != '\\') {
        *out += c;
        ++pos_;
        continue;
      }
      if (++pos_ >= s_.size()) return error("unterminated escape");
      char e = s_[pos_++];
      switch (e) {
        case 't': *out += '\t'; break;
        case 'b': *out += '\b'; break;
        case 'n': *out += '\n'; break;
        case 'r': *out += '\r'; break;
        case 'f': *out += '\f'; break;
        case '"': *out += '"'; break;
        case '\'': *out += '\''; break;
        case '\\': *out += '\\'; break;
        case 'u': WEFT_TRY(hexEscape(4, out)); break;
        case 'U': WEFT_TRY(hexEscape(8, out)); break;
        default: return error(std::string("bad escape \\") + e);
      }
    }
  }

  std::string_view s_;
  size_t line_;
  size_t pos_ = 0;
};

// Reads "_askResult / true|false" written by our CSV/TSV writers.
bool asAsk(ResultSet& rs) {
  if (rs.vars.size() != 1 || rs.vars[0] != kAskColumn || rs.rows.size() != 1) return false;
  const rdf::Term& t = rs.rows[0][0];
  if (t.kind != rdf::TermKind::kLiteral || (t.value != "true" && t.value != "false")) return false;
  rs.is_boolean = true;
  rs.boolean = t.value == "true";
  rs.vars.clear();
  rs.rows.clear();
  return true;
}

}  // namespace

Result<ResultSet> parseJsonResults(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError())
    return jsonError("offset " + std::to_string(doc.GetErrorOffset()) + ": " +
                     rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsObject()) return jsonError("top level is not an object");
  ResultSet rs;
  auto head = doc.FindMember("head");
  if (head != doc.MemberEnd() && head->value.IsObject()) {
    auto vars = head->value.FindMember("vars");
    if (vars != head->value.MemberEnd()) {
      if (!vars->value.IsArray()) return jsonError("\"head.vars\" is not an array");
      for (const auto& v : vars->value.GetArray()) {
        if (!v.IsString()) return jsonError("variable name is not a string");
        rs.vars.emplace_back(v.GetString(), v.GetStringLength());
      }
    }
  }
  auto boolean = doc.FindMember("boolean");
  if (boolean != doc.MemberEnd()) {
    if (!boolean->value.IsBool()) return jsonError("\"boolean\" is not true or false");
    rs.is_boolean = true;
    rs.boolean = boolean->value.GetBool();
    return rs;
  }
  auto results = doc.FindMember("results");
  if (results == doc.MemberEnd() || !results->value.IsObject())
    return jsonError("neither \"results\" nor \"boolean\"");
  auto bindings = results->value.FindMember("bindings");
  if (bindings == results->value.MemberEnd() || !bindings->value.IsArray())
    return jsonError("\"results.bindings\" is not an array");
  for (const auto& b : bindings->value.GetArray()) {
    if (!b.IsObject()) return jsonError("a solution is not an object");
    std::vector<rdf::Term> row(rs.vars.size());
    for (const auto& m : b.GetObject()) {
      size_t i = varIndex(rs, std::string_view(m.name.GetString(), m.name.GetStringLength()));
      if (row.size() < rs.vars.size()) row.resize(rs.vars.size());
      auto term = jsonTerm(m.value);
      if (!term) return term.status();
      row[i] = std::move(term.value());
    }
    rs.rows.push_back(std::move(row));
  }
  return rs;
}

Result<ResultSet> parseCsvResults(std::string_view text) {
  // RFC 4180 records; quoted fields may hold commas, quotes ("") and line breaks.
  ResultSet rs;
  std::vector<std::vector<std::pair<std::string, bool>>> records;  // (value, was quoted)
  std::vector<std::pair<std::string, bool>> rec;
  std::string field;
  bool quoted = false, in_record = false;
  size_t i = 0, line = 1;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // byte order mark
  auto endField = [&]() {
    rec.emplace_back(std::move(field), quoted);
    field.clear();
    quoted = false;
  };
  while (i < text.size()) {
    char c = text[i];
    if (c == '"' && field.empty() && !quoted) {
      quoted = true;
      in_record = true;
      ++i;
      for (;;) {
        if (i >= text.size())
          return Status::syntaxError("results CSV: line " + std::to_string(line) +
                                     ": unterminated quoted field");
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (text[i] == '\n') ++line;
        field += text[i++];
      }
      continue;
    }
    if (c == ',') {
      endField();
      in_record = true;
      ++i;
    } else if (c == '\r' || c == '\n') {
      endField();
      records.push_back(std::move(rec));
      rec.clear();
      in_record = false;
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++i;
      ++line;
    } else {
      if (quoted)
        return Status::syntaxError("results CSV: line " + std::to_string(line) +
                                   ": text after a closing quote");
      field += c;
      in_record = true;
      ++i;
    }
  }
  if (in_record) {
    endField();
    records.push_back(std::move(rec));
  }
  if (records.empty()) return Status::syntaxError("results CSV: no header line");
  for (auto& [name, q] : records[0]) rs.vars.push_back(name);
  if (rs.vars.size() == 1 && rs.vars[0].empty()) rs.vars.clear();
  for (size_t r = 1; r < records.size(); ++r) {
    auto& fields = records[r];
    // A blank line: with no columns, a solution (the empty one); with one,
    // a solution with that column unbound; otherwise stray, skipped.
    if (fields.size() == 1 && fields[0].first.empty() && !fields[0].second && rs.vars.size() != 1) {
      if (rs.vars.empty()) rs.rows.emplace_back();
      continue;
    }
    if (fields.size() != rs.vars.size() && !(rs.vars.empty() && fields.size() == 1))
      return Status::syntaxError("results CSV: record " + std::to_string(r + 1) + " has " +
                                 std::to_string(fields.size()) + " fields, header has " +
                                 std::to_string(rs.vars.size()));
    std::vector<rdf::Term> row(rs.vars.size());
    for (size_t k = 0; k < rs.vars.size(); ++k) {
      auto& [v, q] = fields[k];
      if (v.empty() && !q) continue;  // unbound
      if (!q && v.size() > 2 && v[0] == '_' && v[1] == ':')
        row[k] = rdf::Term::blank(std::string_view(v).substr(2));
      else
        row[k] = rdf::Term::literal(v);
    }
    rs.rows.push_back(std::move(row));
  }
  asAsk(rs);
  return rs;
}

Result<ResultSet> parseTsvResults(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::string_view> lines = splitLines(text);
  if (lines.empty()) return Status::syntaxError("results TSV: no header line");
  ResultSet rs;
  if (!lines[0].empty()) {
    size_t pos = 0;
    for (;;) {
      size_t tab = lines[0].find('\t', pos);
      std::string_view name =
          lines[0].substr(pos, tab == std::string_view::npos ? tab : tab - pos);
      if (name.empty() || (name[0] != '?' && name[0] != '$'))
        return Status::syntaxError("results TSV: line 1: variable '" + std::string(name) +
                                   "' does not start with ?");
      rs.vars.emplace_back(name.substr(1));
      if (tab == std::string_view::npos) break;
      pos = tab + 1;
    }
  }
  for (size_t l = 1; l < lines.size(); ++l) {
    std::vector<rdf::Term> row;
    size_t pos = 0;
    std::string_view line = lines[l];
    if (line.empty() && rs.vars.size() != 1) {  // see parseCsvResults
      if (rs.vars.empty()) rs.rows.emplace_back();
      continue;
    }
    for (;;) {
      size_t tab = line.find('\t', pos);
      std::string_view field = line.substr(pos, tab == std::string_view::npos ? tab : tab - pos);
      // Trim spaces around a term (tabs are separators, never padding).
      while (!field.empty() && field.front() == ' ') field.remove_prefix(1);
      while (!field.empty() && field.back() == ' ') field.remove_suffix(1);
      auto t = TsvTermParser(field, l + 1).parse();
      if (!t) return t.status();
      row.push_back(std::move(t.value()));
      if (tab == std::string_view::npos) break;
      pos = tab + 1;
    }
    if (row.size() != rs.vars.size())
      return Status::syntaxError("results TSV: line " + std::to_string(l + 1) + " has " +
                                 std::to_string(row.size()) + " fields, header has " +
                                 std::to_string(rs.vars.size()));
    rs.rows.push_back(std::move(row));
  }
  if (rs.vars.size() == 1 && rs.vars[0] == kAskColumn && rs.rows.size() == 1 &&
      rs.rows[0][0].kind == rdf::TermKind::kLiteral) {
    rs.is_boolean = true;
    rs.boolean = rs.rows[0][0].value == "true";
    rs.vars.clear();
    rs.rows.clear();
  }
  return rs;
}

}  // namespace weft::sparql::internal
