// SPDX-License-Identifier: Apache-2.0
// Output statistics: Student t quantiles, intervals, time averages.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/sim/stats.h"

using namespace weft::sim;

TEST(Stats, StudentTQuantilesMatchTables) {
  // Two-sided 95% critical values (any t table).
  EXPECT_NEAR(studentTQuantile(0.975, 1), 12.7062047, 1e-6);
  EXPECT_NEAR(studentTQuantile(0.975, 2), 4.3026527, 1e-6);
  EXPECT_NEAR(studentTQuantile(0.975, 9), 2.2621572, 1e-6);
  EXPECT_NEAR(studentTQuantile(0.975, 30), 2.0422725, 1e-6);
  EXPECT_NEAR(studentTQuantile(0.975, 1e6), 1.9599640, 1e-5);
  EXPECT_NEAR(studentTQuantile(0.995, 5), 4.0321430, 1e-6);
  EXPECT_NEAR(studentTQuantile(0.025, 9), -2.2621572, 1e-6);
  EXPECT_EQ(studentTQuantile(0.5, 3), 0);
  EXPECT_TRUE(std::isnan(studentTQuantile(1.5, 3)));
}

TEST(Stats, ConfidenceIntervalSkipsNaN) {
  const double nan = std::nan("");
  const Interval ci = confidenceInterval({1, 2, 3, 4, 5, nan}, 0.95);
  EXPECT_EQ(ci.n, 5u);
  EXPECT_DOUBLE_EQ(ci.mean, 3);
  EXPECT_NEAR(ci.sd, std::sqrt(2.5), 1e-12);
  EXPECT_NEAR(ci.halfWidth, 2.7764451 * std::sqrt(2.5) / std::sqrt(5.0), 1e-6);
  const Interval one = confidenceInterval({7});
  EXPECT_EQ(one.mean, 7);
  EXPECT_TRUE(std::isnan(one.halfWidth));
  const Interval same = confidenceInterval({2, 2, 2});
  EXPECT_EQ(same.halfWidth, 0);
}

TEST(Stats, TimeAverageAndReset) {
  TimeAverage a;
  a.reset(0);
  a.set(0, 2);
  a.set(10, 4);  // 2 on [0, 10)
  EXPECT_DOUBLE_EQ(a.mean(20), (20 + 40) / 20.0);
  a.reset(20);  // warm-up ends: level kept, area dropped
  EXPECT_DOUBLE_EQ(a.mean(30), 4);
  a.add(30, -4);
  EXPECT_DOUBLE_EQ(a.mean(40), 2);
}
