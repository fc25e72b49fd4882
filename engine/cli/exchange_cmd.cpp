// SPDX-License-Identifier: Apache-2.0
#include "engine/cli/exchange_cmd.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/rdf/canon.h"
#include "engine/rdf/graph_compare.h"
#include "engine/rdf/syntax.h"
#include "engine/server/policy.h"
#include "engine/store/store.h"

namespace fs = std::filesystem;

namespace weft::cli {
namespace {

constexpr std::string_view kDt = "https://w3id.org/weft/dt#";
constexpr std::string_view kProv = "http://www.w3.org/ns/prov#";
constexpr std::string_view kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr std::string_view kRdfCanon = "https://www.w3.org/TR/rdf-canon/";
constexpr std::string_view kPackageBase = "https://w3id.org/weft/package/";
constexpr const char* kManifest = "manifest.ttl";
constexpr const char* kSignature = "manifest.sig";

std::string dt(std::string_view local) { return std::string(kDt) + std::string(local); }

int fail(const Status& s) {
  std::fprintf(stderr, "weft: error: %s\n", s.toString().c_str());
  return 1;
}

// ---- small helpers ------------------------------------------------------------

Result<std::string> slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::notFound("cannot read '" + path.string() + "': " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::ioError("cannot read '" + path.string() + "'");
  return ss.str();
}

// Written under a temporary name and renamed: a reader never sees half a file.
Status writeAtomically(const fs::path& path, std::string_view bytes) {
  const std::string tmp = path.string() + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status::ioError("cannot create '" + tmp + "': " + std::strerror(errno));
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok = std::fflush(f) == 0 && ok;
  ok = std::fclose(f) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::ioError("cannot write '" + path.string() + "': " + std::strerror(errno));
  }
  return Status::ok();
}

bool isHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string sha256OfFile(const fs::path& path, Status* st) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    *st = Status::notFound("cannot read '" + path.string() + "': " + std::strerror(errno));
    return {};
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::vector<char> buf(1 << 16);
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) EVP_DigestUpdate(ctx, buf.data(), n);
  bool err = std::ferror(f);
  std::fclose(f);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  if (err) {
    *st = Status::ioError("cannot read '" + path.string() + "'");
    return {};
  }
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

std::string utcNow() {
  std::time_t t = std::time(nullptr);
  // Reproducible packages (same store, same bytes) when the build asks for it.
  if (const char* e = std::getenv("SOURCE_DATE_EPOCH")) t = static_cast<std::time_t>(std::strtoll(e, nullptr, 10));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string term(const rdf::Term& t) {
  std::string out;
  rdf::appendCanonicalTerm(out, t.view());
  return out;
}
std::string literal(std::string_view s) { return term(rdf::Term::literal(s)); }

// ---- Ed25519 (libcrypto) ----------------------------------------------------------

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Result<Pkey> readKey(const std::string& path, bool private_key) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Status::notFound("cannot read the key '" + path + "': " + std::strerror(errno));
  EVP_PKEY* k = private_key ? PEM_read_PrivateKey(f, nullptr, nullptr, nullptr)
                            : PEM_read_PUBKEY(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (!k) {
    return Status::invalidArgument("'" + path + "' is not a PEM " +
                                   (private_key ? "private" : "public") + " key");
  }
  Pkey key(k);
  if (EVP_PKEY_id(k) != EVP_PKEY_ED25519) {
    return Status::invalidArgument("'" + path + "' is not an Ed25519 key (make one with: openssl genpkey -algorithm ed25519)");
  }
  return key;
}

Result<std::string> sign(const std::string& key_path, std::string_view message) {
  auto key = readKey(key_path, true);
  if (!key) return key.status();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  std::string sig;
  bool ok = EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key->get()) == 1 &&
            EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                        reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) return Status::internal("Ed25519 signing failed");
  std::string b64(4 * ((sig.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                          reinterpret_cast<const unsigned char*>(sig.data()), static_cast<int>(sig.size()));
  b64.resize(static_cast<size_t>(n));
  return b64 + "\n";
}

Status verify(const std::string& key_path, std::string_view message, std::string b64) {
  auto key = readKey(key_path, false);
  if (!key) return key.status();
  while (!b64.empty() && (b64.back() == '\n' || b64.back() == '\r' || b64.back() == ' ')) b64.pop_back();
  std::string sig(b64.size(), '\0');
  int n = b64.empty() ? -1
                      : EVP_DecodeBlock(reinterpret_cast<unsigned char*>(sig.data()),
                                        reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
  // EVP_DecodeBlock counts the padding as zero bytes; an Ed25519 signature is 64 bytes.
  if (n < 64) return Status::invalidArgument(std::string(kSignature) + " is not a base64 Ed25519 signature");
  sig.resize(64);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key->get()) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return Status::invalidArgument("the signature " + std::string(kSignature) + " does not verify with '" + key_path + "'");
  return Status::ok();
}

// ---- export --for ---------------------------------------------------------------------

struct GraphCounts {
  uint64_t quads = 0;
  uint64_t default_graph = 0;
  std::map<std::string, uint64_t> named;  // graph IRI -> quads
  uint64_t blank_named = 0;               // quads in graphs named by blank nodes
  void add(const rdf::TermView& g) {
    ++quads;
    if (g.isNone()) ++default_graph;
    else if (g.isIri()) ++named[std::string(g.value)];
    else ++blank_named;
  }
};

// Counts the quads of the canonical N-Quads per graph (they are distinct).
class CountingSink : public rdf::QuadSink {
 public:
  Status quad(const rdf::QuadView& q) override {
    counts.add(q.g);
    return Status::ok();
  }
  GraphCounts counts;
};

Result<GraphCounts> countCanonical(const std::string& nquads) {
  CountingSink sink;
  rdf::ReadOptions ro;
  ro.format = rdf::Format::kNQuads;
  ro.display_name = "canonical N-Quads";
  WEFT_TRY(rdf::readString(nquads, ro, sink));
  return sink.counts;
}

// Adds quads to a transaction with the package's blank nodes in a scope of their own.
class ImportSink : public rdf::QuadSink {
 public:
  ImportSink(store::Transaction* txn, std::string scope) : txn_(txn), scope_(std::move(scope)) {}
  Status quad(const rdf::QuadView& q) override {
    rdf::QuadView v{scoped(q.s, s_), q.p, scoped(q.o, o_), scoped(q.g, g_)};
    return txn_->add(v);
  }

 private:
  rdf::TermView scoped(const rdf::TermView& t, std::string& buf) {
    if (!t.isBlank()) return t;
    buf = scope_;
    buf.append(t.value);
    return rdf::TermView::blank(buf);
  }
  store::Transaction* txn_;
  std::string scope_, s_, o_, g_;
};

std::string manifestText(const std::string& canonical_hash, const std::string& data_file,
                         const std::string& file_hash, uint64_t quads, const GraphCounts& counts,
                         const std::string& for_org, const std::string& from, const std::string& store_name) {
  std::string m;
  m += "# weft exchange package (docs/serving.md, \"Exchange packages\"). dt:canonicalHash is the\n"
       "# SHA-256 of the RDFC-1.0 canonical N-Quads of " + data_file + "; `weft import` checks it.\n";
  m += "@prefix dt: <" + std::string(kDt) + "> .\n";
  m += "@prefix prov: <" + std::string(kProv) + "> .\n";
  m += "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n";
  m += "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\n";
  m += "<" + std::string(kPackageBase) + canonical_hash + "> a dt:ExchangePackage , prov:Entity ;\n";
  m += "    rdfs:label " + literal("weft exchange package for " + for_org) + " ;\n";
  if (!from.empty()) {
    m += "    prov:wasAttributedTo [ a prov:Organization ; rdfs:label " + literal(from) + " ] ;\n";
  } else {
    m += "    prov:wasAttributedTo [ a prov:SoftwareAgent ; rdfs:label " + literal("weft store " + store_name) + " ] ;\n";
  }
  m += "    dt:recipient [ a prov:Organization ; rdfs:label " + literal(for_org) + " ] ;\n";
  m += "    prov:generatedAtTime \"" + utcNow() + "\"^^xsd:dateTime ;\n";
  if (!counts.named.empty()) {
    m += "    prov:wasDerivedFrom ";
    bool first = true;
    for (const auto& [g, n] : counts.named) {
      m += std::string(first ? "" : " ,\n        ") + term(rdf::Term::iri(g));
      first = false;
    }
    m += " ;\n";
  }
  m += "    dt:canonicalization <" + std::string(kRdfCanon) + "> ;\n";
  m += "    dt:canonicalHash " + literal(canonical_hash) + " ;\n";
  m += "    dt:dataFile " + literal(data_file) + " ;\n";
  m += "    dt:dataFileSha256 " + literal(file_hash) + " ;\n";
  m += "    dt:quadCount " + std::to_string(quads);
  if (counts.default_graph) m += " ;\n    dt:defaultGraphQuadCount " + std::to_string(counts.default_graph);
  for (const auto& [g, n] : counts.named)
    m += " ;\n    dt:graphPart [ dt:graphName " + term(rdf::Term::iri(g)) + " ; dt:quadCount " + std::to_string(n) + " ]";
  m += " .\n";
  return m;
}

int cmdPackageExport(const ExchangeFlags& f) {
  CLI::App* exp = f.export_cmd;
  const std::string store_dir = exp->get_option("--store")->as<std::string>();
  std::string format = "nq";
  if (exp->get_option("--format")->count()) format = exp->get_option("--format")->as<std::string>();
  const rdf::Format fmt = rdf::formatFromName(format);
  const std::vector<std::string> wanted = exp->get_option("--graph")->results();

  auto policy = server::Policy::load(f.config);
  if (!policy) return fail(policy.status());
  const server::Organisation* org = policy->organisation(f.for_org);
  if (!org) {
    std::string names;
    for (const auto& [n, o] : policy->organisations) names += (names.empty() ? "" : ", ") + n;
    return fail(Status::invalidArgument("no organisation '" + f.for_org + "' in " + f.config +
                                        (names.empty() ? " (it names none)" : " (it names " + names + ")")));
  }
  const db::GraphGrant& grant = org->read;

  auto st = store::Store::open(store_dir, store::OpenMode::kReadOnly);
  if (!st) return fail(st.status());
  auto snap = st.value()->snapshot();

  // The graphs to write: those the organisation may read, narrowed by --graph.
  std::vector<store::TermId> graphs;
  uint64_t skipped_blank = 0;
  const std::vector<store::TermId> named = snap->graphs();
  rdf::Term t;
  if (!wanted.empty()) {
    std::set<store::TermId> seen;
    for (const std::string& g : wanted) {
      store::TermId id;
      if (g == "default") {
        if (!grant.allowsDefaultGraph())
          return fail(Status::invalidArgument("'" + f.for_org + "' may not read the default graph (policy " + f.config + ")"));
        id = store::kDefaultGraph;
      } else {
        if (!grant.allows(g))
          return fail(Status::invalidArgument("'" + f.for_org + "' may not read <" + g + "> (policy " + f.config + ")"));
        id = snap->lookup(rdf::TermView::iri(g));
        if (id == 0 || std::find(named.begin(), named.end(), id) == named.end())
          return fail(Status::notFound("no graph <" + g + "> in the store"));
      }
      if (seen.insert(id).second) graphs.push_back(id);
    }
  } else {
    if (grant.allowsDefaultGraph()) graphs.push_back(store::kDefaultGraph);
    for (store::TermId id : named) {
      if (!snap->decode(id, &t)) return fail(Status::corruption("a graph id has no term; run 'weft check'"));
      if (t.kind != rdf::TermKind::kIri) {
        // A policy names graphs by IRI; a blank graph name cannot be granted.
        ++skipped_blank;
        continue;
      }
      if (grant.allows(t.value)) graphs.push_back(id);
    }
  }

  // Quads go straight from the scan into the canonicalizer, which keeps
  // each distinct term once.
  rdf::CanonOptions co;
  co.max_deep_iterations = f.max_deep_iterations;
  co.keep_quads = fmt == rdf::Format::kTriG;
  rdf::DatasetCanonicalizer canonicalizer(co);
  GraphCounts counts;
  rdf::Term q4[4];
  for (store::TermId g : graphs) {
    auto c = snap->scan(store::QuadIds{0, 0, 0, g});
    store::QuadIds q;
    while (c.next(&q)) {
      if (!snap->decode(q.s, &q4[0]) || !snap->decode(q.p, &q4[1]) || !snap->decode(q.o, &q4[2]) ||
          !snap->decode(q.g, &q4[3]))
        return fail(Status::corruption("a quad refers to an unknown term id; run 'weft check'"));
      rdf::QuadView v{q4[0].view(), q4[1].view(), q4[2].view(),
                      g == store::kDefaultGraph ? rdf::TermView() : q4[3].view()};
      counts.add(v.g);
      if (Status s = canonicalizer.quad(v); !s) return fail(s);
    }
  }
  auto canon = canonicalizer.finish();
  if (!canon) return fail(canon.status());
  const std::string canonical_hash = rdf::hashHex(rdf::CanonHash::kSha256, canon->nquads);

  // The data file: the canonical N-Quads themselves, or TriG of the same quads.
  std::string data;
  if (fmt == rdf::Format::kNQuads) {
    data = std::move(canon->nquads);
  } else {
    std::vector<rdf::Quad>& sorted = canon->quads;
    std::sort(sorted.begin(), sorted.end());  // by graph, subject, predicate: compact TriG
    char* buf = nullptr;
    size_t len = 0;
    std::FILE* mem = open_memstream(&buf, &len);
    if (!mem) return fail(Status::ioError("out of memory"));
    rdf::WriteOptions wo;
    wo.prefixes = {{"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
                   {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
                   {"xsd", "http://www.w3.org/2001/XMLSchema#"}};
    auto w = rdf::makeWriter(rdf::Format::kTriG, mem, wo);
    Status s;
    for (const rdf::Quad& q : sorted) {
      s = w->quad(q.view());
      if (!s) break;
    }
    if (s) s = w->finish();
    w.reset();
    std::fclose(mem);
    data.assign(buf, len);
    std::free(buf);
    if (!s) return fail(s);
  }
  const std::string data_file = std::string("dataset.") + rdf::formatName(fmt);
  const std::string file_hash = rdf::hashHex(rdf::CanonHash::kSha256, data);
  std::string store_name = fs::path(store_dir).lexically_normal().filename().string();
  if (store_name.empty()) store_name = fs::path(store_dir).lexically_normal().parent_path().filename().string();
  const std::string manifest = manifestText(canonical_hash, data_file, file_hash, counts.quads, counts,
                                            f.for_org, f.from, store_name);

  std::string signature;
  if (!f.sign_key.empty()) {
    auto sig = sign(f.sign_key, manifest);
    if (!sig) return fail(sig.status());
    signature = std::move(sig.value());
  }

  const fs::path dir(f.out_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) return fail(Status::ioError("cannot create the package folder '" + f.out_dir + "'"));
  // The data first, the manifest last: a package with a manifest is complete.
  for (const char* stale : {"dataset.nq", "dataset.trig", kSignature})
    if (data_file != stale) fs::remove(dir / stale, ec);
  Status s = writeAtomically(dir / data_file, data);
  if (s) s = writeAtomically(dir / kManifest, manifest);
  if (s && !signature.empty()) s = writeAtomically(dir / kSignature, signature);
  if (!s) return fail(s);

  if (skipped_blank) {
    std::fprintf(stderr, "weft: note: %llu graph(s) named by blank nodes left out (a policy grants graphs by IRI)\n",
                 static_cast<unsigned long long>(skipped_blank));
  }
  if (counts.quads == 0) std::fprintf(stderr, "weft: note: '%s' may read no quads of this store; the package is empty\n", f.for_org.c_str());
  std::printf("exported %llu quads (%zu named graph(s)%s) for '%s' to %s\n",
              static_cast<unsigned long long>(counts.quads), counts.named.size(),
              counts.default_graph ? " and the default graph" : "", f.for_org.c_str(), (dir / data_file).string().c_str());
  std::printf("canonical hash (RDFC-1.0, SHA-256): %s\n", canonical_hash.c_str());
  if (!signature.empty()) std::printf("signed: %s\n", (dir / kSignature).string().c_str());
  return 0;
}

// ---- import -------------------------------------------------------------------------------

// What weft import needs from a manifest.
struct Manifest {
  std::string iri, canonical_hash, data_file, file_hash;
  uint64_t quads = 0, default_graph = 0;
  std::map<std::string, uint64_t> graphs;
};

Result<uint64_t> integer(const rdf::Term& t, const std::string& what) {
  if (t.kind != rdf::TermKind::kLiteral || t.value.empty() || t.value.size() > 19 ||
      t.value.find_first_not_of("0123456789") != std::string::npos)
    return Status::invalidArgument(what + " is not a non-negative integer");
  return static_cast<uint64_t>(std::stoull(t.value));
}

Result<Manifest> readManifest(const fs::path& path, std::string_view bytes) {
  const std::string name = path.string();
  auto bad = [&name](const std::string& what) {
    return Status::invalidArgument(name + ": not a weft exchange manifest: " + what);
  };
  rdf::VectorSink sink;
  rdf::ReadOptions ro;
  ro.format = rdf::Format::kTurtle;
  ro.base_iri = rdf::fileIri(name);
  ro.display_name = name;
  WEFT_TRY(rdf::readString(bytes, ro, sink));
  std::vector<std::string> packages;
  for (const rdf::Quad& q : sink.quads)
    if (q.p.value == kRdfType && q.o.value == dt("ExchangePackage") && q.s.kind == rdf::TermKind::kIri)
      packages.push_back(q.s.value);
  if (packages.size() != 1) return bad("expected one dt:ExchangePackage, found " + std::to_string(packages.size()));
  Manifest m;
  m.iri = packages.front();
  // Objects of the package (or of another node) by predicate.
  auto objects = [&sink](const rdf::Term& s, const std::string& p) {
    std::vector<rdf::Term> out;
    for (const rdf::Quad& q : sink.quads)
      if (q.s == s && q.p.value == p && q.g.isNone()) out.push_back(q.o);
    return out;
  };
  const rdf::Term pkg = rdf::Term::iri(m.iri);
  auto one = [&](const rdf::Term& s, std::string_view local) -> Result<rdf::Term> {
    auto v = objects(s, dt(local));
    if (v.size() != 1) return bad("expected one dt:" + std::string(local) + ", found " + std::to_string(v.size()));
    return v.front();
  };
  auto canon = one(pkg, "canonicalization");
  if (!canon) return canon.status();
  if (canon->kind != rdf::TermKind::kIri || canon->value != kRdfCanon)
    return Status::unsupported(name + ": canonicalization " + rdf::toNTriples(canon->view()) + " (weft knows <" +
                               std::string(kRdfCanon) + ">)");
  auto hash = one(pkg, "canonicalHash");
  if (!hash) return hash.status();
  if (hash->kind != rdf::TermKind::kLiteral || !isHex64(hash->value)) return bad("dt:canonicalHash is not 64 lower-case hex digits");
  m.canonical_hash = hash->value;
  if (m.iri != std::string(kPackageBase) + m.canonical_hash) return bad("the package IRI <" + m.iri + "> does not end in its dt:canonicalHash");
  auto file = one(pkg, "dataFile");
  if (!file) return file.status();
  m.data_file = file->value;
  // Only a plain name in the package folder: a manifest must not point elsewhere.
  if (file->kind != rdf::TermKind::kLiteral || m.data_file.empty() || m.data_file[0] == '.' ||
      m.data_file.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != std::string::npos)
    return bad("dt:dataFile must be a file name in the package folder");
  rdf::Format f = rdf::formatFromPath(m.data_file);
  if (f != rdf::Format::kNQuads && f != rdf::Format::kTriG) return bad("dt:dataFile must be a .nq or .trig file");
  auto fh = one(pkg, "dataFileSha256");
  if (!fh) return fh.status();
  if (fh->kind != rdf::TermKind::kLiteral || !isHex64(fh->value)) return bad("dt:dataFileSha256 is not 64 lower-case hex digits");
  m.file_hash = fh->value;
  auto count = one(pkg, "quadCount");
  if (!count) return count.status();
  auto n = integer(count.value(), name + ": dt:quadCount");
  if (!n) return n.status();
  m.quads = n.value();
  auto dg = objects(pkg, dt("defaultGraphQuadCount"));
  if (dg.size() > 1) return bad("more than one dt:defaultGraphQuadCount");
  if (dg.size() == 1) {
    auto d = integer(dg.front(), name + ": dt:defaultGraphQuadCount");
    if (!d) return d.status();
    m.default_graph = d.value();
  }
  for (const rdf::Term& part : objects(pkg, dt("graphPart"))) {
    auto g = one(part, "graphName");
    if (!g) return g.status();
    auto c = one(part, "quadCount");
    if (!c) return c.status();
    auto k = integer(c.value(), name + ": dt:quadCount of <" + g->value + ">");
    if (!k) return k.status();
    if (g->kind != rdf::TermKind::kIri || !m.graphs.emplace(g->value, k.value()).second)
      return bad("dt:graphPart names <" + g->value + "> twice or not by IRI");
  }
  return m;
}

// Compares what the data holds with what the manifest says; empty if they agree.
std::string countsDiffer(const Manifest& m, const GraphCounts& c) {
  std::string why;
  const uint64_t quads = c.quads;
  if (quads != m.quads) why += "; " + std::to_string(quads) + " quads, the manifest says " + std::to_string(m.quads);
  if (c.default_graph != m.default_graph)
    why += "; " + std::to_string(c.default_graph) + " quads in the default graph, the manifest says " +
           std::to_string(m.default_graph);
  if (c.blank_named) why += "; graphs named by blank nodes";
  if (c.named != m.graphs) why += "; the named graphs or their quad counts differ from the manifest's dt:graphPart";
  return why.empty() ? why : why.substr(2);
}

int cmdImport(const ExchangeFlags& f) {
  const fs::path dir(f.package);
  const fs::path manifest_path = dir / kManifest;
  auto refuse = [&](const std::string& why) {
    std::fprintf(stderr, "weft: error: %s: %s\nweft: nothing was imported; the store is unchanged\n",
                 f.package.c_str(), why.c_str());
    return 1;
  };
  if (!fs::is_directory(dir)) return refuse("not a folder (give the package folder written by weft export --for)");
  if (!fs::is_regular_file(manifest_path)) return refuse("no " + std::string(kManifest) + " (not an exchange package, or an incomplete one)");
  auto manifest_bytes = slurp(manifest_path);
  if (!manifest_bytes) return refuse(manifest_bytes.status().toString());

  // The signature covers the manifest, the manifest the data.
  const fs::path sig_path = dir / kSignature;
  if (!f.trust_key.empty()) {
    if (!fs::is_regular_file(sig_path)) return refuse("--trust given but the package has no " + std::string(kSignature));
    auto sig = slurp(sig_path);
    if (!sig) return refuse(sig.status().toString());
    Status v = verify(f.trust_key, manifest_bytes.value(), sig.value());
    if (!v) return refuse(v.message());
  }
  auto manifest = readManifest(manifest_path, manifest_bytes.value());
  if (!manifest) return refuse(manifest.status().toString());
  const Manifest& m = manifest.value();

  const fs::path data_path = dir / m.data_file;
  Status hs;
  const std::string file_hash = sha256OfFile(data_path, &hs);
  if (!hs) return refuse(hs.toString());
  rdf::CanonOptions co;
  co.max_deep_iterations = f.max_deep_iterations;
  co.keep_quads = false;
  rdf::DatasetCanonicalizer canonicalizer(co);
  rdf::ReadOptions ro;
  ro.format = rdf::formatFromPath(m.data_file);
  if (Status s = rdf::readFile(data_path.string(), ro, canonicalizer); !s) return refuse(s.toString());
  auto canon = canonicalizer.finish();
  if (!canon) return refuse(canon.status().toString());
  const std::string canonical_hash = rdf::hashHex(rdf::CanonHash::kSha256, canon->nquads);
  if (canonical_hash != m.canonical_hash) {
    return refuse("the data does not match the manifest: its canonical hash (RDFC-1.0, SHA-256) is " +
                  canonical_hash + ", the manifest says " + m.canonical_hash +
                  (file_hash != m.file_hash ? " (" + m.data_file + " was changed after export)" : ""));
  }
  auto counted = countCanonical(canon->nquads);
  if (!counted) return fail(counted.status());
  const GraphCounts& counts = counted.value();
  if (std::string why = countsDiffer(m, counts); !why.empty())
    return refuse("the manifest does not describe its data: " + why);
  if (file_hash != m.file_hash) {
    std::fprintf(stderr, "weft: note: %s is not byte for byte the exported file, but its RDF content is "
                 "(canonical hash verified)\n", m.data_file.c_str());
  }
  if (f.trust_key.empty() && fs::exists(sig_path)) {
    std::fprintf(stderr, "weft: note: the package is signed (%s); give --trust PUB.pem to check the signature\n",
                 kSignature);
  }

  // Verified: load everything in one transaction.
  std::error_code ec;
  const bool created = !fs::exists(f.import_store, ec);
  auto st = store::Store::open(f.import_store, store::OpenMode::kCreateIfMissing);
  if (!st) return fail(st.status());
  auto cleanup = [&] {
    if (created) {
      st.value().reset();
      fs::remove_all(f.import_store, ec);
    }
  };
  auto txn = st.value()->begin();
  if (!txn) {
    cleanup();
    return fail(txn.status());
  }
  // The package's blank nodes get labels of their own, made from the
  // canonical hash: apart from every other document's (the loader's are
  // "d<n>_..."), and the same on a second import of the same package, which
  // therefore adds nothing. The quads come from the canonical N-Quads.
  ImportSink sink(txn.value().get(), "x" + canonical_hash.substr(0, 32) + "_");
  rdf::ReadOptions cro;
  cro.format = rdf::Format::kNQuads;
  cro.display_name = "canonical N-Quads";
  Status s = rdf::readString(canon->nquads, cro, sink);
  if (s) s = txn.value()->commit();
  else txn.value()->rollback();
  if (!s) {
    cleanup();
    std::fprintf(stderr, "weft: error: %s\nweft: nothing was imported; the store is unchanged\n", s.toString().c_str());
    return 1;
  }
  std::printf("imported %llu quads (%llu new) in %zu named graph(s)%s from %s\n",
              static_cast<unsigned long long>(counts.quads),
              static_cast<unsigned long long>(txn.value()->added()), counts.named.size(),
              counts.default_graph ? " and the default graph" : "", f.package.c_str());
  std::printf("canonical hash verified (RDFC-1.0, SHA-256): %s%s\n", canonical_hash.c_str(),
              f.trust_key.empty() ? "" : "; signature verified");
  return 0;
}

}  // namespace

void addExchangeCommands(CLI::App& app, CLI::App* exp, ExchangeFlags& f) {
  f.export_cmd = exp;
  exp->add_option("--for", f.for_org,
                  "Exchange package: the organisation of --config whose readable graphs to write (with --out)");
  exp->add_option("--config", f.config, "Exchange package: the serving policy (JSON) naming the organisations")
      ->check(CLI::ExistingFile);
  exp->add_option("--out", f.out_dir, "Exchange package: the package folder (created if missing)");
  exp->add_option("--from", f.from, "Exchange package: the exporting organisation, named in the manifest");
  exp->add_option("--sign", f.sign_key, "Exchange package: sign the manifest with this Ed25519 private key (PEM)")
      ->check(CLI::ExistingFile);
  exp->add_option("--canon-limit", f.max_deep_iterations,
                  "Exchange package: most blank node hashing rounds per blank node (RDFC-1.0 work limit; 0 automatic)");
  if (CLI::Option* g = exp->get_option_no_throw("--graph")) {
    g->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    g->description(g->get_description() + "; with --for, repeatable");
  }
  if (CLI::Option* fmt = exp->get_option_no_throw("--format")) fmt->required(false);
  exp->parse_complete_callback([exp, &f] {
    auto given = [exp](const char* name) {
      const CLI::Option* o = exp->get_option_no_throw(name);
      return o && o->count() > 0;
    };
    if (f.for_org.empty()) {
      for (const char* o : {"--config", "--out", "--from", "--sign", "--canon-limit"})
        if (given(o)) throw CLI::ValidationError(o, "belongs to an exchange package export: give --for ORG");
      if (!given("--format")) throw CLI::RequiredError("--format");
      if (exp->get_option("--graph")->count() > 1)
        throw CLI::ValidationError("--graph", "a plain export takes one graph (several with --for)");
      return;
    }
    if (f.config.empty()) throw CLI::RequiredError("--config (with --for)");
    if (f.out_dir.empty()) throw CLI::RequiredError("--out (with --for)");
    if (given("--output")) throw CLI::ValidationError("--output", "an exchange package is a folder: give --out DIR");
    if (given("--format")) {
      rdf::Format fm = rdf::formatFromName(exp->get_option("--format")->as<std::string>());
      if (fm != rdf::Format::kNQuads && fm != rdf::Format::kTriG)
        throw CLI::ValidationError("--format", "an exchange package is written as nq or trig");
    }
  });

  auto* imp = app.add_subcommand("import", "Check an exchange package (weft export --for) and load it into a store, all in one transaction");
  f.import_cmd = imp;
  imp->add_option("--store", f.import_store, "Store directory (created if missing)")->required();
  imp->add_option("--trust", f.trust_key, "Require manifest.sig to be a signature by this Ed25519 public key (PEM)")
      ->check(CLI::ExistingFile);
  imp->add_option("--canon-limit", f.max_deep_iterations,
                  "Most blank node hashing rounds per blank node (RDFC-1.0 work limit; 0 automatic)");
  imp->add_option("PKG_DIR", f.package, "The package folder")->required();
}

int runExchange(const ExchangeFlags& f) {
  if (f.import_cmd && f.import_cmd->parsed()) return cmdImport(f);
  if (f.export_cmd && f.export_cmd->parsed() && !f.for_org.empty()) return cmdPackageExport(f);
  return -1;
}

}  // namespace weft::cli
