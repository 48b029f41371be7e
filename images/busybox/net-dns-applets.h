/* busybox nslookup (the FEATURE_NSLOOKUP_BIG one of 1.36): real DNS packets over UDP to the server (kube-dns
 * at the resolv.conf nameserver, 10.96.0.10:53). As busybox does: the server and search list come from
 * /etc/resolv.conf; a dotless name is tried under each search domain (never bare), a dotted one as given (no
 * ndots); default queries are A then AAAA; every reply is printed in query order; no reply within -timeout
 * seconds (default 5) is ";; connection timed out; no servers could be reached". */

#include <strings.h>

struct ns_query { char *name; int type; };

/* A query packet for name/type (id = k + 1, RD set) into buf; its length. */
static size_t ns_build(unsigned char *buf, const char *name, int type, int id) {
  size_t n = 0;
  unsigned char head[12] = {(unsigned char)(id >> 8), (unsigned char)id, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0};
  memcpy(buf, head, 12);
  n = 12;
  for (const char *p = name; *p;) {
    const char *dot = strchr(p, '.');
    size_t l = dot ? (size_t)(dot - p) : strlen(p);
    if (l > 63 || n + l + 6 > 512) break;
    if (l) { buf[n++] = (unsigned char)l; memcpy(buf + n, p, l); n += l; }
    p += l + (dot ? 1 : 0);
  }
  buf[n++] = 0;
  buf[n++] = (unsigned char)(type >> 8); buf[n++] = (unsigned char)type;
  buf[n++] = 0; buf[n++] = 1;
  return n;
}

/* Reads a (possibly compressed) name at *at into out; advances *at past it; 0 on a malformed packet. */
static int ns_name(const unsigned char *b, size_t len, size_t *at, char *out, size_t cap) {
  size_t p = *at, o = 0;
  int jumped = 0, hops = 0;
  out[0] = 0;
  while (p < len) {
    unsigned l = b[p];
    if (l == 0) { if (!jumped) *at = p + 1; if (o) out[o - 1] = 0; return 1; }
    if ((l & 0xc0) == 0xc0) {
      if (p + 1 >= len || ++hops > 16) return 0;
      if (!jumped) *at = p + 2;
      jumped = 1;
      p = ((l & 0x3f) << 8) | b[p + 1];
      continue;
    }
    if (p + 1 + l > len || o + l + 2 > cap) return 0;
    memcpy(out + o, b + p + 1, l);
    o += l;
    out[o++] = '.';
    out[o] = 0;
    p += 1 + l;
  }
  return 0;
}

/* Prints a reply's answer section as busybox does; "No answer" when it has none. */
static void ns_print_packet(int fd, const char *name, const unsigned char *b, size_t len) {
  size_t at = 12, n = 0;
  char owner[256], data[256];
  unsigned qd = (unsigned)(b[4] << 8 | b[5]), an = (unsigned)(b[6] << 8 | b[7]);
  for (unsigned i = 0; i < qd; i++) { if (!ns_name(b, len, &at, owner, sizeof owner)) return; at += 4; }
  for (unsigned i = 0; i < an && at + 10 <= len; i++) {
    if (!ns_name(b, len, &at, owner, sizeof owner) || at + 10 > len) break;
    int type = b[at] << 8 | b[at + 1];
    size_t rdlen = (size_t)(b[at + 8] << 8 | b[at + 9]), rd = at + 10;
    at = rd + rdlen;
    if (at > len) break;
    if (type == 1 && rdlen == 4) dprintf(fd, "Name:\t%s\nAddress: %u.%u.%u.%u\n", owner, b[rd], b[rd + 1], b[rd + 2], b[rd + 3]);
    else if (type == 5 || type == 12) {
      size_t p = rd;
      if (!ns_name(b, len, &p, data, sizeof data)) continue;
      dprintf(fd, type == 5 ? "%s\tcanonical name = %s\n" : "%s\tname = %s\n", owner, data);
    } else if (type == 33 && rdlen > 6) {
      size_t p = rd + 6;
      if (!ns_name(b, len, &p, data, sizeof data)) continue;
      dprintf(fd, "%s\tservice = %u %u %u %s\n", owner, b[rd] << 8 | b[rd + 1], b[rd + 2] << 8 | b[rd + 3], b[rd + 4] << 8 | b[rd + 5], data);
    } else continue;
    n++;
  }
  if (!n) dprintf(fd, "*** Can't find %s: No answer\n", name);
}

/* One query over UDP: the reply's length in buf, 0 on timeout (or a send error). */
static size_t ns_exchange(int s, const struct sockaddr_in *to, const char *name, int type, int id, unsigned char *buf, size_t cap, int timeout_ms) {
  unsigned char q[520];
  size_t qlen = ns_build(q, name, type, id);
  if (sendto(s, q, qlen, 0, (const struct sockaddr *)to, sizeof *to) < 0) return 0;
  for (;;) {
    struct pollfd p = {s, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return 0;
    ssize_t r = recvfrom(s, buf, cap, 0, 0, 0);
    if (r >= 12 && (buf[0] << 8 | buf[1]) == id && (buf[2] & 0x80)) return (size_t)r;
  }
}

/* nslookup [-type=A|AAAA|CNAME|SRV] [-debug] [-timeout=SEC] [-retry=N] [-port=N] NAME [SERVER] */
static int app_nslookup(int argc, char **argv, struct io io) {
  static const struct { const char *name; int type; } qtypes[] = {{"A", 1}, {"AAAA", 28}, {"CNAME", 5}, {"SRV", 33}};
  int types[4], ntypes = 0, i = 1, timeout = 5;
  for (; i < argc && argv[i][0] == '-'; i++) {
    char *arg = argv[i] + 1, *val = strchr(arg, '=');
    if (val) *val++ = 0;
    else val = "";
    if (!strcmp(arg, "type") || !strcmp(arg, "querytype")) {
      int k = 0;
      while (k < 4 && strcasecmp(qtypes[k].name, val)) k++;
      if (k == 4) { dprintf(io.err, "nslookup: invalid query type \"%s\"\n", val); return 1; }
      if (ntypes < 4) types[ntypes++] = qtypes[k].type;
    } else if (!strcmp(arg, "timeout") || !strcmp(arg, "t")) {
      timeout = atoi(val) > 0 ? atoi(val) : 1;
    } else if (strcmp(arg, "debug") && strcmp(arg, "port") && strcmp(arg, "retry") && strcmp(arg, "t") && strcmp(arg, "timeout")) {
      ws(io.err, "BusyBox v1.36.1 (Tabernetes WASI build, wasm32-wasip1) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,any,srv,ptr\n");
      return 1;
    }
  }
  if (i >= argc || argc - i > 2) {
    ws(io.err, "BusyBox v1.36.1 (Tabernetes WASI build, wasm32-wasip1) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,any,srv,ptr\n");
    return 1;
  }
  const char *host = argv[i];
  char server[64] = "", search[512] = "";
  if (argc - i == 2) snprintf(server, sizeof server, "%s", argv[i + 1]);
  char *conf = 0;
  size_t clen = 0;
  int cfd = open("/etc/resolv.conf", O_RDONLY);
  if (cfd >= 0 && readall(cfd, &conf, &clen) == 0) {
    conf = realloc(conf, clen + 1);
    conf[clen] = 0;
    for (char *line = strtok(conf, "\n"); line; line = strtok(0, "\n")) {
      char key[16], val[512];
      if (sscanf(line, "%15s %511[^\n]", key, val) != 2) continue;
      if (!strcmp(key, "nameserver") && !server[0]) sscanf(val, "%63s", server);
      else if (!strcmp(key, "search") || !strcmp(key, "domain")) snprintf(search, sizeof search, "%s", val);
    }
  }
  if (cfd >= 0) close(cfd);
  if (!server[0]) snprintf(server, sizeof server, "127.0.0.1");
  if (!ntypes) { types[0] = 1; types[1] = 28; ntypes = 2; }
  struct ns_query q[64];
  int nq = 0;
  for (int t = 0; t < ntypes; t++) {
    if (strchr(host, '.') || !search[0]) {
      if (nq < 64) q[nq++] = (struct ns_query){strdup(host), types[t]};
      continue;
    }
    char *s = search;
    while (*s) {
      while (*s == ' ' || *s == '\t') s++;
      char *e = s;
      while (*e && *e != ' ' && *e != '\t') e++;
      if (e > s && nq < 64) {
        char *full = malloc(strlen(host) + (size_t)(e - s) + 2);
        sprintf(full, "%s.%.*s", host, (int)(e - s), s);
        q[nq++] = (struct ns_query){full, types[t]};
      }
      s = e;
    }
  }
  int exitcode = 0;
  unsigned char *ans = malloc(65536);
  struct sockaddr_in to;
  memset(&to, 0, sizeof to);
  to.sin_family = AF_INET;
  to.sin_port = htons(53);
  uint32_t sip = 0;
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  if (tabernetes_resolve(server, &sip) == 0) to.sin_addr.s_addr = htonl(sip);
  for (int k = 0; k < nq; k++) {
    size_t len = s < 0 || !sip ? 0 : ns_exchange(s, &to, q[k].name, q[k].type, k + 1, ans, 65536, timeout * 1000);
    if (!len) {
      if (k == 0) { ws(io.out, ";; connection timed out; no servers could be reached\n\n"); free(ans); if (s >= 0) close(s); return 1; }
      break;
    }
    if (k == 0) dprintf(io.out, "Server:\t\t%s\nAddress:\t%s:53\n\n", server, server);
    if ((ans[3] & 15) == 3) {
      dprintf(io.out, "** server can't find %s: NXDOMAIN\n", q[k].name);
      exitcode = 1;
    } else ns_print_packet(io.out, q[k].name, ans, len);
    ws(io.out, "\n");
  }
  if (s >= 0) close(s);
  free(ans);
  free(conf);
  return exitcode;
}
