// Socket ABI probe (tabernetes_socket.h), compiled in the tests. Modes (argv[1]):
//   server PORT N        accept N connections, echo each (poll over all of them, non-blocking), print a line per close
//   client HOST PORT MSG  connect, send MSG, shutdown(SHUT_WR), print what comes back until EOF
//   refused HOST PORT     connect where nobody listens; print the errno
//   multi HOST PORT N     N concurrent connections, distinct payloads, poll until every echo is complete
//   loopback              one process: listen on 127.0.0.1, connect to localhost, accept, half-close, EOF
//   resolve NAME          getaddrinfo; print the address
//   nbconnect             one process: non-blocking connect (EINPROGRESS, poll POLLOUT, SO_ERROR) completing
//                         when the backlog frees, refused, and timed out
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tabernetes_socket.h"

static int fail(const char *what) {
  printf("%s: %s (errno %d)\n", what, strerror(errno), errno);
  return 1;
}

static int dial(const char *host, const char *port) {
  struct addrinfo hints = {0}, *ai;
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  int rc = getaddrinfo(host, port, &hints, &ai);
  if (rc) {
    printf("getaddrinfo: %s\n", gai_strerror(rc));
    return -1;
  }
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) return -1;
  rc = connect(s, ai->ai_addr, ai->ai_addrlen);
  freeaddrinfo(ai);
  if (rc < 0) {
    int e = errno;
    close(s);
    errno = e;
    return -1;
  }
  return s;
}

static int listener(uint32_t ip, int port, int backlog) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(ip);
  if (bind(s, (struct sockaddr *)&a, sizeof a) < 0) return -1;
  if (listen(s, backlog) < 0) return -1;
  return s;
}

static int server(int port, int n) {
  int ls = listener(INADDR_ANY, port, 16);
  if (ls < 0) return fail("listen");
  printf("listening %d\n", port);
  fflush(stdout);
  struct pollfd fds[65];
  int nfds = 1, accepted = 0, closed = 0;
  fds[0].fd = ls;
  fds[0].events = POLLIN;
  while (closed < n) {
    int r = poll(fds, nfds, 10000);
    if (r <= 0) return fail("poll");
    for (int i = nfds - 1; i >= 0; i--) {
      if (!fds[i].revents) continue;
      if (fds[i].fd == ls) {
        struct sockaddr_in peer;
        socklen_t len = sizeof peer;
        int c = accept(ls, (struct sockaddr *)&peer, &len);
        if (c < 0) return fail("accept");
        fcntl(c, F_SETFL, fcntl(c, F_GETFL) | O_NONBLOCK);
        fds[nfds].fd = c;
        fds[nfds].events = POLLIN;
        nfds++;
        if (++accepted == n) fds[0].events = 0;
        continue;
      }
      char buf[4096];
      ssize_t got = recv(fds[i].fd, buf, sizeof buf, 0);
      if (got < 0 && errno == EAGAIN) continue;
      if (got <= 0) {
        close(fds[i].fd);
        fds[i] = fds[--nfds];
        closed++;
        continue;
      }
      for (ssize_t off = 0; off < got;) {
        ssize_t w = send(fds[i].fd, buf + off, got - off, 0);
        if (w < 0 && errno == EAGAIN) continue;
        if (w < 0) return fail("send");
        off += w;
      }
    }
  }
  printf("served %d\n", closed);
  close(ls);
  return 0;
}

static int client(const char *host, const char *port, const char *msg) {
  int s = dial(host, port);
  if (s < 0) return fail("connect");
  if (write(s, msg, strlen(msg)) != (ssize_t)strlen(msg)) return fail("write");
  if (shutdown(s, SHUT_WR) < 0) return fail("shutdown");
  char buf[256];
  size_t total = 0;
  ssize_t r;
  while ((r = read(s, buf + total, sizeof buf - 1 - total)) > 0) total += r;
  if (r < 0) return fail("read");
  buf[total] = 0;
  struct sockaddr_in peer;
  socklen_t len = sizeof peer;
  getpeername(s, (struct sockaddr *)&peer, &len);
  char ip[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
  printf("echo from %s:%d: %s\n", ip, ntohs(peer.sin_port), buf);
  close(s);
  return 0;
}

static int multi(const char *host, const char *port, int n) {
  int socks[64];
  char want[64][32];
  size_t have[64] = {0};
  char got[64][32];
  struct pollfd fds[64];
  for (int i = 0; i < n; i++) {
    socks[i] = dial(host, port);
    if (socks[i] < 0) return fail("connect");
    snprintf(want[i], sizeof want[i], "payload-%d", i);
    send(socks[i], want[i], strlen(want[i]), 0);
    shutdown(socks[i], SHUT_WR);
    fds[i].fd = socks[i];
    fds[i].events = POLLIN;
  }
  int open = n;
  while (open) {
    if (poll(fds, n, 10000) <= 0) return fail("poll");
    for (int i = 0; i < n; i++) {
      if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t r = recv(socks[i], got[i] + have[i], sizeof got[i] - 1 - have[i], 0);
      if (r > 0) {
        have[i] += r;
        continue;
      }
      got[i][have[i]] = 0;
      if (strcmp(got[i], want[i])) {
        printf("mismatch %d: %s\n", i, got[i]);
        return 1;
      }
      close(socks[i]);
      fds[i].fd = -1;
      open--;
    }
  }
  printf("multi ok %d\n", n);
  return 0;
}

static int loopback(void) {
  int ls = listener(0x7f000001, 7000, 4);
  if (ls < 0) return fail("listen");
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  getsockname(ls, (struct sockaddr *)&a, &len);
  fcntl(ls, F_SETFL, O_NONBLOCK);
  int again = (fcntl(ls, F_GETFL) & O_NONBLOCK) != 0;
  int none = accept(ls, NULL, NULL) < 0 && errno == EAGAIN;
  int c = dial("localhost", "7000");
  if (c < 0) return fail("connect");
  int s = accept(ls, NULL, NULL);
  if (s < 0) return fail("accept");
  send(c, "ping", 4, 0);
  shutdown(c, SHUT_WR);
  char buf[16] = {0};
  ssize_t n1 = recv(s, buf, sizeof buf, 0);
  ssize_t eof = recv(s, buf + 8, sizeof buf - 8, 0);
  send(s, "pong", 4, 0);
  close(s);
  char back[16] = {0};
  ssize_t n2 = read(c, back, sizeof back);
  ssize_t eof2 = read(c, back + 8, 8);
  ssize_t w = send(c, "x", 1, 0);
  int wErr = errno;
  int busy = listener(0x7f000001, 7000, 4) < 0 && errno == EADDRINUSE;
  printf("port=%d addr=%s nonblock=%d eagain=%d got=%.*s(%zd) eof=%zd back=%s(%zd) eof2=%zd shut-write=%zd/%s inuse=%d\n", ntohs(a.sin_port),
         inet_ntoa(a.sin_addr), again, none, (int)n1, buf, n1, eof, back, n2, eof2, w, w < 0 ? strerror(wErr) : "", busy);
  return 0;
}

static int nb_socket(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  fcntl(s, F_SETFL, O_NONBLOCK);
  return s;
}

static int nb_connect(int s, int port) {
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(0x7f000001);
  return connect(s, (struct sockaddr *)&a, sizeof a) < 0 ? errno : 0;
}

/* poll(POLLOUT) with timeout ms: the revents, or 0 when it timed out. */
static int wait_out(int s, int ms) {
  struct pollfd p = {s, POLLOUT, 0};
  return poll(&p, 1, ms) == 1 ? p.revents : 0;
}

static int so_error(int s) {
  int err = -1;
  socklen_t len = sizeof err;
  if (getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return -errno;
  return err;
}

static const char *ename(int e) {
  switch (e) {
    case 0: return "0";
    case EINPROGRESS: return "EINPROGRESS";
    case EALREADY: return "EALREADY";
    case EISCONN: return "EISCONN";
    case EAGAIN: return "EAGAIN";
    case ECONNREFUSED: return "ECONNREFUSED";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EPIPE: return "EPIPE";
    default: return strerror(e);
  }
}

static int nbconnect(void) {
  // Backlog 1 holding one unaccepted connection: the next connect waits for room.
  int ls = listener(0x7f000001, 7100, 1);
  if (ls < 0) return fail("listen");
  int first = dial("127.0.0.1", "7100");
  if (first < 0) return fail("connect first");
  int c = nb_socket();
  int rc = nb_connect(c, 7100);
  int again = nb_connect(c, 7100);
  int pending = wait_out(c, 50);
  int rd = recv(c, (char[4]){0}, 4, 0) < 0 ? errno : 0;
  int a1 = accept(ls, NULL, NULL);
  int ready = wait_out(c, 5000);
  int err = so_error(c);
  int after = nb_connect(c, 7100);
  int isconn = nb_connect(c, 7100);
  send(c, "hi", 2, 0);
  int a2 = accept(ls, NULL, NULL);
  char buf[8] = {0};
  fcntl(a2, F_SETFL, 0);
  recv(a2, buf, sizeof buf, 0);
  printf("wait: connect=%s again=%s pending=%d recv=%s ready=%s err=%s connect-after=%s then=%s got=%s\n", ename(rc), ename(again), pending, ename(rd),
         ready & POLLOUT ? "POLLOUT" : "none", ename(err), ename(after), ename(isconn), buf);

  int r = nb_socket();
  rc = nb_connect(r, 7199);
  int rev = wait_out(r, 5000);
  err = so_error(r);
  int err2 = so_error(r);
  ssize_t w = send(r, "x", 1, 0);
  printf("refused: connect=%s revents=%s%s err=%s err-again=%s send=%s\n", ename(rc), rev & POLLOUT ? "POLLOUT" : "", rev & POLLHUP ? "|POLLHUP" : "", ename(err), ename(err2),
         w < 0 ? ename(errno) : "ok");

  int second = dial("127.0.0.1", "7100");  // fills the backlog again
  if (second < 0) return fail("connect second");
  int t = nb_socket();
  rc = nb_connect(t, 7100);
  int early = wait_out(t, 100);
  rev = wait_out(t, 10000);
  err = so_error(t);
  int again2 = nb_connect(t, 7100);
  printf("timeout: connect=%s early=%d revents=%s err=%s connect-after=%s\n", ename(rc), early, rev & POLLOUT ? "POLLOUT" : "none", ename(err), ename(again2));
  (void)a1;
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  const char *mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "server") && argc > 3) return server(atoi(argv[2]), atoi(argv[3]));
  if (!strcmp(mode, "client") && argc > 4) return client(argv[2], argv[3], argv[4]);
  if (!strcmp(mode, "multi") && argc > 4) return multi(argv[2], argv[3], atoi(argv[4]));
  if (!strcmp(mode, "loopback")) return loopback();
  if (!strcmp(mode, "nbconnect")) return nbconnect();
  if (!strcmp(mode, "refused") && argc > 3) {
    if (dial(argv[2], argv[3]) >= 0) return printf("connected?\n"), 1;
    printf("connect: %s (%s)\n", strerror(errno), errno == ECONNREFUSED ? "ECONNREFUSED" : "other");
    return 0;
  }
  if (!strcmp(mode, "resolve") && argc > 2) {
    struct addrinfo *ai;
    int rc = getaddrinfo(argv[2], "80", NULL, &ai);
    if (rc) return printf("%s: %s\n", argv[2], gai_strerror(rc)), 0;
    char ip[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, ip, sizeof ip);
    printf("%s: %s\n", argv[2], ip);
    freeaddrinfo(ai);
    return 0;
  }
  printf("usage\n");
  return 2;
}
