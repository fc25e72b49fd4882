// SPDX-License-Identifier: Apache-2.0
// RML-IO SPARQL logical source: a SELECT query over an RDF file (loaded into
// an in-memory store) or over a weft store directory; each solution is a
// record, references are variable names, and values keep their RDF kind.
#include <unistd.h>

#include <filesystem>

#include "engine/db/database.h"
#include "engine/map/internal/functions.h"
#include "engine/sparql/parser.h"
#include "engine/sparql/results.h"

namespace weft::map::internal {

namespace {

int temp_counter = 0;

// A source over a temporary file, removed with the source.
class TempFileSource : public sources::Source {
 public:
  TempFileSource(std::unique_ptr<sources::Source> inner, std::filesystem::path path)
      : inner_(std::move(inner)), path_(std::move(path)) {}
  ~TempFileSource() override {
    inner_.reset();
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  Status compile(std::string_view r, sources::RefId* id) override { return inner_->compile(r, id); }
  Status next(bool* has) override { return inner_->next(has); }
  Status values(sources::RefId id, std::vector<sources::Value>* out) override { return inner_->values(id, out); }
  std::string position() const override { return inner_->position(); }

 private:
  std::unique_ptr<sources::Source> inner_;
  std::filesystem::path path_;
};

class SparqlSource : public sources::Source {
 public:
  SparqlSource(std::string name, sparql::ResultSet rs) : name_(std::move(name)), rs_(std::move(rs)) {}
  Status compile(std::string_view reference, sources::RefId* id) override {
    std::string_view v = reference;
    if (!v.empty() && (v[0] == '?' || v[0] == '$')) v.remove_prefix(1);
    for (size_t i = 0; i < rs_.vars.size(); ++i)
      if (rs_.vars[i] == v) {
        *id = static_cast<sources::RefId>(i);
        return Status::ok();
      }
    return Status::invalidArgument("the query has no variable '" + std::string(v) + "'");
  }
  Status next(bool* has) override {
    *has = row_ < rs_.rows.size();
    if (*has) ++row_;
    return Status::ok();
  }
  Status values(sources::RefId id, std::vector<sources::Value>* out) override {
    const rdf::Term& t = rs_.rows[row_ - 1][id];
    if (t.kind == rdf::TermKind::kNone) return Status::ok();
    sources::Value v;
    v.text = t.value;
    if (t.kind == rdf::TermKind::kIri) v.kind = sources::ValueKind::kIri;
    else if (t.kind == rdf::TermKind::kBlank) v.kind = sources::ValueKind::kBlank;
    else if (t.datatype != rdf::kXsdString && t.datatype != rdf::kRdfLangString) v.datatype = t.datatype;
    v.lang = t.lang;
    out->push_back(std::move(v));
    return Status::ok();
  }
  std::string position() const override { return name_ + " solution " + std::to_string(row_); }

 private:
  std::string name_;
  sparql::ResultSet rs_;
  size_t row_ = 0;
};

}  // namespace

Result<std::unique_ptr<sources::Source>> openSource(const sources::SourceSpec& spec) {
  switch (spec.kind) {
    case sources::SourceSpec::Kind::kCsv: return sources::openCsv(spec);
    case sources::SourceSpec::Kind::kJson: return sources::openJson(spec);
    case sources::SourceSpec::Kind::kXml: return sources::openXml(spec);
    case sources::SourceSpec::Kind::kSql: return sources::openSql(spec);
    case sources::SourceSpec::Kind::kSparql: return openSparqlSource(spec);
  }
  return Status::internal("unknown source kind");
}

Result<std::unique_ptr<sources::Source>> openSparqlSource(const sources::SourceSpec& spec) {
  if (spec.path.empty()) return Status::invalidArgument("a SPARQL source needs an RDF file or a weft store");
  if (spec.query.empty()) return Status::invalidArgument("a SPARQL source needs a query");
  std::unique_ptr<store::Store> st;
  if (std::filesystem::is_directory(spec.path)) {
    auto opened = store::Store::open(spec.path, store::OpenMode::kReadOnly);
    if (!opened.isOk()) return opened.status();
    st = std::move(opened.value());
  } else {
    auto loaded = db::loadFilesInMemory({spec.path});
    if (!loaded.isOk()) return loaded.status();
    st = std::move(loaded.value());
  }
  db::QueryRequest req;
  req.text = spec.query;
  {  // Every projected variable names one reference: no duplicates.
    auto parsed = sparql::parseQuery(req.text, {});
    if (!parsed.isOk()) return parsed.status();
    if (parsed.value().select_repeats_var)
      return Status::invalidArgument("the SPARQL query selects a variable twice, so its references are ambiguous");
  }
  sparql::QueryOutput out;
  if (!spec.iterator.empty()) {
    // JSONPath over the SPARQL JSON results (legacy rml.io: "ID.value"):
    // write them to a temporary file and read that as a JSON source.
    auto tmp = std::filesystem::temp_directory_path() /
               ("weft-sparql-" + std::to_string(::getpid()) + "-" + std::to_string(++temp_counter) + ".json");
    std::FILE* f = std::fopen(tmp.c_str(), "w");
    if (!f) return Status::ioError("cannot write " + tmp.string());
    auto w = sparql::makeResultWriter(sparql::ResultFormat::kJson, f);
    out.results = w.get();
    Status s = db::runQuery(*st, req, out);
    if (std::fclose(f) != 0 && s) s = Status::ioError("cannot write " + tmp.string());
    if (!s) return s;
    sources::SourceSpec js = spec;
    js.kind = sources::SourceSpec::Kind::kJson;
    js.path = tmp.string();
    auto src = sources::openJson(js);
    if (!src.isOk()) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      return src.status();
    }
    return std::unique_ptr<sources::Source>(std::make_unique<TempFileSource>(std::move(src.value()), tmp));
  }
  sparql::ResultSet rs;
  auto writer = sparql::makeResultSetWriter(&rs);
  out.results = writer.get();
  if (Status s = db::runQuery(*st, req, out); !s) return s;
  return std::unique_ptr<sources::Source>(
      std::make_unique<SparqlSource>(std::filesystem::path(spec.path).filename().string(), std::move(rs)));
}

}  // namespace weft::map::internal
