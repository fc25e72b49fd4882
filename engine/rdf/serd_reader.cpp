// SPDX-License-Identifier: Apache-2.0
// N-Triples, N-Quads, Turtle and TriG through Serd 0.30, streaming: Serd pulls
// page-sized chunks from the ByteSource, so memory does not grow with the
// input. Serd hands us nodes as written; this file resolves relative IRIs
// (RFC 3986 section 5.2, our own resolver) and prefixed names (serd_env),
// normalises literals (RDF 1.1 Concepts 3.3: simple literal -> xsd:string,
// language-tagged -> rdf:langString) and adds checks Serd 0.30 lacks:
//   - N-Triples/N-Quads: no relative IRIs, no prefixed names (Serd reads
//     them), no graph term in N-Triples (N-Triples 1.1 section 2.3);
//   - every IRI absolute and free of IRIREF-excluded characters, also when
//     written with \u escapes (Turtle 1.1 section 6.3);
//   - literals well-formed UTF-8 (escaped surrogates are not), language
//     tags matching LANGTAG.
// Serd has no cursor API, so errors found by these checks are positioned by
// re-reading the input up to the offending statement (see locate()).
//
// Blank nodes: N-Triples/N-Quads labels are passed as written. In Turtle and
// TriG, Serd names anonymous nodes ("[]", collections) b1, b2, ... and keeps
// document labels apart from those by rewriting labels of the form
// b<digit>... to B<digit>...; so such labels arrive with a capital B. Known
// Serd 0.30 limitation: a document using both _:B1 and _:b1 is rejected
// ("found both `b' and `B' blank IDs") if _:b1 comes first, and the two are
// merged if _:B1 comes first. To fail loudly rather than merge, the raw bytes
// are scanned for both spellings (see StreamState), and a document with both
// is rejected whatever their order.
//
// No C++ exception crosses a Serd callback: every callback catches and records.
#include <array>
#include <serd/serd.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>

#include "engine/rdf/internal/readers.h"
#include "engine/rdf/internal/syntax_check.h"
#include "engine/rdf/syntax.h"

namespace weft::rdf {
namespace {

constexpr size_t kPageSize = 4096;

std::string_view sv(const SerdNode* n) {
  return n && n->buf ? std::string_view(reinterpret_cast<const char*>(n->buf), n->n_bytes)
                     : std::string_view();
}

// Byte reader handed to serd. Serd treats a short read as the end of input
// (fread semantics), so read() fills the whole request unless at the end.
struct StreamState {
  ByteSource* src;
  bool failed = false;
  // Turtle/TriG: whether "_:b<digit>" and "_:B<digit>" occur in the bytes.
  bool scan_labels = false;
  int scan_state = 0;  // 0 none, 1 "_", 2 "_:", 3 "_:b", 4 "_:B"
  bool seen_lower = false, seen_upper = false;

  void scan(const char* p, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      char c = p[i];
      int next = c == '_' ? 1 : 0;
      if (scan_state == 1 && c == ':') {
        next = 2;
      } else if (scan_state == 2 && (c == 'b' || c == 'B')) {
        next = c == 'b' ? 3 : 4;
      } else if (scan_state >= 3 && c >= '0' && c <= '9') {
        (scan_state == 3 ? seen_lower : seen_upper) = true;
      }
      scan_state = next;
    }
  }
};

size_t serdRead(void* buf, size_t size, size_t nmemb, void* stream) {
  auto* st = static_cast<StreamState*>(stream);
  size_t want = size * nmemb;
  size_t got = 0;
  char* out = static_cast<char*>(buf);
  try {
    while (got < want) {
      long r = st->src->read(out + got, want - got);
      if (r < 0) {
        st->failed = true;
        break;
      }
      if (r == 0) break;
      got += static_cast<size_t>(r);
    }
  } catch (...) {
    st->failed = true;
  }
  if (st->scan_labels) st->scan(out, got);
  return size ? got / size : 0;
}

int serdStreamError(void* stream) { return static_cast<StreamState*>(stream)->failed ? 1 : 0; }

SerdSyntax serdSyntax(Format f) {
  return f == Format::kNTriples ? SERD_NTRIPLES
         : f == Format::kNQuads ? SERD_NQUADS
         : f == Format::kTurtle ? SERD_TURTLE
                                : SERD_TRIG;
}

// Finding the position of the n-th reader event (base, prefix or statement
// callback): the input is re-read one byte per read so the bytes consumed are
// known when that callback fires; the position reported is that of the last
// byte read (Serd looks one byte past the term that ends the event).
struct LocateState {
  ByteSource* src;
  long target;
  long events = 0;
  unsigned line = 1, col = 0;            // of the next byte
  unsigned last_line = 1, last_col = 0;  // of the last byte read
  bool found = false;
};

size_t locateRead(void* buf, size_t size, size_t nmemb, void* stream) {
  auto* st = static_cast<LocateState*>(stream);
  auto* out = static_cast<char*>(buf);
  size_t want = size * nmemb, got = 0;
  try {
    while (got < want) {
      long r = st->src->read(out + got, 1);
      if (r <= 0) break;
      st->last_line = st->line;
      st->last_col = st->col;
      if (out[got] == '\n') {
        ++st->line;
        st->col = 0;
      } else {
        ++st->col;
      }
      ++got;
    }
  } catch (...) {
  }
  return size ? got / size : 0;
}

int locateError(void*) { return 0; }

SerdStatus locateEvent(void* handle) {
  auto* st = static_cast<LocateState*>(handle);
  if (++st->events < st->target) return SERD_SUCCESS;
  st->found = true;
  return SERD_ERR_UNKNOWN;  // stop reading
}
SerdStatus locateBase(void* h, const SerdNode*) { return locateEvent(h); }
SerdStatus locatePrefix(void* h, const SerdNode*, const SerdNode*) { return locateEvent(h); }
SerdStatus locateStatement(void* h, SerdStatementFlags, const SerdNode*, const SerdNode*,
                           const SerdNode*, const SerdNode*, const SerdNode*, const SerdNode*) {
  return locateEvent(h);
}
SerdStatus locateQuiet(void*, const SerdError*) { return SERD_SUCCESS; }

// "line:col" of event number `target` (1-based), or "" if not found.
std::string locate(ByteSource& src, Format f, long target) {
  LocateState st{&src, target};
  SerdReader* reader = serd_reader_new(serdSyntax(f), &st, nullptr, &locateBase, &locatePrefix,
                                       &locateStatement, nullptr);
  if (!reader) return {};
  serd_reader_set_strict(reader, true);
  serd_reader_set_error_sink(reader, &locateQuiet, nullptr);
  serd_reader_read_source(reader, &locateRead, &locateError, &st, nullptr, 1);
  serd_reader_free(reader);
  if (!st.found) return {};
  return std::to_string(st.last_line) + ":" + std::to_string(st.last_col);
}

class SerdParse {
 public:
  SerdParse(Format f, const ReadOptions& opts, QuadSink& sink)
      : format_(f),
        opts_(opts),
        sink_(sink),
        name_(opts.display_name.empty() ? std::string("<input>") : opts.display_name) {
    SerdNode base =
        serd_node_from_string(SERD_URI, reinterpret_cast<const uint8_t*>(opts.base_iri.c_str()));
    env_ = serd_env_new(opts.base_iri.empty() ? nullptr : &base);
  }
  ~SerdParse() { serd_env_free(env_); }
  SerdParse(const SerdParse&) = delete;
  SerdParse& operator=(const SerdParse&) = delete;

  Status run(ByteSource& src, const internal::Reopen& reopen) {
    SerdReader* reader = serd_reader_new(serdSyntax(format_), this, nullptr, &SerdParse::onBase,
                                         &SerdParse::onPrefix, &SerdParse::onStatement, nullptr);
    if (!reader) return Status::internal("cannot create serd reader");
    serd_reader_set_strict(reader, true);
    serd_reader_set_error_sink(reader, &SerdParse::onError, this);
    StreamState stream{&src};
    stream.scan_labels = format_ == Format::kTurtle || format_ == Format::kTriG;
    stream_ = &stream;
    SerdStatus st =
        serd_reader_read_source(reader, &serdRead, &serdStreamError, &stream,
                                reinterpret_cast<const uint8_t*>(name_.c_str()), kPageSize);
    serd_reader_free(reader);
    stream_ = nullptr;
    // A read error looks like the end of input to Serd; report it first.
    if (stream.failed) return Status::ioError(src.error());
    if (error_event_ > 0) {
      // One of our checks failed: position it by re-reading if possible.
      std::string where;
      if (reopen) {
        auto again = reopen();
        if (again.isOk()) where = locate(**again, format_, error_event_);
      }
      return Status::syntaxError(name_ + ":" + (where.empty() ? "" : where + ":") + " " +
                                 validation_message_);
    }
    if (!status_.isOk()) return status_;
    if (st > SERD_FAILURE) {
      return Status::syntaxError(name_ + ": " + reinterpret_cast<const char*>(serd_strerror(st)));
    }
    return Status::ok();
  }

 private:
  // Serd error callback: keep the first message, positioned as file:line:col.
  static SerdStatus onError(void* handle, const SerdError* e) {
    auto* self = static_cast<SerdParse*>(handle);
    try {
      if (!self->status_.isOk()) return e->status;
      char msg[512];
      va_list args;
      va_copy(args, *e->args);
      std::vsnprintf(msg, sizeof msg, e->fmt, args);
      va_end(args);
      std::string m = msg;
      while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
      self->status_ = Status::syntaxError(self->name_ + ":" + std::to_string(e->line) + ":" +
                                          std::to_string(e->col) + ": " + m);
    } catch (...) {
      // Out of memory while formatting: keep whatever status we have.
    }
    return e->status;
  }

  static SerdStatus onBase(void* handle, const SerdNode* uri) {
    auto* self = static_cast<SerdParse*>(handle);
    return self->guard([&] {
      // Turtle 6.3: a relative @base resolves against the current base.
      std::string iri;
      WEFT_TRY(self->expand(uri, iri));
      WEFT_TRY(self->checkIri(iri));
      SerdNode n = serd_node_from_substring(SERD_URI, reinterpret_cast<const uint8_t*>(iri.data()),
                                            iri.size());
      if (serd_env_set_base_uri(self->env_, &n) != SERD_SUCCESS) {
        return self->fail("bad base IRI <" + iri + ">");
      }
      return self->sink_.base(iri);
    });
  }

  static SerdStatus onPrefix(void* handle, const SerdNode* name, const SerdNode* uri) {
    auto* self = static_cast<SerdParse*>(handle);
    return self->guard([&] {
      std::string iri;
      WEFT_TRY(self->expand(uri, iri));
      SerdNode n = serd_node_from_substring(SERD_URI, reinterpret_cast<const uint8_t*>(iri.data()),
                                            iri.size());
      if (serd_env_set_prefix(self->env_, name, &n) != SERD_SUCCESS) {
        return self->fail("bad prefix declaration '" + std::string(sv(name)) + ":'");
      }
      return self->sink_.prefix(sv(name), iri);
    });
  }

  static SerdStatus onStatement(void* handle, SerdStatementFlags /*flags*/, const SerdNode* graph,
                                const SerdNode* subject, const SerdNode* predicate,
                                const SerdNode* object, const SerdNode* datatype,
                                const SerdNode* lang) {
    auto* self = static_cast<SerdParse*>(handle);
    return self->guard(
        [&] { return self->statement(graph, subject, predicate, object, datatype, lang); });
  }

  // Runs a callback body: exceptions and non-ok results become the reader's
  // status and stop Serd.
  template <typename F>
  SerdStatus guard(F&& body) {
    if (!status_.isOk()) return SERD_ERR_UNKNOWN;
    ++events_;
    try {
      Status s = stream_ && stream_->seen_lower && stream_->seen_upper
                     ? fail(
                           "blank node labels _:b<digit>... and _:B<digit>... both occur; "
                           "Serd 0.30 cannot keep them apart")
                     : body();
      if (s.isOk()) return SERD_SUCCESS;
      if (validation_failed_) {
        error_event_ = events_;
        validation_message_ = s.message();
      }
      status_ = std::move(s);
    } catch (const std::bad_alloc&) {
      status_ = Status::aborted(name_ + ": out of memory");
    } catch (const std::exception& e) {
      status_ = Status::internal(name_ + ": " + e.what());
    } catch (...) {
      status_ = Status::internal(name_ + ": unknown exception in RDF sink");
    }
    return SERD_ERR_UNKNOWN;
  }

  // A check of ours rejected the input; run() adds the position.
  Status fail(std::string m) {
    validation_failed_ = true;
    return Status::syntaxError(std::move(m));
  }

  // Resolves a URI or CURIE node to an absolute IRI in `out`.
  Status expand(const SerdNode* n, std::string& out) {
    out.clear();
    if (n->type == SERD_CURIE && (format_ == Format::kNTriples || format_ == Format::kNQuads)) {
      // Serd 0.30 reads prefixed names in N-Triples; the grammar has none.
      return fail("prefixed name '" + std::string(sv(n)) + "' not allowed in " +
                  formatName(format_));
    }
    if (n->type == SERD_CURIE) {
      SerdChunk prefix, suffix;
      if (serd_env_expand(env_, n, &prefix, &suffix) != SERD_SUCCESS) {
        return fail("undefined prefix in '" + std::string(sv(n)) + "'");
      }
      out.assign(reinterpret_cast<const char*>(prefix.buf), prefix.len);
      out.append(reinterpret_cast<const char*>(suffix.buf), suffix.len);
      return Status::ok();
    }
    std::string_view v = sv(n);
    if (internal::hasIriScheme(v)) {
      out.assign(v);
      return Status::ok();
    }
    if (format_ == Format::kNTriples || format_ == Format::kNQuads) {
      // N-Triples 2.3 / N-Quads 2.3: only absolute IRIs.
      return fail("relative IRI <" + std::string(v) + "> not allowed in " + formatName(format_));
    }
    SerdURI base_uri;
    serd_env_get_base_uri(env_, &base_uri);
    if (!base_uri.scheme.buf || base_uri.scheme.len == 0) {
      return fail("relative IRI <" + std::string(v) + "> and no base IRI");
    }
    out = internal::resolveIri(v, sv(serd_env_get_base_uri(env_, nullptr)));
    return Status::ok();
  }

  Status term(const SerdNode* n, std::string& buf, TermView& t) {
    switch (n->type) {
      case SERD_URI:
      case SERD_CURIE:
        WEFT_TRY(expand(n, buf));
        WEFT_TRY(checkIri(buf));
        t = TermView::iri(buf);
        return Status::ok();
      case SERD_BLANK:
        t = TermView::blank(sv(n));
        return Status::ok();
      default:
        return fail("unexpected node '" + std::string(sv(n)) + "'");
    }
  }

  Status checkIri(std::string_view iri) {
    // Predicates, types, datatypes and runs of one subject repeat: remember
    // the last few IRIs that passed, and skip re-checking them.
    for (const std::string& ok : recent_ok_) {
      if (ok.size() == iri.size() && ok == iri) return Status::ok();
    }
    std::string why;
    if (!internal::checkIri(iri, &why)) return fail("bad IRI <" + std::string(iri) + ">: " + why);
    recent_ok_[recent_next_++ % recent_ok_.size()].assign(iri);
    return Status::ok();
  }
  std::array<std::string, 8> recent_ok_;
  size_t recent_next_ = 0;

  Status statement(const SerdNode* graph, const SerdNode* subject, const SerdNode* predicate,
                   const SerdNode* object, const SerdNode* datatype, const SerdNode* lang) {
    QuadView q;
    WEFT_TRY(term(subject, s_, q.s));
    WEFT_TRY(term(predicate, p_, q.p));
    if (!q.p.isIri()) return fail("predicate must be an IRI");
    if (object->type == SERD_LITERAL) {
      std::string_view lex = sv(object);
      std::string why;
      if (!internal::checkUtf8(lex, &why)) return fail("bad literal: " + why);
      if (lang && lang->n_bytes) {
        if (!internal::checkLangTag(sv(lang))) {
          return fail("bad language tag '" + std::string(sv(lang)) + "'");
        }
        q.o = TermView::literal(lex, kRdfLangString, sv(lang));
      } else if (datatype && datatype->n_bytes) {
        WEFT_TRY(expand(datatype, dt_));
        WEFT_TRY(checkIri(dt_));
        q.o = TermView::literal(lex, dt_);
      } else {
        q.o = TermView::literal(lex);
      }
    } else {
      WEFT_TRY(term(object, o_, q.o));
    }
    if (graph && graph->type != SERD_NOTHING && graph->n_bytes) {
      if (format_ == Format::kNTriples) return fail("N-Triples has no graph names (quad given)");
      WEFT_TRY(term(graph, g_, q.g));
    } else if (!opts_.graph.empty()) {
      q.g = TermView::iri(opts_.graph);
    }
    return sink_.quad(q);
  }

  Format format_;
  const ReadOptions& opts_;
  QuadSink& sink_;
  std::string name_;
  SerdEnv* env_ = nullptr;
  Status status_;
  StreamState* stream_ = nullptr;  // during run()
  long events_ = 0;                // base/prefix/statement callbacks so far
  bool validation_failed_ = false;
  long error_event_ = 0;  // the event our check rejected (1-based), or 0
  std::string validation_message_;
  std::string s_, p_, o_, g_, dt_;  // expanded IRIs of the current statement
};

}  // namespace

Status readSerd(ByteSource& src, Format f, const ReadOptions& opts, QuadSink& sink) {
  return internal::readSerdReopenable(src, f, opts, sink, {});
}

Status internal::readSerdReopenable(ByteSource& src, Format f, const ReadOptions& opts,
                                    QuadSink& sink, const Reopen& reopen) {
  if (f != Format::kNTriples && f != Format::kNQuads && f != Format::kTurtle &&
      f != Format::kTriG) {
    return Status::invalidArgument(std::string("readSerd cannot read ") + formatName(f));
  }
  try {
    SerdParse parse(f, opts, sink);
    return parse.run(src, reopen);
  } catch (const std::bad_alloc&) {
    return Status::aborted("out of memory while reading");
  }
}

}  // namespace weft::rdf
