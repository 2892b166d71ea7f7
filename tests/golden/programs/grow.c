// A cache that keeps growing and a scratch buffer that is freed every round: heap over time for massif.
#include <stdlib.h>
#include <string.h>

#define ROUNDS 40

static void *cache[ROUNDS];

static void remember(int round) {
  cache[round] = malloc(4096);
  memset(cache[round], round, 4096);
}

static void scratch(int round) {
  char *buffer = malloc(20000);
  memset(buffer, round, 20000);
  free(buffer);
}

int main(void) {
  for (int round = 0; round < ROUNDS; ++round) {
    remember(round);
    scratch(round);
  }
  for (int round = 0; round < ROUNDS; ++round) free(cache[round]);
  return 0;
}
