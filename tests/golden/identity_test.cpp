// Identity versions 3 and 4 on real tool output (tests/golden/programs/two_bugs.c, two_races.c,
// libc_sites.c and the older programs): one finding per bug, the same fingerprint for the same bug
// under memcheck, gcc's and clang's ASan, the error classes with the log line that proves each, and the baseline that
// accepts an amount. The logs are made by scripts/make-golden.
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "golden_support.hpp"
#include "plumb/analyze/analyze.hpp"
#include "plumb/analyze/baseline.hpp"

namespace plumb::golden {
namespace {

using core::Access;
using core::ErrorClass;
using core::FindingKind;

// The second run judged against a baseline taken from the first, as `plumb baseline update` writes it.
core::Report against_baseline(const core::Report& first, const std::string& tool, const std::string& relative) {
  std::istringstream text(analyze::render_baseline(first));
  analyze::AnalysisInputs inputs;
  inputs.baseline = analyze::parse_baseline(text, "baseline.json");
  return analysed(tool, relative, inputs);
}

std::string raw_text(const std::string& relative) {
  std::ifstream in(golden_dir() / relative);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::set<std::string> fingerprints_of(const core::Report& report, FindingKind kind) {
  std::set<std::string> prints;
  for (const auto& finding : report.findings) {
    if (finding.kind == kind) {
      prints.insert(finding.fingerprint);
    }
  }
  return prints;
}

const core::Finding* only(const core::Report& report, FindingKind kind) {
  const core::Finding* found = nullptr;
  for (const auto& finding : report.findings) {
    if (finding.kind == kind) {
      EXPECT_EQ(found, nullptr) << "more than one " << core::to_string(kind);
      found = &finding;
    }
  }
  return found;
}

// Every mapping from a tool's words to a class, with the line of the real log that proves it.
struct ClassCase {
  std::string tool;
  std::string log;
  std::string proof;  // The line the class is read from, as the tool wrote it.
  ErrorClass error_class;
  Access access;
};

std::vector<ClassCase> class_cases() {
  return {
      {"memcheck", "memcheck/two_bugs-overflow.xml", "is 0 bytes after a block of size 40 alloc'd",
       ErrorClass::HeapBufferOverflow, Access::Read},
      {"memcheck", "memcheck/uaf.xml", "inside a block of size 400 free'd", ErrorClass::HeapUseAfterFree,
       Access::Read},
      {"memcheck", "memcheck/mismatch.xml", "<kind>MismatchedFree</kind>", ErrorClass::MismatchedFree, Access::None},
      {"memcheck", "memcheck/uninit.xml", "<kind>UninitCondition</kind>", ErrorClass::UninitialisedValue,
       Access::None},
      {"memcheck", "memcheck/segv.xml", "is not stack'd, malloc'd or (recently) free'd", ErrorClass::WildAccess,
       Access::Write},
      {"asan", "asan/two_bugs-overflow.log", "heap-buffer-overflow on address", ErrorClass::HeapBufferOverflow,
       Access::Read},
      {"asan", "asan/two_bugs-write.log", "WRITE of size 1", ErrorClass::HeapBufferOverflow, Access::Write},
      {"asan", "asan/uaf.log", "heap-use-after-free on address", ErrorClass::HeapUseAfterFree, Access::Read},
      {"asan", "asan/two_bugs-twice.log", "attempting double-free on", ErrorClass::DoubleFree, Access::None},
      {"asan", "asan/mismatch.log", "alloc-dealloc-mismatch (operator new [] vs operator delete)",
       ErrorClass::MismatchedFree, Access::None},
      {"asan", "asan/classes-stack.log", "stack-buffer-overflow on address", ErrorClass::StackBufferOverflow,
       Access::Read},
      {"asan", "asan/classes-global.log", "global-buffer-overflow on address", ErrorClass::GlobalBufferOverflow,
       Access::Read},
      {"asan", "asan/classes-scope.log", "stack-use-after-scope on address", ErrorClass::StackUseAfterScope,
       Access::Read},
      {"asan", "asan/classes-return.log", "stack-use-after-return on address", ErrorClass::StackUseAfterReturn,
       Access::Read},
      {"asan", "asan/classes-overlap.log", "memcpy-param-overlap: memory ranges", ErrorClass::ParamOverlap,
       Access::None},
      {"asan", "asan/classes-interior.log", "attempting free on address which was not malloc()-ed",
       ErrorClass::InvalidFree, Access::None},
      {"memcheck", "memcheck/classes-interior.xml", "is 8 bytes inside a block of size 32 alloc'd",
       ErrorClass::InvalidFree, Access::None},
  };
}

TEST(IdentityV3, EveryErrorClassComesFromTheToolsOwnWords) {
  for (const auto& c : class_cases()) {
    EXPECT_NE(raw_text(c.log).find(c.proof), std::string::npos) << c.log << " lacks the line " << c.proof;
    const auto report = analysed(c.tool, c.log);
    const core::Finding* error = only(report, FindingKind::MemoryError);
    ASSERT_NE(error, nullptr) << c.log;
    EXPECT_EQ(error->error_class, c.error_class) << c.log << ": " << core::to_string(error->error_class);
    EXPECT_EQ(error->access, c.access) << c.log;
  }
  // Double free and invalid free under memcheck come from one kind, told apart by the address.
  const auto all = analysed("memcheck", "memcheck/two_bugs-all.xml");
  std::multiset<std::string> classes;
  for (const auto& finding : all.findings) {
    if (finding.kind == FindingKind::MemoryError) {
      classes.insert(std::string(core::to_string(finding.error_class)) + " " +
                     std::string(core::to_string(finding.access)));
    }
  }
  EXPECT_EQ(classes, (std::multiset<std::string>{"heap-buffer-overflow read", "heap-buffer-overflow read",
                                                 "heap-buffer-overflow read", "heap-buffer-overflow write",
                                                 "heap-use-after-free read", "heap-use-after-free read",
                                                 "double-free ", "uninitialised-value "}));
}

// The access bugs of two_bugs.c, each its own finding under memcheck (all in one run, gcc -O0 and
// clang -O1) and the same fingerprint under gcc's and clang's ASan (one bug per run).
TEST(IdentityV3, EachBugInOneFunctionIsItsOwnFindingWithOneFingerprintUnderEveryTool) {
  const std::vector<std::string> bugs = {"overflow", "uaf", "write", "small", "large", "stale", "twice"};
  const auto gcc = analysed("memcheck", "memcheck/two_bugs-all.xml");
  const auto clang = analysed("memcheck", "memcheck/two_bugs-clang-all.xml");
  const auto memcheck_prints = fingerprints_of(gcc, FindingKind::MemoryError);
  EXPECT_EQ(memcheck_prints.size(), bugs.size() + 1) << "seven access bugs and one uninitialised use";
  EXPECT_EQ(fingerprints_of(clang, FindingKind::MemoryError), memcheck_prints);
  std::set<std::string> asan_prints;
  for (const auto& bug : bugs) {
    const auto gcc_report = analysed("asan", "asan/two_bugs-" + bug + ".log");
    const auto clang_report = analysed("asan", "asan/two_bugs-clang-" + bug + ".log");
    const core::Finding* from_gcc = only(gcc_report, FindingKind::MemoryError);
    const core::Finding* from_clang = only(clang_report, FindingKind::MemoryError);
    ASSERT_NE(from_gcc, nullptr) << bug;
    ASSERT_NE(from_clang, nullptr) << bug;
    EXPECT_EQ(from_gcc->fingerprint, from_clang->fingerprint) << bug;
    EXPECT_EQ(memcheck_prints.count(from_gcc->fingerprint), 1u) << bug << ": memcheck has no " << from_gcc->fingerprint;
    asan_prints.insert(from_gcc->fingerprint);
  }
  EXPECT_EQ(asan_prints.size(), bugs.size()) << "every bug its own fingerprint under ASan";
  // The mismatched delete of mismatch.cpp: memcheck and ASan agree as well.
  EXPECT_EQ(fingerprints_of(analysed("memcheck", "memcheck/mismatch.xml"), FindingKind::MemoryError),
            fingerprints_of(analysed("asan", "asan/mismatch.log"), FindingKind::MemoryError));
}

TEST(IdentityV3, TwoLeaksInOneFunctionAreTwoFindingsUnderMemcheckAndLsan) {
  const auto memcheck = analysed("memcheck", "memcheck/two_bugs-all.xml");
  const auto lsan = analysed("asan", "asan/two_bugs-leaks.log");
  std::map<std::string, std::string> memcheck_pairs;  // fingerprint → site, of leak_pairs's leaks
  for (const auto& finding : memcheck.findings) {
    if (finding.kind == FindingKind::LeakDefinite && finding.site.rfind("leak_pairs@", 0) == 0) {
      memcheck_pairs[finding.fingerprint] = finding.site + " " + finding.allocator;
    }
  }
  EXPECT_EQ(memcheck_pairs.size(), 4u) << "malloc, calloc, and two more mallocs: four leaks";
  std::map<std::string, std::string> lsan_pairs;
  for (const auto& finding : lsan.findings) {
    if (finding.kind == FindingKind::LeakDefinite) {
      lsan_pairs[finding.fingerprint] = finding.site + " " + finding.allocator;
    }
  }
  EXPECT_EQ(lsan_pairs, memcheck_pairs);
  // Per kind, the bytes are still memcheck's own LEAK SUMMARY: identity merges nothing across kinds.
  std::map<FindingKind, std::uint64_t> bytes;
  for (const auto& finding : memcheck.findings) {
    bytes[finding.kind] += finding.bytes;
  }
  const std::string summary = raw_text("memcheck/two_bugs-all.memcheck.txt");
  EXPECT_NE(summary.find("definitely lost: " + std::to_string(bytes[FindingKind::LeakDefinite]) + " bytes"),
            std::string::npos)
      << bytes[FindingKind::LeakDefinite];
  EXPECT_NE(summary.find("possibly lost: " + std::to_string(bytes[FindingKind::LeakPossible]) + " bytes"),
            std::string::npos)
      << bytes[FindingKind::LeakPossible];
}

// Identity version 4: glibc's frames name their sources relatively ("./libio/iofopen.c"); its
// object (/usr/lib/.../libc.so.6) makes them library code, so the program's caller is the site.
TEST(IdentityV4, MemoryGlibcAllocatesForTheProgramIsAtTheProgramsCaller) {
  const auto report = analysed("memcheck", "memcheck/libc_sites.xml");
  std::map<std::string, std::string> sites;  // site → kind
  for (const auto& finding : report.findings) {
    sites[finding.site] = core::to_string(finding.kind);
    ASSERT_FALSE(finding.frames.empty());
    for (const auto& frame : finding.frames) {
      if (frame.function.find("fopen") != std::string::npos || frame.function.find("asprintf") != std::string::npos) {
        EXPECT_TRUE(frame.library) << frame.function << " " << frame.file;
      }
    }
  }
  const std::map<std::string, std::string> expected = {{"describe@libc_sites.c", "leak.definite"},
                                                       {"open_journal@libc_sites.c", "leak.reachable"},
                                                       {"open_log@libc_sites.c", "leak.reachable"}};
  EXPECT_EQ(sites, expected);
  // memcheck's own summary: 3 blocks, the two streams reachable.
  const std::string summary = raw_text("memcheck/libc_sites.memcheck.txt");
  std::uint64_t reachable = 0;
  for (const auto& finding : report.findings) {
    if (finding.kind == FindingKind::LeakReachable) {
      reachable += finding.bytes;
    }
  }
  EXPECT_NE(summary.find("still reachable: " + std::to_string(reachable) + " bytes in 2 blocks"), std::string::npos)
      << reachable;
}

TEST(IdentityV3, RacesOnTwoMembersAreTwoFindingsAndAnyOrderIsOne) {
  const auto gcc = analysed("tsan", "tsan/two_races.log");
  const auto swapped = analysed("tsan", "tsan/two_races-swapped.log");
  const auto clang = analysed("tsan", "tsan/two_races-clang.log");
  const auto prints = fingerprints_of(gcc, FindingKind::Race);
  EXPECT_EQ(prints.size(), 3u) << "hits, misses and the flag";
  EXPECT_EQ(fingerprints_of(swapped, FindingKind::Race), prints) << "the flag's race seen from the other side";
  EXPECT_EQ(fingerprints_of(clang, FindingKind::Race), prints);
  std::set<std::string> locations;
  for (const auto& finding : gcc.findings) {
    locations.insert(finding.location);
  }
  EXPECT_EQ(locations, (std::set<std::string>{"global 'totals'", "global 'totals'+8", "global 'flag'"}));
}

TEST(IdentityV3, ABaselineOfOneBugDoesNotAcceptTheOther) {
  const std::vector<std::tuple<std::string, std::string, std::string>> scenarios = {
      {"memcheck", "memcheck/two_bugs-overflow.xml", "memcheck/two_bugs-overflow-uaf.xml"},
      {"asan", "asan/two_bugs-overflow.log", "asan/two_bugs-uaf.log"},
      {"asan", "asan/two_bugs-small.log", "asan/two_bugs-large.log"},
      {"memcheck", "memcheck/two_bugs-leak-first.xml", "memcheck/two_bugs-leak-first-second.xml"},
      {"memcheck", "memcheck/two_bugs-leak-malloc.xml", "memcheck/two_bugs-leak-malloc-calloc.xml"},
  };
  for (const auto& [tool, first_log, second_log] : scenarios) {
    const auto first = analysed(tool, first_log);
    const auto second = against_baseline(first, tool, second_log);
    EXPECT_EQ(analyze::exit_code(second), 1) << second_log;
    std::size_t accepted = 0;
    std::size_t fresh = 0;
    for (const auto& finding : second.findings) {
      accepted += finding.status == core::FindingStatus::Baseline ? 1 : 0;
      fresh += core::is_gating(finding) ? 1 : 0;
    }
    EXPECT_EQ(fresh, 1u) << second_log << ": the other bug is new";
    if (tool == "memcheck") {
      EXPECT_GE(accepted, 1u) << second_log << ": the baselined bug stays accepted";
    }
  }
  // Races: a baseline holding only the race on `hits` does not accept the one on `misses`.
  auto hits_only = analysed("tsan", "tsan/two_races.log");
  std::erase_if(hits_only.findings, [](const core::Finding& f) { return f.location != "global 'totals'"; });
  const auto races = against_baseline(hits_only, "tsan", "tsan/two_races-swapped.log");
  EXPECT_EQ(analyze::exit_code(races), 1);
  EXPECT_EQ(fingerprints_of(races, FindingKind::Race).size(), 3u);
}

TEST(IdentityV3, ABaselineAcceptsAnAmountNotABlankCheque) {
  const auto some = analysed("memcheck", "memcheck/two_bugs-leak-some.xml");  // 4 x 100 bytes lost
  EXPECT_EQ(analyze::exit_code(against_baseline(some, "memcheck", "memcheck/two_bugs-leak-some.xml")), 0);
  const auto more = against_baseline(some, "memcheck", "memcheck/two_bugs-leak-more.xml");  // 8 x 100
  EXPECT_EQ(analyze::exit_code(more), 1);
  const core::Finding* grown = only(more, FindingKind::LeakDefinite);
  ASSERT_NE(grown, nullptr);
  ASSERT_TRUE(grown->baseline_bytes.has_value());
  EXPECT_EQ(*grown->baseline_bytes, 400u);
  EXPECT_EQ(grown->grown_bytes, 800u);
  bool said = false;
  for (const auto& reason : more.reasons) {
    said = said || reason.text.find("grew from 400 to 800 bytes") != std::string::npos;
  }
  EXPECT_TRUE(said) << "the reason says what grew";
  // Memcheck calling one of the four blocks possibly lost, then all definitely lost: still the one
  // baselined leak, both ways round.
  const auto interior = analysed("memcheck", "memcheck/two_bugs-leak-some-interior.xml");
  ASSERT_NE(only(interior, FindingKind::LeakPossible), nullptr);
  EXPECT_EQ(only(interior, FindingKind::LeakPossible)->fingerprint,
            only(interior, FindingKind::LeakDefinite)->fingerprint);
  EXPECT_EQ(analyze::exit_code(against_baseline(interior, "memcheck", "memcheck/two_bugs-leak-some.xml")), 0);
  EXPECT_EQ(analyze::exit_code(against_baseline(some, "memcheck", "memcheck/two_bugs-leak-some-interior.xml")),
            0);
}

}  // namespace
}  // namespace plumb::golden
