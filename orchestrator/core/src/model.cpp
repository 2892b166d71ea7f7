#include "plumb/core/model.hpp"

#include <array>
#include <map>
#include <utility>

#include "plumb/core/errors.hpp"

namespace plumb::core {
namespace {

constexpr std::array<std::pair<FindingKind, std::string_view>, 12> kKindNames{{
    {FindingKind::LeakDefinite, "leak.definite"},
    {FindingKind::LeakIndirect, "leak.indirect"},
    {FindingKind::LeakPossible, "leak.possible"},
    {FindingKind::LeakReachable, "leak.reachable"},
    {FindingKind::ThreadLeak, "thread.leak"},
    {FindingKind::Race, "race"},
    {FindingKind::Deadlock, "deadlock"},
    {FindingKind::FdLeak, "fd.leak"},
    {FindingKind::MemoryError, "memory.error"},
    {FindingKind::Ub, "ub"},
    {FindingKind::Crash, "crash"},
    {FindingKind::HeapGrowth, "heap.growth"},
}};

constexpr std::array<std::pair<FindingStatus, std::string_view>, 3> kStatusNames{{
    {FindingStatus::New, "new"},
    {FindingStatus::Baseline, "baseline"},
    {FindingStatus::Suppressed, "suppressed"},
}};

constexpr std::array<std::pair<GrowthAxis, std::string_view>, 3> kAxisNames{{
    {GrowthAxis::Iteration, "iteration"},
    {GrowthAxis::Snapshot, "snapshot"},
    {GrowthAxis::Second, "second"},
}};

constexpr std::array<std::pair<VariantStatus, std::string_view>, 6> kVariantStatusNames{{
    {VariantStatus::Ok, "ok"},
    {VariantStatus::Failed, "failed"},
    {VariantStatus::Timeout, "timeout"},
    {VariantStatus::Crashed, "crashed"},
    {VariantStatus::Incomplete, "incomplete"},
    {VariantStatus::Skipped, "skipped"},
}};

constexpr std::array<std::pair<NativeTimeSource, std::string_view>, 3> kNativeTimeSourceNames{{
    {NativeTimeSource::Unknown, "unknown"},
    {NativeTimeSource::NativeRun, "native-run"},
    {NativeTimeSource::CtestCostData, "ctest-cost-data"},
}};

constexpr std::array<std::pair<Verdict, std::string_view>, 3> kVerdictNames{{
    {Verdict::Pass, "pass"},
    {Verdict::Fail, "fail"},
    {Verdict::Error, "error"},
}};

constexpr std::array<std::pair<Disposition, std::string_view>, 5> kDispositionNames{{
    {Disposition::Gating, "gating"},
    {Disposition::KindNotGating, "kind-not-gating"},
    {Disposition::Baseline, "baseline"},
    {Disposition::Suppressed, "suppressed"},
    {Disposition::CanaryExpected, "canary-expected"},
}};

constexpr std::array<std::pair<ErrorClass, std::string_view>, 15> kErrorClassNames{{
    {ErrorClass::None, ""},
    {ErrorClass::HeapBufferOverflow, "heap-buffer-overflow"},
    {ErrorClass::StackBufferOverflow, "stack-buffer-overflow"},
    {ErrorClass::GlobalBufferOverflow, "global-buffer-overflow"},
    {ErrorClass::ContainerOverflow, "container-overflow"},
    {ErrorClass::HeapUseAfterFree, "heap-use-after-free"},
    {ErrorClass::StackUseAfterReturn, "stack-use-after-return"},
    {ErrorClass::StackUseAfterScope, "stack-use-after-scope"},
    {ErrorClass::DoubleFree, "double-free"},
    {ErrorClass::InvalidFree, "invalid-free"},
    {ErrorClass::MismatchedFree, "mismatched-free"},
    {ErrorClass::UninitialisedValue, "uninitialised-value"},
    {ErrorClass::ParamOverlap, "param-overlap"},
    {ErrorClass::WildAccess, "wild-access"},
    {ErrorClass::Unclassified, "unclassified"},
}};

constexpr std::array<std::pair<Access, std::string_view>, 3> kAccessNames{{
    {Access::None, ""},
    {Access::Read, "read"},
    {Access::Write, "write"},
}};

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [candidate, name] : table) {
    if (candidate == value) {
      return name;
    }
  }
  return "unknown";
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& table,
                             std::string_view text) {
  for (const auto& [value, name] : table) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(FindingKind kind) {
  return name_of(kKindNames, kind);
}
std::optional<FindingKind> parse_finding_kind(std::string_view text) {
  return value_of(kKindNames, text);
}

std::string_view to_string(GrowthVerdict verdict) {
  return verdict == GrowthVerdict::Fail ? "fail" : "ok";
}
std::optional<GrowthVerdict> parse_growth_verdict(std::string_view text) {
  if (text == "ok") {
    return GrowthVerdict::Ok;
  }
  if (text == "fail") {
    return GrowthVerdict::Fail;
  }
  return std::nullopt;
}

std::string_view to_string(GrowthAxis axis) {
  return name_of(kAxisNames, axis);
}
std::optional<GrowthAxis> parse_growth_axis(std::string_view text) {
  return value_of(kAxisNames, text);
}

std::string_view to_string(FindingStatus status) {
  return name_of(kStatusNames, status);
}
std::optional<FindingStatus> parse_finding_status(std::string_view text) {
  return value_of(kStatusNames, text);
}
std::string_view to_string(VariantStatus status) {
  return name_of(kVariantStatusNames, status);
}
std::optional<VariantStatus> parse_variant_status(std::string_view text) {
  return value_of(kVariantStatusNames, text);
}

std::string_view to_string(NativeTimeSource source) {
  return name_of(kNativeTimeSourceNames, source);
}
std::optional<NativeTimeSource> parse_native_time_source(std::string_view text) {
  return value_of(kNativeTimeSourceNames, text);
}

std::string_view to_string(Verdict verdict) {
  return name_of(kVerdictNames, verdict);
}
std::optional<Verdict> parse_verdict(std::string_view text) {
  return value_of(kVerdictNames, text);
}
std::string_view to_string(Disposition disposition) {
  return name_of(kDispositionNames, disposition);
}
std::optional<Disposition> parse_disposition(std::string_view text) {
  return value_of(kDispositionNames, text);
}

std::string_view to_string(ErrorClass error_class) {
  return name_of(kErrorClassNames, error_class);
}
std::optional<ErrorClass> parse_error_class(std::string_view text) {
  return value_of(kErrorClassNames, text);
}
std::string_view to_string(Access access) {
  return name_of(kAccessNames, access);
}
std::optional<Access> parse_access(std::string_view text) {
  return value_of(kAccessNames, text);
}

const Frame* at_frame(const std::vector<Frame>& frames) {
  const Frame* first_program = nullptr;
  for (const Frame& frame : frames) {
    if (frame.library) {
      continue;
    }
    if (!frame.file.empty() && frame.line > 0) {
      return &frame;
    }
    first_program = first_program == nullptr ? &frame : first_program;
  }
  if (first_program != nullptr) {
    return first_program;
  }
  return frames.empty() ? nullptr : &frames.front();
}

const Frame* at_frame(const Finding& finding) {
  return at_frame(finding.frames);
}

std::string site_key(const Finding& finding) {
  if (finding.site.empty()) {
    return std::string(to_string(finding.kind)) + "|" + finding.fingerprint;
  }
  // The bug at a site: its class, what it touched and what allocated, so that an overflow and a
  // use after free in one function are two sites, and a leak's many call paths one.
  std::string key = std::string(to_string(finding.kind)) + "|" + finding.site;
  for (const std::string_view part :
       {to_string(finding.error_class), to_string(finding.access), std::string_view(finding.location),
        std::string_view(finding.allocator)}) {
    key += '|';
    key += part;
  }
  return key;
}

std::vector<Site> group_sites(const std::vector<Finding>& findings) {
  std::vector<Site> sites;
  std::map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const Finding& finding = findings[i];
    const std::string key = site_key(finding);
    std::size_t at = sites.size();
    if (!finding.fingerprint.empty() || !finding.site.empty()) {
      at = index_of.emplace(key, sites.size()).first->second;
    }
    if (at == sites.size()) {
      Site site;
      site.key = key;
      site.kind = finding.kind;
      site.disposition = finding.disposition;
      sites.push_back(std::move(site));
    }
    Site& site = sites[at];
    site.findings.push_back(i);
    site.bytes += finding.bytes;
    site.blocks += finding.blocks;
    site.occurrences += finding.occurrences;
    if (is_gating(finding)) {
      ++site.gating;
      site.disposition = Disposition::Gating;
    }
  }
  return sites;
}

int exit_code_of(Verdict verdict) {
  switch (verdict) {
    case Verdict::Pass:
      return kExitPass;
    case Verdict::Fail:
      return kExitGateFailed;
    case Verdict::Error:
      break;
  }
  return kExitInfrastructure;
}

std::string_view to_string(ShardBalance balance) {
  switch (balance) {
    case ShardBalance::Count:
      return "count";
    case ShardBalance::Timings:
      return "timings";
  }
  return "count";
}

std::optional<ShardBalance> parse_shard_balance(std::string_view text) {
  for (const ShardBalance balance : {ShardBalance::Count, ShardBalance::Timings}) {
    if (to_string(balance) == text) {
      return balance;
    }
  }
  return std::nullopt;
}

}  // namespace plumb::core
