// SPDX-License-Identifier: Apache-2.0
// Reader for SPARQL Query Results XML (https://www.w3.org/TR/rdf-sparql-XMLres/).
// A small XML 1.0 parser (https://www.w3.org/TR/xml/) that covers what result
// documents use: the XML declaration, processing instructions, comments, a
// DOCTYPE (skipped), elements with attributes, character and predefined
// entity references, CDATA sections. It builds a tiny element tree; element
// names are compared by local name (namespace prefixes are ignored, the
// result vocabulary has only one namespace), attributes by qualified name
// ("xml:lang") or local name ("datatype", "name").
#include <memory>

#include "engine/core/utf8.h"
#include "engine/sparql/internal/results_io.h"

namespace weft::sparql::internal {
namespace {

struct XmlElement {
  std::string name;  // local name
  std::vector<std::pair<std::string, std::string>> attrs;  // qualified name -> value
  std::vector<std::unique_ptr<XmlElement>> children;
  std::string text;  // all character data directly inside, concatenated

  const std::string* attr(std::string_view qname) const {
    for (const auto& [k, v] : attrs)
      if (k == qname) return &v;
    // Fall back to the local name for unprefixed lookups.
    if (qname.find(':') == std::string_view::npos)
      for (const auto& [k, v] : attrs) {
        size_t colon = k.find(':');
        if (colon != std::string::npos && k.compare(0, colon, "xmlns") != 0 &&
            std::string_view(k).substr(colon + 1) == qname)
          return &v;
      }
    return nullptr;
  }
};


class XmlParser {
 public:
  explicit XmlParser(std::string_view s) : s_(s) {}

  Result<std::unique_ptr<XmlElement>> parseDocument() {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    WEFT_TRY(skipMisc());
    if (pos_ >= s_.size() || s_[pos_] != '<') return error("expected the root element");
    auto root = std::make_unique<XmlElement>();
    WEFT_TRY(element(*root, 0));
    WEFT_TRY(skipMisc());
    if (pos_ != s_.size()) return error("text after the root element");
    return root;
  }

 private:
  Status error(const std::string& what) const {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < pos_ && i < s_.size(); ++i) {
      if (s_[i] == '\n') {
        ++line;
        col = 1;
      } else if ((static_cast<unsigned char>(s_[i]) & 0xC0) != 0x80) {
        ++col;
      }
    }
    return Status::syntaxError("results XML: " + std::to_string(line) + ":" + std::to_string(col) +
                               ": " + what);
  }
  bool startsWith(std::string_view p) const { return s_.substr(pos_, p.size()) == p; }
  static bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  void skipSpace() {
    while (pos_ < s_.size() && isSpace(s_[pos_])) ++pos_;
  }
  Status skipPast(std::string_view end, const char* what) {
    size_t e = s_.find(end, pos_);
    if (e == std::string_view::npos) return error(std::string("unterminated ") + what);
    pos_ = e + end.size();
    return Status::ok();
  }
  // Whitespace, comments, processing instructions and DOCTYPE outside the root.
  Status skipMisc() {
    for (;;) {
      skipSpace();
      if (startsWith("<?")) {
        WEFT_TRY(skipPast("?>", "processing instruction"));
      } else if (startsWith("<!--")) {
        WEFT_TRY(skipPast("-->", "comment"));
      } else if (startsWith("<!DOCTYPE")) {
        int depth = 0;
        while (pos_ < s_.size()) {
          char c = s_[pos_++];
          if (c == '[') ++depth;
          else if (c == ']') --depth;
          else if (c == '>' && depth <= 0) break;
        }
      } else {
        return Status::ok();
      }
    }
  }
  static bool isNameChar(char c) {
    return !(isSpace(c) || c == '/' || c == '>' || c == '=' || c == '<' || c == '"' ||
             c == '\'' || c == '&');
  }
  std::string_view name() {
    size_t start = pos_;
    while (pos_ < s_.size() && isNameChar(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  // Character data up to `stop` with references decoded.
  Status charData(char stop, std::string* out) {
    while (pos_ < s_.size() && s_[pos_] != stop) {
      char c = s_[pos_];
      if (c == '<') return error("'<' in attribute value");
      if (c != '&') {
        *out += c;
        ++pos_;
        continue;
      }
      WEFT_TRY(reference(out));
    }
    return Status::ok();
  }
  Status reference(std::string* out) {
    size_t semi = s_.find(';', pos_);
    if (semi == std::string_view::npos || semi - pos_ > 12) return error("bad entity reference");
    std::string_view ref = s_.substr(pos_ + 1, semi - pos_ - 1);
    if (ref == "lt") *out += '<';
    else if (ref == "gt") *out += '>';
    else if (ref == "amp") *out += '&';
    else if (ref == "quot") *out += '"';
    else if (ref == "apos") *out += '\'';
    else if (ref.size() > 1 && ref[0] == '#') {
      uint32_t cp = 0;
      bool hex = ref[1] == 'x';
      std::string_view digits = ref.substr(hex ? 2 : 1);
      if (digits.empty()) return error("bad character reference");
      for (char d : digits) {
        uint32_t v;
        if (d >= '0' && d <= '9') v = d - '0';
        else if (hex && d >= 'a' && d <= 'f') v = d - 'a' + 10;
        else if (hex && d >= 'A' && d <= 'F') v = d - 'A' + 10;
        else return error("bad character reference");
        cp = cp * (hex ? 16 : 10) + v;
        if (cp > 0x10FFFF) return error("character reference beyond U+10FFFF");
      }
      appendUtf8(*out, cp);
    } else {
      return error("unknown entity &" + std::string(ref) + ";");
    }
    pos_ = semi + 1;
    return Status::ok();
  }
  static std::string localName(std::string_view qname) {
    size_t colon = qname.find(':');
    return std::string(colon == std::string_view::npos ? qname : qname.substr(colon + 1));
  }
  Status element(XmlElement& el, int depth) {
    if (depth > 64) return error("elements nested too deeply");
    ++pos_;  // '<'
    std::string_view qname = name();
    if (qname.empty()) return error("expected an element name");
    el.name = localName(qname);
    for (;;) {
      skipSpace();
      if (pos_ >= s_.size()) return error("unterminated start tag");
      if (startsWith("/>")) {
        pos_ += 2;
        return Status::ok();
      }
      if (s_[pos_] == '>') {
        ++pos_;
        break;
      }
      std::string_view an = name();
      if (an.empty()) return error("expected an attribute name");
      skipSpace();
      if (pos_ >= s_.size() || s_[pos_] != '=') return error("expected '=' after attribute name");
      ++pos_;
      skipSpace();
      if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\''))
        return error("expected a quoted attribute value");
      char q = s_[pos_++];
      std::string value;
      WEFT_TRY(charData(q, &value));
      if (pos_ >= s_.size()) return error("unterminated attribute value");
      ++pos_;
      el.attrs.emplace_back(std::string(an), std::move(value));
    }
    // Content.
    for (;;) {
      if (pos_ >= s_.size()) return error("missing </" + std::string(qname) + ">");
      char c = s_[pos_];
      if (c == '&') {
        WEFT_TRY(reference(&el.text));
      } else if (c != '<') {
        // XML end-of-line handling: CRLF and lone CR become LF.
        if (c == '\r') {
          el.text += '\n';
          if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n') ++pos_;
        } else {
          el.text += c;
        }
        ++pos_;
      } else if (startsWith("</")) {
        pos_ += 2;
        std::string_view end = name();
        if (end != qname)
          return error("</" + std::string(end) + "> closes <" + std::string(qname) + ">");
        skipSpace();
        if (pos_ >= s_.size() || s_[pos_] != '>') return error("expected '>'");
        ++pos_;
        return Status::ok();
      } else if (startsWith("<!--")) {
        WEFT_TRY(skipPast("-->", "comment"));
      } else if (startsWith("<![CDATA[")) {
        pos_ += 9;
        size_t e = s_.find("]]>", pos_);
        if (e == std::string_view::npos) return error("unterminated CDATA section");
        el.text.append(s_.substr(pos_, e - pos_));
        pos_ = e + 3;
      } else if (startsWith("<?")) {
        WEFT_TRY(skipPast("?>", "processing instruction"));
      } else {
        auto child = std::make_unique<XmlElement>();
        WEFT_TRY(element(*child, depth + 1));
        el.children.push_back(std::move(child));
      }
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
};

Status xmlError(const std::string& what) { return Status::syntaxError("results XML: " + what); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

Result<rdf::Term> xmlTerm(const XmlElement& binding) {
  for (const auto& c : binding.children) {
    if (c->name == "uri") return rdf::Term::iri(trim(c->text));
    if (c->name == "bnode") return rdf::Term::blank(trim(c->text));
    if (c->name == "literal") {
      const std::string* lang = c->attr("xml:lang");
      const std::string* dt = c->attr("datatype");
      return rdf::Term::literal(c->text, dt ? std::string_view(*dt) : rdf::kXsdString,
                                lang ? std::string_view(*lang) : std::string_view());
    }
  }
  return xmlError("<binding> without <uri>, <bnode> or <literal>");
}

}  // namespace

Result<ResultSet> parseXmlResults(std::string_view text) {
  auto doc = XmlParser(text).parseDocument();
  if (!doc) return doc.status();
  const XmlElement& root = *doc.value();
  if (root.name != "sparql") return xmlError("root element is <" + root.name + ">, not <sparql>");
  ResultSet rs;
  bool saw_results = false;
  for (const auto& part : root.children) {
    if (part->name == "head") {
      for (const auto& v : part->children) {
        if (v->name != "variable") continue;  // <link> and extensions
        const std::string* n = v->attr("name");
        if (!n) return xmlError("<variable> without a name");
        rs.vars.push_back(*n);
      }
    } else if (part->name == "boolean") {
      std::string_view b = trim(part->text);
      if (b != "true" && b != "false") return xmlError("<boolean> is neither true nor false");
      rs.is_boolean = true;
      rs.boolean = b == "true";
    } else if (part->name == "results") {
      saw_results = true;
      for (const auto& r : part->children) {
        if (r->name != "result") continue;
        std::vector<rdf::Term> row(rs.vars.size());
        for (const auto& b : r->children) {
          if (b->name != "binding") continue;
          const std::string* n = b->attr("name");
          if (!n) return xmlError("<binding> without a name");
          size_t i = 0;
          while (i < rs.vars.size() && rs.vars[i] != *n) ++i;
          if (i == rs.vars.size()) {  // undeclared: tolerate as an extra column
            rs.vars.push_back(*n);
            for (auto& prev : rs.rows) prev.resize(rs.vars.size());
          }
          row.resize(rs.vars.size());
          auto t = xmlTerm(*b);
          if (!t) return t.status();
          row[i] = std::move(t.value());
        }
        rs.rows.push_back(std::move(row));
      }
    }
  }
  if (!rs.is_boolean && !saw_results) return xmlError("neither <results> nor <boolean>");
  return rs;
}

}  // namespace weft::sparql::internal
