// SPDX-License-Identifier: Apache-2.0
// Scratch files for tests: a folder per test process under gtest's TempDir
// (tempPath / writeFile), and a fixture with a folder of its own per test
// (ScratchDirTest: mapping documents and their inputs), removed afterwards.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace weft::testutil {

// A path in this process's scratch folder.
inline std::string tempPath(const std::string& name) {
  static const std::string dir = [] {
    std::string t = ::testing::TempDir() + "weft_test_XXXXXX";
    char* d = mkdtemp(t.data());
    return std::string(d ? d : ::testing::TempDir());
  }();
  return dir + "/" + name;
}

// Writes `bytes` to tempPath(name) and returns the path.
inline std::string writeFile(const std::string& name, const std::string& bytes) {
  std::string path = tempPath(name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

class ScratchDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("weft-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  std::filesystem::path dir_;
};

}  // namespace weft::testutil
