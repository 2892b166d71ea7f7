// Several leak checks in one run, as the harness asks for them at every sample interval:
// memcheck (VALGRIND_DO_ADDED_LEAK_CHECK, then VALGRIND_DO_LEAK_CHECK) or LSan
// (__lsan_do_recoverable_leak_check, twice), then the tool's own final check at exit.
// A block that looks lost at the first two checks is found again and freed before exit, so only
// the final check tells the truth: 16+200+300 bytes definitely lost (3 blocks), 77 bytes
// indirectly lost, 32 bytes still reachable.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/memcheck.h>

// Defined only in a sanitizer build; a plain build calls the memcheck client requests instead,
// which do nothing outside Valgrind.
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

struct node {
  char *payload;
  int size;
};

static void *still_reachable;
static uintptr_t hidden;  // A pointer no leak checker can recognise while it is masked.
static const uintptr_t kMask = (uintptr_t)0x5a5a5a5a5a5a5a5aULL;

__attribute__((noinline)) static struct node *make_node(int size) {
  struct node *n = malloc(sizeof *n);
  n->payload = malloc((size_t)size);
  memset(n->payload, 'x', (size_t)size);
  n->size = size;
  return n;
}

__attribute__((noinline)) static void lose_node(void) {
  struct node *n = make_node(77);
  n->size = 0;  // The only pointer to n dies here: n is definitely lost, its payload indirectly.
}

__attribute__((noinline)) static void lose_bytes(size_t size) {
  char *block = malloc(size);
  memset(block, 'y', size);
}

__attribute__((noinline)) static void hide_block(void) {
  char *block = malloc(64);
  memset(block, 'z', 64);
  hidden = (uintptr_t)block ^ kMask;
}

__attribute__((noinline)) static void free_hidden_block(void) {
  free((void *)(hidden ^ kMask));
  hidden = 0;
}

__attribute__((noinline)) static void leak_check(int full) {
  if (__lsan_do_recoverable_leak_check != NULL) {
    __lsan_do_recoverable_leak_check();
  } else if (full) {
    VALGRIND_DO_LEAK_CHECK;
  } else {
    VALGRIND_DO_ADDED_LEAK_CHECK;
  }
}

int main(void) {
  lose_node();
  still_reachable = malloc(32);
  hide_block();
  leak_check(0);
  lose_bytes(200);
  leak_check(1);
  free_hidden_block();
  lose_bytes(300);
  return 0;
}
