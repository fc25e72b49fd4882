// SPDX-License-Identifier: Apache-2.0
// RDF/XML through Raptor 2, fed line by line with raptor_parser_parse_chunk
// so the input is streamed. Raptor reports errors through the world's log
// handler with a locator; the first error is kept as "file:line[:col]:
// message" and stops the parse (libxml2 errors carry no locator line, so the
// line being fed is used). Network and file access from inside the document
// (external entities) are denied. Fixes over Raptor 2.0.15: xml:lang on
// property attributes (XmlLangTracker), rdf:aboutEach* as errors, language
// tags and IRIs checked, relative IRIs without a base rejected.
//
// Blank nodes: rdf:nodeID values (XML NCNames) are passed as written; Raptor's
// generated ids are replaced by "0r<n>", which starts with a digit and so can
// never equal an NCName.
#include <raptor2/raptor2.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/utf8.h"
#include "engine/rdf/internal/syntax_check.h"
#include "engine/rdf/syntax.h"

namespace weft::rdf {
namespace {

constexpr size_t kChunkSize = 64 * 1024;
constexpr std::string_view kNoBase = "http://no-base.weft.invalid/";

std::string_view uriView(raptor_uri* u) {
  size_t len = 0;
  unsigned char* s = raptor_uri_as_counted_string(u, &len);
  return s ? std::string_view(reinterpret_cast<const char*>(s), len) : std::string_view();
}

// Raptor 2.0.15 gives property attributes (RDF/XML section 2.5, production
// 7.2.25 propertyAttr) no language even when xml:lang is in scope, although the
// literal must carry it (test rdfms-xmllang/test006). This scanner reads the
// same bytes just ahead of raptor, tracks namespaces and xml:lang per element,
// and queues (predicate, value, language) for each property attribute in the
// scope of a non-empty xml:lang; the statement handler then gives the
// matching plain literal its language. Content of rdf:parseType="Literal"
// elements is skipped. Memory: the element stack and one tag at a time.
class XmlLangTracker {
 public:
  struct Pending {
    std::string predicate, value, lang;
    long line;
  };

  void feed(const char* p, size_t n) {
    for (size_t i = 0; i < n && !disabled_; ++i) step(p[i]);
  }

  // If a queued property attribute matches, pops it (and any missed entries
  // before it) and returns its language.
  std::string take(std::string_view predicate, std::string_view value, long line) {
    for (size_t i = 0; i < pending_.size(); ++i) {
      const Pending& e = pending_[i];
      if (line > 0 && e.line > line) break;
      if (e.predicate == predicate && e.value == value) {
        std::string lang = e.lang;
        pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(i) + 1);
        return lang;
      }
    }
    return {};
  }

 private:
  static constexpr size_t kMaxTag = 1 << 20;

  struct Element {
    std::string lang;
    std::vector<std::pair<std::string, std::optional<std::string>>> saved_ns;
    bool literal = false;  // inside rdf:parseType="Literal" content
  };

  void step(char c) {
    if (c == '\n') ++line_;
    if (!in_markup_) {
      if (c == '<') {
        in_markup_ = true;
        tag_ = "<";
        quote_ = 0;
        depth_ = 0;
      }
      return;
    }
    tag_ += c;
    if (tag_.size() > kMaxTag) {
      disabled_ = true;  // pathological input: stop helping, raptor still parses
      return;
    }
    if (tag_.size() <= 9) {
      if (tag_ == "<!--" || tag_ == "<![CDATA[" || tag_ == "<?") return;
    }
    if (tag_.rfind("<!--", 0) == 0) {
      if (tag_.size() >= 7 && tag_.compare(tag_.size() - 3, 3, "-->") == 0) in_markup_ = false;
      return;
    }
    if (tag_.rfind("<![CDATA[", 0) == 0) {
      if (tag_.size() >= 12 && tag_.compare(tag_.size() - 3, 3, "]]>") == 0) in_markup_ = false;
      return;
    }
    if (tag_.rfind("<?", 0) == 0) {
      if (tag_.size() >= 4 && tag_.compare(tag_.size() - 2, 2, "?>") == 0) in_markup_ = false;
      return;
    }
    if (quote_) {
      if (c == quote_) quote_ = 0;
      return;
    }
    if (c == '"' || c == '\'') {
      quote_ = c;
    } else if (c == '[' && tag_.rfind("<!", 0) == 0) {
      ++depth_;
    } else if (c == ']' && depth_ > 0) {
      --depth_;
    } else if (c == '>' && depth_ == 0) {
      in_markup_ = false;
      if (tag_.rfind("<!", 0) == 0) return;  // DOCTYPE or other declaration
      if (tag_.rfind("</", 0) == 0) {
        endElement();
      } else {
        startElement();
      }
    }
  }

  void endElement() {
    if (stack_.empty()) return;
    for (auto it = stack_.back().saved_ns.rbegin(); it != stack_.back().saved_ns.rend(); ++it) {
      if (it->second) {
        ns_[it->first] = *it->second;
      } else {
        ns_.erase(it->first);
      }
    }
    stack_.pop_back();
  }

  static bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

  // Attribute value normalisation (XML 1.0 section 3.3.3) for CDATA attributes
  // and the predefined and character references; false on other entities.
  static bool decode(std::string_view raw, std::string& out) {
    out.clear();
    for (size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if (isSpace(c)) {
        out += ' ';
        continue;
      }
      if (c != '&') {
        out += c;
        continue;
      }
      size_t semi = raw.find(';', i);
      if (semi == std::string_view::npos) return false;
      std::string_view ent = raw.substr(i + 1, semi - i - 1);
      i = semi;
      if (ent == "lt")
        out += '<';
      else if (ent == "gt")
        out += '>';
      else if (ent == "amp")
        out += '&';
      else if (ent == "quot")
        out += '"';
      else if (ent == "apos")
        out += '\'';
      else if (!ent.empty() && ent[0] == '#') {
        unsigned long cp = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X')
                               ? std::strtoul(std::string(ent.substr(2)).c_str(), nullptr, 16)
                               : std::strtoul(std::string(ent.substr(1)).c_str(), nullptr, 10);
        if (cp == 0 || cp > 0x10ffff) return false;
        weft::appendUtf8(out, static_cast<uint32_t>(cp));
      } else {
        return false;
      }
    }
    return true;
  }

  void startElement() {
    bool empty = tag_.size() >= 2 && tag_[tag_.size() - 2] == '/';
    std::string_view body(tag_);
    body = body.substr(1, body.size() - (empty ? 3 : 2));
    Element e;
    const bool parent_literal = !stack_.empty() && stack_.back().literal;
    if (!stack_.empty()) e.lang = stack_.back().lang;
    // Name, then name="value" pairs.
    size_t i = 0;
    while (i < body.size() && !isSpace(body[i])) ++i;
    std::string_view name = body.substr(0, i);
    std::vector<std::pair<std::string_view, std::string_view>> attrs;
    while (i < body.size()) {
      while (i < body.size() && isSpace(body[i])) ++i;
      size_t start = i;
      while (i < body.size() && body[i] != '=' && !isSpace(body[i])) ++i;
      std::string_view an = body.substr(start, i - start);
      while (i < body.size() && (isSpace(body[i]) || body[i] == '=')) ++i;
      if (i >= body.size() || (body[i] != '"' && body[i] != '\'')) break;
      char q = body[i++];
      size_t vstart = i;
      while (i < body.size() && body[i] != q) ++i;
      if (!an.empty()) attrs.emplace_back(an, body.substr(vstart, i - vstart));
      ++i;
    }
    if (parent_literal) {
      e.literal = true;
      pushOrPop(std::move(e), empty);
      return;
    }
    std::string value;
    for (auto [an, av] : attrs) {
      if (an == "xmlns" || an.rfind("xmlns:", 0) == 0) {
        std::string prefix(an == "xmlns" ? std::string_view() : an.substr(6));
        auto old = ns_.find(prefix);
        e.saved_ns.emplace_back(
            prefix, old == ns_.end() ? std::nullopt : std::optional<std::string>(old->second));
        ns_[prefix] = decode(av, value) ? value : std::string(av);
      } else if (an == "xml:lang") {
        e.lang = decode(av, value) ? value : std::string(av);
      }
    }
    const std::string rdf(kRdf);
    auto expand = [&](std::string_view qname, bool attribute) -> std::optional<std::string> {
      size_t colon = qname.find(':');
      if (colon == std::string_view::npos) {
        if (attribute) return std::nullopt;  // unqualified attributes: not properties
        auto d = ns_.find("");
        return d == ns_.end() ? std::string(qname) : d->second + std::string(qname);
      }
      auto it = ns_.find(std::string(qname.substr(0, colon)));
      if (it == ns_.end()) return std::nullopt;
      return it->second + std::string(qname.substr(colon + 1));
    };
    auto element_iri = expand(name, false);
    for (auto [an, av] : attrs) {
      if (an == "rdf:parseType" || (element_iri && an.find(':') != std::string_view::npos &&
                                    expand(an, true) == rdf + "parseType")) {
        if (decode(av, value) && value == "Literal") e.literal = true;
      }
    }
    if (!e.lang.empty() && element_iri != rdf + "RDF") {
      for (auto [an, av] : attrs) {
        if (an.rfind("xml", 0) == 0) continue;  // xmlns*, xml:*, reserved names
        auto iri = expand(an, true);
        if (!iri) continue;
        if (iri->rfind(rdf, 0) == 0) {
          std::string_view local = std::string_view(*iri).substr(rdf.size());
          if (local == "about" || local == "ID" || local == "nodeID" || local == "resource" ||
              local == "parseType" || local == "datatype" || local == "type" || local == "bagID" ||
              local == "aboutEach" || local == "aboutEachPrefix" || local == "li" ||
              local == "RDF" || local == "Description")
            continue;
        }
        if (!decode(av, value)) continue;
        pending_.push_back({*iri, value, e.lang, line_});
      }
    }
    // A parseType="Literal" element's own children are literal content.
    pushOrPop(std::move(e), empty);
  }

  void pushOrPop(Element e, bool empty) {
    stack_.push_back(std::move(e));
    if (empty) endElement();
  }

  bool disabled_ = false;
  bool in_markup_ = false;
  char quote_ = 0;
  int depth_ = 0;
  long line_ = 1;
  std::string tag_;
  std::vector<Element> stack_;
  std::map<std::string, std::string> ns_;
  std::deque<Pending> pending_;
};

class RaptorParse {
 public:
  RaptorParse(const ReadOptions& opts, QuadSink& sink)
      : opts_(opts),
        sink_(sink),
        name_(opts.display_name.empty() ? std::string("<input>") : opts.display_name) {}

  ~RaptorParse() {
    if (base_) raptor_free_uri(base_);
    if (parser_) raptor_free_parser(parser_);
    if (world_) raptor_free_world(world_);
  }
  RaptorParse(const RaptorParse&) = delete;
  RaptorParse& operator=(const RaptorParse&) = delete;

  Status run(ByteSource& src) {
    world_ = raptor_new_world();
    if (!world_ || raptor_world_open(world_) != 0) return Status::internal("cannot start raptor");
    raptor_world_set_log_handler(world_, this, &RaptorParse::onLog);
    raptor_world_set_generate_bnodeid_handler(world_, this, &RaptorParse::onGenerateId);
    parser_ = raptor_new_parser(world_, "rdfxml");
    if (!parser_) return Status::internal("cannot create raptor RDF/XML parser");
    raptor_parser_set_option(parser_, RAPTOR_OPTION_NO_NET, nullptr, 1);
    raptor_parser_set_option(parser_, RAPTOR_OPTION_NO_FILE, nullptr, 1);
    raptor_parser_set_option(parser_, RAPTOR_OPTION_LOAD_EXTERNAL_ENTITIES, nullptr, 0);
    // RDF 1.1: language tags are kept as written (compared case-insensitively).
    raptor_parser_set_option(parser_, RAPTOR_OPTION_NORMALIZE_LANGUAGE, nullptr, 0);
    raptor_parser_set_statement_handler(parser_, this, &RaptorParse::onStatement);
    raptor_parser_set_namespace_handler(parser_, this, &RaptorParse::onNamespace);
    // Raptor needs a base; without one, a placeholder (RFC 2606 .invalid)
    // lets term() reject relative IRIs, as the Serd reader does.
    std::string base = opts_.base_iri.empty() ? std::string(kNoBase) : opts_.base_iri;
    base_ = raptor_new_uri(world_, reinterpret_cast<const unsigned char*>(base.c_str()));
    if (!base_) return Status::invalidArgument("bad base IRI <" + base + ">");
    if (raptor_parser_parse_start(parser_, base_) != 0) {
      return status_.isOk() ? Status::internal("raptor cannot start parsing") : status_;
    }
    // Fed one line at a time: libxml2 errors come without a locator line, and
    // then the line being fed is where the parser stopped.
    std::vector<char> buf(kChunkSize);
    for (;;) {
      long got = src.read(buf.data(), buf.size());
      if (got < 0) return Status::ioError(src.error());
      const char* p = buf.data();
      const char* end = p + got;
      while (p < end) {
        const char* nl =
            static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
        const char* stop = nl ? nl + 1 : end;
        langs_.feed(p, static_cast<size_t>(stop - p));
        int rc = raptor_parser_parse_chunk(parser_, reinterpret_cast<const unsigned char*>(p),
                                           static_cast<size_t>(stop - p), 0);
        if (!status_.isOk()) return status_;
        if (rc != 0) {
          return Status::syntaxError(name_ + ":" + std::to_string(line_) +
                                     ": RDF/XML parse failed");
        }
        if (nl) ++line_;
        p = stop;
      }
      if (got == 0) {
        int rc = raptor_parser_parse_chunk(parser_, nullptr, 0, 1);
        if (!status_.isOk()) return status_;
        if (rc != 0) return Status::syntaxError(name_ + ": RDF/XML parse failed");
        break;
      }
    }
    return status_;
  }

 private:
  static void onLog(void* user, raptor_log_message* m) {
    auto* self = static_cast<RaptorParse*>(user);
    if (!self->status_.isOk()) return;
    // Raptor only warns about rdf:aboutEach / rdf:aboutEachPrefix, which RDF/XML
    // (2004, section 5.1 and test rdfms-abouteach) makes an error.
    const bool removed_name = m->text && std::strstr(m->text, "aboutEach") != nullptr;
    if (m->level < RAPTOR_LOG_LEVEL_ERROR && !removed_name) return;
    try {
      std::string where = self->name_;
      if (m->locator && m->locator->line > 0) {
        where += ":" + std::to_string(m->locator->line);
        if (m->locator->column >= 0) where += ":" + std::to_string(m->locator->column);
      } else {
        where += ":" + std::to_string(self->line_);
      }
      self->status_ = Status::syntaxError(where + ": " + (m->text ? m->text : "RDF/XML error"));
    } catch (...) {
      self->status_ = Status::aborted("out of memory");
    }
    if (self->parser_) raptor_parser_parse_abort(self->parser_);
  }

  // Raptor owns (frees) what we return; user ids are returned unchanged.
  static unsigned char* onGenerateId(void* user, unsigned char* user_id) {
    if (user_id) return user_id;
    auto* self = static_cast<RaptorParse*>(user);
    char tmp[32];
    int n = std::snprintf(tmp, sizeof tmp, "0r%lu", ++self->next_id_);
    auto* out = static_cast<unsigned char*>(std::malloc(static_cast<size_t>(n) + 1));
    if (out) std::memcpy(out, tmp, static_cast<size_t>(n) + 1);
    return out;
  }

  // xmlns declarations, passed on as prefixes (the default namespace as "").
  static void onNamespace(void* user, raptor_namespace* ns) {
    auto* self = static_cast<RaptorParse*>(user);
    if (!self->status_.isOk()) return;
    try {
      size_t len = 0;
      const unsigned char* prefix = raptor_namespace_get_counted_prefix(ns, &len);
      raptor_uri* uri = raptor_namespace_get_uri(ns);
      if (!uri) return;
      Status s =
          self->sink_.prefix(prefix ? std::string_view(reinterpret_cast<const char*>(prefix), len)
                                    : std::string_view(),
                             uriView(uri));
      if (!s.isOk()) self->status_ = std::move(s);
    } catch (...) {
      self->status_ = Status::internal(self->name_ + ": exception in RDF sink");
    }
    if (!self->status_.isOk()) raptor_parser_parse_abort(self->parser_);
  }

  static void onStatement(void* user, raptor_statement* st) {
    auto* self = static_cast<RaptorParse*>(user);
    if (!self->status_.isOk()) return;
    try {
      Status s = self->statement(st);
      if (!s.isOk()) self->status_ = std::move(s);
    } catch (const std::bad_alloc&) {
      self->status_ = Status::aborted(self->name_ + ": out of memory");
    } catch (const std::exception& e) {
      self->status_ = Status::internal(self->name_ + ": " + e.what());
    } catch (...) {
      self->status_ = Status::internal(self->name_ + ": unknown exception in RDF sink");
    }
    if (!self->status_.isOk()) raptor_parser_parse_abort(self->parser_);
  }

  // Raptor resolves IRIs; what it produced must still be a valid absolute
  // IRI, and not one made relative to the placeholder base.
  // "file:line" of the element raptor is processing.
  std::string where() {
    raptor_locator* loc = parser_ ? raptor_parser_get_locator(parser_) : nullptr;
    return name_ + ":" + std::to_string(loc && loc->line > 0 ? loc->line : line_);
  }

  Status checkIri(std::string_view iri) {
    if (opts_.base_iri.empty() && iri.substr(0, kNoBase.size()) == kNoBase) {
      return Status::syntaxError(where() + ": relative IRI <" +
                                 std::string(iri.substr(kNoBase.size())) + "> and no base IRI");
    }
    std::string why;
    if (!internal::checkIri(iri, &why)) {
      return Status::syntaxError(where() + ": bad IRI <" + std::string(iri) + ">: " + why);
    }
    return Status::ok();
  }

  Status term(raptor_term* t, TermView& out) {
    if (!t) return Status::syntaxError(where() + ": missing term");
    switch (t->type) {
      case RAPTOR_TERM_TYPE_URI: {
        std::string_view iri = uriView(t->value.uri);
        WEFT_TRY(checkIri(iri));
        out = TermView::iri(iri);
        return Status::ok();
      }
      case RAPTOR_TERM_TYPE_BLANK:
        out = TermView::blank(std::string_view(reinterpret_cast<const char*>(t->value.blank.string),
                                               t->value.blank.string_len));
        return Status::ok();
      case RAPTOR_TERM_TYPE_LITERAL: {
        const auto& l = t->value.literal;
        std::string_view lex(reinterpret_cast<const char*>(l.string), l.string_len);
        std::string_view lang;
        if (l.language && l.language_len) {
          lang = std::string_view(reinterpret_cast<const char*>(l.language), l.language_len);
          if (!internal::checkLangTag(lang)) {
            return Status::syntaxError(where() + ": bad language tag '" + std::string(lang) + "'");
          }
          out = TermView::literal(lex, kRdfLangString, lang);
        } else if (l.datatype) {
          std::string_view dt = uriView(l.datatype);
          WEFT_TRY(checkIri(dt));
          out = TermView::literal(lex, dt);
        } else {
          out = TermView::literal(lex);
        }
        return Status::ok();
      }
      case RAPTOR_TERM_TYPE_UNKNOWN:
        break;
    }
    return Status::syntaxError(where() + ": unknown term type");
  }

  Status statement(raptor_statement* st) {
    QuadView q;
    WEFT_TRY(term(st->subject, q.s));
    WEFT_TRY(term(st->predicate, q.p));
    WEFT_TRY(term(st->object, q.o));
    std::string lang;
    if (q.o.isLiteral() && q.o.datatype == kXsdString) {
      raptor_locator* loc = raptor_parser_get_locator(parser_);
      lang = langs_.take(q.p.value, q.o.value, loc ? loc->line : 0);
      if (!lang.empty()) {
        // The same check as for languages Raptor reports itself (BCP 47 shape).
        if (!internal::checkLangTag(lang)) {
          return Status::syntaxError(where() + ": bad language tag '" + lang + "'");
        }
        q.o = TermView::literal(q.o.value, kRdfLangString, lang);
      }
    }
    if (st->graph) {
      WEFT_TRY(term(st->graph, q.g));
    } else if (!opts_.graph.empty()) {
      q.g = TermView::iri(opts_.graph);
    }
    return sink_.quad(q);
  }

  const ReadOptions& opts_;
  QuadSink& sink_;
  std::string name_;
  raptor_world* world_ = nullptr;
  raptor_parser* parser_ = nullptr;
  raptor_uri* base_ = nullptr;
  Status status_;
  unsigned long next_id_ = 0;
  XmlLangTracker langs_;
  long line_ = 1;  // line of the input being fed to raptor
};

}  // namespace

Status readRdfXml(ByteSource& src, const ReadOptions& opts, QuadSink& sink) {
  try {
    RaptorParse parse(opts, sink);
    return parse.run(src);
  } catch (const std::bad_alloc&) {
    return Status::aborted("out of memory while reading RDF/XML");
  }
}

}  // namespace weft::rdf
