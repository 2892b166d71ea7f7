// One process with the allocation sites the doctor must tell apart, chosen by argument:
//   leak     remember() keeps 256 bytes per request in a global list (grows);
//   cache    cache_put() fills a map to a 512 KiB cap in its first ~0.6 s, then only reads it (plateau);
//   churn    churn() allocates and frees 4 KiB temporaries (churn);
//   members  Registry::add() keeps a string and a vector per request in std::vector/std::map members (grows);
//   busy     leak, with 32 churn allocations per request: heaptrack's trace fills a stalled pipe
//            within a second, and the main thread is then the one blocked writing it;
//   clean    cache and churn only (every mode has them).
// It serves a request every millisecond until killed.
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

struct Node {
  Node* next;
  char payload[248];
};
Node* remembered = nullptr;

__attribute__((noinline)) void remember() {
  auto* node = static_cast<Node*>(std::malloc(sizeof(Node)));
  std::memset(node, 1, sizeof(Node));
  node->next = remembered;
  remembered = node;
}

std::map<int, std::vector<char>> cache;
std::size_t cache_bytes = 0;

// Adds an entry until the cache is full; a full cache is only read.
__attribute__((noinline)) void cache_put(int key) {
  constexpr std::size_t kCap = 512 * 1024;
  constexpr std::size_t kEntry = 1024;
  if (cache_bytes + kEntry > kCap) return;
  cache[key] = std::vector<char>(kEntry, 'c');
  cache_bytes += kEntry;
}

__attribute__((noinline)) void churn() {
  char* volatile temporary = static_cast<char*>(std::malloc(4096));
  std::memset(temporary, 2, 4096);
  std::free(temporary);
}

struct Registry {
  std::vector<std::string> names;
  std::map<int, std::vector<char>> blobs;
  int next = 0;

  __attribute__((noinline)) void add() {
    names.push_back(std::string(200, 'n'));
    blobs[next++] = std::vector<char>(300, 'b');
  }
};
Registry registry;

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "clean";
  const bool busy = mode == "busy";
  const bool leak = mode == "leak" || busy;
  const bool members = mode == "members";
  for (int request = 0;; ++request) {
    if (leak) remember();
    if (members) registry.add();
    {
      cache_put(request);
      for (int i = 0; i < (busy ? 32 : 1); ++i) churn();
    }
    usleep(1000);
  }
}
