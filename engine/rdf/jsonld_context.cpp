// SPDX-License-Identifier: Apache-2.0
// JSON-LD 1.1 context processing: Context Processing (API 4.1.2), Create Term
// Definition (API 4.2.2) and IRI Expansion (API 4.4.2), plus the offline
// document loader that resolves remote contexts through
// JsonLdOptions::context_map (this reader never goes to the network).
#include <cstdio>
#include <memory>

#include "engine/rdf/internal/iri.h"
#include "engine/rdf/internal/jsonld_impl.h"

namespace weft::rdf::internal::jsonld {

namespace {
// Remote contexts followed in one chain before "context overflow" (4.1.2 5.2.3).
constexpr size_t kMaxRemoteContexts = 32;
}  // namespace

void fail(std::string code, std::string detail) { throw JsonLdError{std::move(code), std::move(detail)}; }

bool TermDef::sameAs(const TermDef& o) const {
  auto sameCtx = [](const Json* a, const Json* b) {
    if (!a || !b) return !a && !b;
    return a == b || *a == *b;
  };
  return iri == o.iri && prefix == o.prefix && reverse == o.reverse && type == o.type &&
         has_language == o.has_language && language == o.language &&
         has_direction == o.has_direction && direction == o.direction &&
         container == o.container && index == o.index && nest == o.nest &&
         sameCtx(context, o.context);
}

bool Context::hasProtected() const {
  for (const auto& [name, def] : terms)
    if (def.is_protected) return true;
  return false;
}

bool isKeyword(std::string_view s) {
  static const std::set<std::string, std::less<>> kKeywords = {
      "@base",  "@container", "@context", "@direction", "@graph",    "@id",
      "@import", "@included", "@index",   "@json",      "@language", "@list",
      "@nest",  "@none",      "@prefix",  "@propagate", "@protected", "@reverse",
      "@set",   "@type",      "@value",   "@version",   "@vocab"};
  return kKeywords.count(s) != 0;
}

bool hasKeywordForm(std::string_view s) {
  if (s.size() < 2 || s[0] != '@') return false;
  for (size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

bool isBlankNodeId(std::string_view s) { return s.size() >= 2 && s[0] == '_' && s[1] == ':'; }

bool isAbsoluteIri(std::string_view s) { return rfc3986::hasScheme(s); }

namespace {

bool isGenDelim(char c) {
  return c == ':' || c == '/' || c == '?' || c == '#' || c == '[' || c == ']' || c == '@';
}

// Resolve `value` against `base`; with no base the reference stays as is.
std::string resolveAgainst(const OptString& base, std::string_view value) {
  if (!base) return std::string(value);
  return rfc3986::resolve(*base, value);
}

std::string readFileLimited(const std::string& path, size_t limit, bool& ok) {
  ok = false;
  std::string data;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return data;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    data.append(buf, n);
    if (data.size() > limit) {
      std::fclose(f);
      return {};
    }
  }
  ok = !std::ferror(f);
  std::fclose(f);
  return data;
}

}  // namespace

Processor::Processor(const JsonLdOptions& opts) : opts_(opts) {}

CtxPtr Processor::initialContext() const {
  auto ctx = std::make_shared<Context>();
  if (!opts_.base.empty()) {
    ctx->base = opts_.base;
    ctx->original_base = opts_.base;
  }
  return ctx;
}

const Json& Processor::loadRemote(const std::string& iri_in, const char* error_code) {
  // Normalize (RFC 3986 5.2.4 removes "." and ".." segments) so that a
  // mapped IRI cannot climb out of the local directory it maps to.
  std::string iri = rfc3986::resolve("", iri_in);
  if (size_t hash = iri.find('#'); hash != std::string::npos) iri.erase(hash);
  if (!rfc3986::hasScheme(iri)) fail(error_code, "relative IRI <" + iri + "> cannot be loaded");
  auto cached = remote_cache_.find(iri);
  if (cached != remote_cache_.end()) return *cached->second;
  // Longest matching prefix of the offline map.
  const std::pair<const std::string, std::string>* best = nullptr;
  for (const auto& entry : opts_.context_map) {
    if (iri.compare(0, entry.first.size(), entry.first) == 0 &&
        (!best || entry.first.size() > best->first.size()))
      best = &entry;
  }
  if (!best) {
    fail(error_code, "no local mapping for remote document <" + iri +
                         "> (this reader never fetches from the network; map it with a "
                         "context map entry)");
  }
  std::string suffix = iri.substr(best->first.size());
  if (suffix.find('\0') != std::string::npos || ("/" + suffix + "/").find("/../") != std::string::npos)
    fail(error_code, "refusing to map <" + iri + "> to a local file outside the mapped prefix");
  std::string path = best->second + suffix;
  size_t limit = opts_.max_document_bytes ? opts_.max_document_bytes : (size_t{1} << 30);
  bool ok = false;
  std::string text = readFileLimited(path, limit, ok);
  if (!ok) fail(error_code, "cannot read <" + iri + "> from local file " + path);
  Result<Json> parsed = parseJson(text, iri);
  if (!parsed) fail(error_code, "<" + iri + ">: " + parsed.status().message());
  auto doc = std::make_shared<const Json>(std::move(parsed).value());
  return *remote_cache_.emplace(iri, std::move(doc)).first->second;
}

// API 4.1.2 Context Processing Algorithm.
CtxPtr Processor::processContext(const CtxPtr& active, const Json& local_in,
                                 const OptString& base_url, std::vector<std::string> remote,
                                 bool override_protected, bool propagate,
                                 bool validate_scoped) {
  // Each call copies the active context: count the copied terms against the
  // document's work budget (see setWorkBudget()).
  work_ += 1 + active->terms.size();
  if (work_ > work_budget_)
    fail("context overflow", "context processing exceeds the work limit for this document");
  // 1. result is a copy of the active context.
  auto result = std::make_shared<Context>(*active);
  // 2. An object may set @propagate.
  if (local_in.isObject()) {
    if (const Json* p = local_in.find("@propagate")) {
      if (!p->isBool()) fail("invalid @propagate value");
      propagate = p->boolean();
    }
  }
  // 3. A non-propagated context remembers the context to revert to.
  if (!propagate && !result->previous) result->previous = active;
  // 4. Normalize to an array.
  // (Pointers, not copies: term definitions keep pointers to scoped contexts.)
  std::vector<const Json*> items;
  if (local_in.isArray()) {
    for (const Json& item : local_in.arr()) items.push_back(&item);
  } else {
    items.push_back(&local_in);
  }
  // 5.
  for (const Json* item_ptr : items) {
    const Json& item = *item_ptr;
    // 5.1 null resets the context.
    if (item.isNull()) {
      if (!override_protected && result->hasProtected())
        fail("invalid context nullification");
      auto fresh = std::make_shared<Context>();
      fresh->base = active->original_base;
      fresh->original_base = active->original_base;
      if (!propagate) fresh->previous = result;
      result = std::move(fresh);
      continue;
    }
    // 5.2 A string is a remote context.
    if (item.isString()) {
      std::string iri = resolveAgainst(base_url, item.str());
      if (!isAbsoluteIri(iri)) fail("loading remote context failed", "relative context IRI " + iri);
      // 5.2.2 Scoped contexts being validated do not re-load a context twice.
      bool seen = false;
      for (const auto& r : remote) seen = seen || r == iri;
      if (!validate_scoped && seen) continue;
      // 5.2.3 / 5.2.4
      if (remote.size() > kMaxRemoteContexts) fail("context overflow", iri);
      remote.push_back(iri);
      // 5.2.5 / 5.2.6 Dereference (cached per document).
      const Json& doc = loadRemote(iri, "loading remote context failed");
      const Json* loaded = doc.isObject() ? doc.find("@context") : nullptr;
      if (!loaded) fail("invalid remote context", "<" + iri + "> has no top-level @context");
      // 5.2.6 Process it with its own IRI as base URL.
      // `doc` is owned by remote_cache_, which only grows: the reference stays valid.
      result = std::const_pointer_cast<Context>(
          processContext(result, *loaded, iri, remote, false, true, validate_scoped));
      continue;
    }
    // 5.3
    if (!item.isObject()) fail("invalid local context", "a context must be an object, string, or null");
    // 5.4 context definition; copy so @import can merge into it.
    const Json* context = &item;
    // 5.5 @version
    if (const Json* v = context->find("@version")) {
      if (!v->isNumber() || v->number() != 1.1) fail("invalid @version value");
      if (mode10()) fail("processing mode conflict");
    }
    // 5.6 @import
    if (const Json* imp = context->find("@import")) {
      if (mode10()) fail("invalid context entry", "@import in json-ld-1.0 mode");
      if (!imp->isString()) fail("invalid @import value");
      std::string iri = resolveAgainst(base_url, imp->str());
      const Json& doc = loadRemote(iri, "loading remote context failed");
      const Json* imported = doc.isObject() ? doc.find("@context") : nullptr;
      if (!imported || !imported->isObject()) fail("invalid remote context", "<" + iri + ">");
      if (imported->has("@import")) fail("invalid context entry", "@import in imported context");
      auto merged = std::make_shared<Json>(*imported);
      for (const auto& [k, v] : context->obj()) (*merged)[k] = v;
      keep_alive_.push_back(merged);  // term definitions point into it
      context = merged.get();
    }
    // 5.7 @base, only in contexts that are not remote.
    if (const Json* b = context->find("@base"); b && remote.empty()) {
      if (b->isNull()) {
        result->base.reset();
      } else if (b->isString() && isAbsoluteIri(b->str())) {
        result->base = b->str();
      } else if (b->isString() && result->base) {
        result->base = rfc3986::resolve(*result->base, b->str());
      } else if (b->isString() && b->str().empty()) {
        // an empty relative reference against no base leaves it unset
      } else {
        fail("invalid base IRI");
      }
    }
    // 5.8 @vocab
    if (const Json* v = context->find("@vocab")) {
      if (v->isNull()) {
        result->vocab.reset();
      } else if (v->isString()) {
        if (mode10() && !isAbsoluteIri(v->str()) && !isBlankNodeId(v->str()))
          fail("invalid vocab mapping");
        OptString vocab = expandIriDefining(*result, v->str(), true, true, nullptr, nullptr,
                                            base_url, remote);
        if (!vocab || (!isAbsoluteIri(*vocab) && !isBlankNodeId(*vocab) && !vocab->empty()))
          fail("invalid vocab mapping");
        result->vocab = vocab;
      } else {
        fail("invalid vocab mapping");
      }
    }
    // 5.9 @language
    if (const Json* l = context->find("@language")) {
      if (l->isNull()) result->language.reset();
      else if (l->isString()) result->language = l->str();
      else fail("invalid default language");
    }
    // 5.10 @direction
    if (const Json* d = context->find("@direction")) {
      if (mode10()) fail("invalid context entry", "@direction in json-ld-1.0 mode");
      if (d->isNull()) result->direction.reset();
      else if (d->isString() && (d->str() == "ltr" || d->str() == "rtl")) result->direction = d->str();
      else fail("invalid base direction");
    }
    // 5.11 @propagate
    if (const Json* p = context->find("@propagate")) {
      if (mode10()) fail("invalid context entry", "@propagate in json-ld-1.0 mode");
      if (!p->isBool()) fail("invalid @propagate value");
    }
    // 5.12 / 5.13 Term definitions.
    bool protect = false;
    if (const Json* p = context->find("@protected")) {
      if (!p->isBool()) fail("invalid @protected value");
      protect = p->boolean();
    }
    Defined defined;
    for (const auto& [key, value] : context->obj()) {
      if (key == "@base" || key == "@direction" || key == "@import" || key == "@language" ||
          key == "@propagate" || key == "@protected" || key == "@version" || key == "@vocab")
        continue;
      createTermDefinition(*result, *context, key, defined, base_url, protect, override_protected,
                           remote, validate_scoped);
    }
  }
  return result;
}

// API 4.2.2 Create Term Definition.
void Processor::createTermDefinition(Context& active, const Json& local, const std::string& term,
                                     Defined& defined, const OptString& base_url,
                                     bool is_protected, bool override_protected,
                                     const std::vector<std::string>& remote,
                                     bool validate_scoped) {
  // 1.
  if (auto it = defined.find(term); it != defined.end()) {
    if (it->second) return;
    fail("cyclic IRI mapping", term);
  }
  // 2.
  if (term.empty()) fail("invalid term definition", "empty term");
  defined[term] = false;
  // 3.
  const Json& value_in = *local.find(term);
  // 4. @type may only get @container: @set (and @protected) in 1.1.
  if (term == "@type") {
    if (mode10()) fail("keyword redefinition", term);
    bool ok = value_in.isObject() && value_in.size() > 0;
    if (ok) {
      for (const auto& [k, v] : value_in.obj()) {
        if (k == "@container") ok = ok && v.isString() && v.str() == "@set";
        else if (k != "@protected") ok = false;
      }
    }
    if (!ok) fail("keyword redefinition", term);
  } else if (isKeyword(term)) {
    // 5.
    fail("keyword redefinition", term);
  } else if (hasKeywordForm(term)) {
    return;  // 5: reserved for future keywords; ignored
  }
  // 6.
  std::optional<TermDef> previous;
  if (auto it = active.terms.find(term); it != active.terms.end()) {
    previous = std::move(it->second);
    active.terms.erase(it);
  }
  // 7.-9. `value` is the definition as a map (a view of the local context's
  // entry, which outlives the term definition, or a synthesized {"@id": ...}).
  Json synthesized;
  const Json* value_ptr = &value_in;
  bool simple_term = false;
  if (value_in.isNull() || value_in.isString()) {
    synthesized = Json::object();
    synthesized["@id"] = value_in;
    simple_term = value_in.isString();
    value_ptr = &synthesized;
  } else if (!value_in.isObject()) {
    fail("invalid term definition", term);
  }
  const Json& value = *value_ptr;
  // 10.
  TermDef def;
  def.is_protected = is_protected;
  // 11.
  if (const Json* p = value.find("@protected")) {
    if (mode10()) fail("invalid term definition", "@protected in json-ld-1.0 mode");
    if (!p->isBool()) fail("invalid @protected value");
    def.is_protected = p->boolean();
  }
  // 12. @type
  if (const Json* t = value.find("@type")) {
    if (!t->isString()) fail("invalid type mapping", term);
    OptString type = expandIriDefining(active, t->str(), false, true, &local, &defined, base_url, remote);
    if (!type) fail("invalid type mapping", term);
    if ((*type == "@json" || *type == "@none") && mode10()) fail("invalid type mapping", *type);
    if (*type != "@id" && *type != "@json" && *type != "@none" && *type != "@vocab" &&
        !isAbsoluteIri(*type))
      fail("invalid type mapping", *type);
    def.type = type;
  }
  // 13. @reverse
  if (const Json* r = value.find("@reverse")) {
    if (value.has("@id") || value.has("@nest")) fail("invalid reverse property", term);
    if (!r->isString()) fail("invalid IRI mapping", term);
    if (hasKeywordForm(r->str())) return;
    OptString iri = expandIriDefining(active, r->str(), false, true, &local, &defined, base_url, remote);
    if (!iri || (!isAbsoluteIri(*iri) && !isBlankNodeId(*iri))) fail("invalid IRI mapping", term);
    def.iri = iri;
    if (const Json* c = value.find("@container")) {
      if (c->isNull()) {
      } else if (c->isString() && (c->str() == "@set" || c->str() == "@index")) {
        def.container.insert(c->str());
      } else {
        fail("invalid reverse property", term);
      }
    }
    def.reverse = true;
    // @index on a reverse property (as step 20): a property-valued index.
    if (const Json* ix = value.find("@index")) {
      if (mode10() || !def.hasContainer("@index") || !ix->isString() || isKeyword(ix->str()))
        fail("invalid term definition", term + ": @index");
      def.index = ix->str();
    }
    for (const auto& [k, v] : value.obj()) {
      (void)v;
      if (k != "@reverse" && k != "@container" && k != "@context" && k != "@direction" &&
          k != "@index" && k != "@language" && k != "@protected" && k != "@type" && k != "@prefix")
        fail("invalid term definition", term + ": " + k);
    }
    if (!override_protected && previous && previous->is_protected) {
      if (!def.sameAs(*previous)) fail("protected term redefinition", term);
      def = *previous;
    }
    active.terms[term] = std::move(def);
    defined[term] = true;
    return;
  }
  // 14.-18. IRI mapping.
  const Json* id = value.find("@id");
  if (id && !(id->isString() && id->str() == term)) {
    if (id->isNull()) {
      // 14.1 retained only to detect redefinitions; maps to null.
    } else {
      if (!id->isString()) fail("invalid IRI mapping", term);
      if (!isKeyword(id->str()) && hasKeywordForm(id->str())) return;  // 14.2.2
      OptString iri = expandIriDefining(active, id->str(), false, true, &local, &defined, base_url, remote);
      if (!iri || (!isKeyword(*iri) && !isAbsoluteIri(*iri) && !isBlankNodeId(*iri)))
        fail("invalid IRI mapping", term);
      if (*iri == "@context") fail("invalid keyword alias", term);
      def.iri = iri;
      // 14.2.4 A term that looks like a compact IRI or IRI must expand to its mapping.
      size_t colon = term.find(':', 1);
      bool inner_colon = colon != std::string::npos && colon + 1 < term.size();
      if (inner_colon || term.find('/') != std::string::npos) {
        defined[term] = true;
        OptString self = expandIriDefining(active, term, false, true, &local, &defined, base_url, remote);
        if (self != iri) fail("invalid IRI mapping", term + " does not expand to its @id");
      }
      // 14.2.5 Simple terms ending in a gen-delim may be used as prefixes.
      if (term.find(':') == std::string::npos && term.find('/') == std::string::npos &&
          simple_term && !iri->empty() &&
          ((isGenDelim(iri->back()) && !isKeyword(*iri)) || isBlankNodeId(*iri)))
        def.prefix = true;
    }
  } else if (size_t colon = term.find(':', 1); colon != std::string::npos) {
    // 15. compact IRI or IRI
    std::string prefix = term.substr(0, colon);
    std::string suffix = term.substr(colon + 1);
    if (local.has(prefix)) {
      createTermDefinition(active, local, prefix, defined, base_url, false, override_protected,
                           remote, validate_scoped);
    }
    if (const TermDef* p = active.term(prefix); p && p->iri) {
      def.iri = *p->iri + suffix;
    } else {
      def.iri = term;
    }
  } else if (term.find('/') != std::string::npos) {
    // 16. relative IRI reference (expanded without the local context: the
    // term is the one being defined).
    OptString iri = expandIri(active, term, false, true);
    if (!iri || !isAbsoluteIri(*iri)) fail("invalid IRI mapping", term);
    def.iri = iri;
  } else if (term == "@type") {
    def.iri = "@type";  // 17.
  } else if (active.vocab) {
    def.iri = *active.vocab + term;  // 18.
  } else {
    fail("invalid IRI mapping", term + " has no IRI mapping and there is no @vocab");
  }
  // 19. @container
  if (const Json* c = value.find("@container")) {
    std::vector<std::string> items;
    bool bad = false;
    if (c->isString()) {
      items.push_back(c->str());
    } else if (c->isArray() && !mode10()) {
      for (const Json& i : c->arr()) {
        if (!i.isString()) bad = true;
        else items.push_back(i.str());
      }
    } else {
      bad = true;
    }
    std::set<std::string> set(items.begin(), items.end());
    for (const auto& s : items) {
      if (s != "@graph" && s != "@id" && s != "@index" && s != "@language" && s != "@list" &&
          s != "@set" && s != "@type")
        bad = true;
    }
    if (set.size() != items.size()) bad = true;
    if (!bad && set.size() > 1) {
      // 19.1 allowed combinations
      auto has = [&](const char* k) { return set.count(k) != 0; };
      if (has("@list")) {
        bad = true;
      } else if (has("@graph") && (has("@id") || has("@index"))) {
        bad = !(set.size() == 2 || (set.size() == 3 && has("@set")));
        if (has("@id") && has("@index")) bad = true;
      } else if (has("@set")) {
        // @set with any of @index, @graph, @id, @type, @language
      } else if (has("@graph")) {
        bad = !(set.size() == 2 && has("@set"));
      } else {
        bad = true;
      }
    }
    if (set.empty()) bad = true;
    if (mode10() && (set.count("@graph") || set.count("@id") || set.count("@type"))) bad = true;
    if (bad) fail("invalid container mapping", term);
    def.container = std::move(set);
    // 19.4
    if (def.hasContainer("@type")) {
      if (!def.type) def.type = "@id";
      if (*def.type != "@id" && *def.type != "@vocab") fail("invalid type mapping", term);
    }
  }
  // 20. @index
  if (const Json* ix = value.find("@index")) {
    if (mode10() || !def.hasContainer("@index")) fail("invalid term definition", term + ": @index");
    if (!ix->isString() || isKeyword(ix->str())) fail("invalid term definition", term + ": @index");
    OptString e = expandIriDefining(active, ix->str(), false, true, &local, &defined, base_url, remote);
    if (!e || !isAbsoluteIri(*e)) fail("invalid term definition", term + ": @index");
    def.index = ix->str();
  }
  // 21. scoped @context
  if (const Json* ctx = value.find("@context")) {
    if (mode10()) fail("invalid term definition", term + ": @context in json-ld-1.0 mode");
    // 21.3 Validate it. Scoped contexts nested in a scoped context being
    // validated are validated when they are used: validating them here too
    // makes the work grow with the square of the nesting depth.
    if (validate_scoped) {
      try {
        auto snapshot = std::make_shared<const Context>(active);
        processContext(snapshot, *ctx, base_url, remote, true, true, false);
      } catch (const JsonLdError& e) {
        fail("invalid scoped context", term + ": " + e.code + (e.detail.empty() ? "" : ": " + e.detail));
      }
    }
    def.context = ctx;
    def.base_url = base_url;
  }
  // 22. @language
  if (const Json* l = value.find("@language"); l && !value.has("@type")) {
    if (!l->isNull() && !l->isString()) fail("invalid language mapping", term);
    def.has_language = true;
    if (l->isString()) def.language = l->str();
  }
  // 23. @direction
  if (const Json* d = value.find("@direction"); d && !value.has("@type")) {
    if (!d->isNull() && !(d->isString() && (d->str() == "ltr" || d->str() == "rtl")))
      fail("invalid base direction", term);
    def.has_direction = true;
    if (d->isString()) def.direction = d->str();
  }
  // 24. @nest
  if (const Json* n = value.find("@nest")) {
    if (mode10()) fail("invalid term definition", term + ": @nest in json-ld-1.0 mode");
    if (!n->isString() || (isKeyword(n->str()) && n->str() != "@nest")) fail("invalid @nest value", term);
    def.nest = n->str();
  }
  // 25. @prefix
  if (const Json* p = value.find("@prefix")) {
    if (mode10() || term.find(':') != std::string::npos || term.find('/') != std::string::npos)
      fail("invalid term definition", term + ": @prefix");
    if (!p->isBool()) fail("invalid @prefix value", term);
    def.prefix = p->boolean();
    if (def.prefix && def.iri && isKeyword(*def.iri)) fail("invalid term definition", term);
  }
  // 26. no other entries
  for (const auto& [k, v] : value.obj()) {
    (void)v;
    if (k != "@id" && k != "@reverse" && k != "@container" && k != "@context" &&
        k != "@direction" && k != "@index" && k != "@language" && k != "@nest" &&
        k != "@prefix" && k != "@protected" && k != "@type")
      fail("invalid term definition", term + ": unexpected entry " + k);
  }
  // 27. protected terms keep their definition
  if (!override_protected && previous && previous->is_protected) {
    if (!def.sameAs(*previous)) fail("protected term redefinition", term);
    def = *previous;
  }
  // 28.
  active.terms[term] = std::move(def);
  defined[term] = true;
}

namespace {

// API 4.4.2 IRI Expansion. `define(name)` runs steps 3 and 6.3 (define a
// term of the local context being processed before it is used); outside
// context processing it does nothing. It may change `active` through another
// reference, so `active` is read only after it returns.
template <typename Define>
OptString expandIriSteps(const Context& active, std::string_view value, bool document_relative,
                         bool vocab, Define&& define) {
  // 1.
  if (isKeyword(value)) return std::string(value);
  // 2.
  if (hasKeywordForm(value)) return std::nullopt;
  // 3.
  define(value);
  const TermDef* def = active.term(value);
  // 4.
  if (def && def->iri && isKeyword(*def->iri)) return def->iri;
  // 5.
  if (vocab && def) return def->iri;
  // 6.
  size_t colon = value.find(':', 1);
  if (colon != std::string_view::npos) {
    std::string_view prefix = value.substr(0, colon);
    std::string_view suffix = value.substr(colon + 1);
    // 6.2
    if (prefix == "_" || suffix.substr(0, 2) == "//") return std::string(value);
    // 6.3
    define(prefix);
    // 6.4
    const TermDef* p = active.term(prefix);
    if (p && p->iri && p->prefix) return *p->iri + std::string(suffix);
    // 6.5
    if (isAbsoluteIri(value)) return std::string(value);
  }
  // 7.
  if (vocab && active.vocab) return *active.vocab + std::string(value);
  // 8.
  if (document_relative) return resolveAgainst(active.base, value);
  // 9.
  return std::string(value);
}

}  // namespace

// IRI Expansion while processing a local context: steps 3 and 6.3 define the
// local context's terms on first use.
OptString Processor::expandIriDefining(Context& active, std::string_view value,
                                       bool document_relative, bool vocab, const Json* local,
                                       Defined* defined, const OptString& base_url,
                                       const std::vector<std::string>& remote) {
  return expandIriSteps(active, value, document_relative, vocab, [&](std::string_view name) {
    if (!local || !local->has(name)) return;
    auto it = defined->find(name);
    if (it == defined->end() || !it->second) {
      createTermDefinition(active, *local, std::string(name), *defined, base_url, false, false,
                           remote, true);
    }
  });
}

OptString Processor::expandIri(const Context& active, std::string_view value,
                               bool document_relative, bool vocab) const {
  return expandIriSteps(active, value, document_relative, vocab, [](std::string_view) {});
}

}  // namespace weft::rdf::internal::jsonld
