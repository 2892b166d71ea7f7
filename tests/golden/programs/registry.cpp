// A registry that grows every round through the standard library (a vector of strings), beside a
// scratch buffer freed every round: massif must name the user function that grows, not
// std::vector's or std::string's internals.
#include <string>
#include <vector>

static std::vector<std::string> registry;

__attribute__((noinline)) void remember(int round) {
  registry.push_back(std::string(200, static_cast<char>('a' + round % 26)));
}

__attribute__((noinline)) int scratch(int round) {
  std::vector<int> buffer(5000, round);
  return buffer[static_cast<std::size_t>(round) % buffer.size()];
}

int main() {
  int sum = 0;
  for (int round = 0; round < 60; ++round) {
    remember(round);
    sum += scratch(round);
  }
  return sum == -1;
}
