// SPDX-License-Identifier: Apache-2.0
// Replayable streams for the live twin (issue 9 item 6; `weft_pharma_gen --streams`): three
// weeks of historian samples from both manufacturers, one CSV per site and day under
// streams/replay/<site>/samples/ (`weft replay --dir streams/replay --topic-prefix plant`
// publishes them to plant/<site>/samples/<day>), with three planted drifts among series that
// stay in control:
//   BR-201.TT-002.PV  a redundant culture temperature probe drifting slowly (+0.02 C a day)
//   TP-02.NIR-01.PV   inline NIR assay that steps down 1 sigma at a raw-material lot change
//   TP-02.CT-001.PV   cycle time per rack that grows with punch and die wear
// With them, the MES performance records and EPCIS captures of the same three weeks
// (streams/replay/<site>/mes/, streams/replay/meridian/epcis/).
// Also streams/<site>/historian/tags.csv (the tag dictionaries), streams/stream.json (`weft stream` routes),
// streams/drift.json (`weft watch drift`: every series, the planted ones with their start) and
// streams/planted.json (the ground truth). Noise is independent from sample to sample (the SPC
// charts assume it), so the false alarms measured on the in-control series are the charts'
// own, not an artefact of autocorrelation.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

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

// A year of failures and their condition trends at Aurelian (the failure-prediction backtest,
// docs/watch.md): eight machines with rotating parts, each failing as a Weibull with shape 2
// (wear-out) and scale 900 h of operation, drawn hour by hour from its hazard 2a/900^2 so the
// arithmetic stays IEEE-exact; repairs of 4-24 h. Four failures in five announce themselves:
// the machine's vibration (`<M>.VT-001.PV`, mm/s RMS, hourly, 2.0 + machine offset, sd 0.1)
// rises quadratically by 2 mm/s over the 48-96 h before the failure; the fifth comes without a
// trend. Twice a quarter a machine shows a transient rise of 0.8 mm/s over 24 h that leads to
// nothing. The BR-202 agitator drive failure of the storyline is one of the corrective work
// orders (3 days out of service). Work orders in streams/aurelian/cmms/work_orders.csv
// (corrective and quarterly preventive), samples in
// streams/aurelian/historian/timeseries_2025MM.csv, the configuration of `weft watch
// failures` in streams/failures.json.
std::vector<Tag> write_condition_history(World& w, Out& out) {
  const char* machines[] = {"BR-201", "BR-202", "CF-1", "CHR-1", "CHR-2", "UF-1", "FF-1", "VI-1"};
  const char* modes[] = {"bearing wear", "mechanical seal leak", "motor overheating", "drive fault"};
  const i64 from = ts(2025, 1, 1), to = ts(2026, 1, 1);
  Rng r(w.cfg.seed ^ 0xFA11ED5ULL);
  Csv wo({"id", "equipment_id", "type", "failure_mode", "failed", "completed", "description"});
  std::vector<Sample> samples;
  std::vector<Tag> tags;
  int n_wo = 0, n_fail = 0;
  auto wo_id = [&] {
    char b[32];
    std::snprintf(b, sizeof b, "WO-2025-%04d", ++n_wo);
    return std::string(b);
  };
  for (int mi = 0; mi < 8; ++mi) {
    const std::string m = machines[mi];
    const std::string tag = m + ".VT-001.PV";
    tags.push_back({tag, "Vibration velocity, RMS", m, "vibration velocity", "mm/s", "C16", 3600, "", "", ""});
    const double base = 2.0 + 0.1 * mi;
    // Failures (hour of failure, hours of repair, lead of the trend or 0).
    struct F { i64 t; i64 repair_h; i64 lead_h; };
    std::vector<F> fails;
    i64 t = from, age_h = 0;
    const bool planted = m == "BR-202" && w.br_fail_start > 0;
    bool planted_done = false;
    while (t < to) {
      ++age_h;
      t += 3600;
      const double hazard = 2.0 * static_cast<double>(age_h) / (900.0 * 900.0);
      bool fail = r.unit() < hazard;
      i64 repair = 4 + static_cast<i64>(r.unit() * 10.0) + static_cast<i64>(r.unit() * 10.0);
      if (planted && !planted_done && t >= w.br_fail_start) {
        t = w.br_fail_start;
        fail = true;
        repair = 72;
        planted_done = true;
      }
      if (!fail || t >= to) continue;
      const i64 lead = r.unit() < 0.8 ? 48 + static_cast<i64>(r.unit() * 48.0) : 0;
      fails.push_back({t, repair, lead});
      t += repair * 3600;
      age_h = 0;
    }
    // Transient rises that lead to nothing: twice a quarter, away from failures.
    std::vector<i64> bumps;
    for (int k = 0; k < 8; ++k) bumps.push_back(from + static_cast<i64>(r.unit() * 364.0) * kDay + 3600 * r.range(0, 23));
    // Hourly vibration, none while in repair.
    size_t fi = 0;
    for (i64 h = from; h < to; h += 3600) {
      while (fi < fails.size() && h >= fails[fi].t + fails[fi].repair_h * 3600) ++fi;
      if (fi < fails.size() && h >= fails[fi].t) continue;  // in repair
      double v = base + 0.1 * r.gauss();
      if (fi < fails.size() && fails[fi].lead_h > 0) {
        const i64 start = fails[fi].t - fails[fi].lead_h * 3600;
        if (h >= start) {
          const double x = static_cast<double>(h - start) / static_cast<double>(fails[fi].lead_h * 3600);
          v += 2.0 * x * x;
        }
      }
      for (i64 b : bumps) {
        if (h < b || h >= b + 24 * 3600) continue;
        const double x = static_cast<double>(h - b) / (12.0 * 3600.0);  // 0..2
        v += 0.8 * (x <= 1 ? x : 2 - x);
      }
      samples.push_back({tag, h, v, 2, "Good"});
    }
    for (const F& f : fails) {
      const bool storyline = planted && f.t == w.br_fail_start;
      const char* mode = storyline ? "drive fault" : modes[r.below(4)];
      wo.row({wo_id(), m, "corrective", mode, iso_dt_ms(f.t), iso_dt_ms(f.t + f.repair_h * 3600),
              storyline ? "Agitator drive (VFD) power module failed on culture day 6; replaced"
                        : m + ": " + mode + (f.lead_h ? " (vibration had been rising)" : "")});
      ++n_fail;
    }
    for (int q = 0; q < 4; ++q) {
      const i64 pm = ts(2025, 1 + 3 * q, 15, 6);
      wo.row({wo_id(), m, "preventive", "", iso_dt_ms(pm), iso_dt_ms(pm + 4 * 3600), m + ": quarterly inspection and lubrication"});
    }
  }
  out.write("streams/aurelian/cmms/work_orders.csv", wo.str(), wo.rows());
  write_series(out, "streams/aurelian/historian", samples);  // monthly timeseries_2025MM.csv
  std::string machines_json;
  for (int mi = 0; mi < 8; ++mi)
    machines_json += std::string(mi ? ",\n  " : "  ") + json_str("https://data.aurelian.example/equipment/" + std::string(machines[mi])) +
                     ": {\"tags\": [" + json_str(std::string(machines[mi]) + ".VT-001.PV") + "]}";
  out.write("streams/failures.json",
            "{\"history\": \"PREFIX dt: <https://w3id.org/weft/dt#> SELECT ?machine ?failure ?repaired WHERE { "
            "?wo a dt:MaintenanceWorkOrder ; dt:workOrderType \\\"corrective\\\" ; dt:equipment ?machine ; "
            "dt:failureTime ?failure ; dt:repairCompleted ?repaired }\",\n"
            " \"start\": \"2025-01-01\", \"at\": \"2025-12-31T00:00:00Z\",\n"
            " \"horizon_h\": 72, \"threshold\": 0.5, \"condition\": true, \"backtest\": true,\n"
            " \"machines\": {\n" + machines_json + "\n}}\n",
            1);
  std::printf("streams: %d work orders (%d corrective), %zu vibration samples\n", n_wo, n_fail, samples.size());
  return tags;
}

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
  const std::vector<Tag> condition = write_condition_history(w, out);
  for (const char* site : {"aurelian", "brightwater"}) {
    std::vector<Tag> dict;
    if (std::string(site) == "aurelian") dict = condition;
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

  // The documents the plants' other systems push in the same three weeks, copied from the
  // records written before: each manufacturer's MES performance record of a batch, sent when
  // the record is made (its CreationDateTime in the window), and Meridian's EPCIS capture of
  // each day with events. `weft replay` publishes a file as one message on
  // plant/<site>/mes/<batch> or plant/meridian/epcis/<day>.
  namespace fs = std::filesystem;
  auto read_all = [](const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  auto in_window = [&](const std::string& iso) { return iso >= iso_date(from) && iso < iso_date(to); };
  int documents = 0;
  for (const char* site : {"aurelian", "brightwater"}) {
    const fs::path dir = fs::path(out.root()) / site / "mes" / "performance";
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      const std::string doc = read_all(f);
      const size_t at = doc.find("<CreationDateTime>");
      if (at == std::string::npos || !in_window(doc.substr(at + 18, 10))) continue;
      out.write("streams/replay/" + std::string(site) + "/mes/" + f.filename().string(), doc, 1);
      ++documents;
    }
  }
  {
    const fs::path dir = fs::path(out.root()) / "meridian" / "epcis";
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      if (!in_window(f.stem().string())) continue;
      out.write("streams/replay/meridian/epcis/" + f.filename().string(), read_all(f), 1);
      ++documents;
    }
  }
  if (documents == 0) std::fprintf(stderr, "weft_pharma_gen: no MES or EPCIS record in the streams' window\n");

  out.write("streams/stream.json",
            "{\"client_id\": \"weft-pharma-network\", \"batch_max_messages\": 500, \"batch_max_ms\": 200,\n"
            " \"routes\": [{\"topic\": \"plant/+/samples/#\", \"kind\": \"historian-samples\"},\n"
            "            {\"topic\": \"plant/+/mes/#\", \"kind\": \"mes\"},\n"
            "            {\"topic\": \"plant/+/epcis/#\", \"kind\": \"epcis\"}]}\n",
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
