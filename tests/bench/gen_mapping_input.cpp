// SPDX-License-Identifier: Apache-2.0
// weft_gen_map: deterministic input for the mapping benchmark
// (tests/bench/map_bench.sh, docs/PERFORMANCE.md).
//
//   weft_gen_map --shipments N --dir DIR [--seed S]
//
// Writes into DIR:
//   shipments.csv   N rows: a 3PL's shipments (SSCC, GTIN, lot, batch id,
//                   from / to GLN, shipped time, quantity, temperatures)
//   batches.json    N/10 MES batch records {"batches": [{...}, ...]}
//   batches.xml     the same batches as XML (<batches><batch>...)
//   map-json.ttl    RML: shipments joined with the JSON batches
//   map-xml.ttl     RML: shipments joined with the XML batches
//   map-json-legacy.ttl, map-xml-legacy.ttl: the same in the legacy rml.io
//                   vocabulary (for RocketRML)
// Each shipment makes 8 triples and each batch 10, so N shipments give about
// 9N triples (N = 1,000,000: about 9 million).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "gen_common.h"

namespace {

using weft::bench::Rng;
using weft::bench::withCheckDigit;

std::string digits(uint64_t v, int width) {
  std::string s = std::to_string(v);
  if (static_cast<int>(s.size()) < width) s.insert(0, static_cast<size_t>(width - static_cast<int>(s.size())), '0');
  return s.substr(s.size() - static_cast<size_t>(width));
}

std::string gtin(uint64_t product) {
  std::string body = "0" + digits(9506000, 7) + digits(product, 5);
  return withCheckDigit(body);
}
std::string gln(uint64_t site) {
  std::string body = digits(9506000, 7) + digits(site, 5);
  return withCheckDigit(body);
}
std::string sscc(uint64_t n) {
  std::string body = "0" + digits(9506000, 7) + digits(n, 9);
  return withCheckDigit(body);
}

std::string timeOf(uint64_t minutes) {  // minutes after 2026-01-01T00:00Z, within the year
  uint64_t day = (minutes / 1440) % 365, m = minutes % 1440;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int month = 0;
  while (day >= static_cast<uint64_t>(kDays[month])) day -= static_cast<uint64_t>(kDays[month++]);
  char buf[40];
  std::snprintf(buf, sizeof buf, "2026-%02d-%02dT%02d:%02d:00Z", month + 1, static_cast<int>(day) + 1,
                static_cast<int>(m / 60), static_cast<int>(m % 60));
  return buf;
}

const char* kMapping = R"(@prefix rml: <http://w3id.org/rml/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dt: <https://w3id.org/weft/dt#> .
@base <https://example.org/bench/> .

<Shipments> a rml:TriplesMap ;
  rml:logicalSource [ rml:source [ a rml:RelativePathSource ; rml:root rml:MappingDirectory ; rml:path "shipments.csv" ] ;
                      rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "https://id.gs1.org/00/{sscc}" ; rml:class dt:Shipment ] ;
  rml:predicateObjectMap [ rml:predicate dt:shipmentId ; rml:objectMap [ rml:reference "shipment_id" ] ] ,
    [ rml:predicate dt:contains ; rml:objectMap [ rml:template "https://id.gs1.org/01/{gtin}/10/{lot}" ] ] ,
    [ rml:predicate dt:shipFrom ; rml:objectMap [ rml:template "https://id.gs1.org/414/{from_gln}" ] ] ,
    [ rml:predicate dt:shipTo ; rml:objectMap [ rml:template "https://id.gs1.org/414/{to_gln}" ] ] ,
    [ rml:predicate dt:shippedAt ; rml:objectMap [ rml:reference "shipped_at" ; rml:datatype xsd:dateTime ] ] ,
    [ rml:predicate dt:quantity ; rml:objectMap [ rml:reference "qty" ; rml:datatype xsd:integer ] ] ,
    [ rml:predicate dt:fromBatch ; rml:objectMap [ rml:parentTriplesMap <Batches> ;
        rml:joinCondition [ rml:child "batch_id" ; rml:parent "@ID@" ] ] ] .

<Batches> a rml:TriplesMap ;
  rml:logicalSource [ rml:source [ a rml:RelativePathSource ; rml:root rml:MappingDirectory ; rml:path "@FILE@" ] ;
                      rml:referenceFormulation rml:@RF@ ; rml:iterator "@IT@" ] ;
  rml:subjectMap [ rml:template "https://example.org/batch/{@ID@}" ; rml:class dt:BatchRun ] ;
  rml:predicateObjectMap [ rml:predicate dt:batchId ; rml:objectMap [ rml:reference "@ID@" ] ] ,
    [ rml:predicate dt:product ; rml:objectMap [ rml:template "https://id.gs1.org/01/{@GTIN@}" ] ] ,
    [ rml:predicate dt:lot ; rml:objectMap [ rml:template "https://id.gs1.org/01/{@GTIN@}/10/{@LOT@}" ] ] ,
    [ rml:predicate dt:site ; rml:objectMap [ rml:template "https://id.gs1.org/414/{@SITE@}" ] ] ,
    [ rml:predicate dt:started ; rml:objectMap [ rml:reference "@START@" ; rml:datatype xsd:dateTime ] ] ,
    [ rml:predicate dt:ended ; rml:objectMap [ rml:reference "@END@" ; rml:datatype xsd:dateTime ] ] ,
    [ rml:predicate dt:yield ; rml:objectMap [ rml:reference "@YIELD@" ; rml:datatype xsd:decimal ] ] ,
    [ rml:predicate dt:status ; rml:objectMap [ rml:template "https://w3id.org/weft/dt#{@STATUS@}" ] ] ,
    [ rml:predicate dt:operator ; rml:objectMap [ rml:reference "@OP@" ] ] .
)";

// The same mapping in the legacy rml.io vocabulary (rml:/rr:/ql:), for peers
// that read only that (RocketRML).
std::string legacy(std::string m) {
  auto rep = [&](const std::string& a, const std::string& b) {
    for (size_t p = m.find(a); p != std::string::npos; p = m.find(a, p + b.size())) m.replace(p, a.size(), b);
  };
  rep("@prefix rml: <http://w3id.org/rml/> .",
      "@prefix rml: <http://semweb.mmlab.be/ns/rml#> .\n@prefix rr: <http://www.w3.org/ns/r2rml#> .\n"
      "@prefix ql: <http://semweb.mmlab.be/ns/ql#> .");
  for (const char* l : {"TriplesMap", "subjectMap", "template", "class", "predicateObjectMap", "predicate ",
                        "objectMap", "datatype", "parentTriplesMap", "joinCondition", "child", "parent "})
    rep(std::string("rml:") + l, std::string("rr:") + l);
  for (const char* f : {"CSV", "JSONPath", "XPath"}) rep(std::string("rml:") + f, std::string("ql:") + f);
  // rml:source [ a rml:RelativePathSource ; rml:root rml:MappingDirectory ; rml:path "X" ] -> rml:source "X"
  for (size_t p = m.find("rml:source ["); p != std::string::npos; p = m.find("rml:source [", p + 1)) {
    size_t q = m.find("rml:path \"", p), e = m.find("\" ]", q);
    std::string file = m.substr(q + 10, e - q - 10);
    m.replace(p, e + 3 - p, "rml:source \"" + file + "\"");
  }
  return m;
}

std::string replaceAll(std::string s, const std::string& a, const std::string& b) {
  for (size_t p = s.find(a); p != std::string::npos; p = s.find(a, p + b.size())) s.replace(p, a.size(), b);
  return s;
}

bool writeFile(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return false;
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  return std::fclose(f) == 0 && ok;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t n = 0, seed = 42;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--shipments" && i + 1 < argc) n = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (a == "--seed" && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 10);
    else {
      std::fprintf(stderr, "usage: weft_gen_map --shipments N --dir DIR [--seed S]\n");
      return 2;
    }
  }
  if (n == 0 || dir.empty()) {
    std::fprintf(stderr, "usage: weft_gen_map --shipments N --dir DIR [--seed S]\n");
    return 2;
  }
  uint64_t batches = n / 10 ? n / 10 : 1;
  Rng rng(seed);
  std::string base = dir + "/";
  // Batches first (shipments refer to them).
  std::FILE* js = std::fopen((base + "batches.json").c_str(), "w");
  std::FILE* xs = std::fopen((base + "batches.xml").c_str(), "w");
  if (!js || !xs) {
    std::fprintf(stderr, "weft_gen_map: cannot write into %s\n", dir.c_str());
    return 1;
  }
  static const char* kStatus[] = {"Released", "Released", "Released", "Quarantine", "Rejected"};
  std::fputs("{\"batches\": [\n", js);
  std::fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<batches>\n", xs);
  for (uint64_t b = 0; b < batches; ++b) {
    uint64_t product = rng.below(2000), site = rng.below(40), start = rng.below(365 * 1440 - 3000);
    std::string id = "B" + digits(b, 8), lot = "L" + digits(b * 7 + 3, 7);
    std::string st = timeOf(start), en = timeOf(start + 600 + rng.below(2400));
    char yield[16];
    std::snprintf(yield, sizeof yield, "%d.%d", 80 + static_cast<int>(rng.below(20)), static_cast<int>(rng.below(10)));
    std::string op = "operator " + std::to_string(rng.below(500));
    const char* status = kStatus[rng.below(5)];
    std::fprintf(js,
                 "%s  {\"id\": \"%s\", \"gtin\": \"%s\", \"lot\": \"%s\", \"site\": \"%s\", \"started\": \"%s\", "
                 "\"ended\": \"%s\", \"yield\": %s, \"status\": \"%s\", \"operator\": \"%s\"}",
                 b ? ",\n" : "", id.c_str(), gtin(product).c_str(), lot.c_str(), gln(site).c_str(), st.c_str(),
                 en.c_str(), yield, status, op.c_str());
    std::fprintf(xs,
                 "  <batch id=\"%s\"><gtin>%s</gtin><lot>%s</lot><site>%s</site><started>%s</started>"
                 "<ended>%s</ended><yield>%s</yield><status>%s</status><operator>%s</operator></batch>\n",
                 id.c_str(), gtin(product).c_str(), lot.c_str(), gln(site).c_str(), st.c_str(), en.c_str(), yield,
                 status, op.c_str());
  }
  std::fputs("\n]}\n", js);
  std::fputs("</batches>\n", xs);
  if (std::fclose(js) != 0 || std::fclose(xs) != 0) return 1;

  std::FILE* cs = std::fopen((base + "shipments.csv").c_str(), "w");
  if (!cs) return 1;
  std::fputs("shipment_id,sscc,gtin,lot,batch_id,from_gln,to_gln,shipped_at,qty\n", cs);
  for (uint64_t s = 0; s < n; ++s) {
    uint64_t b = rng.below(batches), product = rng.below(2000);
    std::fprintf(cs, "S%09llu,%s,%s,L%07llu,B%s,%s,%s,%s,%llu\n", static_cast<unsigned long long>(s),
                 sscc(s).c_str(), gtin(product).c_str(), static_cast<unsigned long long>(b * 7 + 3),
                 digits(b, 8).c_str(), gln(rng.below(40)).c_str(), gln(40 + rng.below(400)).c_str(),
                 timeOf(rng.below(365 * 1440)).c_str(), static_cast<unsigned long long>(1 + rng.below(400)));
  }
  if (std::fclose(cs) != 0) return 1;

  std::string m = kMapping;
  std::string mj = replaceAll(m, "@FILE@", "batches.json");
  mj = replaceAll(mj, "@RF@", "JSONPath");
  mj = replaceAll(mj, "@IT@", "$.batches[*]");
  for (auto [k, v] : {std::pair<const char*, const char*>{"@ID@", "id"}, {"@GTIN@", "gtin"}, {"@LOT@", "lot"},
                      {"@SITE@", "site"}, {"@START@", "started"}, {"@END@", "ended"}, {"@YIELD@", "yield"},
                      {"@STATUS@", "status"}, {"@OP@", "operator"}})
    mj = replaceAll(mj, k, v);
  std::string mx = replaceAll(m, "@FILE@", "batches.xml");
  mx = replaceAll(mx, "@RF@", "XPath");
  mx = replaceAll(mx, "@IT@", "/batches/batch");
  for (auto [k, v] : {std::pair<const char*, const char*>{"@ID@", "@id"}, {"@GTIN@", "gtin"}, {"@LOT@", "lot"},
                      {"@SITE@", "site"}, {"@START@", "started"}, {"@END@", "ended"}, {"@YIELD@", "yield"},
                      {"@STATUS@", "status"}, {"@OP@", "operator"}})
    mx = replaceAll(mx, k, v);
  if (!writeFile(base + "map-json.ttl", mj) || !writeFile(base + "map-xml.ttl", mx) ||
      !writeFile(base + "map-json-legacy.ttl", legacy(mj)) || !writeFile(base + "map-xml-legacy.ttl", legacy(mx)))
    return 1;
  std::fprintf(stderr, "weft_gen_map: %llu shipments, %llu batches in %s\n", static_cast<unsigned long long>(n),
               static_cast<unsigned long long>(batches), dir.c_str());
  return 0;
}
