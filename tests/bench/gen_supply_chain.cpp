// SPDX-License-Identifier: Apache-2.0
// weft_gen_bench: a deterministic generator of supply-chain-like RDF for the
// load benchmark (tests/bench/load_bench.sh, docs/PERFORMANCE.md).
//
//   weft_gen_bench --triples N --format nt|ttl --seed S [--traceability] -o FILE
//
// The data: organisations (GS1 GLNs, postal addresses as blank nodes), sites,
// products (GTIN-14 with check digits, names in several languages), lots
// (GS1 Digital Link IRIs https://id.gs1.org/01/{GTIN}/10/{lot}), shipments
// (SSCC) and EPCIS-style ObjectEvents with xsd:dateTime timestamps in local
// time zones, bizStep/disposition IRIs, quantities (xsd:decimal and
// xsd:integer) and temperature readings (xsd:double).
//
// With --traceability (the query benchmark, tests/bench/query_bench.sh) the
// same stream also carries what a regulator's traceability questions need:
// batch genealogy (sc:derivedFrom from a lot to its input lots, up to four
// levels deep, 1-3 inputs per lot, inputs reused by several lots), quality-
// control results (sc:QualityTest with xsd:decimal values, xsd:date test dates
// and a pass/fail outcome) against per-product specification ranges
// (sc:Specification, sc:minValue/sc:maxValue), and every 1000 lots one recall
// notice (https://example.org/supply/recall/R0001, ...) for a raw-material lot
// and one consumer complaint (.../complaint/C0001, ...) about a lot at the
// deepest genealogy level, so that queries have stable anchors at every size.
// Without the flag the output is byte for byte what it was before the flag
// existed (the load benchmark's data).
//
// Both formats come from the same stream of entities, so for one seed and N
// the Turtle file is the same graph as the N-Triples file. The N-Triples form
// is written the way `serdi -o ntriples` writes (non-ASCII as \uXXXX or
// \UXXXXXXXX, upper-case hex), so `serdi -i turtle -o ntriples` of the Turtle
// file gives exactly the lines of the N-Triples file. Blank node labels never
// start with "b" followed by a digit (serd renames those).
//
// No dependencies; its own PRNG (splitmix64, gen_common.h), so output is
// identical on every platform and compiler.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "gen_common.h"

namespace {

using weft::bench::Rng;

// ---------------------------------------------------------------- terms
enum class Kind : uint8_t { Iri, Blank, Plain, Lang, Typed, Integer, Decimal, Double };

struct Term {
  Kind kind;
  std::string value;
  std::string extra;  // language tag, or datatype IRI for Typed
};

constexpr const char* kXsd = "http://www.w3.org/2001/XMLSchema#";
constexpr const char* kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr const char* kBase = "https://id.gs1.org/";

Term iri(std::string v) { return {Kind::Iri, std::move(v), {}}; }
Term blank(std::string v) { return {Kind::Blank, std::move(v), {}}; }
Term plain(std::string v) { return {Kind::Plain, std::move(v), {}}; }
Term lang(std::string v, std::string tag) { return {Kind::Lang, std::move(v), std::move(tag)}; }
Term typed(std::string v, const char* xsdLocal) { return {Kind::Typed, std::move(v), std::string(kXsd) + xsdLocal}; }
Term integer(int64_t v) { return {Kind::Integer, std::to_string(v), {}}; }
Term decimal(int64_t hundredths) {
  // Two fraction digits, as quantities and weights are usually written.
  char b[32];
  const char* sign = hundredths < 0 ? "-" : "";
  uint64_t a = static_cast<uint64_t>(hundredths < 0 ? -hundredths : hundredths);
  std::snprintf(b, sizeof b, "%s%llu.%02llu", sign, static_cast<unsigned long long>(a / 100),
                static_cast<unsigned long long>(a % 100));
  return {Kind::Decimal, b, {}};
}
Term dbl(int64_t tenths) {
  // Canonical-ish xsd:double with one fraction digit, e.g. -18.5E0.
  char b[32];
  const char* sign = tenths < 0 ? "-" : "";
  uint64_t a = static_cast<uint64_t>(tenths < 0 ? -tenths : tenths);
  std::snprintf(b, sizeof b, "%s%llu.%lluE0", sign, static_cast<unsigned long long>(a / 10),
                static_cast<unsigned long long>(a % 10));
  return {Kind::Double, b, {}};
}
Term dblMicro(int64_t millionths) {
  // Coordinates: six fraction digits in scientific form, e.g. 4.8137154E1.
  char b[48];
  const char* sign = millionths < 0 ? "-" : "";
  uint64_t a = static_cast<uint64_t>(millionths < 0 ? -millionths : millionths);
  std::snprintf(b, sizeof b, "%s%llu.%06lluE0", sign, static_cast<unsigned long long>(a / 1000000),
                static_cast<unsigned long long>(a % 1000000));
  return {Kind::Double, b, {}};
}

// ---------------------------------------------------------------- writer
struct Prefix {
  const char* name;
  const char* ns;
};
constexpr Prefix kPrefixes[] = {
    {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
    {"xsd", "http://www.w3.org/2001/XMLSchema#"},
    {"gs1", "https://gs1.org/voc/"},
    {"epcis", "https://ref.gs1.org/epcis/"},
    {"cbv", "https://ref.gs1.org/cbv/"},
    {"schema", "https://schema.org/"},
    {"sc", "https://example.org/supply/"},
};

bool isLocalNameSafe(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              (c == '-' && i > 0);
    if (!ok) return false;
  }
  return true;
}

class Writer {
 public:
  Writer(FILE* f, bool turtle, uint64_t limit) : f_(f), turtle_(turtle), limit_(limit) {
    buf_.reserve(kFlush + 4096);
    if (turtle_) {
      buf_ += "# Supply-chain-like benchmark data generated by weft_gen_bench.\n";
      buf_ += "@base <";
      buf_ += kBase;
      buf_ += "> .\n";
      for (const auto& p : kPrefixes) {
        buf_ += "@prefix ";
        buf_ += p.name;
        buf_ += ": <";
        buf_ += p.ns;
        buf_ += "> .\n";
      }
      buf_ += '\n';
    }
  }

  bool done() const { return count_ >= limit_; }
  uint64_t count() const { return count_; }

  void subject(const Term& s) {
    endSubject();
    subject_ = s;
    open_ = false;
  }

  // One triple with the current subject; ignored once the limit is reached.
  void add(const char* predicate, const Term& o) {
    if (done()) return;
    ++count_;
    if (turtle_) {
      if (!open_) {
        writeTtl(subject_);
        buf_ += ' ';
        writePredTtl(predicate);
        open_ = true;
      } else if (std::strcmp(lastPred_, predicate) == 0) {
        buf_ += " ,\n        ";
      } else {
        buf_ += " ;\n    ";
        writePredTtl(predicate);
      }
      lastPred_ = predicate;
      buf_ += ' ';
      writeTtl(o);
    } else {
      writeNt(subject_);
      buf_ += " <";
      buf_ += predicate;
      buf_ += "> ";
      writeNt(o);
      buf_ += " .\n";
    }
    maybeFlush();
  }

  void endSubject() {
    if (turtle_ && open_) buf_ += " .\n";
    open_ = false;
    lastPred_ = nullptr;
  }

  bool finish() {
    endSubject();
    flush();
    return std::fflush(f_) == 0 && !std::ferror(f_);
  }

 private:
  static constexpr size_t kFlush = 1 << 22;

  void maybeFlush() {
    if (buf_.size() >= kFlush) flush();
  }
  void flush() {
    if (!buf_.empty()) std::fwrite(buf_.data(), 1, buf_.size(), f_);
    buf_.clear();
  }

  // N-Triples escaping exactly as serd's writer does for N-Triples output.
  void escapeNt(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c < 0x80) {
        switch (c) {
          case '\\': buf_ += "\\\\"; break;
          case '"': buf_ += "\\\""; break;
          case '\n': buf_ += "\\n"; break;
          case '\r': buf_ += "\\r"; break;
          case '\t': buf_ += "\\t"; break;
          default: buf_ += static_cast<char>(c);
        }
        ++i;
        continue;
      }
      uint32_t cp;
      size_t n;
      if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; n = 2; }
      else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; n = 3; }
      else { cp = c & 0x07; n = 4; }
      for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      i += n;
      char b[16];
      if (cp <= 0xFFFF) std::snprintf(b, sizeof b, "\\u%04X", cp);
      else std::snprintf(b, sizeof b, "\\U%08X", cp);
      buf_ += b;
    }
  }

  void writeNt(const Term& t) {
    switch (t.kind) {
      case Kind::Iri: buf_ += '<'; buf_ += t.value; buf_ += '>'; return;
      case Kind::Blank: buf_ += "_:"; buf_ += t.value; return;
      default: break;
    }
    buf_ += '"';
    escapeNt(t.value);
    buf_ += '"';
    switch (t.kind) {
      case Kind::Lang: buf_ += '@'; buf_ += t.extra; break;
      case Kind::Typed: buf_ += "^^<"; buf_ += t.extra; buf_ += '>'; break;
      case Kind::Integer: buf_ += "^^<"; buf_ += kXsd; buf_ += "integer>"; break;
      case Kind::Decimal: buf_ += "^^<"; buf_ += kXsd; buf_ += "decimal>"; break;
      case Kind::Double: buf_ += "^^<"; buf_ += kXsd; buf_ += "double>"; break;
      default: break;
    }
  }

  void writeIriTtl(std::string_view v) {
    for (const auto& p : kPrefixes) {
      size_t len = std::strlen(p.ns);
      if (v.size() > len && v.compare(0, len, p.ns) == 0 && isLocalNameSafe(v.substr(len))) {
        buf_ += p.name;
        buf_ += ':';
        buf_ += v.substr(len);
        return;
      }
    }
    size_t blen = std::strlen(kBase);
    buf_ += '<';
    if (v.size() > blen && v.compare(0, blen, kBase) == 0 && v[blen] >= '0' && v[blen] <= '9')
      buf_ += v.substr(blen);  // relative to @base
    else
      buf_ += v;
    buf_ += '>';
  }

  void writePredTtl(const char* p) {
    if (std::strcmp(p, kRdfType) == 0) buf_ += 'a';
    else writeIriTtl(p);
  }

  void writeTtl(const Term& t) {
    switch (t.kind) {
      case Kind::Iri: writeIriTtl(t.value); return;
      case Kind::Blank: buf_ += "_:"; buf_ += t.value; return;
      case Kind::Integer:
      case Kind::Decimal:
      case Kind::Double: buf_ += t.value; return;
      default: break;
    }
    bool longForm = t.value.find('\n') != std::string::npos;
    buf_ += longForm ? "\"\"\"" : "\"";
    for (char c : t.value) {
      switch (c) {
        case '\\': buf_ += "\\\\"; break;
        case '"': buf_ += "\\\""; break;
        case '\t': buf_ += "\\t"; break;
        case '\r': buf_ += "\\r"; break;
        default: buf_ += c;  // raw UTF-8; raw newlines only in long form
      }
    }
    buf_ += longForm ? "\"\"\"" : "\"";
    if (t.kind == Kind::Lang) {
      buf_ += '@';
      buf_ += t.extra;
    } else if (t.kind == Kind::Typed) {
      buf_ += "^^";
      writeIriTtl(t.extra);
    }
  }

  FILE* f_;
  bool turtle_;
  uint64_t limit_;
  uint64_t count_ = 0;
  std::string buf_;
  Term subject_{Kind::Iri, {}, {}};
  bool open_ = false;
  const char* lastPred_ = nullptr;
};

// ---------------------------------------------------------------- vocabulary
#define RDFS "http://www.w3.org/2000/01/rdf-schema#"
#define GS1 "https://gs1.org/voc/"
#define EPCIS "https://ref.gs1.org/epcis/"
#define CBV "https://ref.gs1.org/cbv/"
#define SCHEMA "https://schema.org/"
#define SC "https://example.org/supply/"

// ---------------------------------------------------------------- GS1 keys
using weft::bench::withCheckDigit;

std::string digitsOf(uint64_t v, int width) {
  char b[32];
  std::snprintf(b, sizeof b, "%0*llu", width, static_cast<unsigned long long>(v));
  return b;
}

// ---------------------------------------------------------------- time
// Days since 1970-01-01 to civil date (proleptic Gregorian).
void civilFromDays(int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}

constexpr int64_t kEpoch2024 = 1704067200;  // 2024-01-01T00:00:00Z

std::string offsetText(int offMin) {
  if (offMin == 0) return "+00:00";
  char b[16];
  int a = offMin < 0 ? -offMin : offMin;
  std::snprintf(b, sizeof b, "%c%02d:%02d", offMin < 0 ? '-' : '+', a / 60, a % 60);
  return b;
}

// Unix seconds + milliseconds shown in local time with its offset ("Z" for UTC
// when zulu is set).
std::string dateTime(int64_t unix, int millis, int offMin, bool zulu) {
  int64_t local = unix + offMin * 60;
  int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  int64_t sod = local - days * 86400;
  int y;
  unsigned m, d;
  civilFromDays(days, y, m, d);
  char b[64];
  int n = std::snprintf(b, sizeof b, "%04d-%02u-%02uT%02d:%02d:%02d", y, m, d, static_cast<int>(sod / 3600),
                        static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60));
  if (millis >= 0) n += std::snprintf(b + n, sizeof b - n, ".%03d", millis);
  std::string s(b, static_cast<size_t>(n));
  s += (zulu && offMin == 0) ? std::string("Z") : offsetText(offMin);
  return s;
}

std::string dateOnly(int64_t unix) {
  int y;
  unsigned m, d;
  civilFromDays(unix / 86400, y, m, d);
  char b[32];
  std::snprintf(b, sizeof b, "%04d-%02u-%02u", y, m, d);
  return b;
}

// ---------------------------------------------------------------- word lists
struct Country {
  const char* code;
  const char* lang;
  int offMin;
  int lat;  // whole degrees, centre-ish
  int lon;
  const char* cities[4];
  const char* streets[4];
  const char* siteWords[3];  // cold store, warehouse, plant in the local language
};

constexpr Country kCountries[] = {
    {"DE", "de", 60, 51, 10, {"München", "Köln", "Düsseldorf", "Lübeck"}, {"Hauptstraße", "Große Straße", "Bahnhofstraße", "Schloßallee"}, {"Kühlhaus", "Lager", "Werk"}},
    {"FR", "fr", 60, 46, 2, {"Besançon", "Orléans", "Nîmes", "Évry"}, {"Rue de la Paix", "Avenue Émile Zola", "Quai d'Orsay", "Rue Saint-Honoré"}, {"Entrepôt frigorifique", "Entrepôt", "Usine"}},
    {"ES", "es", 60, 40, -4, {"A Coruña", "Cádiz", "Logroño", "Málaga"}, {"Calle Mayor", "Avenida de España", "Paseo del Prado", "Calle Señor"}, {"Almacén frigorífico", "Almacén", "Fábrica"}},
    {"PL", "pl", 60, 52, 19, {"Łódź", "Kraków", "Gdańsk", "Poznań"}, {"ulica Piękna", "aleja Róż", "ulica Żelazna", "ulica Długa"}, {"Chłodnia", "Magazyn", "Zakład"}},
    {"US", "en", -300, 40, -80, {"Springfield", "Newark", "Columbus", "Richmond"}, {"Main Street", "Harbor Drive", "Industrial Pkwy", "Elm Street"}, {"Cold Store", "Warehouse", "Plant"}},
    {"BR", "pt", -180, -23, -46, {"São Paulo", "Niterói", "Maringá", "Jundiaí"}, {"Rua da Consolação", "Avenida Paulista", "Rua João Pessoa", "Rua Três"}, {"Câmara fria", "Armazém", "Fábrica"}},
    {"IN", "en", 330, 19, 73, {"Mumbai", "Pune", "Nagpur", "Nashik"}, {"MG Road", "Link Road", "Station Road", "Ring Road"}, {"Cold Store", "Godown", "Plant"}},
    {"JP", "ja", 540, 35, 139, {"東京", "大阪", "名古屋", "横浜"}, {"中央通り", "本町", "港町", "栄"}, {"冷蔵倉庫", "倉庫", "工場"}},
    {"GB", "en", 0, 52, -1, {"Leeds", "Bristol", "Hull", "Dover"}, {"High Street", "Station Road", "Mill Lane", "King's Road"}, {"Cold Store", "Warehouse", "Factory"}},
    {"NL", "nl", 60, 52, 5, {"Rotterdam", "Utrecht", "Zwolle", "Venlo"}, {"Havenstraat", "Kerkweg", "Dorpsstraat", "Molenweg"}, {"Koelhuis", "Magazijn", "Fabriek"}},
};

constexpr const char* kOrgStems[] = {"Nordwind", "Alpenquell", "Blue Harbor", "Sonnenhof", "Verde", "Kestrel", "Ölmühle", "Fjordlys",
                                     "Marée", "Campo Sol", "Łąka", "Sakura", "Riverside", "Greenfield", "Polaris", "Zuiderzee"};
constexpr const char* kOrgKinds[] = {"Foods", "Logistics", "Dairy", "Farms", "Frozen", "Fresh", "Trading", "Transport"};
constexpr const char* kOrgSuffix[] = {"GmbH", "S.A.", "Ltd", "B.V.", "Sp. z o.o.", "Inc.", "株式会社", "S.p.A.", "KG", "Ltda."};

struct ProductBase {
  const char* en;
  const char* de;
  const char* fr;
  const char* unit;  // UN/CEFACT unit code
  int minTempTenths;
  int maxTempTenths;
};
constexpr ProductBase kProducts[] = {
    {"Whole milk", "Vollmilch", "Lait entier", "LTR", 20, 70},
    {"Greek yoghurt", "Griechischer Joghurt", "Yaourt à la grecque", "GRM", 20, 70},
    {"Frozen peas", "Tiefkühl-Erbsen", "Petits pois surgelés", "GRM", -250, -180},
    {"Salmon fillet", "Lachsfilet", "Filet de saumon", "GRM", 0, 40},
    {"Vanilla ice cream", "Vanilleeis", "Glace à la vanille", "MLT", -250, -180},
    {"Chicken breast", "Hähnchenbrust", "Blanc de poulet", "GRM", 0, 40},
    {"Mozzarella", "Mozzarella", "Mozzarella", "GRM", 20, 70},
    {"Orange juice", "Orangensaft", "Jus d'orange", "LTR", 20, 80},
    {"Insulin pen", "Insulin-Pen", "Stylo d'insuline", "H87", 20, 80},
    {"Mixed salad", "Gemischter Salat", "Salade composée", "GRM", 10, 60},
    {"Butter", "Süßrahmbutter", "Beurre doux", "GRM", 20, 70},
    {"Espresso beans", "Espressobohnen", "Grains d'espresso", "GRM", 100, 250},
};
constexpr const char* kQualifiers[] = {"organic", "premium", "value", "lactose-free", "family pack", "café crème", "extra", "light"};
constexpr const char* kQualifiersDe[] = {"Bio", "Premium", "Spar", "laktosefrei", "Familienpackung", "Café Crème", "Extra", "leicht"};
constexpr const char* kQualifiersFr[] = {"bio", "premium", "éco", "sans lactose", "format familial", "café crème", "extra", "allégé"};

struct Step {
  const char* bizStep;
  const char* disposition;
  const char* action;
  bool shipment;  // refers to a shipment
};
constexpr Step kSteps[] = {
    {CBV "BizStep-commissioning", CBV "Disp-active", EPCIS "ADD", false},
    {CBV "BizStep-packing", CBV "Disp-in_progress", EPCIS "OBSERVE", false},
    {CBV "BizStep-storing", CBV "Disp-in_progress", EPCIS "OBSERVE", false},
    {CBV "BizStep-shipping", CBV "Disp-in_transit", EPCIS "OBSERVE", true},
    {CBV "BizStep-receiving", CBV "Disp-in_progress", EPCIS "OBSERVE", true},
    {CBV "BizStep-accepting", CBV "Disp-sellable_not_accessible", EPCIS "OBSERVE", true},
    {CBV "BizStep-inspecting", CBV "Disp-in_progress", EPCIS "OBSERVE", false},
    {CBV "BizStep-retail_selling", CBV "Disp-retail_sold", EPCIS "DELETE", false},
    {CBV "BizStep-destroying", CBV "Disp-destroyed", EPCIS "DELETE", false},
};

constexpr const char* kNotes[] = {
    "Seal \"B-17\" intact",
    "Temperatur ≤ 8 °C eingehalten ✓",
    "Palette beschädigt – „Nachlieferung“ angefordert",
    "Réception conforme, contrôle « OK »",
    "Driver said: \"door was open for 5'\"",
    "温度記録OK",
    "Pallet wrap torn\nrewrapped at dock 3",
    "Lot on hold — QA \\ review 🧊",
    "Carton count\t24/24",
    "Entrega com atraso de 2 h; motorista João",
};

// ---------------------------------------------------------------- model
struct Org {
  std::string iri;
  std::string companyPrefix;  // 7 digits
  int country;
};
struct Site {
  std::string iri;
  std::string gln;
  int org;
  int country;
  int offMin;
};
struct Product {
  std::string iri;
  std::string gtin;
  int org;
  int base;
};
struct Lot {
  std::string iri;
  int product;
  int site;
  int level = 0;  // genealogy level (--traceability): 0 for raw material
  int uses = 0;   // how many later lots name it in sc:derivedFrom
};

// --traceability: quality-control methods and the specification range of each
// product kind (two per entry of kProducts, same order), in hundredths of the
// unit (UN/CEFACT codes: P1 percent, C62 one, NA mg/kg).
struct QcSpec {
  const char* method;
  const char* unit;
  int minHundredths;
  int maxHundredths;
};
constexpr QcSpec kQcSpecs[std::size(kProducts)][2] = {
    {{"fat", "P1", 340, 380}, {"ph", "C62", 660, 680}},                // Whole milk
    {{"fat", "P1", 900, 1050}, {"ph", "C62", 400, 460}},               // Greek yoghurt
    {{"moisture", "P1", 7600, 8000}, {"sugar", "P1", 400, 600}},       // Frozen peas
    {{"fat", "P1", 800, 1400}, {"histamine", "NA", 0, 5000}},          // Salmon fillet
    {{"fat", "P1", 800, 1200}, {"sugar", "P1", 1400, 1800}},           // Vanilla ice cream
    {{"protein", "P1", 2100, 2500}, {"ph", "C62", 570, 620}},          // Chicken breast
    {{"fat", "P1", 1700, 2100}, {"moisture", "P1", 5200, 6000}},       // Mozzarella
    {{"brix", "P1", 1050, 1250}, {"ph", "C62", 330, 400}},             // Orange juice
    {{"potency", "P1", 9500, 10500}, {"ph", "C62", 700, 780}},         // Insulin pen
    {{"salt", "P1", 50, 120}, {"ph", "C62", 440, 520}},                // Mixed salad
    {{"fat", "P1", 8000, 8400}, {"moisture", "P1", 1400, 1600}},       // Butter
    {{"moisture", "P1", 1000, 1250}, {"caffeine", "P1", 110, 160}},    // Espresso beans
};
constexpr const char* kRecallReasons[] = {
    "Listeria monocytogenes detected in a retained sample",
    "Undeclared allergen (milk) on the label",
    "Foreign body (metal fragment) reported",
    "Cold chain broken during storage",
};
constexpr int kLevels = 5;  // genealogy levels 0..4

class Generator {
 public:
  Generator(Writer& w, uint64_t seed, uint64_t n, bool traceability) : w_(w), rng_(seed), trace_(traceability) {
    nOrg_ = clampCount(n / 4000, 20, 99999);
    nSite_ = nOrg_ * 3;
    nProduct_ = clampCount(n / 800, 50, 99999);
  }

  void run() {
    for (int i = 0; i < nOrg_ && !w_.done(); ++i) org(i);
    for (int i = 0; i < nSite_ && !w_.done(); ++i) site(i);
    if (trace_)
      for (size_t b = 0; b < std::size(kProducts) && !w_.done(); ++b) specifications(b);
    for (int i = 0; i < nProduct_ && !w_.done(); ++i) product(i);
    now_ = kEpoch2024;
    while (!w_.done()) {
      lot();
      if (trace_) {
        qualityTests(lots_.size() - 1);
        if (lots_.size() % 1000 == 300) recall();
        if (lots_.size() % 1000 == 800) complaint();
      }
      if (rng_.chance(30)) shipment();
      int k = static_cast<int>(rng_.range(2, 6));
      for (int i = 0; i < k && !w_.done(); ++i) event();
    }
    w_.endSubject();
  }

 private:
  static int clampCount(uint64_t v, int lo, int hi) {
    if (v < static_cast<uint64_t>(lo)) return lo;
    if (v > static_cast<uint64_t>(hi)) return hi;
    return static_cast<int>(v);
  }

  // Unique per organisation: 7919 is coprime to 100000, so i -> i*7919 mod
  // 100000 is one-to-one for i < 100000.
  std::string companyPrefix(int i) {
    static constexpr const char* kRanges[] = {"40", "41", "30", "59", "00", "78", "45", "50", "87"};
    return std::string(rng_.pick(kRanges)) + digitsOf((static_cast<uint64_t>(i) * 7919 + 4711) % 100000, 5);
  }

  void org(int i) {
    Org o;
    o.companyPrefix = companyPrefix(i);
    o.country = static_cast<int>(rng_.below(std::size(kCountries)));
    std::string gln = withCheckDigit(o.companyPrefix + "00000");
    o.iri = std::string(kBase) + "417/" + gln;
    const Country& c = kCountries[o.country];
    std::string name = std::string(rng_.pick(kOrgStems)) + " " + rng_.pick(kOrgKinds) + " " + rng_.pick(kOrgSuffix);
    if (rng_.chance(15)) name = std::string("\"") + rng_.pick(kOrgStems) + "\" " + name;
    name += " " + std::to_string(i);
    std::string addr = "addr" + std::to_string(i);

    w_.subject(iri(o.iri));
    w_.add(kRdfType, iri(GS1 "Organization"));
    w_.add(GS1 "organizationName", plain(name));
    w_.add(GS1 "globalLocationNumber", plain(gln));
    w_.add(SC "companyPrefix", plain(o.companyPrefix));
    w_.add(GS1 "address", blank(addr));
    w_.add(SC "country", iri(std::string("https://example.org/supply/country/") + c.code));
    if (rng_.chance(40)) w_.add(SCHEMA "url", iri("https://www.example.com/org/" + std::to_string(i)));
    w_.subject(blank(addr));
    w_.add(kRdfType, iri(GS1 "PostalAddress"));
    w_.add(GS1 "streetAddress", lang(std::string(rng_.pick(c.streets)) + " " + std::to_string(rng_.range(1, 240)), c.lang));
    w_.add(GS1 "addressLocality", lang(rng_.pick(c.cities), c.lang));
    w_.add(GS1 "postalCode", plain(digitsOf(rng_.below(100000), 5)));
    w_.add(GS1 "addressCountry", plain(c.code));
    orgs_.push_back(std::move(o));
  }

  void site(int i) {
    Site s;
    s.org = i % nOrg_;
    const Org& o = orgs_[static_cast<size_t>(s.org)];
    s.country = rng_.chance(80) ? o.country : static_cast<int>(rng_.below(std::size(kCountries)));
    const Country& c = kCountries[s.country];
    s.offMin = c.offMin;
    s.gln = withCheckDigit(o.companyPrefix + digitsOf(static_cast<uint64_t>(i / nOrg_ + 1), 5));
    s.iri = std::string(kBase) + "414/" + s.gln;
    int kind = static_cast<int>(rng_.below(3));
    static constexpr const char* kKinds[] = {SC "ColdStore", SC "Warehouse", SC "Plant"};

    w_.subject(iri(s.iri));
    w_.add(kRdfType, iri(GS1 "Place"));
    w_.add(kRdfType, iri(kKinds[kind]));
    w_.add(RDFS "label", lang(std::string(c.siteWords[kind]) + " " + rng_.pick(c.cities) + " " + std::to_string(i), c.lang));
    if (std::strcmp(c.lang, "en") != 0)
      w_.add(RDFS "label", lang(std::string(kind == 0 ? "Cold store " : kind == 1 ? "Warehouse " : "Plant ") + std::to_string(i), "en"));
    w_.add(GS1 "globalLocationNumber", plain(s.gln));
    w_.add(SC "operatedBy", iri(o.iri));
    w_.add(SCHEMA "latitude", dblMicro(c.lat * 1000000ll + rng_.range(-2000000, 2000000)));
    w_.add(SCHEMA "longitude", dblMicro(c.lon * 1000000ll + rng_.range(-3000000, 3000000)));
    w_.add(SC "timeZoneOffset", plain(offsetText(s.offMin)));
    sites_.push_back(std::move(s));
  }

  void product(int i) {
    Product p;
    p.org = static_cast<int>(rng_.below(static_cast<uint64_t>(nOrg_)));
    p.base = static_cast<int>(rng_.below(std::size(kProducts)));
    const Org& o = orgs_[static_cast<size_t>(p.org)];
    p.gtin = withCheckDigit("0" + o.companyPrefix + digitsOf(static_cast<uint64_t>(i), 5));
    p.iri = std::string(kBase) + "01/" + p.gtin;
    const ProductBase& b = kProducts[p.base];
    size_t q = rng_.below(std::size(kQualifiers));
    int size = static_cast<int>(rng_.range(1, 20)) * 50;
    std::string sz = std::to_string(size) + (b.unit[0] == 'L' ? " ml" : b.unit[0] == 'H' ? " pcs" : " g");
    std::string nc = "nc" + std::to_string(i);

    w_.subject(iri(p.iri));
    w_.add(kRdfType, iri(GS1 "Product"));
    w_.add(GS1 "gtin", plain(p.gtin));
    w_.add(GS1 "productName", lang(std::string(b.en) + ", " + kQualifiers[q] + ", " + sz, "en"));
    w_.add(GS1 "productName", lang(std::string(b.de) + ", " + kQualifiersDe[q] + ", " + sz, "de"));
    w_.add(GS1 "productName", lang(std::string(b.fr) + ", " + kQualifiersFr[q] + ", " + sz, "fr"));
    w_.add(GS1 "manufacturer", iri(o.iri));
    w_.add(GS1 "netContent", blank(nc));
    w_.add(GS1 "gpcCategoryCode", plain(std::to_string(10000000 + p.base * 17)));
    w_.add(SC "minStorageTemperature", dbl(b.minTempTenths));
    w_.add(SC "maxStorageTemperature", dbl(b.maxTempTenths));
    if (trace_)
      for (const QcSpec& q : kQcSpecs[p.base]) w_.add(SC "qualitySpec", iri(specIri(static_cast<size_t>(p.base), q)));
    w_.subject(blank(nc));
    w_.add(GS1 "value", decimal(size * 100ll));
    w_.add(GS1 "unitCode", plain(b.unit));
    products_.push_back(std::move(p));
  }

  std::string lotCode() {
    static constexpr char kAlnum[] = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    std::string s = "L";
    s += dateOnly(now_).substr(2, 2);  // year
    for (int k = 0; k < 6; ++k) s += kAlnum[rng_.below(sizeof kAlnum - 1)];
    return s;
  }

  void lot() {
    now_ += rng_.range(60, 900);
    Lot l;
    l.product = static_cast<int>(rng_.below(products_.size()));
    l.site = static_cast<int>(rng_.below(sites_.size()));
    const Product& p = products_[static_cast<size_t>(l.product)];
    std::string code = lotCode();
    l.iri = p.iri + "/10/" + code;
    int shelfDays = static_cast<int>(rng_.range(7, 400));

    w_.subject(iri(l.iri));
    w_.add(kRdfType, iri(SC "Batch"));
    w_.add(SC "ofProduct", iri(p.iri));
    w_.add(SC "lotNumber", plain(code));
    w_.add(GS1 "productionDate", typed(dateOnly(now_), "date"));
    w_.add(GS1 "expirationDate", typed(dateOnly(now_ + shelfDays * 86400ll), "date"));
    w_.add(SC "producedAt", iri(sites_[static_cast<size_t>(l.site)].iri));
    w_.add(SC "quantityProduced", integer(rng_.range(1, 400) * 12));
    if (trace_) genealogy(l);
    lots_.push_back(std::move(l));
  }

  // ---------------------------------------------------- --traceability parts
  static std::string specIri(size_t base, const QcSpec& q) {
    return std::string(SC "spec/S") + digitsOf(base, 2) + "-" + q.method;
  }

  void specifications(size_t base) {
    for (const QcSpec& q : kQcSpecs[base]) {
      w_.subject(iri(specIri(base, q)));
      w_.add(kRdfType, iri(SC "Specification"));
      w_.add(RDFS "label", lang(std::string(kProducts[base].en) + ": " + q.method, "en"));
      w_.add(SC "testMethod", iri(std::string(SC "method/") + q.method));
      w_.add(SC "minValue", decimal(q.minHundredths));
      w_.add(SC "maxValue", decimal(q.maxHundredths));
      w_.add(SC "unitCode", plain(q.unit));
    }
  }

  // The lot's level (0 raw material .. 4) and, above 0, sc:derivedFrom to 1-3
  // distinct lots one level down: mostly among the last 50 of that level, now
  // and then an older one, so inputs fan out to several lots.
  void genealogy(Lot& l) {
    static constexpr unsigned kWeights[kLevels] = {40, 25, 17, 11, 7};
    unsigned r = static_cast<unsigned>(rng_.below(100));
    int level = 0;
    while (level + 1 < kLevels && r >= kWeights[level]) r -= kWeights[level++];
    while (level > 0 && byLevel_[static_cast<size_t>(level - 1)].empty()) --level;
    l.level = level;
    if (level > 0) {
      const std::vector<size_t>& pool = byLevel_[static_cast<size_t>(level - 1)];
      int k = static_cast<int>(rng_.range(1, 3));
      std::vector<size_t> inputs;
      for (int i = 0; i < k; ++i) {
        size_t window = pool.size() < 50 ? pool.size() : 50;
        size_t in = rng_.chance(85) ? pool[pool.size() - 1 - rng_.below(window)] : pool[rng_.below(pool.size())];
        if (std::find(inputs.begin(), inputs.end(), in) != inputs.end()) continue;  // no duplicate triples
        inputs.push_back(in);
        ++lots_[in].uses;
        w_.add(SC "derivedFrom", iri(lots_[in].iri));
      }
    }
    byLevel_[static_cast<size_t>(level)].push_back(lots_.size());
  }

  // 0-2 quality-control results for the lot; about 4% out of specification,
  // and one in ten of those recorded as passed all the same.
  void qualityTests(size_t lotIndex) {
    const Lot& l = lots_[lotIndex];
    const Product& p = products_[static_cast<size_t>(l.product)];
    const QcSpec* specs = kQcSpecs[p.base];
    unsigned r = static_cast<unsigned>(rng_.below(100));
    int n = r < 35 ? 0 : r < 80 ? 1 : 2;
    size_t first = rng_.below(2);
    for (int t = 0; t < n && !w_.done(); ++t) {
      const QcSpec& q = specs[(first + static_cast<size_t>(t)) % 2];
      int span = q.maxHundredths - q.minHundredths;
      int64_t v = rng_.range(q.minHundredths, q.maxHundredths);
      bool out = rng_.chance(4);
      if (out) {
        int64_t by = rng_.range(1, span / 4 + 1);
        if (q.minHundredths > 0 && rng_.chance(50)) v = std::max<int64_t>(0, q.minHundredths - by);
        else v = q.maxHundredths + by;
        out = v < q.minHundredths || v > q.maxHundredths;
      }
      bool passed = !out || rng_.chance(10);
      const Org& lab = rng_.chance(30) ? orgs_[rng_.below(orgs_.size())]
                                       : orgs_[static_cast<size_t>(sites_[static_cast<size_t>(l.site)].org)];
      w_.subject(iri(uuid()));
      w_.add(kRdfType, iri(SC "QualityTest"));
      w_.add(SC "testedLot", iri(l.iri));
      w_.add(SC "specification", iri(specIri(static_cast<size_t>(p.base), q)));
      w_.add(SC "testMethod", iri(std::string(SC "method/") + q.method));
      w_.add(SC "measuredValue", decimal(v));
      w_.add(SC "testDate", typed(dateOnly(now_ + rng_.range(0, 3) * 86400), "date"));
      w_.add(SC "laboratory", iri(lab.iri));
      w_.add(SC "outcome", iri(passed ? SC "Pass" : SC "Fail"));
    }
  }

  // A recall of the raw-material lot (level 0) that the most later lots were
  // made from, among the last 100 raw-material lots.
  void recall() {
    const std::vector<size_t>& pool = byLevel_[0];
    if (pool.empty()) return;
    size_t best = pool[pool.size() - 1];
    for (size_t i = pool.size() > 100 ? pool.size() - 100 : 0; i < pool.size(); ++i)
      if (lots_[pool[i]].uses > lots_[best].uses) best = pool[i];
    const Lot& l = lots_[best];
    std::string no = "R" + digitsOf(++recallSerial_, 4);
    w_.subject(iri(std::string(SC "recall/") + no));
    w_.add(kRdfType, iri(SC "Recall"));
    w_.add(SC "recallNumber", plain(no));
    w_.add(SC "concernsLot", iri(l.iri));
    w_.add(SC "issuedBy", iri(orgs_[static_cast<size_t>(sites_[static_cast<size_t>(l.site)].org)].iri));
    w_.add(SC "announcedOn", typed(dateOnly(now_), "date"));
    w_.add(SC "reason", lang(rng_.pick(kRecallReasons), "en"));
    w_.add(SC "riskClass", plain(rng_.chance(50) ? "I" : "II"));
  }

  // A consumer complaint about the newest lot of the deepest level there is.
  void complaint() {
    int level = kLevels - 1;
    while (level > 0 && byLevel_[static_cast<size_t>(level)].empty()) --level;
    if (byLevel_[static_cast<size_t>(level)].empty()) return;
    const Lot& l = lots_[byLevel_[static_cast<size_t>(level)].back()];
    std::string no = "C" + digitsOf(++complaintSerial_, 4);
    w_.subject(iri(std::string(SC "complaint/") + no));
    w_.add(kRdfType, iri(SC "ConsumerComplaint"));
    w_.add(SC "complaintNumber", plain(no));
    w_.add(SC "concernsLot", iri(l.iri));
    w_.add(SC "receivedOn", typed(dateOnly(now_ + 86400), "date"));
    w_.add(RDFS "comment", plain(rng_.pick(kNotes)));
  }

  void shipment() {
    const Site& from = sites_[rng_.below(sites_.size())];
    const Site& to = sites_[rng_.below(sites_.size())];
    const Org& carrier = orgs_[rng_.below(orgs_.size())];
    std::string sscc = withCheckDigit(std::to_string(rng_.below(10)) + carrier.companyPrefix + digitsOf(++shipSerial_, 9));
    std::string s = std::string(kBase) + "00/" + sscc;
    int64_t dep = now_ + rng_.range(3600, 86400 * 2);

    w_.subject(iri(s));
    w_.add(kRdfType, iri(SC "Shipment"));
    w_.add(GS1 "sscc", plain(sscc));
    w_.add(SC "shipFrom", iri(from.iri));
    w_.add(SC "shipTo", iri(to.iri));
    w_.add(SC "carrier", iri(carrier.iri));
    w_.add(SC "plannedDeparture", typed(dateTime(dep, -1, from.offMin, true), "dateTime"));
    w_.add(SC "plannedArrival", typed(dateTime(dep + rng_.range(3, 72) * 3600, -1, to.offMin, true), "dateTime"));
    w_.add(SC "grossWeight", decimal(rng_.range(5000, 2400000)));
    w_.add(SC "palletCount", integer(rng_.range(1, 33)));
    int n = static_cast<int>(rng_.range(1, 4));
    std::vector<const Lot*> seen;
    for (int k = 0; k < n; ++k) {
      const Lot* l = &recentLot();
      if (std::find(seen.begin(), seen.end(), l) != seen.end()) continue;  // no duplicate triples
      seen.push_back(l);
      w_.add(SC "containsLot", iri(l->iri));
    }
    if (rng_.chance(10)) w_.add(RDFS "comment", plain(rng_.pick(kNotes)));
    lastShipment_ = s;
  }

  const Lot& recentLot() {
    // Mostly recent lots, sometimes an old one (a long tail of reuse).
    size_t n = lots_.size();
    if (rng_.chance(85)) {
      size_t window = n < 200 ? n : 200;
      return lots_[n - 1 - rng_.below(window)];
    }
    return lots_[rng_.below(n)];
  }

  std::string uuid() {
    uint64_t a = rng_.next(), b = rng_.next();
    a = (a & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;
    b = (b & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
    char s[48];
    std::snprintf(s, sizeof s, "urn:uuid:%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(a >> 32),
                  static_cast<unsigned long long>((a >> 16) & 0xFFFF), static_cast<unsigned long long>(a & 0xFFFF),
                  static_cast<unsigned long long>(b >> 48), static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFull));
    return s;
  }

  void event() {
    now_ += rng_.range(1, 120);
    const Lot& l = recentLot();
    const Product& p = products_[static_cast<size_t>(l.product)];
    const ProductBase& pb = kProducts[p.base];
    const Step& st = rng_.pick(kSteps);
    const Site& at = rng_.chance(50) ? sites_[static_cast<size_t>(l.site)] : sites_[rng_.below(sites_.size())];
    int millis = rng_.chance(70) ? static_cast<int>(rng_.below(1000)) : -1;
    bool zulu = rng_.chance(20);
    int off = zulu ? 0 : at.offMin;
    std::string id = uuid();
    std::string q = "q" + std::to_string(++eventSerial_);
    std::string sens = "sens" + std::to_string(eventSerial_);
    bool sensor = rng_.chance(45);

    w_.subject(iri(id));
    w_.add(kRdfType, iri(EPCIS "ObjectEvent"));
    w_.add(EPCIS "eventTime", typed(dateTime(now_, millis, off, zulu), "dateTime"));
    w_.add(EPCIS "eventTimeZoneOffset", plain(offsetText(off)));
    w_.add(EPCIS "recordTime", typed(dateTime(now_ + rng_.range(1, 600), -1, 0, true), "dateTime"));
    w_.add(EPCIS "action", iri(st.action));
    w_.add(EPCIS "bizStep", iri(st.bizStep));
    w_.add(EPCIS "disposition", iri(st.disposition));
    w_.add(EPCIS "readPoint", iri(at.iri + "/254/dock" + std::to_string(rng_.range(1, 8))));
    w_.add(EPCIS "bizLocation", iri(at.iri));
    w_.add(EPCIS "quantityList", blank(q));
    if (st.shipment && !lastShipment_.empty()) w_.add(SC "shipment", iri(lastShipment_));
    if (sensor) w_.add(EPCIS "sensorElementList", blank(sens));
    if (rng_.chance(4)) w_.add(RDFS "comment", plain(rng_.pick(kNotes)));

    w_.subject(blank(q));
    w_.add(EPCIS "epcClass", iri(l.iri));
    if (pb.unit[0] == 'H') {
      w_.add(EPCIS "quantity", integer(rng_.range(1, 48)));
    } else {
      w_.add(EPCIS "quantity", decimal(rng_.range(1, 2000) * 25));
      w_.add(EPCIS "uom", plain(pb.unit[0] == 'L' ? "LTR" : "KGM"));
    }

    if (sensor) {
      w_.subject(blank(sens));
      w_.add(kRdfType, iri(GS1 "Temperature"));
      w_.add(SC "value", dbl(rng_.range(pb.minTempTenths - 15, pb.maxTempTenths + 20)));
      w_.add(SC "uom", plain("CEL"));
      w_.add(SC "time", typed(dateTime(now_ - rng_.range(0, 300), -1, off, zulu), "dateTime"));
    }
  }

  Writer& w_;
  Rng rng_;
  int nOrg_, nSite_, nProduct_;
  std::vector<Org> orgs_;
  std::vector<Site> sites_;
  std::vector<Product> products_;
  std::vector<Lot> lots_;
  bool trace_;
  std::vector<size_t> byLevel_[kLevels];
  uint64_t recallSerial_ = 0;
  uint64_t complaintSerial_ = 0;
  int64_t now_ = kEpoch2024;
  uint64_t shipSerial_ = 0;
  uint64_t eventSerial_ = 0;
  std::string lastShipment_;
};

int usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s --triples N --format nt|ttl [--seed S] [--traceability] -o FILE\n"
               "Writes N triples of deterministic supply-chain-like RDF (same graph for nt and ttl).\n"
               "--traceability adds batch genealogy, quality-control results, recalls and complaints.\n",
               argv0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t n = 0;
  uint64_t seed = 42;
  std::string format, out;
  bool traceability = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--triples" && (v = value())) n = std::strtoull(v, nullptr, 10);
    else if (a == "--seed" && (v = value())) seed = std::strtoull(v, nullptr, 10);
    else if (a == "--format" && (v = value())) format = v;
    else if (a == "--traceability") traceability = true;
    else if ((a == "-o" || a == "--output") && (v = value())) out = v;
    else if (a == "-h" || a == "--help") return usage(argv[0]), 0;
    else return usage(argv[0]);
  }
  if (n == 0 || (format != "nt" && format != "ttl") || out.empty()) return usage(argv[0]);

  FILE* f = out == "-" ? stdout : std::fopen(out.c_str(), "wb");
  if (!f) {
    std::perror(out.c_str());
    return 1;
  }
  Writer w(f, format == "ttl", n);
  Generator g(w, seed, n, traceability);
  g.run();
  bool ok = w.finish();
  if (f != stdout) ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    std::fprintf(stderr, "%s: write failed\n", out.c_str());
    return 1;
  }
  std::fprintf(stderr, "wrote %llu triples (%s) to %s\n", static_cast<unsigned long long>(w.count()), format.c_str(),
               out.c_str());
  return 0;
}
