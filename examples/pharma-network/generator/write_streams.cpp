// SPDX-License-Identifier: Apache-2.0
// Replayable streams for the live twin (issue 9 item 6; `weft_pharma_gen --streams`): three
// weeks of historian samples from both manufacturers, one CSV per site and day under
// streams/replay/<site>/samples/ (`weft replay --dir streams/replay --topic-prefix plant`
// publishes them to plant/<site>/samples/<day>), with three planted drifts among series that
// stay in control:
//   BR-201.TT-002.PV  a redundant culture temperature probe drifting slowly (+0.02 C a day)
//   TP-02.NIR-01.PV   inline NIR assay that steps down 1 sigma at a raw-material lot change
//   TP-02.CT-001.PV   cycle time per rack that grows with punch and die wear
// Also streams/<site>/historian/tags.csv (the tag dictionaries), streams/stream.json (`weft stream` routes),
// streams/drift.json (`weft watch drift`: every series, the planted ones with their start) and
// streams/planted.json (the ground truth). Noise is independent from sample to sample (the SPC
// charts assume it), so the false alarms measured on the in-control series are the charts'
// own, not an artefact of autocorrelation.
#include <cstdio>

#include "gen.h"

namespace pgen {

namespace {

struct StreamTag {
  const char* site;  // aurelian | brightwater
  Tag tag;
  i64 every;         // seconds between samples
  double mean, sd;
  int decimals;
  // the planted change: none, a linear drift per day from `start`, a step at `start`, or a
  // growth per sample from `start`
  enum Kind { kNone, kDriftPerDay, kStep, kGrowthPerSample } kind = kNone;
  i64 start = 0;
  double size = 0;
  const char* what = "";
};

}  // namespace

void write_streams(World& w, Out& out) {
  const i64 from = ts(2025, 9, 1), to = ts(2025, 9, 22);
  const i64 baseline_to = ts(2025, 9, 4);
  std::vector<StreamTag> tags = {
      {"aurelian", {"BR-201.TT-002.PV", "Culture temperature, redundant probe", "BR-201", "temperature", "Cel", "CEL", 300, "35.5", "37.5", ""},
       300, 36.5, 0.03, 3, StreamTag::kDriftPerDay, ts(2025, 9, 8), 0.02,
       "a slowly drifting sensor: the redundant probe's reading rises 0.02 C a day"},
      {"aurelian", {"BR-202.TT-002.PV", "Culture temperature, redundant probe", "BR-202", "temperature", "Cel", "CEL", 300, "35.5", "37.5", ""},
       300, 36.5, 0.03, 3},
      {"aurelian", {"CR-101.TT-02.PV", "Cold room 2-8 C temperature, second probe", "CR-101", "temperature", "Cel", "CEL", 300, "2", "8", ""},
       300, 4.8, 0.05, 2},
      {"brightwater", {"TP-02.NIR-01.PV", "Inline NIR assay of the blend at the feed frame", "TP-02", "assay", "%", "P1", 1800, "95", "105", ""},
       1800, 100.0, 0.5, 2, StreamTag::kStep, ts(2025, 9, 12, 6), -0.5,
       "a raw-material lot change that moves a quality attribute: the NIR assay steps down 1 sigma"},
      {"brightwater", {"TP-02.CT-001.PV", "Cycle time per rack of 1,000 tablets", "TP-02", "cycle time", "s", "SEC", 600, "", "", ""},
       600, 60.0, 0.6, 2, StreamTag::kGrowthPerSample, ts(2025, 9, 5), 0.004,
       "tool wear that lengthens cycle times: +0.004 s per rack from the start"},
      {"brightwater", {"TP-01.CT-001.PV", "Cycle time per rack of 1,000 tablets", "TP-01", "cycle time", "s", "SEC", 600, "", "", ""},
       600, 60.0, 0.6, 2},
  };

  Rng r(w.cfg.seed ^ 0x57AEA4ULL);
  // The tag dictionaries, one per manufacturer (the historian connector tells the organisation
  // from the folder): ingest them before the samples arrive.
  for (const char* site : {"aurelian", "brightwater"}) {
    std::vector<Tag> dict;
    for (const auto& t : tags)
      if (std::string(t.site) == site) dict.push_back(t.tag);
    write_tags(out, "streams/" + std::string(site) + "/historian/tags.csv", dict);
  }

  // One file per site and day; rows in time order, tags in a fixed order at equal times.
  std::map<std::string, std::pair<std::string, i64>> files;
  for (i64 t = from; t < to; t += 300) {
    std::string day = iso_date(t);
    day = day.substr(0, 4) + day.substr(5, 2) + day.substr(8, 2);
    for (const auto& st : tags) {
      if (t % st.every != 0) continue;
      double v = st.mean + r.gauss() * st.sd;
      if (t >= st.start) {
        switch (st.kind) {
          case StreamTag::kNone: break;
          case StreamTag::kDriftPerDay: v += st.size * static_cast<double>(t - st.start) / kDay; break;
          case StreamTag::kStep: v += st.size; break;
          case StreamTag::kGrowthPerSample: v += st.size * static_cast<double>((t - st.start) / st.every); break;
        }
      }
      auto& f = files["streams/replay/" + std::string(st.site) + "/samples/" + day + ".csv"];
      if (f.first.empty()) f.first = "tag,timestamp,value,quality\n";
      f.first += st.tag.tag + "," + iso_dt_ms(t) + "," + fmt(v, st.decimals) + ",Good\n";
      f.second++;
    }
  }
  for (auto& [name, f] : files) out.write(name, f.first, f.second);

  out.write("streams/stream.json",
            "{\"client_id\": \"weft-pharma-network\", \"batch_max_messages\": 500, \"batch_max_ms\": 200,\n"
            " \"routes\": [{\"topic\": \"plant/+/samples/#\", \"kind\": \"historian-samples\"}]}\n",
            1);

  // The drift configuration: temperatures as hourly means (12 samples each), the NIR assay and
  // the cycle times as they come; the first three days are the phase-I baseline.
  std::string drift = "{\"series\": [\n";
  std::string planted = "{\"window\": {\"from\": \"" + iso_dt_ms(from) + "\", \"to\": \"" + iso_dt_ms(to) +
                        "\"}, \"baseline_to\": \"" + iso_dt_ms(baseline_to) + "\", \"planted\": [\n";
  bool first_planted = true;
  for (size_t i = 0; i < tags.size(); ++i) {
    const auto& st = tags[i];
    drift += "  {\"name\": " + json_str(st.tag.tag) + ", \"source\": {\"tag\": " + json_str(st.tag.tag) + "},";
    if (st.every < 1800) drift += " \"resample_s\": 3600,";
    drift += "\n   \"baseline\": {\"from\": \"" + iso_dt_ms(from) + "\", \"to\": \"" + iso_dt_ms(baseline_to) + "\"}";
    if (st.kind != StreamTag::kNone) {
      drift += ", \"planted\": {\"start\": \"" + iso_dt_ms(st.start) + "\"}";
      planted += std::string(first_planted ? "" : ",\n") + "  {\"tag\": " + json_str(st.tag.tag) + ", \"start\": \"" +
                 iso_dt_ms(st.start) + "\", \"kind\": \"" +
                 (st.kind == StreamTag::kDriftPerDay ? "drift_per_day" : st.kind == StreamTag::kStep ? "step" : "growth_per_sample") +
                 "\", \"size\": " + fmt(st.size, 3) + ", \"sigma\": " + fmt(st.sd, 2) + ", \"what\": " + json_str(st.what) + "}";
      first_planted = false;
    }
    drift += i + 1 < tags.size() ? "},\n" : "}\n";
  }
  drift += "]}\n";
  planted += "\n]}\n";
  out.write("streams/drift.json", drift, static_cast<i64>(tags.size()));
  out.write("streams/planted.json", planted, 3);
}

}  // namespace pgen
