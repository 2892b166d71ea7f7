// The version every report file names, from the build (orchestrator/pipeline/CMakeLists.txt).
#include "plumb/pipeline/pipeline.hpp"

#include "plumb_revision.h"  // generated at build time: PLUMB_REVISION

namespace plumb::pipeline {

std::string plumb_version() {
  return std::string(PLUMB_VERSION) + " (git " + PLUMB_REVISION + ")";
}

}  // namespace plumb::pipeline
