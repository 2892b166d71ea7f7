// Starts worker threads and never joins or detaches them.
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

static void start_workers(int count) {
  for (int i = 0; i < count; ++i) {
    pthread_t worker;
    pthread_create(&worker, NULL, work, NULL);
  }
}

int main(void) {
  start_workers(4);
  sleep(1);  // Let the workers finish so they are leaked, not still running.
  printf("done\n");
  return 0;
}
