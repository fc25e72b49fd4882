// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "engine/core/bytes.h"
#include "engine/core/status.h"

using namespace weft;

TEST(Status, OkAndErrors) {
  Status ok;
  EXPECT_TRUE(ok.isOk());
  Status e = Status::syntaxError("a.ttl:3:7: expected '.'");
  EXPECT_FALSE(e.isOk());
  EXPECT_EQ(e.code(), StatusCode::kSyntaxError);
  EXPECT_EQ(e.toString(), "a.ttl:3:7: expected '.'");
  EXPECT_EQ(Status(StatusCode::kIoError, "").toString(), "I/O error");
}

Status failsThenPropagates(bool fail) {
  WEFT_TRY(fail ? Status::notFound("x") : Status::ok());
  return Status::internal("reached");
}

TEST(Status, TryPropagates) {
  EXPECT_EQ(failsThenPropagates(true).code(), StatusCode::kNotFound);
  EXPECT_EQ(failsThenPropagates(false).code(), StatusCode::kInternal);
}

TEST(Result, ValueOrStatus) {
  Result<int> r(42);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r.value(), 42);
  Result<int> e(Status::invalidArgument("bad"));
  EXPECT_FALSE(e.isOk());
  EXPECT_EQ(e.status().message(), "bad");
}

TEST(Varint, RoundTripsAndRejectsTruncation) {
  std::mt19937_64 rng(3);
  for (int i = 0; i < 10000; ++i) {
    uint64_t v = rng() >> (rng() % 64);
    std::string s;
    putVarint(s, v);
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    uint64_t back = 0;
    ASSERT_EQ(getVarint(p, p + s.size(), &back), p + s.size());
    ASSERT_EQ(back, v);
    if (s.size() > 1) {
      EXPECT_EQ(getVarint(p, p + s.size() - 1, &back), nullptr);
    }
  }
  std::string max;
  putVarint(max, UINT64_MAX);
  EXPECT_EQ(max.size(), 10u);
}

TEST(Hash, SpreadsAndIsStable) {
  EXPECT_EQ(hashBytes("abc"), hashBytes("abc"));
  EXPECT_NE(hashBytes("abc"), hashBytes("abd"));
  EXPECT_NE(hashBytes(""), hashBytes(std::string(1, '\0')));
  // Low bits (used for table slots) differ across similar keys.
  std::set<uint64_t> low;
  for (int i = 0; i < 1000; ++i) low.insert(hashBytes("term" + std::to_string(i)) & 1023);
  EXPECT_GT(low.size(), 550u);
}
