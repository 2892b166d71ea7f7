// Does nothing until it is stopped.
#include <unistd.h>

int main() {
  for (;;) {
    pause();
  }
}
