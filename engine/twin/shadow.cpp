// SPDX-License-Identifier: Apache-2.0
#include "engine/twin/shadow.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "engine/twin/model_from_graph.h"

namespace weft::twin {
namespace {

// "YYYY-MM-DDTHH:MM" (UTC).
std::string formatTime(double t) {
  const double day = std::floor(t / sim::kDay) * sim::kDay;
  const int minutes = static_cast<int>(std::lround((t - day) / 60));
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d", minutes / 60, minutes % 60);
  return formatDate(day) + buf;
}

// The value of a per-product map (cycle times, scrap) for `product`, else its "*" entry.
template <typename T>
const T* forProduct(const std::map<std::string, T>& m, const std::string& product) {
  auto it = m.find(product);
  if (it == m.end()) it = m.find("*");
  return it == m.end() ? nullptr : &it->second;
}

}  // namespace

Result<std::vector<ShiftWindow>> shiftWindows(double from, double end, double hours,
                                              double startHour) {
  if (!(hours > 0 && hours <= 24 * 31) || !(startHour >= 0 && startHour < 24))
    return Status::invalidArgument("shifts: the length must be in (0, 744] hours and the start in [0, 24)");
  if (!(end > from)) return Status::invalidArgument("shifts: the end is not after the start");
  const double len = hours * sim::kHour;
  if ((end - from) / len > 100000) return Status::invalidArgument("more than 100,000 shifts");
  // Shift boundaries repeat every `len` from the first start of the day holding `from`.
  const double first = std::floor(from / sim::kDay) * sim::kDay + startHour * sim::kHour;
  double next = first + std::ceil((from - first) / len) * len;
  if (next <= from) next += len;
  std::vector<ShiftWindow> out;
  for (double t = from; t < end;) {
    const double to = std::min(end, next);
    out.push_back({formatTime(t), t, to});
    t = to;
    next += len;
  }
  return out;
}

void spreadOverShifts(const std::vector<ShiftWindow>& shifts, double start, double duration,
                      double amount, std::vector<double>* sums) {
  if (duration <= 0) {
    for (size_t i = 0; i < shifts.size(); ++i)
      if (start >= shifts[i].from && start < shifts[i].to) (*sums)[i] += amount;
    return;
  }
  const double end = start + duration;
  for (size_t i = 0; i < shifts.size(); ++i) {
    const double overlap = std::min(end, shifts[i].to) - std::max(start, shifts[i].from);
    if (overlap > 0) (*sums)[i] += amount * overlap / duration;
  }
}

std::vector<std::optional<double>> runningMape(const sim::calib::KpiSeries& s) {
  std::vector<std::optional<double>> out;
  double sum = 0;
  int n = 0;
  for (size_t i = 0; i < s.actual.size(); ++i) {
    if (s.actual[i] != 0) {
      sum += std::fabs(s.simulated[i] - s.actual[i]) / std::fabs(s.actual[i]);
      ++n;
    }
    out.push_back(n > 0 ? std::optional<double>(100 * sum / n) : std::nullopt);
  }
  return out;
}

Result<ShadowResult> runShadow(const sparql::Dataset& data, const ShadowOptions& o) {
  double from = 0, end = 0;
  if (!parseTimestamp(o.from, &from)) return Status::invalidArgument("--from: not a date: " + o.from);
  if (!parseTimestamp(o.to, &end)) return Status::invalidArgument("--to: not a date: " + o.to);
  end += sim::kDay;  // the last day is shadowed too
  auto shifts = shiftWindows(from, end, o.shiftHours, o.shiftStartHour);
  if (!shifts) return shifts.status();
  auto cal = calibrateAt(data, o.calibration, o.from, o.progress);
  if (!cal) return cal.status();
  ShadowResult res;
  res.calibration = std::move(cal.value());
  for (const ShiftWindow& w : *shifts) {
    res.shifts.push_back(w.label);
    res.shiftStarts.push_back(w.from);
  }
  const sim::Model& m = res.calibration.built.model;
  const auto& counters = res.calibration.records.counters;
  const size_t ns = shifts->size();

  // Units with phases to shadow, in the model's order.
  for (const sim::Line& line : m.lines) {
    for (const sim::Machine& mc : line.machines) {
      const std::string& unit = mc.name;
      // Availability before `from`: production time / planned busy time of its phases.
      double apt = 0, pbt = 0;
      for (const auto& c : counters)
        if (c.unit == unit && c.time < from && c.aptMin > 0 && c.pbtMin > 0) {
          apt += c.aptMin;
          pbt += c.pbtMin;
        }
      const double availability = pbt > 0 ? apt / pbt : 1.0;
      std::vector<double> twinGood(ns, 0), recGood(ns, 0), twinIdeal(ns, 0), recIdeal(ns, 0),
          twinPbt(ns, 0), recPbt(ns, 0);
      int phases = 0, skipped = 0;
      ShadowResult::Residuals rCycle{"residual cycle time (s): " + unit, {}, {}, {}};
      ShadowResult::Residuals rYield{"residual yield: " + unit, {}, {}, {}};
      std::vector<const RecordFacts::Counter*> mine;
      for (const auto& c : counters)
        if (c.unit == unit && c.time >= from && c.time < end) mine.push_back(&c);
      std::stable_sort(mine.begin(), mine.end(),
                       [](const auto* a, const auto* b) { return a->time < b->time; });
      for (const RecordFacts::Counter* cp : mine) {
        const RecordFacts::Counter& c = *cp;
        const sim::Dist* ct = forProduct(mc.cycleTime, c.product);
        if (!ct || !(c.pq > 0)) {
          ++skipped;
          continue;
        }
        const double* scrapP = forProduct(mc.scrap, c.product);
        const double scrap = scrapP ? *scrapP : 0.0;
        // The twin's phase: PQ units at the mean cycle time, stretched by the availability.
        const double twinRun = c.pq * ct->mean() / availability;
        const double twinGq = c.pq * (1 - scrap);
        // The recorded phase runs for its planned busy time (its production time if none).
        const double recRun = (c.pbtMin > 0 ? c.pbtMin : c.aptMin) * 60;
        spreadOverShifts(*shifts, c.time, twinRun, twinGq, &twinGood);
        spreadOverShifts(*shifts, c.time, recRun, c.gq, &recGood);
        spreadOverShifts(*shifts, c.time, twinRun, c.pri * twinGq, &twinIdeal);
        spreadOverShifts(*shifts, c.time, recRun, c.pri * c.gq, &recIdeal);
        spreadOverShifts(*shifts, c.time, twinRun, twinRun, &twinPbt);
        spreadOverShifts(*shifts, c.time, recRun, recRun, &recPbt);
        const int64_t ms = static_cast<int64_t>(std::llround(c.time * 1000));
        const std::string id = unit + "@" + formatTime(c.time);
        if (c.aptMin > 0) {
          rCycle.timeMs.push_back(ms);
          rCycle.value.push_back(c.aptMin * 60 / c.pq - ct->mean());
          rCycle.id.push_back(id);
        }
        rYield.timeMs.push_back(ms);
        rYield.value.push_back(c.gq / c.pq - (1 - scrap));
        rYield.id.push_back(id);
        ++phases;
      }
      if (phases == 0) continue;
      res.phases += phases;
      sim::calib::KpiSeries good{"good units: " + unit, recGood, twinGood};
      sim::calib::KpiSeries oee{"OEE (query 11): " + unit, {}, {}};
      for (size_t i = 0; i < ns; ++i) {
        oee.actual.push_back(recPbt[i] > 0 ? recIdeal[i] / recPbt[i] : 0.0);
        oee.simulated.push_back(twinPbt[i] > 0 ? twinIdeal[i] / twinPbt[i] : 0.0);
      }
      ShadowResult::Residuals rGood{"residual good units per shift: " + unit, {}, {}, {}};
      for (size_t i = 0; i < ns; ++i) {
        if (good.actual[i] == 0 && good.simulated[i] == 0) continue;
        rGood.timeMs.push_back(static_cast<int64_t>(std::llround((*shifts)[i].from * 1000)));
        rGood.value.push_back(good.actual[i] - good.simulated[i]);
        rGood.id.push_back((*shifts)[i].label);
      }
      res.series.push_back(std::move(good));
      res.series.push_back(std::move(oee));
      for (auto* r : {&rCycle, &rYield, &rGood})
        if (!r->value.empty()) res.residuals.push_back(std::move(*r));
      char avail[32];
      std::snprintf(avail, sizeof avail, "%.3g", availability);
      res.notes.push_back(unit + ": " + std::to_string(phases) + " phases shadowed, availability " +
                          avail + " (production / planned busy time before " +
                          o.from + ")" +
                          (skipped ? ", " + std::to_string(skipped) +
                                         " phases without a fitted cycle time or quantity skipped"
                                   : ""));
    }
  }
  if (res.series.empty())
    return Status::invalidArgument("nothing to shadow: no unit of the calibrated model has production phases between " +
                                   o.from + " and " + o.to);
  auto errs = sim::calib::backtest(res.series);
  if (!errs) return errs.status();
  res.errors = std::move(errs.value());
  return res;
}

Result<ShadowConfig> parseShadowConfig(std::string_view json, const std::string& where) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  auto bad = [&](const std::string& m) { return Status::invalidArgument(where + ": " + m); };
  if (d.HasParseError() || !d.IsObject()) return bad("not a JSON object");
  ShadowConfig c;
  for (auto it = d.MemberBegin(); it != d.MemberEnd(); ++it) {
    const std::string key = it->name.GetString();
    const rapidjson::Value& v = it->value;
    double t = 0;
    if (key == "from" || key == "to") {
      if (!v.IsString() || !parseTimestamp(v.GetString(), &t))
        return bad("\"" + key + "\" must be a date (YYYY-MM-DD)");
      (key == "from" ? c.options.from : c.options.to) = v.GetString();
    } else if (key == "shift_hours" || key == "shift_start") {
      if (!v.IsNumber()) return bad("\"" + key + "\" must be a number");
      (key == "shift_hours" ? c.options.shiftHours : c.options.shiftStartHour) = v.GetDouble();
    } else if (key == "residuals") {
      if (!v.IsBool()) return bad("\"residuals\" must be true or false");
      c.residuals = v.GetBool();
    } else if (key == "baseline") {
      if (!v.IsUint() || v.GetUint() < 2) return bad("\"baseline\" must be a whole number >= 2");
      c.baseline = v.GetUint();
    } else {
      return bad("unknown key \"" + key + "\" (from, to, shift_hours, shift_start, residuals, baseline)");
    }
  }
  if (c.options.from.empty() || c.options.to.empty()) return bad("\"from\" and \"to\" are required");
  double from = 0, to = 0;
  parseTimestamp(c.options.from, &from);
  parseTimestamp(c.options.to, &to);
  auto shifts = shiftWindows(from, to + sim::kDay, c.options.shiftHours, c.options.shiftStartHour);
  if (!shifts) return bad(shifts.status().message());
  return c;
}

}  // namespace weft::twin
