// SPDX-License-Identifier: Apache-2.0
// The XML logical source (RML-IO, reference formulation rml:XPath): records
// are the nodes an XPath 1.0 iterator selects (W3C XML Path Language 1.0),
// references are XPath 1.0 expressions evaluated with the record node as
// context node (section 1: "context node"), and a value is the string-value
// of each selected node (section 5) or the string() of a scalar result
// (section 4.2). Namespace prefixes come from the mapping (rml:namespace).
//
// Two strategies, one result:
//  - streaming: an iterator of the form /a/b/c (names or *, no predicates)
//    is matched on xmlTextReader events and each record's subtree is expanded
//    alone (xmlTextReaderExpand), so memory is bounded by the largest record;
//    references must then stay inside the record (or read ancestors'
//    attributes, which the reader keeps);
//  - tree: any other iterator or reference parses the whole document and
//    evaluates the iterator once.
// Simple references (name/name, @attr, name/text(), ../@attr) are walked
// directly over the tree instead of through the XPath evaluator.
//
// libxml2 is used defensively: no network (XML_PARSE_NONET), no external
// entity or DTD loading (neither XML_PARSE_NOENT nor XML_PARSE_DTDLOAD), the
// default size and depth limits (no XML_PARSE_HUGE), and every message goes
// to a structured handler, never to stderr.
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <climits>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/sources/input.h"
#include "engine/sources/internal/input_stream.h"
#include "engine/sources/internal/xml_source.h"
#include "engine/sources/source.h"

namespace weft::sources {
namespace internal {
namespace {

#if LIBXML_VERSION >= 21200
using XmlErrorArg = const xmlError*;
#else
using XmlErrorArg = xmlErrorPtr;
#endif

constexpr int kParseOptions =
    XML_PARSE_NONET | XML_PARSE_IGNORE_ENC | XML_PARSE_COMPACT | XML_PARSE_NOWARNING;
// xmlCtxtReadMemory takes an int length.
constexpr size_t kMaxDocumentBytes = static_cast<size_t>(INT_MAX) - 1;
constexpr size_t kReadChunk = size_t{64} << 10;
constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";

// The first error libxml2 reports while a scope is active.
struct ErrorSink {
  bool set = false;
  std::string message;
  int line = 0;
  int column = 0;

  void clear() {
    set = false;
    message.clear();
    line = column = 0;
  }
  std::string text(std::string_view fallback) const {
    return set && !message.empty() ? message : std::string(fallback);
  }
};

thread_local ErrorSink* tCurrentSink = nullptr;

void onStructuredError(void* /*unused*/, XmlErrorArg err) {
  ErrorSink* sink = tCurrentSink;
  if (sink == nullptr || err == nullptr || sink->set) return;
  if (err->level < XML_ERR_ERROR) return;  // warnings are not failures
  sink->set = true;
  sink->message = err->message != nullptr ? err->message : "unknown libxml2 error";
  while (!sink->message.empty() &&
         (sink->message.back() == '\n' || sink->message.back() == ' ')) {
    sink->message.pop_back();
  }
  sink->line = err->line;
  sink->column = err->int2;  // the parser stores the column in int2
}

void onGenericError(void* /*unused*/, const char* /*fmt*/, ...) {}

// Routes libxml2's global error channels to `sink` for the scope's life and
// restores the previous handlers after (the globals are per thread).
class ErrorScope {
 public:
  explicit ErrorScope(ErrorSink* sink)
      : prev_sink_(tCurrentSink),
        prev_structured_(xmlStructuredError),
        prev_structured_ctx_(xmlStructuredErrorContext),
        prev_generic_(xmlGenericError),
        prev_generic_ctx_(xmlGenericErrorContext) {
    tCurrentSink = sink;
    xmlSetStructuredErrorFunc(nullptr, &onStructuredError);
    xmlSetGenericErrorFunc(nullptr, &onGenericError);
  }
  ~ErrorScope() {
    xmlSetStructuredErrorFunc(prev_structured_ctx_, prev_structured_);
    xmlSetGenericErrorFunc(prev_generic_ctx_, prev_generic_);
    tCurrentSink = prev_sink_;
  }
  ErrorScope(const ErrorScope&) = delete;
  ErrorScope& operator=(const ErrorScope&) = delete;

 private:
  ErrorSink* prev_sink_;
  xmlStructuredErrorFunc prev_structured_;
  void* prev_structured_ctx_;
  xmlGenericErrorFunc prev_generic_;
  void* prev_generic_ctx_;
};

void initLibxml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' ||
                        s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// XML 1.0 NameStartChar / NameChar restricted to what a QName part may hold;
// bytes >= 0x80 (UTF-8 sequences) are accepted as name characters.
bool isNameStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
bool isNameChar(unsigned char c) {
  return isNameStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

// Reads an NCName at the front of *s.
bool takeNcName(std::string_view* s, std::string_view* name) {
  if (s->empty() || !isNameStart(static_cast<unsigned char>(s->front()))) return false;
  size_t n = 1;
  while (n < s->size() && isNameChar(static_cast<unsigned char>((*s)[n]))) ++n;
  *name = s->substr(0, n);
  s->remove_prefix(n);
  return true;
}

// Reads "prefix:local" or "local".
bool takeQName(std::string_view* s, std::string_view* prefix, std::string_view* local) {
  std::string_view first;
  if (!takeNcName(s, &first)) return false;
  if (!s->empty() && s->front() == ':') {
    std::string_view rest = s->substr(1);
    std::string_view second;
    if (!takeNcName(&rest, &second)) return false;
    *prefix = first;
    *local = second;
    *s = rest;
    return true;
  }
  *prefix = {};
  *local = first;
  return true;
}

// A name test of a simple path: any element, or a local name in a namespace
// (empty namespace: no namespace, as XPath 1.0 section 2.3 says for
// unprefixed names).
struct NameTest {
  bool any = false;
  std::string local;
  std::string ns;
};

bool matchesNs(const xmlNs* ns, const std::string& iri) {
  if (iri.empty()) return ns == nullptr || ns->href == nullptr || ns->href[0] == 0;
  return ns != nullptr && ns->href != nullptr &&
         std::strcmp(reinterpret_cast<const char*>(ns->href), iri.c_str()) == 0;
}

bool matchesElement(const NameTest& t, const xmlNode* node) {
  if (node->type != XML_ELEMENT_NODE) return false;
  if (t.any) return true;
  return node->name != nullptr &&
         std::strcmp(reinterpret_cast<const char*>(node->name), t.local.c_str()) == 0 &&
         matchesNs(node->ns, t.ns);
}

// A reference walked directly: ("../")* "@name", or
// step ("/" step)* with an optional last "@name" or "text()", or ".".
struct FastRef {
  enum class Tail : uint8_t { kSelf, kElement, kAttribute, kText };
  int ups = 0;
  std::vector<NameTest> steps;
  Tail tail = Tail::kElement;
  NameTest attribute;
};

struct Ref {
  std::string text;
  bool fast = false;
  FastRef fast_ref;
  xmlXPathCompExprPtr comp = nullptr;
  bool stream_safe = false;
};

class MemoryInput : public InputStream {
 public:
  explicit MemoryInput(std::string data) : data_(std::move(data)) {}
  Status read(size_t want, std::string* out, bool* eof) override {
    size_t n = std::min(want, data_.size() - pos_);
    out->append(data_, pos_, n);
    pos_ += n;
    *eof = pos_ == data_.size();
    return Status::ok();
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

class XmlSource : public Source {
 public:
  XmlSource(const SourceSpec& spec, std::unique_ptr<InputStream> in, std::string name,
            XmlMode mode)
      : spec_(spec), in_(std::move(in)), file_(std::move(name)), mode_(mode) {
    short_name_ = baseName(file_);
  }

  ~XmlSource() override {
    for (Ref& r : refs_) {
      if (r.comp != nullptr) xmlXPathFreeCompExpr(r.comp);
    }
    if (iter_comp_ != nullptr) xmlXPathFreeCompExpr(iter_comp_);
    if (iter_obj_ != nullptr) xmlXPathFreeObject(iter_obj_);
    if (xctx_ != nullptr) xmlXPathFreeContext(xctx_);
    if (doc_ != nullptr) xmlFreeDoc(doc_);
    if (reader_ != nullptr) xmlFreeTextReader(reader_);
  }

  Status init();
  Status compile(std::string_view reference, RefId* id) override;
  Status next(bool* has) override;
  Status values(RefId id, std::vector<Value>* out) override;
  std::string position() const override;

 private:
  Status lookupPrefix(std::string_view prefix, std::string* iri) const;
  bool parseSimpleIterator(std::string_view it);
  bool parseFastRef(std::string_view text, FastRef* out, Status* err) const;
  static bool xpathStreamSafe(std::string_view text);
  Status startDom();
  Status startStream();
  Status streamNext(bool* has);
  Status xpathError(std::string_view what, std::string_view expr);
  void emit(const xmlChar* text, std::vector<Value>* out) const;
  void emit(std::string_view text, std::vector<Value>* out) const;
  void emitStringValue(xmlNode* node, std::vector<Value>* out) const;
  void walk(const FastRef& r, xmlNode* node, size_t step, std::vector<Value>* out) const;
  void evalFast(const FastRef& r, xmlNode* node, std::vector<Value>* out) const;
  static int readCallback(void* ctx, char* buf, int len);

  SourceSpec spec_;
  std::unique_ptr<InputStream> in_;
  std::string file_;
  std::string short_name_;
  XmlMode mode_;
  std::string iterator_;
  std::vector<Ref> refs_;
  ErrorSink errors_;

  xmlXPathContextPtr xctx_ = nullptr;
  xmlXPathCompExprPtr iter_comp_ = nullptr;
  bool started_ = false;
  bool finished_ = false;
  bool streaming_ = false;
  xmlNode* current_ = nullptr;
  uint64_t ordinal_ = 0;

  // Tree strategy.
  xmlDocPtr doc_ = nullptr;
  xmlXPathObjectPtr iter_obj_ = nullptr;
  int iter_pos_ = -1;

  // Streaming strategy.
  bool simple_iterator_ = false;
  std::vector<NameTest> iter_steps_;
  xmlTextReaderPtr reader_ = nullptr;
  std::string pending_;
  size_t pending_pos_ = 0;
  bool input_eof_ = false;
  Status input_status_;
  bool in_record_ = false;
  size_t path_len_ = 0;
  std::vector<uint64_t> counters_;
  std::vector<std::string> path_names_;
};

Status XmlSource::lookupPrefix(std::string_view prefix, std::string* iri) const {
  for (const auto& [p, i] : spec_.namespaces) {
    if (p == prefix) {
      *iri = i;
      return Status::ok();
    }
  }
  if (prefix == "xml") {
    *iri = std::string(kXmlNamespace);
    return Status::ok();
  }
  return Status::invalidArgument("undeclared namespace prefix '" + std::string(prefix) + "'");
}

Status XmlSource::init() {
  initLibxml();
  std::string_view it = trim(spec_.iterator);
  iterator_ = it.empty() ? "/" : std::string(it);

  ErrorScope scope(&errors_);
  xctx_ = xmlXPathNewContext(nullptr);
  if (xctx_ == nullptr) return Status::internal("cannot create an XPath context");
  xctx_->error = &onStructuredError;
  xctx_->userData = nullptr;
  for (const auto& [prefix, iri] : spec_.namespaces) {
    if (prefix.empty()) continue;  // XPath 1.0 has no default element namespace
    if (xmlXPathRegisterNs(xctx_, reinterpret_cast<const xmlChar*>(prefix.c_str()),
                           reinterpret_cast<const xmlChar*>(iri.c_str())) != 0) {
      return Status::invalidArgument("cannot register XML namespace prefix '" + prefix + "'");
    }
  }
  errors_.clear();
  iter_comp_ = xmlXPathCtxtCompile(xctx_, reinterpret_cast<const xmlChar*>(iterator_.c_str()));
  if (iter_comp_ == nullptr) {
    return Status::invalidArgument("invalid XPath iterator '" + iterator_ +
                                   "': " + errors_.text("syntax error"));
  }
  simple_iterator_ = parseSimpleIterator(iterator_);
  return Status::ok();
}

// "/a/b/c": absolute, child steps only, each a QName or "*".
bool XmlSource::parseSimpleIterator(std::string_view it) {
  iter_steps_.clear();
  if (it.size() < 2 || it.front() != '/') return false;
  while (!it.empty()) {
    if (it.front() != '/') return false;
    it.remove_prefix(1);
    NameTest t;
    if (!it.empty() && it.front() == '*') {
      t.any = true;
      it.remove_prefix(1);
    } else {
      std::string_view prefix, local;
      if (!takeQName(&it, &prefix, &local)) return false;
      t.local = std::string(local);
      if (!prefix.empty() && !lookupPrefix(prefix, &t.ns).isOk()) return false;
    }
    iter_steps_.push_back(std::move(t));
  }
  return !iter_steps_.empty();
}

bool XmlSource::parseFastRef(std::string_view s, FastRef* out, Status* err) const {
  *out = FastRef();
  if (s == ".") {
    out->tail = FastRef::Tail::kSelf;
    return true;
  }
  while (s.size() >= 3 && s.substr(0, 3) == "../") {
    ++out->ups;
    s.remove_prefix(3);
  }
  auto nameTest = [&](std::string_view* rest, NameTest* t) {
    std::string_view prefix, local;
    if (!takeQName(rest, &prefix, &local)) return false;
    t->local = std::string(local);
    if (!prefix.empty()) {
      Status st = lookupPrefix(prefix, &t->ns);
      if (!st.isOk()) {
        *err = st;
        return false;
      }
    }
    return true;
  };
  while (true) {
    if (!s.empty() && s.front() == '@') {
      s.remove_prefix(1);
      if (!nameTest(&s, &out->attribute) || !s.empty()) return false;
      out->tail = FastRef::Tail::kAttribute;
      return true;
    }
    // Ancestors may be read only for their attributes (see the header).
    if (out->ups > 0) return false;
    if (s == "text()") {
      if (out->steps.empty()) return false;  // keep "text()" alone on the XPath path
      out->tail = FastRef::Tail::kText;
      return true;
    }
    NameTest t;
    if (!nameTest(&s, &t)) return false;
    out->steps.push_back(std::move(t));
    if (s.empty()) {
      out->tail = FastRef::Tail::kElement;
      return true;
    }
    if (s.front() != '/') return false;
    s.remove_prefix(1);
  }
}

// A conservative test that an XPath expression reads nothing outside the
// record subtree: no absolute paths, no reverse or sibling axes, no "..",
// no id(), and no position()/last() (whose context differs when streaming).
bool XmlSource::xpathStreamSafe(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.front() == '/') return false;
  for (std::string_view bad : {"..", "::", "id(", "last", "position", "$", "key("}) {
    if (s.find(bad) != std::string_view::npos) return false;
  }
  // A '/' starts an absolute path unless it follows a step.
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"' || s[i] == '\'') {
      size_t close = s.find(s[i], i + 1);
      if (close == std::string_view::npos) return false;
      i = close;
      continue;
    }
    if (s[i] != '/') continue;
    size_t j = i;
    while (j > 0 && (s[j - 1] == ' ' || s[j - 1] == '\t' || s[j - 1] == '\n' || s[j - 1] == '\r')) {
      --j;
    }
    if (j == 0) return false;
    unsigned char p = static_cast<unsigned char>(s[j - 1]);
    if (!(isNameChar(p) || p == ')' || p == ']' || p == '/')) return false;
  }
  return true;
}

Status XmlSource::compile(std::string_view reference, RefId* id) {
  Ref r;
  r.text = std::string(reference);
  std::string_view body = trim(reference);
  if (body.empty()) return Status::invalidArgument("empty XPath reference");
  Status err;
  if (parseFastRef(body, &r.fast_ref, &err)) {
    r.fast = true;
    r.stream_safe = true;
  } else if (!err.isOk()) {
    return Status::invalidArgument("invalid XPath reference '" + r.text + "': " + err.message());
  } else {
    ErrorScope scope(&errors_);
    errors_.clear();
    std::string expr(body);
    r.comp = xmlXPathCtxtCompile(xctx_, reinterpret_cast<const xmlChar*>(expr.c_str()));
    if (r.comp == nullptr) {
      return Status::invalidArgument("invalid XPath reference '" + r.text +
                                     "': " + errors_.text("syntax error"));
    }
    r.stream_safe = xpathStreamSafe(body);
  }
  refs_.push_back(std::move(r));
  *id = static_cast<RefId>(refs_.size() - 1);
  return Status::ok();
}

Status XmlSource::xpathError(std::string_view what, std::string_view expr) {
  return Status::invalidArgument(std::string(what) + " '" + std::string(expr) + "' at " +
                                 position() + ": " + errors_.text("evaluation failed"));
}

Status XmlSource::startDom() {
  std::string text;
  bool eof = false;
  while (!eof) {
    WEFT_TRY(in_->read(size_t{1} << 20, &text, &eof));
    if (text.size() > kMaxDocumentBytes) {
      return Status::unsupported(file_ + ": XML document over 2 GB needs a streamable iterator "
                                 "of the form /a/b/c");
    }
  }
  in_.reset();
  ErrorScope scope(&errors_);
  errors_.clear();
  xmlParserCtxtPtr pctx = xmlNewParserCtxt();
  if (pctx == nullptr) return Status::internal("cannot create an XML parser");
  doc_ = xmlCtxtReadMemory(pctx, text.data(), static_cast<int>(text.size()), file_.c_str(),
                           "UTF-8", kParseOptions);
  bool well_formed = pctx->wellFormed != 0;
  xmlFreeParserCtxt(pctx);
  if (doc_ == nullptr || !well_formed) {
    if (doc_ != nullptr) {
      xmlFreeDoc(doc_);
      doc_ = nullptr;
    }
    return Status::syntaxError(file_ + ":" + std::to_string(errors_.line) + ":" +
                               std::to_string(errors_.column) + ": " +
                               errors_.text("malformed XML"));
  }
  std::string().swap(text);
  xctx_->doc = doc_;
  xctx_->node = reinterpret_cast<xmlNode*>(doc_);
  errors_.clear();
  iter_obj_ = xmlXPathCompiledEval(iter_comp_, xctx_);
  if (iter_obj_ == nullptr) {
    return Status::invalidArgument("cannot evaluate XPath iterator '" + iterator_ + "' on " +
                                   file_ + ": " + errors_.text("evaluation failed"));
  }
  if (iter_obj_->type != XPATH_NODESET) {
    return Status::invalidArgument("XPath iterator '" + iterator_ + "' does not select nodes");
  }
  return Status::ok();
}

int XmlSource::readCallback(void* ctx, char* buf, int len) {
  auto* self = static_cast<XmlSource*>(ctx);
  if (len <= 0) return 0;
  while (self->pending_pos_ == self->pending_.size()) {
    if (self->input_eof_) return 0;
    self->pending_.clear();
    self->pending_pos_ = 0;
    Status st = self->in_->read(kReadChunk, &self->pending_, &self->input_eof_);
    if (!st.isOk()) {
      self->input_status_ = st;
      return -1;
    }
  }
  size_t n = std::min(static_cast<size_t>(len), self->pending_.size() - self->pending_pos_);
  std::memcpy(buf, self->pending_.data() + self->pending_pos_, n);
  self->pending_pos_ += n;
  return static_cast<int>(n);
}

Status XmlSource::startStream() {
  ErrorScope scope(&errors_);
  reader_ = xmlReaderForIO(&XmlSource::readCallback, nullptr, this, file_.c_str(), "UTF-8",
                           kParseOptions);
  if (reader_ == nullptr) return Status::internal("cannot create an XML reader for " + file_);
  xmlTextReaderSetStructuredErrorHandler(reader_, &onStructuredError, nullptr);
  counters_.assign(iter_steps_.size(), 0);
  path_names_.assign(iter_steps_.size(), std::string());
  path_len_ = 0;
  return Status::ok();
}

namespace {
// XML 1.0 section 2.11: a parser passes every line end (CR LF, a lone CR)
// on as LF. libxml2 2.9's push parser, under xmlTextReader, hands CDATA
// sections over raw, CRs and all (its DOM parser does not), so the same
// document gave the streamed and the tree strategy different values
// (fuzz_xml). In CDATA a CR can only be a literal line end (character
// references are not read there), so this is the whole fix.
void normalizeCdataLineEnds(xmlNode* element) {  // its subtree, not its siblings
  for (xmlNode* n = element->children; n != nullptr; n = n->next) {
    if (n->type == XML_CDATA_SECTION_NODE && n->content != nullptr &&
        std::strchr(reinterpret_cast<const char*>(n->content), '\r') != nullptr) {
      std::string v(reinterpret_cast<const char*>(n->content));
      std::string out;
      out.reserve(v.size());
      for (size_t i = 0; i < v.size(); ++i) {
        if (v[i] != '\r') {
          out.push_back(v[i]);
        } else {
          out.push_back('\n');
          if (i + 1 < v.size() && v[i + 1] == '\n') ++i;
        }
      }
      xmlNodeSetContent(n, reinterpret_cast<const xmlChar*>(out.c_str()));
    }
    if (n->type == XML_ELEMENT_NODE) normalizeCdataLineEnds(n);
  }
}
}  // namespace

Status XmlSource::streamNext(bool* has) {
  ErrorScope scope(&errors_);
  errors_.clear();
  int ret = in_record_ ? xmlTextReaderNext(reader_) : xmlTextReaderRead(reader_);
  in_record_ = false;
  current_ = nullptr;
  const size_t leaf = iter_steps_.size() - 1;
  while (ret == 1) {
    if (xmlTextReaderNodeType(reader_) == XML_READER_TYPE_ELEMENT) {
      int depth = xmlTextReaderDepth(reader_);
      xmlNode* node = xmlTextReaderCurrentNode(reader_);
      if (depth >= 0 && node != nullptr && static_cast<size_t>(depth) <= leaf) {
        size_t d = static_cast<size_t>(depth);
        if (path_len_ > d) path_len_ = d;
        if (path_len_ == d && matchesElement(iter_steps_[d], node)) {
          ++counters_[d];
          if (d < leaf) counters_[d + 1] = 0;
          std::string& name = path_names_[d];
          name.clear();
          if (node->ns != nullptr && node->ns->prefix != nullptr) {
            name.append(reinterpret_cast<const char*>(node->ns->prefix)).push_back(':');
          }
          name.append(reinterpret_cast<const char*>(node->name));
          path_len_ = d + 1;
          if (d == leaf) {
            xmlNode* expanded = xmlTextReaderExpand(reader_);
            if (expanded == nullptr) break;
            normalizeCdataLineEnds(expanded);
            if (xctx_->doc == nullptr) xctx_->doc = expanded->doc;
            current_ = expanded;
            in_record_ = true;
            ++ordinal_;
            *has = true;
            return Status::ok();
          }
        } else {
          // Nothing under a non-matching element can match an absolute path.
          ret = xmlTextReaderNext(reader_);
          continue;
        }
      }
    }
    ret = xmlTextReaderRead(reader_);
  }
  if (!input_status_.isOk()) return input_status_;
  if (ret != 0 || errors_.set) {
    int line = errors_.line;
    int column = errors_.column;
    return Status::syntaxError(file_ + ":" + std::to_string(line) + ":" +
                               std::to_string(column) + ": " + errors_.text("malformed XML"));
  }
  finished_ = true;
  *has = false;
  return Status::ok();
}

Status XmlSource::next(bool* has) {
  *has = false;
  if (finished_) return Status::ok();
  if (!started_) {
    started_ = true;
    bool can_stream = simple_iterator_;
    for (const Ref& r : refs_) can_stream = can_stream && r.stream_safe;
    if (mode_ == XmlMode::kStream && !can_stream) {
      finished_ = true;
      return Status::unsupported("XPath iterator '" + iterator_ +
                                 "' or its references cannot be streamed");
    }
    streaming_ = mode_ != XmlMode::kDom && can_stream;
    Status st = streaming_ ? startStream() : startDom();
    if (!st.isOk()) {
      finished_ = true;
      return st;
    }
  }
  if (streaming_) {
    Status st = streamNext(has);
    if (!st.isOk()) finished_ = true;
    return st;
  }
  xmlNodeSetPtr set = iter_obj_->nodesetval;
  int count = set != nullptr ? set->nodeNr : 0;
  if (iter_pos_ + 1 >= count) {
    current_ = nullptr;
    finished_ = true;
    return Status::ok();
  }
  ++iter_pos_;
  current_ = set->nodeTab[iter_pos_];
  ++ordinal_;
  *has = true;
  return Status::ok();
}

void XmlSource::emit(std::string_view text, std::vector<Value>* out) const {
  for (const std::string& n : spec_.nulls) {
    if (n == text) return;
  }
  out->emplace_back();
  out->back().text.assign(text.data(), text.size());
}

void XmlSource::emit(const xmlChar* text, std::vector<Value>* out) const {
  emit(std::string_view(text != nullptr ? reinterpret_cast<const char*>(text) : ""), out);
}

// XPath 1.0 section 5: the string-value of an element or the root is the
// concatenation of its descendant text nodes; of an attribute, its value.
void XmlSource::emitStringValue(xmlNode* node, std::vector<Value>* out) const {
  if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
    emit(node->content, out);
    return;
  }
  if (node->type == XML_ELEMENT_NODE || node->type == XML_ATTRIBUTE_NODE) {
    xmlNode* child = node->children;
    if (child == nullptr) {
      emit(std::string_view(), out);
      return;
    }
    if (child->next == nullptr && child->type == XML_TEXT_NODE) {
      emit(child->content, out);
      return;
    }
  }
  xmlChar* content = xmlNodeGetContent(node);
  emit(content, out);
  if (content != nullptr) xmlFree(content);
}

void XmlSource::walk(const FastRef& r, xmlNode* node, size_t step,
                     std::vector<Value>* out) const {
  if (step == r.steps.size()) {
    switch (r.tail) {
      case FastRef::Tail::kElement:
        emitStringValue(node, out);
        return;
      case FastRef::Tail::kText:
        for (xmlNode* c = node->children; c != nullptr; c = c->next) {
          if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) emit(c->content, out);
        }
        return;
      case FastRef::Tail::kAttribute:
        if (node->type != XML_ELEMENT_NODE) return;
        for (xmlAttr* a = node->properties; a != nullptr; a = a->next) {
          if (a->name != nullptr &&
              std::strcmp(reinterpret_cast<const char*>(a->name), r.attribute.local.c_str()) ==
                  0 &&
              matchesNs(a->ns, r.attribute.ns)) {
            emitStringValue(reinterpret_cast<xmlNode*>(a), out);
          }
        }
        return;
      case FastRef::Tail::kSelf:
        emitStringValue(node, out);
        return;
    }
    return;
  }
  if (node->type != XML_ELEMENT_NODE && node->type != XML_DOCUMENT_NODE) return;
  for (xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (matchesElement(r.steps[step], c)) walk(r, c, step + 1, out);
  }
}

void XmlSource::evalFast(const FastRef& r, xmlNode* node, std::vector<Value>* out) const {
  if (r.tail == FastRef::Tail::kSelf) {
    if (node->type == XML_NAMESPACE_DECL) {
      emit(reinterpret_cast<xmlNs*>(node)->href, out);
      return;
    }
    emitStringValue(node, out);
    return;
  }
  if (node->type == XML_NAMESPACE_DECL) return;
  for (int i = 0; i < r.ups; ++i) {
    node = node->parent;
    if (node == nullptr) return;
  }
  walk(r, node, 0, out);
}

Status XmlSource::values(RefId id, std::vector<Value>* out) {
  if (id >= refs_.size()) return Status::invalidArgument("unknown XML reference id");
  if (current_ == nullptr) return Status::invalidArgument("no current XML record");
  const Ref& r = refs_[id];
  if (r.fast) {
    evalFast(r.fast_ref, current_, out);
    return Status::ok();
  }
  ErrorScope scope(&errors_);
  errors_.clear();
  xctx_->node = current_;
  xctx_->contextSize = streaming_ ? static_cast<int>(ordinal_)
                                  : (iter_obj_->nodesetval ? iter_obj_->nodesetval->nodeNr : 0);
  xctx_->proximityPosition = static_cast<int>(ordinal_);
  xmlXPathObjectPtr obj = xmlXPathCompiledEval(r.comp, xctx_);
  if (obj == nullptr) return xpathError("cannot evaluate XPath reference", r.text);
  switch (obj->type) {
    case XPATH_NODESET:
      if (obj->nodesetval != nullptr) {
        for (int i = 0; i < obj->nodesetval->nodeNr; ++i) {
          xmlNode* n = obj->nodesetval->nodeTab[i];
          if (n->type == XML_NAMESPACE_DECL) {
            emit(reinterpret_cast<xmlNs*>(n)->href, out);
          } else {
            emitStringValue(n, out);
          }
        }
      }
      break;
    case XPATH_BOOLEAN:
      emit(std::string_view(obj->boolval ? "true" : "false"), out);
      break;
    case XPATH_NUMBER: {
      xmlChar* s = xmlXPathCastNumberToString(obj->floatval);
      emit(s, out);
      if (s != nullptr) xmlFree(s);
      break;
    }
    case XPATH_STRING:
      emit(obj->stringval, out);
      break;
    default: {
      xmlChar* s = xmlXPathCastToString(obj);
      emit(s, out);
      if (s != nullptr) xmlFree(s);
      break;
    }
  }
  xmlXPathFreeObject(obj);
  return Status::ok();
}

std::string XmlSource::position() const {
  if (current_ == nullptr) return short_name_;
  std::string out = short_name_;
  out.push_back(' ');
  if (streaming_) {
    for (size_t d = 0; d < path_len_ && d < path_names_.size(); ++d) {
      out.push_back('/');
      out += path_names_[d];
      if (d > 0) out += "[" + std::to_string(counters_[d]) + "]";
    }
    return out;
  }
  if (current_->type == XML_ELEMENT_NODE) {
    // The same form as when streaming: every step below the root indexed
    // among its same-named siblings.
    std::vector<const xmlNode*> chain;
    for (const xmlNode* n = current_; n != nullptr && n->type == XML_ELEMENT_NODE; n = n->parent) {
      chain.push_back(n);
    }
    for (size_t k = chain.size(); k-- > 0;) {
      const xmlNode* n = chain[k];
      out.push_back('/');
      if (n->ns != nullptr && n->ns->prefix != nullptr) {
        out.append(reinterpret_cast<const char*>(n->ns->prefix)).push_back(':');
      }
      out.append(reinterpret_cast<const char*>(n->name));
      if (k + 1 == chain.size()) continue;
      uint64_t index = 1;
      for (const xmlNode* p = n->prev; p != nullptr; p = p->prev) {
        if (p->type == XML_ELEMENT_NODE && xmlStrEqual(p->name, n->name) &&
            (p->ns == n->ns || (p->ns != nullptr && n->ns != nullptr &&
                                xmlStrEqual(p->ns->href, n->ns->href)))) {
          ++index;
        }
      }
      out += "[" + std::to_string(index) + "]";
    }
    return out;
  }
  xmlChar* path = current_->type == XML_NAMESPACE_DECL ? nullptr : xmlGetNodePath(current_);
  if (path != nullptr) {
    out += reinterpret_cast<const char*>(path);
    xmlFree(path);
  } else {
    out += "record " + std::to_string(ordinal_);
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<Source>> openXmlInput(const SourceSpec& spec,
                                            std::unique_ptr<InputStream> in,
                                            std::string name, XmlMode mode) {
  auto source = std::make_unique<XmlSource>(spec, std::move(in), std::move(name), mode);
  WEFT_TRY(source->init());
  return std::unique_ptr<Source>(std::move(source));
}

Result<std::unique_ptr<Source>> openXmlMemory(const SourceSpec& spec, std::string_view document,
                                             XmlMode mode) {
  return openXmlInput(spec, std::make_unique<MemoryInput>(std::string(document)),
                      spec.path.empty() ? std::string("<memory>") : spec.path, mode);
}

}  // namespace internal

Result<std::unique_ptr<Source>> openXml(const SourceSpec& spec) {
  auto in = openInput(spec);
  if (!in.isOk()) return in.status();
  return internal::openXmlInput(spec, std::move(in.value()), spec.path,
                                internal::XmlMode::kAuto);
}

}  // namespace weft::sources
