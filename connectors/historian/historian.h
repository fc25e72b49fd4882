// SPDX-License-Identifier: Apache-2.0
// The historian connector's pieces (connectors/historian/*.cpp), exposed for
// the unit tests: strict readers for the tag dictionary (tags.csv) and the
// sample exports (timeseries_<yyyymm>.csv), the per-phase summary and
// excursion arithmetic, and the step that writes samples to the table beside
// the store and the derived nodes to the graph.
//
// Raw samples never enter the graph: they go to DIR/timeseries.sqlite,
//   samples(doc TEXT, tag TEXT, ts INTEGER /* epoch ms, UTC */, value REAL, quality TEXT)
// with an index on (tag, ts); `doc` is the document's sha256, so re-ingesting
// a document replaces its rows. The graph receives tag metadata (the
// mappings historian/tags-{org}.ttl and the unit lookup here), per-phase
// summaries and excursion events (shapes in docs/connectors.md, "Sensors
// (historian)").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/api/connector.h"
#include "engine/core/status.h"
#include "engine/rdf/sink.h"

namespace weft::store {
class Store;
}

namespace weft::connectors::historian {

// An excursion is a run of Good samples outside [low, high] lasting at least
// this long (DOMAIN.md 3.4: Bad and Uncertain samples never count).
inline constexpr double kMinExcursionMinutes = 15;
// The sampling interval assumed for a tag whose dictionary gives none.
inline constexpr double kDefaultIntervalSeconds = 60;
// The longest sampling interval a tag may have (one year): the arithmetic
// works in int64 milliseconds, which an absurd interval would overflow.
inline constexpr double kMaxIntervalSeconds = 366 * 86400.0;

// OPC quality, reduced to its class. Accepted spellings: Good / Uncertain /
// Bad (any case), an OPC DA quality byte in decimal (192 = Good; 0xC0 bits:
// 11 Good, 01 Uncertain, 00 Bad) or an OPC UA StatusCode in hex (0x00000000 =
// Good; top two bits: 00 Good, 01 Uncertain, 10 Bad).
enum class Quality { kGood, kUncertain, kBad };
const char* qualityName(Quality q);
std::optional<Quality> parseQuality(std::string_view text);

// "2025-03-03T08:15:00.000Z" or with an offset ("+01:00"): milliseconds since
// 1970-01-01T00:00:00Z. A time zone is required (a historian export without
// one is ambiguous). Fractions beyond milliseconds are truncated.
std::optional<int64_t> parseTimestamp(std::string_view text);
// The xsd:dateTime lexical form in UTC: "2025-03-03T08:15:00Z", with ".mmm"
// when the milliseconds are not zero.
std::string formatTimestamp(int64_t ms);

struct Sample {
  int64_t ts = 0;  // epoch ms
  double value = 0;
  uint64_t line = 0;
  uint32_t tag = 0;       // index into SampleFile::tags
  Quality quality = Quality::kGood;
  bool has_value = true;  // false: empty value field (allowed for Bad and Uncertain only)
};

// A parsed export: samples in file order, tag names once each.
struct SampleFile {
  std::vector<std::string> tags;
  std::vector<Sample> samples;
};

// Reads a sample export: header `tag,timestamp,value,quality` (any order,
// other columns ignored), one sample per line. The first bad line fails the
// whole document: "timeseries_202503.csv:17: bad timestamp '2025-13-01'".
// `name` is used in messages.
Result<SampleFile> parseSamples(std::string_view text, const std::string& name);

// One row of tags.csv (the columns the code needs; the mapping reads the rest).
struct TagRow {
  std::string tag, equipment_id, property, unit_ucum, unit_unece, cpp_id;
  std::optional<double> interval_s, low, high;
  uint64_t line = 0;
};
// Reads tags.csv strictly: header
// `tag,description,equipment_id,property,unit_ucum,unit_unece,sample_interval_s,low,high,cpp_id`
// (all of them, any order), numeric interval / limits when present, an
// interval of at most kMaxIntervalSeconds, low <= high, a unit weft knows (qudtUnit), no duplicate tag.
Result<std::vector<TagRow>> parseTags(std::string_view text, const std::string& name);
// The QUDT unit IRI for a UCUM or UN/CEFACT Rec 20 code ("Cel", "CEL"), or
// empty when weft's table has none.
std::string qudtUnit(std::string_view ucum, std::string_view unece);

// A compressed (deadband) series holds its last value until the next
// sample, but not across an outage: a sample stands for at most this long
// (or its tag's interval, if longer). The example's historians write at
// least every 10 minutes (bioreactors) or 30 minutes (cold rooms).
inline constexpr double kMaxHoldSeconds = 3600;
// A phase is summarised once the table holds samples of the tag this close
// to its start and to its end (or two intervals, if longer), so that a phase
// spanning two monthly files is summarised when the second one arrives.
inline constexpr double kCoverageSeconds = 1200;

// What a phase summary says. Only Good samples count. Each stands for the
// time until the next sample of the tag (at most max(interval, max_hold_s);
// the last one known: one interval), clipped to the window: the mean is
// weighted by it, and minutes out of range add it up for the samples outside
// [low, high]. For a regular series that is one interval per sample.
struct PhaseStats {
  uint64_t count = 0;
  double min = 0, max = 0, mean = 0;
  double minutes_out = 0;
};
// Samples (sorted by ts) with start <= ts < end; samples after `end` only
// bound the last one's time.
PhaseStats summarise(const std::vector<Sample>& samples, int64_t start, int64_t end,
                     std::optional<double> low, std::optional<double> high, double interval_s,
                     double max_hold_s = kMaxHoldSeconds);

struct Excursion {
  int64_t start = 0, end = 0;  // epoch ms; end: see findExcursions
  double extreme = 0;          // highest value above high, lowest below low
  bool above = true;
  double minutes() const { return static_cast<double>(end - start) / 60000.0; }
};
// Runs of consecutive Good samples (one tag, sorted by ts) on the same side
// outside [low, high], at least min_minutes long. A Bad or Uncertain sample,
// an in-range sample, a change of side or a gap longer than the hold time
// ends a run. It starts at its first sample and ends at the sample that ends
// it (at most the hold time after its last outside sample; one interval
// after it when no sample follows).
std::vector<Excursion> findExcursions(const std::vector<Sample>& samples, std::optional<double> low,
                                      std::optional<double> high, double interval_s,
                                      double min_minutes = kMinExcursionMinutes,
                                      double max_hold_s = kMaxHoldSeconds);

// Percent-encodes what an IRI path segment may not hold, as an RML template
// does with a reference value (unreserved and non-ASCII characters are kept).
std::string iriSegment(std::string_view v);
// The organisation a document belongs to, from the folder it is in
// (".../aurelian/historian/tags.csv" -> "aurelian"; the last of aurelian,
// brightwater, meridian among the path's folders), or empty.
std::string orgOfPath(const std::string& path);

// The samples step for one document (the connector's `after`): parses it,
// replaces its rows in `sqlite_path` in one SQLite transaction, reads tags
// and phase runs from `graph` (the committed store), sends summaries and
// excursions to `out`, and commits the SQLite transaction only when all of
// that succeeded (otherwise the table is left as it was).
Status ingestSamples(const Document& doc, std::string_view text, const store::Store& graph,
                     const std::string& sqlite_path, rdf::QuadSink& out, uint64_t* records);

// Number of rows of `doc` (a sha256) in the table, or of all rows if empty.
Result<uint64_t> countRows(const std::string& sqlite_path, const std::string& doc);

}  // namespace weft::connectors::historian
