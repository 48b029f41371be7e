// UDP probe (tabernetes_socket.h SOCK_DGRAM), compiled in src/workers/runtime/wasi/wasi-udp.test.ts and
// src/workers/kube-proxy/udp-service-wasi.test.ts. Modes (argv[1]):
//   local                one process: two sockets on the pod, sendto/recvfrom with boundaries, EAGAIN, poll,
//                        a full queue dropping, connect() as default peer, EMSGSIZE, EDESTADDRREQ, listen EOPNOTSUPP
//   dns NAME TYPE        one query packet to 10.96.0.10:53 (connect + send + recv); prints rcode and answers
//   service IP PORT NAME one pod process is both a UDP Service's endpoint and its client (hairpin): it binds :5353,
//                        connects a second socket to the Service address IP:PORT, sends "ping", answers it from the
//                        endpoint socket with "pong" and reads the reply on the connected socket, which only accepts
//                        datagrams from its peer (the Service address after the reverse NAT). Then it looks NAME up
//                        with A and SRV queries to kube-dns.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tabernetes_socket.h"

static struct sockaddr_in addr(uint32_t ip, int port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(ip);
  return a;
}

static int local(void) {
  int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  struct sockaddr_in aa = addr(0, 9000), ba = addr(0x7f000001, 9001), from;
  if (bind(a, (struct sockaddr *)&aa, sizeof aa) || bind(b, (struct sockaddr *)&ba, sizeof ba)) return printf("bind: %s\n", strerror(errno)), 1;
  char buf[2048];
  ssize_t r = recv(b, buf, sizeof buf, 0);
  printf("empty=%zd/%s\n", r, errno == EAGAIN ? "EAGAIN" : strerror(errno));
  struct pollfd p = {b, POLLIN, 0};
  printf("poll-before=%d\n", poll(&p, 1, 0));
  sendto(a, "one", 3, 0, (struct sockaddr *)&ba, sizeof ba);
  sendto(a, "two!", 4, 0, (struct sockaddr *)&ba, sizeof ba);
  printf("poll-after=%d revents=%d\n", poll(&p, 1, 1000), p.revents & POLLIN);
  socklen_t fl = sizeof from;
  r = recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
  printf("got %.*s(%zd) from %s:%d\n", (int)r, buf, r, inet_ntoa(from.sin_addr), ntohs(from.sin_port));
  r = recvfrom(b, buf, 2, 0, NULL, NULL);
  printf("truncated %.*s(%zd)\n", (int)r, buf, r);
  int sent = 0;
  memset(buf, 'x', 1000);
  while (sendto(a, buf, 1000, 0, (struct sockaddr *)&ba, sizeof ba) == 1000 && sent < 100) sent++;
  int queued = 0;
  while (recv(b, buf, sizeof buf, 0) > 0) queued++;
  printf("sent=%d queued=%d\n", sent, queued);
  static char big[70000];
  r = sendto(a, big, sizeof big, 0, (struct sockaddr *)&ba, sizeof ba);
  printf("big=%zd/%s\n", r, errno == EMSGSIZE ? "EMSGSIZE" : strerror(errno));
  r = send(a, "x", 1, 0);
  printf("nodest=%zd/%s\n", r, errno == EDESTADDRREQ ? "EDESTADDRREQ" : strerror(errno));
  if (connect(b, (struct sockaddr *)&aa, sizeof aa)) return printf("connect: %s\n", strerror(errno)), 1;
  send(b, "hi a", 4, 0);
  r = recv(a, buf, sizeof buf, 0);
  printf("a got %.*s\n", (int)r, buf);
  fl = sizeof from;
  getsockname(b, (struct sockaddr *)&from, &fl);
  printf("b is %s:%d\n", inet_ntoa(from.sin_addr), ntohs(from.sin_port));
  printf("listen=%d/%s\n", listen(a, 1), errno == ENOTSUP || errno == EOPNOTSUPP ? "EOPNOTSUPP" : strerror(errno));
  return 0;
}

/* Sends one DNS query for name (qtype type) to kube-dns (10.96.0.10:53) and reads the answer into r; its length or -1. */
static ssize_t dns_exchange(const char *name, int type, unsigned char *r, size_t cap) {
  unsigned char q[512];
  size_t n = 12;
  memset(q, 0, 12);
  q[0] = 0x12, q[1] = 0x34, q[2] = 1, q[5] = 1;
  for (const char *p = name; *p;) {
    const char *dot = strchr(p, '.');
    size_t l = dot ? (size_t)(dot - p) : strlen(p);
    q[n++] = (unsigned char)l;
    memcpy(q + n, p, l);
    n += l;
    p += l + (dot ? 1 : 0);
  }
  q[n++] = 0, q[n++] = 0, q[n++] = (unsigned char)type, q[n++] = 0, q[n++] = 1;
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in to = addr(0x0a60000a, 53);
  if (connect(s, (struct sockaddr *)&to, sizeof to)) return printf("connect: %s\n", strerror(errno)), -1;
  send(s, q, n, 0);
  ssize_t len = recv(s, r, cap, 0);
  close(s);
  return len;
}

static int dns(const char *name, int type) {
  unsigned char r[1024];
  ssize_t len = dns_exchange(name, type, r, sizeof r);
  if (len < 0) return 1;
  printf("len=%zd id=%02x%02x qr=%d aa=%d rcode=%d an=%d", len, r[0], r[1], r[2] >> 7, (r[2] >> 2) & 1, r[3] & 15, r[6] << 8 | r[7]);
  if (type == 1 && (r[6] << 8 | r[7]) > 0) printf(" a=%u.%u.%u.%u", r[len - 4], r[len - 3], r[len - 2], r[len - 1]);
  printf("\n");
  return 0;
}

static void service_query(const char *name, int type) {
  unsigned char r[1024];
  ssize_t got = dns_exchange(name, type, r, sizeof r);
  printf("%s type %d: rcode=%d an=%d\n", name, type, got > 3 ? r[3] & 15 : -1, got > 7 ? r[7] : -1);
}

static int service(const char *ip, int port, const char *name) {
  int ep = socket(AF_INET, SOCK_DGRAM, 0), c = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in epa = addr(0, 5353), svc = addr(0, port), from, peer;
  inet_pton(AF_INET, ip, &svc.sin_addr);
  if (bind(ep, (struct sockaddr *)&epa, sizeof epa)) return printf("bind: %s\n", strerror(errno)), 1;
  if (connect(c, (struct sockaddr *)&svc, sizeof svc)) return printf("connect: %s\n", strerror(errno)), 1;
  char buf[256];
  send(c, "ping", 4, 0);
  socklen_t fl = sizeof from;
  ssize_t r = recvfrom(ep, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
  printf("endpoint got %.*s from %s\n", (int)r, buf, inet_ntoa(from.sin_addr));
  sendto(ep, "pong", 4, 0, (struct sockaddr *)&from, fl);
  r = recv(c, buf, sizeof buf, 0);
  socklen_t pl = sizeof peer;
  getpeername(c, (struct sockaddr *)&peer, &pl);
  printf("client got %.*s from its peer %s:%d\n", (int)r, buf, inet_ntoa(peer.sin_addr), ntohs(peer.sin_port));
  service_query(name, 1);
  service_query(name, 33);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 2 && !strcmp(argv[1], "local")) return local();
  if (argc >= 4 && !strcmp(argv[1], "dns")) return dns(argv[2], atoi(argv[3]));
  if (argc >= 5 && !strcmp(argv[1], "service")) return service(argv[2], atoi(argv[3]), argv[4]);
  return 2;
}
