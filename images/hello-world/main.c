// hello-world: the first container most people run. Prints a greeting, its argv and its environment
// to stdout, one final line to stderr, and exits 0.
#include <stdio.h>

extern char **environ;

int main(int argc, char **argv) {
  printf("Hello from Tabernetes!\n");
  printf("This message shows that a WebAssembly (WASI) program is running in a pod on your browser-tab cluster.\n");
  printf("\nArguments:\n");
  for (int i = 0; i < argc; i++) printf("%s\n", argv[i]);
  printf("\nEnvironment:\n");
  for (char **e = environ; e && *e; e++) printf("%s\n", *e);
  fflush(stdout);
  fprintf(stderr, "hello-world: done\n");
  return 0;
}
