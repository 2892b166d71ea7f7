// Allocation churn through the standard library, for measuring what ASan's slow unwinder on
// malloc costs (bench/asan-unwind-cost): strings and vectors made and dropped in a loop.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

__attribute__((noinline)) std::size_t churn(int rounds) {
  std::size_t total = 0;
  for (int round = 0; round < rounds; ++round) {
    std::vector<std::string> words;
    for (int i = 0; i < 64; ++i) {
      words.emplace_back(40 + i % 7, static_cast<char>('a' + i % 26));
    }
    total += words.back().size();
  }
  return total;
}

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 20000;
  std::printf("%zu\n", churn(rounds));
  return 0;
}
