// SPDX-License-Identifier: Apache-2.0
#include "engine/stream/processor.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <unordered_set>

#include "connectors/historian/historian.h"
#include "engine/stream/documents.h"

namespace weft::stream {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kDocGraphBase = "https://w3id.org/weft/doc/";
constexpr std::string_view kDocumentsGraph = "https://w3id.org/weft/graph/documents";
constexpr std::string_view kDt = "https://w3id.org/weft/dt#";
constexpr std::string_view kProv = "http://www.w3.org/ns/prov#";
constexpr std::string_view kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr std::string_view kXsdInteger = "http://www.w3.org/2001/XMLSchema#integer";
constexpr std::string_view kXsdDateTime = "http://www.w3.org/2001/XMLSchema#dateTime";

std::string dt(std::string_view local) { return std::string(kDt) + std::string(local); }

int64_t wallMs(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// One message of the batch and what became of it.
struct Item {
  Disposition disposition = Disposition::kStored;
  std::string key, reason;
  const Route* route = nullptr;
  std::vector<StreamSample> samples;
  std::string doc_graph;  // document kinds
  bool doc_new = false;   // its graph is written by this batch
  MappedDocument doc;
};

// Adds quads with owned strings kept alive for the call.
class Writer {
 public:
  explicit Writer(rdf::QuadSink& out) : out_(out) {}
  Status iri(const std::string& s, const std::string& p, const std::string& o, std::string_view g) {
    return out_.quad({rdf::TermView::iri(s), rdf::TermView::iri(p), rdf::TermView::iri(o), rdf::TermView::iri(g)});
  }
  Status lit(const std::string& s, const std::string& p, const std::string& v, std::string_view type,
             std::string_view g) {
    return out_.quad(
        {rdf::TermView::iri(s), rdf::TermView::iri(p), rdf::TermView::literal(v, type), rdf::TermView::iri(g)});
  }
  Status str(const std::string& s, const std::string& p, const std::string& v, std::string_view g) {
    return out_.quad({rdf::TermView::iri(s), rdf::TermView::iri(p), rdf::TermView::literal(v), rdf::TermView::iri(g)});
  }

 private:
  rdf::QuadSink& out_;
};

// Gives a mapped document's graph-less quads the document's graph.
class GraphSink : public rdf::QuadSink {
 public:
  GraphSink(rdf::QuadSink& inner, const std::string& graph) : inner_(inner), graph_(graph) {}
  Status quad(const rdf::QuadView& q) override {
    if (!q.g.isNone()) return inner_.quad(q);
    rdf::QuadView r = q;
    r.g = rdf::TermView::iri(graph_);
    return inner_.quad(r);
  }

 private:
  rdf::QuadSink& inner_;
  const std::string& graph_;
};

}  // namespace

struct Processor::Impl {
  store::Store* store;
  Config config;
  std::string table_path, tmp_dir;
  sqlite3* db = nullptr;
  sqlite3_stmt* del = nullptr;
  sqlite3_stmt* ins = nullptr;

  ~Impl() {
    sqlite3_finalize(del);
    sqlite3_finalize(ins);
    if (db) sqlite3_close(db);
    std::error_code ec;
    fs::remove_all(tmp_dir, ec);
  }

  Status sqlError(const std::string& what) const {
    return Status::ioError("timeseries table " + table_path + ": " + what + ": " + (db ? sqlite3_errmsg(db) : "?"));
  }
  Status exec(const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return sqlError(sql);
    return Status::ok();
  }
  // The historian connector's table (connectors/historian/historian.h),
  // created the same way if this is the first writer.
  Status openTable() {
    if (db) return Status::ok();
    if (sqlite3_open_v2(table_path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
      return sqlError("cannot open");
    sqlite3_busy_timeout(db, 10000);
    WEFT_TRY(exec("PRAGMA journal_mode=WAL"));
    WEFT_TRY(
        exec("CREATE TABLE IF NOT EXISTS samples(doc TEXT NOT NULL, tag TEXT NOT NULL, ts INTEGER NOT NULL,"
             " value REAL, quality TEXT NOT NULL)"));
    WEFT_TRY(exec("CREATE INDEX IF NOT EXISTS samples_tag_ts ON samples(tag, ts)"));
    WEFT_TRY(exec("CREATE INDEX IF NOT EXISTS samples_doc ON samples(doc)"));
    if (sqlite3_prepare_v2(db, "DELETE FROM samples WHERE doc = ?1", -1, &del, nullptr) != SQLITE_OK)
      return sqlError("prepare");
    if (sqlite3_prepare_v2(db, "INSERT INTO samples(doc, tag, ts, value, quality) VALUES (?1, ?2, ?3, ?4, ?5)", -1,
                           &ins, nullptr) != SQLITE_OK)
      return sqlError("prepare");
    return Status::ok();
  }

  Status writeSamples(const std::vector<Item>& items, uint64_t* rows) {
    bool any = false;
    for (const Item& it : items) any |= it.disposition == Disposition::kStored && !it.samples.empty();
    if (!any) return Status::ok();
    WEFT_TRY(openTable());
    WEFT_TRY(exec("BEGIN IMMEDIATE"));
    Status st = [&]() -> Status {
      for (const Item& it : items) {
        if (it.disposition != Disposition::kStored || it.samples.empty()) continue;
        const std::string doc = "mqtt:" + it.key;
        sqlite3_reset(del);
        sqlite3_bind_text(del, 1, doc.data(), static_cast<int>(doc.size()), SQLITE_TRANSIENT);
        if (sqlite3_step(del) != SQLITE_DONE) return sqlError("deleting a message's earlier rows");
        for (const StreamSample& s : it.samples) {
          sqlite3_reset(ins);
          sqlite3_bind_text(ins, 1, doc.data(), static_cast<int>(doc.size()), SQLITE_TRANSIENT);
          sqlite3_bind_text(ins, 2, s.tag.data(), static_cast<int>(s.tag.size()), SQLITE_TRANSIENT);
          sqlite3_bind_int64(ins, 3, s.ts);
          if (s.value)
            sqlite3_bind_double(ins, 4, *s.value);
          else
            sqlite3_bind_null(ins, 4);
          sqlite3_bind_text(ins, 5, s.quality.data(), static_cast<int>(s.quality.size()), SQLITE_TRANSIENT);
          if (sqlite3_step(ins) != SQLITE_DONE) return sqlError("inserting a sample");
          ++*rows;
        }
      }
      return exec("COMMIT");
    }();
    if (!st) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return st;
  }
};

Processor::Processor(store::Store* store, const Config& config) : impl_(std::make_unique<Impl>()) {
  impl_->store = store;
  impl_->config = config;
  impl_->table_path = (fs::path(store->dir()) / "timeseries.sqlite").string();
  impl_->tmp_dir = (fs::path(store->dir()) / ".stream-tmp").string();
}

Processor::~Processor() = default;

Result<BatchResult> Processor::process(const std::vector<Message>& batch) {
  Impl& m = *impl_;
  BatchResult r;
  auto snap = m.store->snapshot();
  const store::TermId type_id = snap->lookup(rdf::TermView::iri(kRdfType));
  const store::TermId docs_id = snap->lookup(rdf::TermView::iri(kDocumentsGraph));
  auto handledBefore = [&](const std::string& iri) {
    if (type_id == 0) return false;
    store::TermId id = snap->lookup(rdf::TermView::iri(iri));
    return id != 0 && snap->count(store::QuadIds{id, type_id, store::kAny, store::kAny}) > 0;
  };
  auto ingestedBefore = [&](const std::string& graph) {
    if (docs_id == 0) return false;
    store::TermId g = snap->lookup(rdf::TermView::iri(graph));
    return g != 0 && snap->count(store::QuadIds{g, store::kAny, store::kAny, docs_id}) > 0;
  };

  std::vector<Item> items(batch.size());
  std::unordered_set<std::string> keys, docs;
  for (size_t i = 0; i < batch.size(); ++i) {
    const Message& msg = batch[i];
    Item& it = items[i];
    it.route = routeFor(m.config, msg.topic);
    it.key = messageKey(msg.topic, msg.payload, it.route ? it.route->id_field : std::string());
    if (!keys.insert(it.key).second || handledBefore(messageIri(it.key))) {
      it.disposition = Disposition::kDuplicate;
      continue;
    }
    auto dead = [&](std::string why) {
      it.disposition = Disposition::kDeadLettered;
      it.reason = std::move(why);
    };
    if (!it.route) {
      dead("no route of the configuration matches the topic");
    } else if (msg.payload.size() > m.config.max_payload_bytes) {
      dead("payload of " + std::to_string(msg.payload.size()) + " bytes is over max_payload_bytes (" +
           std::to_string(m.config.max_payload_bytes) + ")");
    } else if (it.route->kind == Kind::kHistorianSamples) {
      auto s = decodeSamples(msg.payload);
      if (!s)
        dead(s.status().message());
      else
        it.samples = std::move(s.value());
    } else {
      const std::string sha = sha256Hex(msg.payload);
      it.doc_graph = std::string(kDocGraphBase) + sha;
      if (docs.count(it.doc_graph) || ingestedBefore(it.doc_graph)) continue;  // same bytes as before: recorded only
      Status st = mapDocument(*it.route, msg.payload, sha, it.doc_graph, m.tmp_dir, &it.doc);
      if (!st) {
        dead(it.doc.connector.empty() ? st.message() : it.doc.connector + ": " + st.message());
        it.doc = MappedDocument();
      } else {
        it.doc_new = true;
        docs.insert(it.doc_graph);
      }
    }
  }

  WEFT_TRY(m.writeSamples(items, &r.samples));

  auto begun = m.store->begin();
  if (!begun) return begun.status();
  std::unique_ptr<store::Transaction> txn = std::move(begun.value());
  store::Loader loader(txn.get());
  Writer w(loader);
  const std::string committed = connectors::historian::formatTimestamp(wallMs(std::chrono::system_clock::now()));
  const std::string type(kRdfType), topic = dt("topic"), received = dt("receivedAt");
  Status st;
  for (size_t i = 0; i < items.size() && st; ++i) {
    const Item& it = items[i];
    const Message& msg = batch[i];
    const std::string s = messageIri(it.key);
    const std::string when = connectors::historian::formatTimestamp(wallMs(msg.received_wall));
    switch (it.disposition) {
      case Disposition::kDuplicate: break;
      case Disposition::kDeadLettered:
        if (!(st = w.iri(s, type, dt("DeadLetter"), kDeadLetterGraph))) break;
        if (!(st = w.str(s, topic, msg.topic, kDeadLetterGraph))) break;
        if (!(st = w.lit(s, received, when, kXsdDateTime, kDeadLetterGraph))) break;
        if (!(st = w.str(s, dt("reason"), it.reason, kDeadLetterGraph))) break;
        if (!(st = w.str(s, dt("payloadPrefix"), payloadPrefix(msg.payload), kDeadLetterGraph))) break;
        st = w.lit(s, dt("payloadBytes"), std::to_string(msg.payload.size()), kXsdInteger, kDeadLetterGraph);
        break;
      case Disposition::kStored:
        if (!(st = w.iri(s, type, dt("StreamMessage"), kStreamGraph))) break;
        if (!(st = w.str(s, topic, msg.topic, kStreamGraph))) break;
        if (!(st = w.lit(s, received, when, kXsdDateTime, kStreamGraph))) break;
        if (!(st = w.lit(s, dt("committedAt"), committed, kXsdDateTime, kStreamGraph))) break;
        if (it.route->kind == Kind::kHistorianSamples) {
          st = w.lit(s, dt("sampleCount"), std::to_string(it.samples.size()), kXsdInteger, kStreamGraph);
          break;
        }
        if (!(st = w.iri(s, dt("document"), it.doc_graph, kStreamGraph))) break;
        if (it.doc_new) {
          // The document's own quads (blank nodes scoped to it) and its
          // description, as `weft ingest` writes them (docs/connectors.md).
          loader.startDocument();
          GraphSink g(loader, it.doc_graph);
          for (const rdf::Quad& q : it.doc.quads)
            if (!(st = g.quad(q.view()))) break;
          if (!st) break;
          const std::string& d = it.doc_graph;
          const std::string activity = d + "#ingest";
          for (const auto& [p, o] :
               {std::pair{type, std::string(kProv) + "Entity"}, std::pair{type, dt("SourceDocument")},
                std::pair{std::string(kProv) + "wasGeneratedBy", activity}})
            if (!(st = w.iri(d, p, o, kDocumentsGraph))) break;
          if (!st) break;
          if (!(st = w.str(d, dt("fileName"), "mqtt:" + msg.topic, kDocumentsGraph))) break;
          if (!(st = w.str(d, dt("sha256"), d.substr(kDocGraphBase.size()), kDocumentsGraph))) break;
          if (!(st = w.str(d, dt("connector"), it.doc.connector, kDocumentsGraph))) break;
          if (!(st = w.lit(d, dt("recordCount"), std::to_string(it.doc.records), kXsdInteger, kDocumentsGraph))) break;
          if (!(st = w.lit(d, dt("tripleCount"), std::to_string(it.doc.quads.size()), kXsdInteger, kDocumentsGraph)))
            break;
          if (!(st = w.lit(d, std::string(kProv) + "generatedAtTime", committed, kXsdDateTime, kDocumentsGraph))) break;
          if (!(st = w.iri(activity, type, std::string(kProv) + "Activity", kDocumentsGraph))) break;
          if (!(st = w.iri(activity, std::string(kProv) + "wasAssociatedWith", "https://w3id.org/weft/agent/weft",
                           kDocumentsGraph)))
            break;
          st = w.lit(activity, std::string(kProv) + "endedAtTime", committed, kXsdDateTime, kDocumentsGraph);
          ++r.documents;
        }
        break;
    }
  }
  txn->recordChanges(&r.delta);
  if (st) st = txn->commit();
  if (!st) {
    txn->rollback();
    return st;
  }
  r.quads = txn->added();
  r.dispositions.reserve(items.size());
  for (Item& it : items) {
    r.dispositions.push_back(it.disposition);
    r.reasons.push_back(std::move(it.reason));
    switch (it.disposition) {
      case Disposition::kStored: ++r.stored; break;
      case Disposition::kDeadLettered: ++r.dead_lettered; break;
      case Disposition::kDuplicate: ++r.duplicates; break;
    }
  }
  return r;
}

LedgerCounts countLedger(const store::Store& s) {
  LedgerCounts c;
  auto snap = s.snapshot();
  const store::TermId type = snap->lookup(rdf::TermView::iri(kRdfType));
  auto count = [&](std::string_view cls, std::string_view graph) -> uint64_t {
    store::TermId o = snap->lookup(rdf::TermView::iri(dt(cls)));
    store::TermId g = snap->lookup(rdf::TermView::iri(graph));
    if (!type || !o || !g) return 0;
    return snap->count(store::QuadIds{store::kAny, type, o, g});
  };
  c.stored = count("StreamMessage", kStreamGraph);
  c.dead_lettered = count("DeadLetter", kDeadLetterGraph);
  return c;
}

}  // namespace weft::stream
