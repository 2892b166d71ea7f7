// Data races for identity version 3: two races on two members of one struct in one function
// (two findings), and one race whose two accesses are seen in either order (one finding).
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

struct stats {
  long hits;
  long misses;
};

static struct stats totals;
static int flag;

// Both members, unlocked: two races on two variables from one function.
static void *count(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; ++i) {
    totals.hits++;
    totals.misses += 2;
  }
  return NULL;
}

// One side writes the flag, the other reads it, with no order between them: whichever comes
// second (after its delay) is the access TSan reports as current.
static void *raise_flag(void *delay) {
  usleep((useconds_t)(long)delay);
  flag = 1;
  return NULL;
}

static void *read_flag(void *delay) {
  usleep((useconds_t)(long)delay);
  return (void *)(long)flag;
}

int main(int argc, char **argv) {
  (void)argv;
  pthread_t a, b;
  pthread_create(&a, NULL, count, NULL);
  pthread_create(&b, NULL, count, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  // With an argument the reader goes first, so the writer's access is the current one.
  const long late = 200000;
  pthread_t writer, reader;
  pthread_create(&writer, NULL, raise_flag, (void *)(argc > 1 ? late : 0L));
  pthread_create(&reader, NULL, read_flag, (void *)(argc > 1 ? 0L : late));
  pthread_join(writer, NULL);
  pthread_join(reader, NULL);
  printf("%ld %ld\n", totals.hits, totals.misses);
  return 0;
}
