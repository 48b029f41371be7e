// UDP Service probe (tabernetes_socket.h SOCK_DGRAM), compiled by src/workers/kube-proxy/udp-service-wasi.test.ts.
// One pod process is both the endpoint and the client (hairpin): it binds :5353, connects a second socket to the
// Service address argv[1]:argv[2], sends "ping", answers it from the endpoint socket with "pong" and reads the
// reply on the connected socket, which only accepts datagrams from its peer (the Service address after the
// reverse NAT). Then it looks the Service name argv[3] up with nslookup-style A and SRV packets to kube-dns.
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

static int query(const char *name, int qtype) {
  unsigned char q[512], r[1024];
  int n = 12;
  memset(q, 0, 12);
  q[0] = 0x12, q[1] = 0x34, q[2] = 1, q[5] = 1;
  for (const char *p = name; *p;) {
    const char *dot = strchr(p, '.');
    int len = dot ? (int)(dot - p) : (int)strlen(p);
    q[n++] = (unsigned char)len;
    memcpy(q + n, p, len), n += len;
    p += len + (dot ? 1 : 0);
  }
  q[n++] = 0, q[n++] = 0, q[n++] = (unsigned char)qtype, q[n++] = 0, q[n++] = 1;
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in dns = addr(0x0a60000a, 53);
  connect(s, (struct sockaddr *)&dns, sizeof dns);
  send(s, q, n, 0);
  ssize_t got = recv(s, r, sizeof r, 0);
  close(s);
  printf("%s type %d: rcode=%d an=%d\n", name, qtype, got > 3 ? r[3] & 15 : -1, got > 7 ? r[7] : -1);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  int ep = socket(AF_INET, SOCK_DGRAM, 0), c = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in epa = addr(0, 5353), svc, from, peer;
  memset(&svc, 0, sizeof svc);
  svc.sin_family = AF_INET;
  svc.sin_port = htons((uint16_t)atoi(argv[2]));
  inet_pton(AF_INET, argv[1], &svc.sin_addr);
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
  query(argv[3], 1);
  query(argv[3], 33);
  return 0;
}
