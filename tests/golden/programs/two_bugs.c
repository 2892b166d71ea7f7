// Several bugs in one function, each switched on by name on the command line ("all" for every
// one, as memcheck can report them in one run; a halting sanitizer is run once per bug). Identity
// version 3 must make each bug its own finding, the same under memcheck, gcc's and clang's ASan.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int argc_;
static char **argv_;

// Whether bug `name` was asked for.
static int on(const char *name) {
  for (int i = 1; i < argc_; ++i) {
    if (strcmp(argv_[i], name) == 0 || strcmp(argv_[i], "all") == 0) return 1;
  }
  return 0;
}

static volatile int sink;

// An overflowing read and, a few lines later, a read of the same block after it was freed.
static void overflow_then_use_after_free(void) {
  int *numbers = malloc(10 * sizeof *numbers);
  for (int i = 0; i < 10; ++i) numbers[i] = i;
  if (on("overflow")) sink = numbers[10];
  free(numbers);
  if (on("uaf")) sink = numbers[3];
}

// An invalid write and a decision on an uninitialised value.
static void write_and_uninitialised(void) {
  char *bytes = malloc(16);
  int *flag = malloc(sizeof *flag);
  memset(bytes, 0, 16);
  if (on("write")) ((volatile char *)bytes)[16] = 'x';
  if (on("uninit") && *flag > 0) sink = 1;
  free(flag);
  free(bytes);
}

// Two overflows, on two heap blocks allocated here.
static void two_overflows(void) {
  char *small = malloc(8);
  char *large = malloc(24);
  memset(small, 1, 8);
  memset(large, 2, 24);
  if (on("small")) sink = small[8];
  if (on("large")) sink = large[24];
  free(small);
  free(large);
}

// A read after free, then the same block freed again.
static void free_twice(void) {
  int *value = malloc(sizeof *value);
  *value = 7;
  free(value);
  if (on("stale")) sink = *value;
  if (on("twice")) free(value);
}

static void *kept;
static void *volatile escaped;  // Seen once, then dropped: the optimiser must keep every allocation.

static void *lose(void *block) {
  escaped = block;
  escaped = NULL;
  return block;
}

// Two leaks through two allocators, and two through one (below the first).
static void leak_pairs(void) {
  if (on("leak-malloc")) lose(malloc(48));
  if (on("leak-calloc")) lose(calloc(3, 32));
  if (on("leak-first")) lose(malloc(24));
  if (on("leak-second")) lose(malloc(56));
}

// A leak whose amount is chosen: "leak-more" loses twice as many blocks at the same call.
static void leak_amount(void) {
  const int count = on("leak-more") ? 8 : on("leak-some") ? 4 : 0;
  for (int i = 0; i < count; ++i) {
    char *block = lose(malloc(100));
    if (on("leak-interior") && i == 0) kept = block + 8;  // Only an inner pointer: possibly lost.
  }
}

int main(int argc, char **argv) {
  argc_ = argc;
  argv_ = argv;
  overflow_then_use_after_free();
  write_and_uninitialised();
  two_overflows();
  free_twice();
  leak_pairs();
  leak_amount();
  printf("%d\n", sink);
  return 0;
}
