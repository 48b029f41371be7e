/* busybox: Tabernetes' WASI build of a BusyBox-compatible multi-call binary (applets.h, sh.h).
 * argv[0]'s basename picks the applet (/bin/ls -> busybox); `busybox APPLET ...` works too. A child
 * process starts in "/", so it changes to $PWD first (the shell exports PWD on cd). */
#include "applets.h"
#include "sh.h"

static const char *BANNER = "BusyBox v1.36.1 (Tabernetes WASI build, wasm32-wasip1) multi-call binary.\n";

static int usage(int fd) {
  ws(fd, BANNER);
  ws(fd, "BusyBox is copyrighted by many authors between 1998-2015.\nLicensed under GPLv2. See source distribution for detailed\ncopyright notices. This is Tabernetes' own C implementation for WebAssembly.\n\nUsage: busybox [function [arguments]...]\n   or: function [arguments]...\n\nCurrently defined functions:\n\t");
  for (const struct applet *a = applets; a->name; a++) { ws(fd, a->name); ws(fd, ", "); }
  ws(fd, "kill, sh\n");
  return 0;
}

int main(int argc, char **argv) {
  const char *pwd = getenv("PWD");
  if (pwd && strcmp(pwd, "/")) chdir(pwd);
  const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
  if (!strcmp(name, "busybox")) {
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "--list")) return usage(1);
    argv++;
    argc--;
    name = argv[0];
  }
  if (argc > 1 && !strcmp(argv[1], "--help")) {
    ws(1, BANNER);
    return 0;
  }
  if (!strcmp(name, "sh") || !strcmp(name, "ash")) return sh_main(argc, argv);
  if (!strcmp(name, "kill")) {
    g_kill_applet = 1;
    return builtin_kill(argv, argc, (struct io){0, 1, 2});
  }
  const struct applet *a = find_applet(name);
  if (!a) {
    dprintf(2, "%s: applet not found\n", name);
    return 127;
  }
  struct io io = {0, 1, 2};
  return a->fn(argc, argv, io);
}
