// plumb's exit codes and the errors that map onto them.
#pragma once

#include <stdexcept>
#include <string>

namespace plumb::core {

// Process exit codes (design: "Exit codes").
enum ExitCode : int {
  kExitPass = 0,            // Every gate passed.
  kExitGateFailed = 1,      // Findings or growth failed the gate.
  kExitUsage = 2,           // Bad command line, config, suppressions or baseline.
  kExitInfrastructure = 3,  // A tool missing, a build failed, a variant hung or produced nothing.
  kExitShardsIncomplete = 4,  // plumb merge: the shards given are not whole plans (one missing, twice, another plan).
};

// A usage or input error; its message names file:line when there is one. Exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failure of the machinery rather than of the code under test. Exit code 3.
class InfrastructureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The shards given to plumb merge do not make whole plans: one missing, one twice, or of another
// plan, N, balance or analysis inputs; the merge refuses them, never passes on part of a plan. Exit code 4.
class ShardMismatch : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "file:line: problem" (or "file: problem" when line is 0), the one format every input error uses.
std::string located_message(const std::string& file, long line, const std::string& problem);

}  // namespace plumb::core
