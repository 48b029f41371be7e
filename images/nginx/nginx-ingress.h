// nginx-ingress.h: /nginx-ingress-controller, the entrypoint of registry.k8s.io/ingress-nginx/controller (a
// symlink to this binary). It prints ingress-nginx's start banner (stdout) and klog-style lines (stderr), then
// runs nginx on --nginx-conf (default /etc/nginx/nginx.conf, which the Tabernetes ingress controller mounts
// from a ConfigMap) and reloads it within a second of every change, logging "Backend successfully reloaded".
// The controller flags of the real binary (--publish-service, --election-id, --ingress-class, ...) are
// accepted and ignored: the Kubernetes side runs outside the pod (src/workers/ingress-nginx).

static int nginx_main(int argc, char **argv);
static int ingress_mode;

/* One klog line on stderr: "I1125 22:01:02.000000       1 file.go:12] msg". */
static void klog(char level, const char *where, const char *msg) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  fprintf(stderr, "%c%02d%02d %02d:%02d:%02d.%06ld       1 %s] %s\n", level, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
          ts.tv_nsec / 1000, where, msg);
}

static int ingress_controller(int argc, char **argv) {
  const char *conf = "/etc/nginx/nginx.conf";
  for (int i = 1; i < argc; i++) {
    if (!strncmp(argv[i], "--nginx-conf=", 13)) conf = argv[i] + 13;
    if (!strcmp(argv[i], "--version")) {
      printf("-------------------------------------------------------------------------------\nNGINX Ingress controller\n"
             "  Release:       v1.11.3\n  Build:         tabernetes\n  Repository:    https://github.com/kubernetes/ingress-nginx\n"
             "  nginx version: " NGINX_VER "\n\n-------------------------------------------------------------------------------\n\n");
      return 0;
    }
  }
  printf("-------------------------------------------------------------------------------\nNGINX Ingress controller\n"
         "  Release:       v1.11.3\n  Build:         tabernetes\n  Repository:    https://github.com/kubernetes/ingress-nginx\n"
         "  nginx version: " NGINX_VER "\n\n-------------------------------------------------------------------------------\n\n");
  klog('I', "main.go:205", "\"Creating API client\" host=\"https://10.96.0.1:443\"");
  klog('I', "main.go:248", "\"Running in Kubernetes cluster\" major=\"1\" minor=\"32\" git=\"v1.32.0\" state=\"clean\" platform=\"wasip1/wasm\"");
  klog('I', "nginx.go:271", "\"Starting NGINX Ingress controller\"");
  klog('I', "controller.go:193", "\"Configuration changes detected, backend reload required\"");
  ingress_mode = 1;
  char *args[] = {(char *)"nginx", (char *)"-c", (char *)conf, NULL};
  klog('I', "controller.go:213", "\"Backend successfully reloaded\"");
  klog('I', "controller.go:224", "\"Initial sync, sleeping for 1 second\"");
  return nginx_main(3, args);
}
