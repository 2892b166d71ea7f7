#include "check.hpp"
#include "tally/tally.hpp"

int main() {
  tally::Table left;
  tally::Table right;
  left.count("x y");
  right.count("y z z");
  left.merge(right);
  CHECK(left.get("y") == 2);
  CHECK(left.get("z") == 2);
  return 0;
}
