// SPDX-License-Identifier: Apache-2.0
// Streaming result writers:
//   JSON  https://www.w3.org/TR/sparql11-results-json/ (sections 3.1-3.2.2)
//   XML   https://www.w3.org/TR/rdf-sparql-XMLres/ (sections 2.1-2.4)
//   CSV   https://www.w3.org/TR/sparql11-results-csv-tsv/#csv (RFC 4180 quoting, CRLF)
//   TSV   https://www.w3.org/TR/sparql11-results-csv-tsv/#tsv (Turtle/N-Triples terms)
//   table an aligned text table for terminals (weft's own)
// Each writer appends to a small buffer and hands it to the FILE* (fwrite +
// fflush) whenever it passes kFlushBytes, so memory stays flat and a reader
// on the other end of a pipe sees rows as they come. A failed write sticks:
// every later call returns the same Status::ioError.
#include <cerrno>
#include <cstring>

#include "engine/sparql/internal/results_io.h"

namespace weft::sparql::internal {
namespace {

constexpr size_t kFlushBytes = 16 * 1024;

bool isXsd(std::string_view dt, std::string_view local) {
  return dt.size() == rdf::kXsd.size() + local.size() && dt.substr(0, rdf::kXsd.size()) == rdf::kXsd &&
         dt.substr(rdf::kXsd.size()) == local;
}

class BufferedWriter : public ResultWriter {
 public:
  explicit BufferedWriter(std::FILE* out) : out_(out) {}

 protected:
  // Hand the buffer to the FILE if it is large (or always, with force), then fflush.
  Status flush(bool force) {
    if (!error_.isOk()) return error_;
    if (!force && buf_.size() < kFlushBytes) return Status::ok();
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), out_) != buf_.size()) {
      error_ = Status::ioError(std::string("writing results: ") + std::strerror(errno));
      return error_;
    }
    buf_.clear();
    if (std::fflush(out_) != 0) {
      error_ = Status::ioError(std::string("writing results: ") + std::strerror(errno));
      return error_;
    }
    return Status::ok();
  }
  Status checkRow(size_t n) const {
    if (!error_.isOk()) return error_;
    if (n != nvars_)
      return Status::invalidArgument("result row has " + std::to_string(n) + " values for " +
                                     std::to_string(nvars_) + " variables");
    return Status::ok();
  }

  std::FILE* out_;
  std::string buf_;
  Status error_;
  size_t nvars_ = 0;
};

// ---------------------------------------------------------------- JSON

void appendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          char tmp[8];
          std::snprintf(tmp, sizeof tmp, "\\u%04x", c);
          out += tmp;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

class JsonWriter : public BufferedWriter {
 public:
  using BufferedWriter::BufferedWriter;
  Status begin(const std::vector<std::string>& vars) override {
    vars_ = vars;
    nvars_ = vars.size();
    buf_ += "{\"head\":{\"vars\":[";
    for (size_t i = 0; i < vars.size(); ++i) {
      if (i) buf_ += ',';
      appendJsonString(buf_, vars[i]);
    }
    buf_ += "]},\n\"results\":{\"bindings\":[";
    return flush(false);
  }
  Status row(std::span<const rdf::Term> values) override {
    WEFT_TRY(checkRow(values.size()));
    buf_ += first_ ? "\n{" : ",\n{";
    first_ = false;
    bool any = false;
    for (size_t i = 0; i < values.size(); ++i) {
      const rdf::Term& t = values[i];
      if (t.isNone()) continue;
      if (any) buf_ += ',';
      any = true;
      appendJsonString(buf_, vars_[i]);
      buf_ += ":{\"type\":";
      switch (t.kind) {
        case rdf::TermKind::kIri: buf_ += "\"uri\""; break;
        case rdf::TermKind::kBlank: buf_ += "\"bnode\""; break;
        default: buf_ += "\"literal\""; break;
      }
      buf_ += ",\"value\":";
      appendJsonString(buf_, t.value);
      if (t.kind == rdf::TermKind::kLiteral) {
        if (!t.lang.empty()) {
          buf_ += ",\"xml:lang\":";
          appendJsonString(buf_, t.lang);
        } else if (!t.datatype.empty() && t.datatype != rdf::kXsdString) {
          buf_ += ",\"datatype\":";
          appendJsonString(buf_, t.datatype);
        }
      }
      buf_ += '}';
    }
    buf_ += '}';
    return flush(false);
  }
  Status end() override {
    buf_ += "\n]}}\n";
    return flush(true);
  }
  Status boolean(bool value) override {
    buf_ += value ? "{\"head\":{},\"boolean\":true}\n" : "{\"head\":{},\"boolean\":false}\n";
    return flush(true);
  }

 private:
  std::vector<std::string> vars_;
  bool first_ = true;
};

// ---------------------------------------------------------------- XML

// Escapes for XML 1.0 character data and attribute values
// (https://www.w3.org/TR/xml/#syntax). Characters XML 1.0 cannot carry at all
// (C0 controls other than tab, LF, CR) become U+FFFD.
void appendXmlEscaped(std::string& out, std::string_view s, bool attribute) {
  for (unsigned char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"':
        out += attribute ? "&quot;" : "\"";
        break;
      case '\r': out += "&#13;"; break;  // survives end-of-line normalisation
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      default:
        if (c < 0x20)
          out += "\xEF\xBF\xBD";
        else
          out += static_cast<char>(c);
    }
  }
}

class XmlWriter : public BufferedWriter {
 public:
  using BufferedWriter::BufferedWriter;
  Status begin(const std::vector<std::string>& vars) override {
    vars_ = vars;
    nvars_ = vars.size();
    header();
    buf_ += "  <head>\n";
    for (const std::string& v : vars) {
      buf_ += "    <variable name=\"";
      appendXmlEscaped(buf_, v, true);
      buf_ += "\"/>\n";
    }
    buf_ += "  </head>\n  <results>\n";
    return flush(false);
  }
  Status row(std::span<const rdf::Term> values) override {
    WEFT_TRY(checkRow(values.size()));
    buf_ += "    <result>\n";
    for (size_t i = 0; i < values.size(); ++i) {
      const rdf::Term& t = values[i];
      if (t.isNone()) continue;
      buf_ += "      <binding name=\"";
      appendXmlEscaped(buf_, vars_[i], true);
      buf_ += "\">";
      switch (t.kind) {
        case rdf::TermKind::kIri:
          buf_ += "<uri>";
          appendXmlEscaped(buf_, t.value, false);
          buf_ += "</uri>";
          break;
        case rdf::TermKind::kBlank:
          buf_ += "<bnode>";
          appendXmlEscaped(buf_, t.value, false);
          buf_ += "</bnode>";
          break;
        default:
          buf_ += "<literal";
          if (!t.lang.empty()) {
            buf_ += " xml:lang=\"";
            appendXmlEscaped(buf_, t.lang, true);
            buf_ += '"';
          } else if (!t.datatype.empty() && t.datatype != rdf::kXsdString) {
            buf_ += " datatype=\"";
            appendXmlEscaped(buf_, t.datatype, true);
            buf_ += '"';
          }
          buf_ += '>';
          appendXmlEscaped(buf_, t.value, false);
          buf_ += "</literal>";
      }
      buf_ += "</binding>\n";
    }
    buf_ += "    </result>\n";
    return flush(false);
  }
  Status end() override {
    buf_ += "  </results>\n</sparql>\n";
    return flush(true);
  }
  Status boolean(bool value) override {
    header();
    buf_ += "  <head/>\n  <boolean>";
    buf_ += value ? "true" : "false";
    buf_ += "</boolean>\n</sparql>\n";
    return flush(true);
  }

 private:
  void header() {
    buf_ +=
        "<?xml version=\"1.0\"?>\n"
        "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n";
  }
  std::vector<std::string> vars_;
};

// ---------------------------------------------------------------- CSV

void appendCsvField(std::string& out, std::string_view v, bool quote_empty) {
  bool quote = v.find_first_of("\",\r\n") != std::string_view::npos || (quote_empty && v.empty());
  if (!quote) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

class CsvWriter : public BufferedWriter {
 public:
  using BufferedWriter::BufferedWriter;
  Status begin(const std::vector<std::string>& vars) override {
    nvars_ = vars.size();
    for (size_t i = 0; i < vars.size(); ++i) {
      if (i) buf_ += ',';
      appendCsvField(buf_, vars[i], false);
    }
    buf_ += "\r\n";
    return flush(false);
  }
  Status row(std::span<const rdf::Term> values) override {
    WEFT_TRY(checkRow(values.size()));
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) buf_ += ',';
      // An empty string literal is written "" to keep it apart from unbound.
      appendCsvField(buf_, csvValue(values[i].view()), values[i].kind == rdf::TermKind::kLiteral);
    }
    buf_ += "\r\n";
    return flush(false);
  }
  Status end() override { return flush(true); }
  Status boolean(bool value) override {
    buf_ += kAskColumn;
    buf_ += value ? "\r\ntrue\r\n" : "\r\nfalse\r\n";
    return flush(true);
  }
};

// ---------------------------------------------------------------- TSV

class TsvWriter : public BufferedWriter {
 public:
  using BufferedWriter::BufferedWriter;
  Status begin(const std::vector<std::string>& vars) override {
    nvars_ = vars.size();
    for (size_t i = 0; i < vars.size(); ++i) {
      if (i) buf_ += '\t';
      buf_ += '?';
      buf_ += vars[i];
    }
    buf_ += '\n';
    return flush(false);
  }
  Status row(std::span<const rdf::Term> values) override {
    WEFT_TRY(checkRow(values.size()));
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) buf_ += '\t';
      appendTsvTerm(buf_, values[i].view());
    }
    buf_ += '\n';
    return flush(false);
  }
  Status end() override { return flush(true); }
  Status boolean(bool value) override {
    buf_ += '?';
    buf_ += kAskColumn;
    buf_ += value ? "\ntrue\n" : "\nfalse\n";
    return flush(true);
  }
};

// ---------------------------------------------------------------- table

// Compact Turtle-like cell text: <iri>, _:b, "x"@en, 12, 1.5, true,
// "x"^^xsd:date for XSD datatypes, "x"^^<dt> otherwise.
std::string cellText(const rdf::TermView& t) {
  std::string out;
  if (t.isNone()) return out;
  if (t.isLiteral()) {
    if (isBareNumeric(t) ||
        (isXsd(t.datatype, "boolean") && (t.value == "true" || t.value == "false"))) {
      out.assign(t.value);
      return out;
    }
    out += '"';
    rdf::appendEscapedString(out, t.value);
    out += '"';
    if (!t.lang.empty()) {
      out += '@';
      out += t.lang;
    } else if (!t.datatype.empty() && t.datatype != rdf::kXsdString) {
      if (t.datatype.substr(0, rdf::kXsd.size()) == rdf::kXsd &&
          t.datatype.find_first_of("/#", rdf::kXsd.size()) == std::string_view::npos) {
        out += "^^xsd:";
        out += t.datatype.substr(rdf::kXsd.size());
      } else {
        out += "^^<";
        rdf::appendEscapedIri(out, t.datatype);
        out += '>';
      }
    }
    return out;
  }
  rdf::appendNTriples(out, t);
  return out;
}

// Rows are held until kTableSample of them are known (or the end), so the
// column widths fit them; later rows stream with those widths (a wider cell
// pushes its row out of line rather than being cut).
class TableWriter : public BufferedWriter {
 public:
  static constexpr size_t kTableSample = 1000;
  using BufferedWriter::BufferedWriter;
  Status begin(const std::vector<std::string>& vars) override {
    nvars_ = vars.size();
    header_ = vars;
    widths_.assign(vars.size(), 0);
    for (size_t i = 0; i < vars.size(); ++i) {
      header_[i] = "?" + vars[i];
      widths_[i] = codepointCount(header_[i]);
    }
    return Status::ok();
  }
  Status row(std::span<const rdf::Term> values) override {
    WEFT_TRY(checkRow(values.size()));
    std::vector<std::string> cells(values.size());
    for (size_t i = 0; i < values.size(); ++i) cells[i] = cellText(values[i].view());
    ++count_;
    if (!started_) {
      for (size_t i = 0; i < cells.size(); ++i)
        widths_[i] = std::max(widths_[i], codepointCount(cells[i]));
      pending_.push_back(std::move(cells));
      if (pending_.size() >= kTableSample) return start();
      return Status::ok();
    }
    line(cells);
    return flush(false);
  }
  Status end() override {
    if (!started_) WEFT_TRY(start());
    buf_ += std::to_string(count_);
    buf_ += count_ == 1 ? " row\n" : " rows\n";
    return flush(true);
  }
  Status boolean(bool value) override {
    buf_ += value ? "true\n" : "false\n";
    return flush(true);
  }

 private:
  Status start() {
    started_ = true;
    line(header_);
    buf_ += '|';
    for (size_t w : widths_) {
      buf_.append(w + 2, '-');
      buf_ += '|';
    }
    buf_ += '\n';
    for (const auto& cells : pending_) {
      line(cells);
      WEFT_TRY(flush(false));
    }
    pending_.clear();
    pending_.shrink_to_fit();
    return flush(false);
  }
  void line(const std::vector<std::string>& cells) {
    buf_ += '|';
    for (size_t i = 0; i < cells.size(); ++i) {
      buf_ += ' ';
      buf_ += cells[i];
      size_t w = codepointCount(cells[i]);
      if (w < widths_[i]) buf_.append(widths_[i] - w, ' ');
      buf_ += " |";
    }
    buf_ += '\n';
  }
  std::vector<std::string> header_;
  std::vector<size_t> widths_;
  std::vector<std::vector<std::string>> pending_;
  bool started_ = false;
  uint64_t count_ = 0;
};

}  // namespace

size_t codepointCount(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

bool isBareNumeric(const rdf::TermView& t) {
  if (!t.isLiteral() || !t.lang.empty()) return false;
  std::string_view v = t.value;
  size_t i = 0;
  if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
  auto digits = [&]() {
    size_t start = i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
    return i - start;
  };
  if (isXsd(t.datatype, "integer")) {
    // INTEGER ::= [+-]? [0-9]+
    return digits() > 0 && i == v.size();
  }
  if (isXsd(t.datatype, "decimal")) {
    // DECIMAL ::= [+-]? [0-9]* '.' [0-9]+
    digits();
    if (i >= v.size() || v[i] != '.') return false;
    ++i;
    return digits() > 0 && i == v.size();
  }
  if (isXsd(t.datatype, "double")) {
    // DOUBLE ::= [+-]? ([0-9]+ '.' [0-9]* EXPONENT | '.' [0-9]+ EXPONENT | [0-9]+ EXPONENT)
    size_t before = digits();
    size_t after = 0;
    if (i < v.size() && v[i] == '.') {
      ++i;
      after = digits();
    }
    if (before == 0 && after == 0) return false;
    if (i >= v.size() || (v[i] != 'e' && v[i] != 'E')) return false;
    ++i;
    if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
    return digits() > 0 && i == v.size();
  }
  return false;
}

void appendTsvTerm(std::string& out, const rdf::TermView& t) {
  if (t.isNone()) return;
  if (isBareNumeric(t)) {
    out += t.value;
    return;
  }
  // appendNTriples escapes tab, LF and CR inside literals and IRIs, so a
  // field never holds a raw separator.
  rdf::appendNTriples(out, t);
}

std::string csvValue(const rdf::TermView& t) {
  switch (t.kind) {
    case rdf::TermKind::kBlank: return "_:" + std::string(t.value);
    case rdf::TermKind::kNone: return {};
    default: return std::string(t.value);
  }
}

std::unique_ptr<ResultWriter> makeJsonResultWriter(std::FILE* out) {
  return std::make_unique<JsonWriter>(out);
}
std::unique_ptr<ResultWriter> makeXmlResultWriter(std::FILE* out) {
  return std::make_unique<XmlWriter>(out);
}
std::unique_ptr<ResultWriter> makeCsvResultWriter(std::FILE* out) {
  return std::make_unique<CsvWriter>(out);
}
std::unique_ptr<ResultWriter> makeTsvResultWriter(std::FILE* out) {
  return std::make_unique<TsvWriter>(out);
}
std::unique_ptr<ResultWriter> makeTableResultWriter(std::FILE* out) {
  return std::make_unique<TableWriter>(out);
}

}  // namespace weft::sparql::internal
