// Two threads increment a shared counter without a lock.
#include <pthread.h>
#include <stdio.h>

static int counter;

static void *bump(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; ++i) counter++;
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, bump, NULL);
  pthread_create(&b, NULL, bump, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("%d\n", counter);
  return 0;
}
