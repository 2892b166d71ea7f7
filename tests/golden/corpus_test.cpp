// The public corpus (../shared/corpus next to the repository: Valgrind's and CodeChecker's own
// test outputs) parses without error, with the findings a reader of each file counts by hand.
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "plumb/parse/parse.hpp"

namespace plumb::golden {
namespace {

using core::FindingKind;

std::filesystem::path corpus_dir() {
  return PLUMB_CORPUS_DIR;
}

// What one corpus file holds, counted by reading it.
struct Expectation {
  std::string tool;
  std::map<FindingKind, std::size_t> kinds;  // Findings per kind; kinds not listed: none.
  bool recognised = true;
  std::string first_function;  // frames[0].function of the first finding, when it has one.
  std::uint64_t first_bytes = 0;
  bool complete = true;  // The log agrees with the tool's own account of it (FINISHED, counts, SUMMARY).
};

const std::map<std::string, Expectation>& expectations() {
  using K = FindingKind;
  static const std::map<std::string, Expectation> kFiles{
      {"valgrind-tests/memcheck-client-msg-as-xml.xml", {"memcheck", {}, true, "", 0}},
      {"valgrind-tests/memcheck-exit_on_first_error_with_xml.xml",
       // --exit-on-first-error stops valgrind before it reports FINISHED: nothing proves the rest.
       {"memcheck", {{K::MemoryError, 1}}, true, "main", 0, false}},
      {"valgrind-tests/memcheck-gone_abrt_xml.xml", {"memcheck", {{K::Crash, 1}}, true, "main", 0}},
      {"valgrind-tests/memcheck-long_namespace_xml.xml", {"memcheck", {{K::MemoryError, 1}}, true, "", 0}},
      {"valgrind-tests/memcheck-mismatches_xml.xml", {"memcheck", {{K::MemoryError, 6}}, true, "", 0}},
      {"valgrind-tests/memcheck-posix_memalign_xml.xml", {"memcheck", {{K::MemoryError, 10}}, true, "", 0}},
      {"valgrind-tests/memcheck-realloc_size_zero_xml.xml",
       {"memcheck", {{K::MemoryError, 1}}, true, "realloc", 0}},
      {"valgrind-tests/memcheck-sized_aligned_new_delete_misaligned1_xml.xml",
       {"memcheck", {{K::MemoryError, 16}}, true, "", 0}},
      {"valgrind-tests/memcheck-threadname_xml.xml", {"memcheck", {{K::MemoryError, 5}}, true, "", 0}},
      {"valgrind-tests/memcheck-xml1.xml",
       {"memcheck", {{K::MemoryError, 6}, {K::LeakDefinite, 1}}, true, "frame3", 0}},
      {"valgrind-tests/none-fdleak_open_xml.xml", {"memcheck", {{K::FdLeak, 1}}, true, "main", 0}},
      {"valgrind-tests/none-fdleak_pipe_xml.xml", {"memcheck", {{K::FdLeak, 2}}, true, "main", 0}},
      {"valgrind-tests/none-xml-track-fds.xml", {"memcheck", {}, true, "", 0}},
      {"codechecker-tests/asan-asan.out", {"asan", {{K::MemoryError, 1}}, true, "main", 0}},
      {"codechecker-tests/lsan-lsan.out", {"lsan", {{K::LeakDefinite, 1}}, true, "__interceptor_malloc", 7}},
      {"codechecker-tests/msan-msan.out", {"asan", {{K::MemoryError, 1}}, true, "main", 0}},
      {"codechecker-tests/tsan-tsan.out",
       {"tsan", {{K::Crash, 1}}, true, "insert_in_table(unsigned long, int)", 0}},
      {"codechecker-tests/ubsan-abs.out", {"ubsan", {{K::Ub, 1}}, true, "", 0}},
      {"codechecker-tests/ubsan-empty1.out", {"ubsan", {}, false, "", 0}},
      {"codechecker-tests/ubsan-empty2.out", {"ubsan", {}, false, "", 0}},
      {"codechecker-tests/ubsan-ubsan1.out", {"ubsan", {{K::Ub, 1}}, true, "", 0}},
      {"codechecker-tests/ubsan-ubsan1_nonmatching_msg.out", {"ubsan", {{K::Ub, 1}}, true, "", 0}},
      {"codechecker-tests/ubsan-ubsan2.out", {"ubsan", {{K::Ub, 2}}, true, "", 0}},
  };
  return kFiles;
}

TEST(Corpus, EveryFileParsesWithTheFindingsItHolds) {
  if (!std::filesystem::is_directory(corpus_dir())) {
    GTEST_SKIP() << "no public corpus beside the repository";
  }
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(corpus_dir())) {
    if (!entry.is_regular_file() || entry.path().filename() == "README.md") {
      continue;
    }
    const std::string relative = std::filesystem::relative(entry.path(), corpus_dir()).generic_string();
    const auto found = expectations().find(relative);
    ASSERT_NE(found, expectations().end()) << relative << " is new in the corpus: add what it holds";
    const Expectation& expected = found->second;
    std::ifstream in(entry.path(), std::ios::binary);
    const auto result = parse::parse_log(core::require_log_format(expected.tool), in);
    ++files;
    EXPECT_EQ(result.recognised, expected.recognised) << relative;
    if (expected.recognised) {
      EXPECT_EQ(result.complete, expected.complete) << relative << ": " << result.incomplete_reason;
    }
    std::map<FindingKind, std::size_t> kinds;
    for (const auto& finding : result.findings) {
      ++kinds[finding.kind];
      EXPECT_FALSE(finding.tools.empty()) << relative;
      EXPECT_FALSE(finding.detail.empty()) << relative;
    }
    EXPECT_EQ(kinds, expected.kinds) << relative;
    if (!expected.first_function.empty() && !result.findings.empty()) {
      ASSERT_FALSE(result.findings[0].frames.empty()) << relative;
      EXPECT_EQ(result.findings[0].frames[0].function, expected.first_function) << relative;
    }
    if (expected.first_bytes != 0 && !result.findings.empty()) {
      EXPECT_EQ(result.findings[0].bytes, expected.first_bytes) << relative;
    }
  }
  EXPECT_EQ(files, expectations().size());
}

TEST(Corpus, ValgrindPlaceholdersAreUnknownNotZeroGarbage) {
  if (!std::filesystem::is_directory(corpus_dir())) {
    GTEST_SKIP() << "no public corpus beside the repository";
  }
  std::ifstream in(corpus_dir() / "valgrind-tests/memcheck-xml1.xml");
  const auto result = parse::parse_log(core::LogFormat::Memcheck, in);
  for (const auto& finding : result.findings) {
    for (const auto& frame : finding.frames) {
      EXPECT_NE(frame.object, "...");
      EXPECT_EQ(frame.line, 0);  // Every <line> is "..." in this file.
    }
    if (finding.kind == FindingKind::LeakDefinite) {
      EXPECT_EQ(finding.bytes, 396U);
      EXPECT_EQ(finding.blocks, 1U);
    }
  }
}

}  // namespace
}  // namespace plumb::golden
