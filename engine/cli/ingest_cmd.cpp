// SPDX-License-Identifier: Apache-2.0
// `weft ingest` (see ingest_cmd.h): for each document, pick its connector,
// check it, run its mappings with INPUT = the document into one transaction,
// let the connector add what no mapping can, describe the document in the
// documents graph, commit. A refused document leaves nothing behind.
#include "engine/cli/ingest_cmd.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "connectors/api/connector.h"
#include "connectors/registry.h"
#include "engine/cli/literal_check.h"
#include "engine/cli/map_cmd.h"
#include "engine/cli/reason_cmd.h"
#include "engine/db/database.h"
#include "engine/map/executor.h"
#include "engine/map/loader.h"
#include "engine/shacl/shacl.h"
#include "engine/store/store.h"

namespace weft::cli {

namespace {

namespace fs = std::filesystem;

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr size_t kHeadBytes = 64 << 10;

constexpr std::string_view kDocGraphBase = "https://w3id.org/weft/doc/";
constexpr std::string_view kDocumentsGraph = "https://w3id.org/weft/graph/documents";
constexpr std::string_view kDt = "https://w3id.org/weft/dt#";
constexpr std::string_view kProv = "http://www.w3.org/ns/prov#";
constexpr std::string_view kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";

std::string iri(std::string_view ns, std::string_view local) { return std::string(ns) + std::string(local); }

// The file's SHA-256 (hex) and its first bytes, in one read.
Status hashFile(const std::string& path, std::string* hex, std::string* head) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::ioError("cannot open '" + path + "'");
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx);
    return Status::internal("cannot start a SHA-256 digest (libcrypto)");
  }
  std::vector<char> buf(1 << 20);
  head->clear();
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    std::streamsize n = in.gcount();
    if (n <= 0) break;
    if (head->size() < kHeadBytes)
      head->append(buf.data(), std::min<size_t>(static_cast<size_t>(n), kHeadBytes - head->size()));
    EVP_DigestUpdate(ctx, buf.data(), static_cast<size_t>(n));
  }
  if (in.bad()) {
    EVP_MD_CTX_free(ctx);
    return Status::ioError("cannot read '" + path + "'");
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  static const char* digits = "0123456789abcdef";
  hex->clear();
  for (unsigned int i = 0; i < len; ++i) {
    hex->push_back(digits[md[i] >> 4]);
    hex->push_back(digits[md[i] & 15]);
  }
  return Status::ok();
}

std::string nowUtc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Files named on the command line; folders are walked (sorted, hidden
// entries left out) so a whole export folder can be given at once.
struct InputFile {
  std::string path;
  bool from_folder;  // found by walking a folder (not named on the command line)
};
Status expandPaths(const std::vector<std::string>& in, std::vector<InputFile>* out) {
  for (const std::string& p : in) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        std::string name = it->path().filename().string();
        std::error_code fec;
        if (!name.empty() && name[0] == '.') {
          if (it->is_directory(fec)) it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file(fec)) found.push_back(it->path().string());
      }
      if (ec) return Status::ioError("cannot list '" + p + "': " + ec.message());
      std::sort(found.begin(), found.end());
      for (std::string& f : found) out->push_back({std::move(f), true});
    } else if (fs::is_regular_file(p, ec)) {
      out->push_back({p, false});
    } else {
      return Status::notFound("'" + p + "' is not a file or folder");
    }
  }
  return Status::ok();
}

// Mapping output without a graph goes to the document's graph; blank nodes
// get the document's own scope (store::Loader); quads are counted.
// Typed literals outside their datatype are kept as written and reported.
class DocumentSink : public rdf::QuadSink {
 public:
  DocumentSink(store::Transaction* txn, const std::string& graph) : loader_(txn), checked_(&loader_), graph_(graph) {
    loader_.startDocument();
  }
  Status quad(const rdf::QuadView& q) override {
    ++count_;
    if (!q.g.isNone()) return checked_.quad(q);
    rdf::QuadView r = q;
    r.g = rdf::TermView::iri(graph_);
    return checked_.quad(r);
  }
  uint64_t count() const { return count_; }
  void reportLiterals(const std::string& path) const { checked_.report(path + ": "); }

 private:
  store::Loader loader_;
  LiteralCheckSink checked_;
  std::string graph_;
  uint64_t count_ = 0;
};

class CountingSink : public rdf::QuadSink {
 public:
  Status quad(const rdf::QuadView&) override {
    ++count_;
    return Status::ok();
  }
  uint64_t count() const { return count_; }

 private:
  uint64_t count_ = 0;
};

// --shapes: keeps a copy of the document's own graph (graph-less quads and
// quads in the document's graph) in an in-memory store, so it can be
// validated before the document's transaction commits.
class ShapesTee : public rdf::QuadSink {
 public:
  ShapesTee(rdf::QuadSink* inner, const std::string& graph)
      : inner_(inner), graph_(graph), mem_(store::Store::openMemory()) {}
  Status open() {
    auto t = mem_->begin();
    if (!t) return t.status();
    txn_ = std::move(t.value());
    loader_ = std::make_unique<store::Loader>(txn_.get());
    loader_->startDocument();
    return Status::ok();
  }
  Status quad(const rdf::QuadView& q) override {
    if (q.g.isNone() || (q.g.isIri() && q.g.value == graph_)) {
      WEFT_TRY(loader_->quad(rdf::QuadView{q.s, q.p, q.o, rdf::TermView{}}));
    }
    return inner_->quad(q);
  }
  // Validates the copy; an error naming the first violations if it has any.
  Status check(const shacl::Shapes& shapes) {
    WEFT_TRY(txn_->commit());
    db::StoreDataset data(mem_->snapshot());
    shacl::ValidateOptions vo;
    vo.max_results = 1000;
    auto r = shacl::validate(data, shacl::DataScope::defaultGraph(), shapes, vo);
    if (!r) return Status(r.status().code(), "shapes: " + r.status().message());
    if (r.value().violations == 0) return Status::ok();
    std::string msg = "its graph does not conform to the shapes (" + std::to_string(r.value().violations) +
                      (r.value().violations == 1 ? " violation" : " violations") + ")";
    int shown = 0;
    for (const auto& res : r.value().results) {
      if (res.severity.value != "http://www.w3.org/ns/shacl#Violation") continue;
      if (++shown > 3) break;
      msg += "\n  " + shacl::shortName(res.focus_node.view(), shapes.prefixes());
      if (res.path)
        msg += " " + (res.path->kind == shacl::PropertyPath::Kind::kPredicate
                          ? shacl::shortName(rdf::TermView::iri(res.path->iri), shapes.prefixes())
                          : shacl::pathToSparql(*res.path));
      if (!res.value.isNone()) msg += " = " + shacl::shortName(res.value.view(), shapes.prefixes());
      if (!res.messages.empty()) msg += ": " + res.messages[0].value;
      msg += " (" + shapes.displayName(res.source_shape) + ")";
    }
    return Status::invalidArgument(msg);
  }

 private:
  rdf::QuadSink* inner_;
  std::string graph_;
  std::unique_ptr<store::Store> mem_;
  std::unique_ptr<store::Transaction> txn_;
  std::unique_ptr<store::Loader> loader_;
};

// What a file no connector reads looks like, for the message: its root
// element, its first JSON key, or its first line.
std::string looksLike(std::string_view head) {
  size_t i = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (i == std::string_view::npos) return "it is empty";
  auto clip = [](std::string_view v) {
    std::string out(v.substr(0, 60));
    for (char& c : out)
      if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    return out + (v.size() > 60 ? "..." : "");
  };
  if (head[i] == '<') {
    size_t at = i;
    while (at != std::string_view::npos && at + 1 < head.size() &&
           (head[at + 1] == '?' || head[at + 1] == '!'))  // declarations, comments
      at = head.find('<', head.find('>', at));
    if (at != std::string_view::npos) {
      size_t end = head.find_first_of(" \t\r\n/>", at + 1);
      if (end != std::string_view::npos) return "XML with root element <" + clip(head.substr(at + 1, end - at - 1)) + ">";
    }
    return "XML";
  }
  if (head[i] == '{' || head[i] == '[') return "JSON";
  size_t eol = head.find('\n', i);
  return "its first line is \"" + clip(head.substr(i, eol == std::string_view::npos ? eol : eol - i)) + "\"";
}

const connectors::Connector* pickConnector(const std::string& path, std::string_view head) {
  const connectors::Connector* best = nullptr;
  connectors::Match best_match = connectors::Match::kNo;
  for (const connectors::Connector& c : connectors::all()) {
    connectors::Match m = c.detect ? c.detect(path, head) : connectors::Match::kNo;
    if (m > best_match) {
      best = &c;
      best_match = m;
    }
  }
  return best;
}

// Is this document (by its hash) already in the store?
bool alreadyIngested(const store::Store& s, const std::string& graph) {
  auto snap = s.snapshot();
  store::TermId g = snap->lookup(rdf::TermView::iri(graph));
  store::TermId docs = snap->lookup(rdf::TermView::iri(kDocumentsGraph));
  if (g == 0 || docs == 0) return false;
  return snap->count(store::QuadIds{g, store::kAny, store::kAny, docs}) > 0;
}

struct DocResult {
  uint64_t records = 0;
  uint64_t triples = 0;
};

// The documents graph's description of one document (docs/connectors.md).
Status describe(rdf::QuadSink& out, const connectors::Document& doc, const std::string& connector,
                const DocResult& r) {
  const std::string g(kDocumentsGraph);
  auto add = [&](const std::string& s, const std::string& p, const rdf::TermView& o) {
    return out.quad(rdf::QuadView{rdf::TermView::iri(s), rdf::TermView::iri(p), o, rdf::TermView::iri(g)});
  };
  const std::string activity = doc.graph + "#ingest";
  const std::string integer = iri(kXsd, "integer");
  const std::string count_records = std::to_string(r.records), count_triples = std::to_string(r.triples);
  const std::string when = nowUtc();
  const std::string date_time = iri(kXsd, "dateTime");
  // Every IRI outlives the loop below: TermView only points into them.
  const std::string type = std::string(kRdfType), entity = iri(kProv, "Entity"),
                    source_document = iri(kDt, "SourceDocument"), prov_activity = iri(kProv, "Activity"),
                    agent = "https://w3id.org/weft/agent/weft";
  Status st;
  for (auto [s, p, o] : std::initializer_list<std::tuple<std::string, std::string, rdf::TermView>>{
           {doc.graph, type, rdf::TermView::iri(entity)},
           {doc.graph, type, rdf::TermView::iri(source_document)},
           {doc.graph, iri(kDt, "fileName"), rdf::TermView::literal(doc.name)},
           {doc.graph, iri(kDt, "sha256"), rdf::TermView::literal(doc.sha256)},
           {doc.graph, iri(kDt, "connector"), rdf::TermView::literal(connector)},
           {doc.graph, iri(kDt, "recordCount"), rdf::TermView::literal(count_records, integer)},
           {doc.graph, iri(kDt, "tripleCount"), rdf::TermView::literal(count_triples, integer)},
           {doc.graph, iri(kProv, "generatedAtTime"), rdf::TermView::literal(when, date_time)},
           {doc.graph, iri(kProv, "wasGeneratedBy"), rdf::TermView::iri(activity)},
           {activity, type, rdf::TermView::iri(prov_activity)},
           {activity, iri(kProv, "wasAssociatedWith"), rdf::TermView::iri(agent)},
           {activity, iri(kProv, "endedAtTime"), rdf::TermView::literal(when, date_time)},
       }) {
    if (st = add(s, p, o); !st) return st;
  }
  return Status::ok();
}

// What the flags resolve to, checked once before anything is opened.
struct Prepared {
  const connectors::Connector* forced = nullptr;
  size_t limit = 0;
  std::vector<InputFile> files;
  std::unique_ptr<shacl::Shapes> shapes;
};

Status prepare(const IngestFlags& f, Prepared* p) {
  if (!f.connector.empty()) {
    p->forced = connectors::find(f.connector);
    if (!p->forced) return Status::invalidArgument("no connector named '" + f.connector + "' (see --list)");
  }
  if (!parseSize(f.memory_limit, &p->limit))
    return Status::invalidArgument("--memory-limit " + f.memory_limit + " is not a size");
  WEFT_TRY(expandPaths(f.paths, &p->files));
  if (!f.shapes.empty()) {
    auto loaded = shacl::loadShapes(f.shapes);
    if (!loaded.isOk()) return loaded.status();
    p->shapes = std::make_unique<shacl::Shapes>(std::move(loaded.value()));
  }
  return Status::ok();
}

int ingestPrepared(store::Store* st_owner, const IngestFlags& f, const Prepared& prep, IngestSummary* summary);

}  // namespace

CLI::App* addIngestCommand(CLI::App& app, IngestFlags& f) {
  auto* c = app.add_subcommand("ingest",
                               "Read native records (ERP, EPCIS, B2MML, historian ...) through their connectors into a "
                               "store: one transaction and one named graph per document");
  c->add_option("--store", f.store_dir, "Store directory (created if missing)");
  c->add_option("--connector", f.connector, "Use this connector for every file instead of detecting it (see --list)");
  c->add_option("--mappings", f.mappings_dir,
                "Read the connectors' mapping documents from this folder (a checkout's mappings/) instead of the "
                "copies built into weft");
  c->add_option("--memory-limit", f.memory_limit, "Memory for a mapping's joins and duplicate elimination");
  c->add_flag("--list", f.list, "List the connectors and the mapping documents built into weft");
  c->add_flag("--dry-run", f.dry_run, "Check and map each document without writing anything");
  c->add_flag("-q,--quiet", f.quiet, "Only errors");
  c->add_flag("--no-reason", f.no_reason,
              "Leave the inferred graph as it is (by default a store reasoned before is brought up to date)");
  c->add_option("--shapes", f.shapes,
                "Validate each document's graph against these SHACL shapes (file or folder; repeat for more) and "
                "refuse a document with sh:Violation results")
      ->allow_extra_args(false);
  c->add_option("--graph-base", f.graph_base,
                "Put each document into the graph <IRI + its SHA-256> instead of <https://w3id.org/weft/doc/...>: "
                "one organisation's documents under its own IRI, so an access policy can grant them by prefix "
                "(docs/serving.md)");
  c->add_option("PATH", f.paths, "Files, or folders (read recursively) of record files");
  return c;
}

int cmdIngest(const IngestFlags& f) {
  if (f.list) {
    std::printf("connectors:\n");
    for (const auto& c : connectors::all()) std::printf("  %-18s %s\n", c.name.c_str(), c.summary.c_str());
    std::printf("mapping documents built in:\n");
    for (const auto& m : connectors::embeddedMappings()) std::printf("  %s\n", m.c_str());
    return 0;
  }
  auto usage = [](const std::string& m) {
    std::fprintf(stderr, "weft ingest: %s\nRun with --help for more information.\n", m.c_str());
    return kExitUsage;
  };
  if (f.paths.empty()) return usage("give the files or folders to ingest");
  if (f.store_dir.empty() && !f.dry_run) return usage("give --store DIR (or --dry-run)");
  Prepared prep;
  if (Status st = prepare(f, &prep); !st) return usage(st.message());

  std::unique_ptr<store::Store> opened_store;
  if (!f.dry_run) {
    auto opened = store::Store::open(f.store_dir, store::OpenMode::kCreateIfMissing);
    if (!opened.isOk()) {
      std::fprintf(stderr, "weft: error: %s\n", opened.status().toString().c_str());
      return kExitFailure;
    }
    opened_store = std::move(opened.value());
  }
  return ingestPrepared(opened_store.get(), f, prep, nullptr);
}

int ingestInto(store::Store* s, const IngestFlags& f, IngestSummary* summary) {
  Prepared prep;
  if (Status st = prepare(f, &prep); !st) {
    if (summary) summary->refusals.push_back(st.message());
    return kExitUsage;
  }
  return ingestPrepared(s, f, prep, summary);
}

namespace {

int ingestPrepared(store::Store* st_owner, const IngestFlags& f, const Prepared& prep, IngestSummary* summary) {
  const connectors::Connector* forced = prep.forced;
  const size_t limit = prep.limit;
  const std::vector<InputFile>& files = prep.files;
  const shacl::Shapes* shapes = prep.shapes.get();
  const std::string graph_base = f.graph_base.empty() ? std::string(kDocGraphBase) : f.graph_base;
  const auto t0 = std::chrono::steady_clock::now();
  size_t ok = 0, skipped = 0, refused = 0;
  uint64_t total_records = 0, total_triples = 0;
  auto refuse = [&](const std::string& path, const std::string& why) {
    std::fprintf(stderr, "weft: error: %s: %s (nothing from this document was written)\n", path.c_str(),
                 why.c_str());
    if (summary) summary->refusals.push_back(fs::path(path).filename().string() + ": " + why);
    ++refused;
  };
  // Hash and pick every file's connector first, then go in stage order.
  struct Planned {
    connectors::Document doc;
    const connectors::Connector* conn;
  };
  std::vector<Planned> plan;
  size_t unclaimed = 0;
  for (const auto& [path, from_folder] : files) {
    connectors::Document doc;
    doc.path = path;
    doc.name = fs::path(path).filename().string();
    doc.store_dir = f.dry_run ? std::string() : f.store_dir;
    std::string head;
    if (Status hs = hashFile(path, &doc.sha256, &head); !hs) {
      refuse(path, hs.message());
      continue;
    }
    doc.graph = graph_base + doc.sha256;
    const connectors::Connector* conn = forced ? forced : pickConnector(path, head);
    if (!conn && from_folder) {  // a README or schema beside the records
      if (!f.quiet)
        std::fprintf(stderr, "weft ingest: %s: no connector reads this file (%s), left out\n", path.c_str(),
                     looksLike(head).c_str());
      ++unclaimed;
      continue;
    }
    if (!conn) {
      refuse(path, "no connector reads this file (" + looksLike(head) +
                       "; see weft ingest --list, or name one with --connector)");
      continue;
    }
    plan.push_back({std::move(doc), conn});
  }
  std::stable_sort(plan.begin(), plan.end(),
                   [](const Planned& a, const Planned& b) { return a.conn->stage < b.conn->stage; });
  for (size_t i = 0; i < plan.size(); ++i) {
    const connectors::Document& doc = plan[i].doc;
    const connectors::Connector* conn = plan[i].conn;
    const std::string& path = doc.path;
    if (summary) summary->graphs.push_back(doc.graph);
    if (st_owner && alreadyIngested(*st_owner, doc.graph)) {
      if (!f.quiet)
        std::fprintf(stderr, "weft ingest: [%zu/%zu] %s: already ingested (same bytes), left as it is\n", i + 1,
                     plan.size(), path.c_str());
      ++skipped;
      continue;
    }
    DocResult r;
    if (conn->validate) {
      if (Status vs = conn->validate(doc, &r.records); !vs) {
        refuse(path, vs.message());
        continue;
      }
    }
    std::unique_ptr<store::Transaction> txn;
    std::unique_ptr<rdf::QuadSink> sink;
    if (st_owner) {
      auto b = st_owner->begin();
      if (!b.isOk()) {
        refuse(path, b.status().message());
        continue;
      }
      txn = std::move(b.value());
      sink = std::make_unique<DocumentSink>(txn.get(), doc.graph);
    } else {
      sink = std::make_unique<CountingSink>();
    }
    Status st;
    std::unique_ptr<ShapesTee> tee;
    rdf::QuadSink* out = sink.get();
    if (shapes) {
      tee = std::make_unique<ShapesTee>(sink.get(), doc.graph);
      st = tee->open();
      out = tee.get();
    }
    uint64_t mapped_records = 0;
    for (const std::string& rel : st ? conn->mappings(doc) : std::vector<std::string>{}) {
      auto text = connectors::mappingText(rel, f.mappings_dir);
      if (!text.isOk()) {
        st = text.status();
        break;
      }
      map::LoadOptions lo;
      lo.input = path;
      auto mapping = map::loadMappingText(text.value(), "mappings/" + rel, fs::path(path).parent_path().string(), lo);
      if (!mapping.isOk()) {
        st = Status::invalidArgument("mapping " + rel + ": " + mapping.status().message());
        break;
      }
      map::RunOptions ro;
      ro.memory_limit = limit;
      // Duplicates dropped here too (not only by the store), so a document's
      // tripleCount is the number of distinct triples its graph holds.
      ro.dedupe = true;
      map::RunStats stats;
      st = map::runMapping(mapping.value(), ro, *out, &stats);
      if (!st) break;
      mapped_records = std::max(mapped_records, stats.records);
    }
    if (st && conn->after) {
      uint64_t after_records = 0;
      st = conn->after(doc, *out, &after_records);
      if (r.records == 0) r.records = after_records;
    }
    if (r.records == 0) r.records = mapped_records;
    if (st && tee) st = tee->check(*shapes);
    if (st) {
      r.triples = st_owner ? static_cast<DocumentSink*>(sink.get())->count()
                           : static_cast<CountingSink*>(sink.get())->count();
      if (st_owner) {
        st = describe(*sink, doc, conn->name, r);
        if (st) st = txn->commit();
      }
    }
    if (!st) {
      if (txn) txn->rollback();
      refuse(path, st.message());
      continue;
    }
    if (st_owner) static_cast<DocumentSink*>(sink.get())->reportLiterals(path);
    ++ok;
    total_records += r.records;
    total_triples += r.triples;
    if (!f.quiet)
      std::fprintf(stderr, "weft ingest: [%zu/%zu] %s (%s): %llu records, %llu triples%s\n", i + 1, plan.size(),
                   path.c_str(), conn->name.c_str(), static_cast<unsigned long long>(r.records),
                   static_cast<unsigned long long>(r.triples), f.dry_run ? " (dry run)" : "");
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!f.quiet || refused)
    std::fprintf(stderr,
                 "weft ingest: %zu documents ingested, %zu already present, %zu refused, %zu files no connector "
                 "reads; %llu records, %llu triples, %.2f s\n",
                 ok, skipped, refused, unclaimed, static_cast<unsigned long long>(total_records),
                 static_cast<unsigned long long>(total_triples), secs);
  if (summary) {
    summary->ok = ok, summary->skipped = skipped, summary->refused = refused, summary->unclaimed = unclaimed;
    summary->records = total_records, summary->triples = total_triples;
  }
  // A store reasoned before gets its inferred graph brought up to date
  // (incrementally: docs/reasoning.md).
  if (ok > 0 && st_owner && !f.dry_run && !f.no_reason && !keepClosure(*st_owner, f.quiet))
    return kExitFailure;
  return refused ? kExitFailure : 0;
}

}  // namespace

}  // namespace weft::cli
