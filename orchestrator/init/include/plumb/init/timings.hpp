// plumb init noticing long tests: each test's native time, read from CTest's cost data or
// measured by one bounded native `ctest` run, and the tests a tool would run past its limit.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "plumb/core/tools.hpp"
#include "plumb/init/facts.hpp"
#include "plumb/init/presets.hpp"
#include "plumb/run/process.hpp"

namespace plumb::init {

// The native times of the project's tests, and where they come from.
struct NativeTimes {
  std::map<std::string, double> seconds;          // Test name → seconds natively.
  std::map<std::string, double> at_least;         // Tests cut at the bound, or that failed: a lower bound.
  std::map<std::string, std::string> failed;  // Tests that failed natively → how ("Exception: SegFault").
  std::vector<std::string> listed;            // Every test ctest lists; empty: not known (cost data).
  std::map<std::string, double> ctest_timeout_s;  // Tests with a CTest TIMEOUT → it (their limit scales it).
  std::string source;  // For the config's comment: "CTest's cost data in build/x", "`ctest` in build/x".
};

// A test a tool would run past its limit in the tier init writes.
struct SlowTest {
  std::string test;
  double native_s = 0;    // Its native time (a lower bound when cut).
  double expected_s = 0;  // native_s times the tool's slowdown.
  bool cut = false;       // The measuring run stopped it at its bound: it takes at least native_s.
};

// The per-test timeout_s init writes for `tool`'s pr tier (ASan 300 s, the others 900 s).
double tier_timeout_s(core::Tool tool);

// The tests of `times` that `tool` would run past its limit: native time times the tool's slowdown
// above `tier_timeout_s`, for a test without a CTest TIMEOUT (a TIMEOUT is scaled by the same
// slowdown, so only a test slower natively than its TIMEOUT runs past it). Slowest first.
std::vector<SlowTest> too_slow(core::Tool tool, const NativeTimes& times, double tier_timeout_s);

// Each passing test's time from ctest's progress lines ("1/1 Test #1: runtests ....   Passed   36.37 sec");
// a test ctest stopped at its --timeout ("***Timeout   2.02 sec") is at_least that, and so is one
// that failed or crashed (it may have stopped early; it is also `failed`).
NativeTimes parse_ctest_progress(std::string_view output);

// The native times CTest recorded in one of the project's uninstrumented build trees (memcheck's
// preset's tree first, then build/ and the other folders in build/ whose CMakeCache.txt holds no
// -fsanitize); nullopt when none has cost data.
std::optional<NativeTimes> recorded_native_times(const ProjectFacts& facts,
                                                 const std::vector<PresetChoice>& presets);

// How init measures when nothing is recorded.
struct MeasureOptions {
  std::chrono::seconds per_test{120};  // ctest --timeout: a test past it is "at least" that.
  std::chrono::seconds budget{600};    // The whole ctest run; what it did not reach is not measured.
  std::ostream* progress = nullptr;
};

// Configures and builds memcheck's preset `preset` (an uninstrumented build, the one `plumb run`
// builds for memcheck) and runs its tests once natively with ctest, bounded by `options`; the
// times of the tests it finished, with their CTest TIMEOUTs from ctest's listing. Throws
// core::InfrastructureError when the configure or build fails (naming its log in the tree).
NativeTimes measure_native_times(run::ProcessRunner& runner, const ProjectFacts& facts,
                                 const std::string& preset, const MeasureOptions& options);

}  // namespace plumb::init
