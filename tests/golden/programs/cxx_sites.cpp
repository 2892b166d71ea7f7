// Eight leak sites that allocate the way C++ code does, for the identity tests: two vectors grown
// with push_back in two functions, a string buffer, a shared_ptr cycle, one allocation wrapper
// called from two sites, an anonymous-namespace template and a lambda. Every site must be one
// leak.definite (plus its indirect leaks) with the same fingerprint under memcheck and gcc's and
// clang's ASan, whichever compiler built it.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace {

template <typename T, int N>
struct Holder {
  T values[N];
  static Holder* make() { return new Holder(); }
};

}  // namespace

struct Node {
  std::shared_ptr<Node> next;
  std::vector<int> payload;
};

__attribute__((noinline)) std::vector<int>* grow_numbers() {
  auto* numbers = new std::vector<int>;
  for (int i = 0; i < 100; ++i) {
    numbers->push_back(i);
  }
  return numbers;
}

__attribute__((noinline)) std::vector<int>* grow_more_numbers() {
  auto* numbers = new std::vector<int>;
  for (int i = 0; i < 200; ++i) {
    numbers->push_back(i);
  }
  return numbers;
}

__attribute__((noinline)) std::string* make_label() { return new std::string(100, 'x'); }

__attribute__((noinline)) void make_cycle() {
  auto first = std::make_shared<Node>();
  auto second = std::make_shared<Node>();
  first->next = second;
  second->next = first;
}

__attribute__((noinline)) void* checked_alloc(std::size_t bytes) {
  void* block = std::malloc(bytes);
  if (block == nullptr) {
    std::abort();
  }
  return block;
}

__attribute__((noinline)) void* open_session() { return checked_alloc(48); }

__attribute__((noinline)) void* open_channel() { return checked_alloc(72); }

static void* volatile sink[8];

int main() {
  sink[0] = grow_numbers();
  sink[1] = grow_more_numbers();
  sink[2] = make_label();
  make_cycle();
  sink[3] = open_session();
  sink[4] = open_channel();
  sink[5] = Holder<double, 5>::make();
  auto make_buffer = [](int count) { return new int[count]; };
  sink[6] = make_buffer(8);
  for (auto& slot : sink) {
    slot = nullptr;  // Every site's block is now lost.
  }
  return 0;
}
