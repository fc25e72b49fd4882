// SPDX-License-Identifier: Apache-2.0
// A twin for a site without history (issue 8, item 7): the new site's equipment and planned
// products come from the graph, and every parameter that needs history (cycle times, failure
// and repair laws, scrap, changeovers, power, buffers, shifts, the materials' suppliers) is
// borrowed from the most comparable equipment of an existing site in the calibrated model.
// Each borrowed parameter is listed with the equipment it came from and why that equipment
// was chosen, so a planner can see what the bootstrapped twin rests on.
//
// Matching, per piece of new equipment, among the like site's equipment that is modelled:
// same dt:equipmentClass (strongest), same rdf:type, same capacity unit, same equipment
// level, then the overlap of the labels' words; ties go to the closest weekly capacity.
// A like-site line is reproduced when every one of its machines found a match; cycle times
// are scaled by the ratio of the weekly capacities when both are known in the same unit.
//
// The new site has no demand history either: its lines are pushed (run at capacity) with
// the like line's product mix, or the new site's planned products (dt:plannedProduct on the
// site or its equipment), so the twin answers "what would this site deliver".
#pragma once

#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/sim/model.h"
#include "engine/sparql/dataset.h"
#include "engine/twin/calibrate_from_graph.h"
#include "engine/twin/model_from_graph.h"

namespace weft::twin {

struct BootstrapOptions {
  std::string site;  // the new site: IRI, plant code (last IRI segment) or label
  std::string like;  // the comparable existing site, same forms
  bool unionDefaultGraph = true;
  // The calibration's parameter table (calibrateModel): a borrowed number that was fitted to
  // records says so, with its family, record count and source.
  const std::vector<CalibratedParameter>* calibrated = nullptr;
};

// One parameter of the new twin and where it came from.
struct Borrowed {
  std::string item;       // "machine FF-2 (line FF-2)"
  std::string parameter;  // "cycle time of Aurelimab 100mg/10mL vial"
  std::string value;      // "lognormal(mu=..., sigma=...) x 0.8"
  std::string from;       // "FF-1 at S100"
  std::string basis;      // "same rdf:type iof:ProductionLine, same unit vial, label overlap 0.6"
  std::string calibration;  // "lognormal fitted on 60 records (phases)", "" if not fitted
};

struct BootstrapResult {
  sim::Model model;               // the new site's twin, valid for sim::Plant::compile
  std::vector<Borrowed> borrowed;
  std::vector<Note> notes;        // unmatched equipment, history found, units that differ
  std::string text() const;       // borrowed table and notes, one per line
};

// `like` is the calibrated model of the network (buildModel over the same dataset); its
// machines are named by dt:equipmentId. Fails when a site is not found, the new site has no
// equipment, or no like-site line could be reproduced (the reasons named).
Result<BootstrapResult> bootstrapSite(const sparql::Dataset& data, const ModelReport& like,
                                      const BootstrapOptions& options);

// The query that lists equipment per site (documentation).
const char* bootstrapEquipmentQuery();

}  // namespace weft::twin
