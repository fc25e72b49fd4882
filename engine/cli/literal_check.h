// SPDX-License-Identifier: Apache-2.0
// A sink that passes quads on and counts typed literals outside their
// datatype's lexical space, for `weft load` and `weft ingest` to report.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/rdf/sink.h"
#include "engine/rdf/syntax.h"
#include "engine/rdf/xsd.h"

namespace weft::cli {

// Flags typed literals whose lexical form is not in their datatype's
// lexical space ("12.5"^^xsd:integer). They are loaded as written, never
// rewritten or dropped; the load reports how many there were.
class LiteralCheckSink : public rdf::QuadSink {
 public:
  explicit LiteralCheckSink(rdf::QuadSink* inner) : inner_(inner) {}
  Status quad(const rdf::QuadView& q) override {
    if (q.o.isLiteral() && q.o.lang.empty() && q.o.datatype != rdf::kXsdString &&
        rdf::parseValue(q.o).type == rdf::ValueType::kInvalid) {
      if (++invalid_ <= 3) examples_.push_back(rdf::toNTriples(q.o));
    }
    return inner_->quad(q);
  }
  Status prefix(std::string_view n, std::string_view i) override { return inner_->prefix(n, i); }
  Status base(std::string_view i) override { return inner_->base(i); }
  // `what`: where they were ("" for a load, "FILE: " for one ingested document).
  void report(const std::string& what = "") const {
    if (invalid_ == 0) return;
    std::fprintf(stderr, "weft: warning: %s%llu literal(s) not valid for their datatype, kept as written (e.g. ",
                 what.c_str(), static_cast<unsigned long long>(invalid_));
    for (size_t i = 0; i < examples_.size(); ++i) std::fprintf(stderr, "%s%s", i ? ", " : "", examples_[i].c_str());
    std::fprintf(stderr, ")\n");
  }

 private:
  rdf::QuadSink* inner_;
  uint64_t invalid_ = 0;
  std::vector<std::string> examples_;
};

}  // namespace weft::cli
