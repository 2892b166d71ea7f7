#include <cstdlib>
#include <string>
#include <vector>

#include "check.hpp"
#include "tally/tally.hpp"

int main() {
  const char* configured = std::getenv("TALLY_THREADS");
  CHECK(configured != nullptr);  // set by the test's ENVIRONMENT property
  std::vector<std::string> texts(200, "one two two three three three");
  const tally::Table total = tally::count_parallel(texts, std::atoi(configured));
  CHECK(total.get("three") == 600);
  return 0;
}
