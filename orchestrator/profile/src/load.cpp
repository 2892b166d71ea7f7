#include "plumb/profile/load.hpp"

#include <fstream>

#include "plumb/core/errors.hpp"
#include "plumb/profile/callgrind.hpp"
#include "plumb/profile/massif.hpp"
#include "plumb/profile/perf_script.hpp"

namespace plumb::profile {

InputFormat parse_input_format(const std::string& name) {
  // Profile formats, not a core::LogFormat: a massif file is read here as a heap profile, not for findings.
  if (name == "folded") return InputFormat::Folded;
  if (name == "perf") return InputFormat::PerfScript;
  if (name == "callgrind") return InputFormat::Callgrind;
  if (name == "massif") return InputFormat::Massif;
  throw core::UsageError("unknown profile format '" + name + "' (expected folded, perf, callgrind or massif)");
}

LoadedProfile load_profile(InputFormat format, const std::filesystem::path& path, const LoadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw core::UsageError(core::located_message(path.string(), 0, "cannot read the profile"));
  }
  const auto source = path.string();
  LoadedProfile out;
  switch (format) {
    case InputFormat::Folded:
      out.folded = parse_folded(in, source);
      out.unit = "samples";
      break;
    case InputFormat::PerfScript: {
      PerfFoldOptions perf;
      perf.include_kernel = options.perf_kernel;
      out.folded = fold_perf_script(in, source, perf);
      out.unit = "samples";
      break;
    }
    case InputFormat::Callgrind: {
      auto profile = fold_callgrind(in, source, options.callgrind_event);
      out.folded = std::move(profile.folded);
      out.unit = profile.event;
      break;
    }
    case InputFormat::Massif: {
      auto profile = fold_massif(in, source, options.massif_last ? MassifSnapshot::LastDetailed : MassifSnapshot::Peak,
                                 options.massif_snapshot);
      out.folded = std::move(profile.folded);
      out.unit = "bytes";
      break;
    }
  }
  return out;
}

}  // namespace plumb::profile
