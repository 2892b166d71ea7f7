/* A program that frees everything it allocates: memcheck's XML for a clean run (no error, no leak). */
#include <stdlib.h>
#include <string.h>

int main(void) {
  char* text = malloc(64);
  strcpy(text, "nothing leaks");
  int length = (int)strlen(text);
  free(text);
  return length == 13 ? 0 : 1;
}
