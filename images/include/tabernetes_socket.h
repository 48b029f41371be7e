/*
 * tabernetes_socket.h: ordinary BSD sockets for Tabernetes containers (C, wasm32-wasip1), header-only.
 * See docs/sockets.md for the ABI underneath (the `tabernetes_sock` import module plus preview1's sock_*).
 *
 *   #include "tabernetes_socket.h"
 *   int s = socket(AF_INET, SOCK_STREAM, 0);  bind(s, ...); listen(s, 16); int c = accept(s, NULL, NULL);
 *   connect(), send()/recv() or read()/write(), shutdown(SHUT_WR), close(), poll(), fcntl(O_NONBLOCK),
 *   getaddrinfo()/freeaddrinfo()/gai_strerror(), gethostbyname(), inet_pton()/inet_ntop().
 *   UDP: socket(AF_INET, SOCK_DGRAM, 0), bind(), sendto()/recvfrom(), connect() for a default peer, then
 *   send()/recv(); message boundaries kept; kube-dns answers real DNS queries on 10.96.0.10:53.
 *
 * Non-blocking connect as Linux's: EINPROGRESS, poll() for POLLOUT, then getsockopt(SO_ERROR).
 * IPv4 only (AF_INET6 fails with EAFNOSUPPORT). Errors are the usual errno values: ECONNREFUSED,
 * ECONNRESET, EADDRINUSE, EPIPE (no SIGPIPE), EAGAIN, EINTR, ETIMEDOUT, EMSGSIZE, EDESTADDRREQ.
 * wasip1 has no <netdb.h>: this header defines struct addrinfo and friends itself.
 */
#ifndef TABERNETES_SOCKET_H
#define TABERNETES_SOCKET_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

#define __TSOCK(name) __attribute__((import_module("tabernetes_sock"), import_name(#name)))
__TSOCK(socket) int __tabernetes_sock_socket(int af, int type, int *fd);
__TSOCK(bind) int __tabernetes_sock_bind(int fd, uint32_t ip, int port);
__TSOCK(listen) int __tabernetes_sock_listen(int fd, int backlog);
__TSOCK(connect) int __tabernetes_sock_connect(int fd, uint32_t ip, int port);
__TSOCK(getsockname) int __tabernetes_sock_getsockname(int fd, uint32_t *ip, uint32_t *port);
__TSOCK(getpeername) int __tabernetes_sock_getpeername(int fd, uint32_t *ip, uint32_t *port);
__TSOCK(setsockopt) int __tabernetes_sock_setsockopt(int fd, int level, int name);
__TSOCK(getsockopt) int __tabernetes_sock_getsockopt(int fd, int level, int name, int *value);
__TSOCK(resolve) int __tabernetes_sock_resolve(const char *name, size_t len, uint32_t *ip);
__TSOCK(sendto) int __tabernetes_sock_sendto(int fd, const void *buf, size_t len, int flags, uint32_t ip, int port, size_t *sent);
__TSOCK(recvfrom) int __tabernetes_sock_recvfrom(int fd, void *buf, size_t cap, int flags, size_t *len, uint32_t *ip, uint32_t *port);
#undef __TSOCK

#ifndef SO_REUSEADDR
#define SO_REUSEADDR 2
#define SO_ERROR 4
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_LINGER 13
#define SO_REUSEPORT 15
#define SO_RCVTIMEO 66
#define SO_SNDTIMEO 67
#endif
#ifndef SOMAXCONN
#define SOMAXCONN 128
#endif
#ifndef IPPROTO_TCP
#define IPPROTO_TCP 6
#endif
#ifndef TCP_NODELAY
#define TCP_NODELAY 1
#endif
#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

static inline int __tsock_result(int err, int value) {
  if (err) {
    errno = err;
    return -1;
  }
  return value;
}

static inline int __tsock_in(const struct sockaddr *addr, socklen_t len, uint32_t *ip, int *port) {
  const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
  if (!addr || len < sizeof(struct sockaddr_in)) return EINVAL;
  if (in->sin_family != AF_INET) return EAFNOSUPPORT;
  *ip = ntohl(in->sin_addr.s_addr);
  *port = ntohs(in->sin_port);
  return 0;
}

static inline void __tsock_out(struct sockaddr *addr, socklen_t *len, uint32_t ip, uint32_t port) {
  struct sockaddr_in in;
  if (!addr || !len) return;
  memset(&in, 0, sizeof in);
  in.sin_family = AF_INET;
  in.sin_port = htons((uint16_t)port);
  in.sin_addr.s_addr = htonl(ip);
  memcpy(addr, &in, *len < sizeof in ? *len : sizeof in);
  *len = sizeof in;
}

static inline int socket(int domain, int type, int protocol) {
  int fd = -1;
  (void)protocol;
  int err = __tabernetes_sock_socket(domain, type, &fd);
  return __tsock_result(err, fd);
}

static inline int bind(int fd, const struct sockaddr *addr, socklen_t len) {
  uint32_t ip;
  int port;
  int err = __tsock_in(addr, len, &ip, &port);
  if (!err) err = __tabernetes_sock_bind(fd, ip, port);
  return __tsock_result(err, 0);
}

static inline int listen(int fd, int backlog) {
  return __tsock_result(__tabernetes_sock_listen(fd, backlog), 0);
}

static inline int connect(int fd, const struct sockaddr *addr, socklen_t len) {
  uint32_t ip;
  int port;
  int err = __tsock_in(addr, len, &ip, &port);
  if (!err) err = __tabernetes_sock_connect(fd, ip, port);
  return __tsock_result(err, 0);
}

static inline int getsockname(int fd, struct sockaddr *addr, socklen_t *len) {
  uint32_t ip = 0, port = 0;
  int err = __tabernetes_sock_getsockname(fd, &ip, &port);
  if (!err) __tsock_out(addr, len, ip, port);
  return __tsock_result(err, 0);
}

static inline int getpeername(int fd, struct sockaddr *addr, socklen_t *len) {
  uint32_t ip = 0, port = 0;
  int err = __tabernetes_sock_getpeername(fd, &ip, &port);
  if (!err) __tsock_out(addr, len, ip, port);
  return __tsock_result(err, 0);
}

/* Options are accepted and ignored (SO_REUSEADDR, TCP_NODELAY, SO_KEEPALIVE, timeouts, ...). */
static inline int setsockopt(int fd, int level, int name, const void *value, socklen_t len) {
  (void)value;
  (void)len;
  return __tsock_result(__tabernetes_sock_setsockopt(fd, level, name), 0);
}

/*
 * SO_ERROR and SO_TYPE at SOL_SOCKET come from the runtime (SO_ERROR: how a non-blocking connect that gave
 * EINPROGRESS ended, 0 if it connected; reading clears it); other options fail with ENOPROTOOPT.
 */
static inline int __tabernetes_getsockopt(int fd, int level, int name, void *value, socklen_t *len) {
  int v = 0;
  if (level != SOL_SOCKET) return __tsock_result(ENOPROTOOPT, 0);
  int err = __tabernetes_sock_getsockopt(fd, level, name, &v);
  if (!err && value && len) {
    memcpy(value, &v, *len < sizeof v ? *len : sizeof v);
    *len = sizeof v;
  }
  return __tsock_result(err, 0);
}
#define getsockopt(fd, level, name, value, len) __tabernetes_getsockopt((fd), (level), (name), (value), (len))

/* wasi-libc's accept() does not fill in the peer address; this one does. */
static inline int __tabernetes_accept(int fd, struct sockaddr *addr, socklen_t *len) {
  int c = accept(fd, NULL, NULL);
  if (c >= 0 && addr && len) getpeername(c, addr, len);
  return c;
}
#define accept(fd, addr, len) __tabernetes_accept((fd), (addr), (len))

/* Without an address (or on a stream socket) sendto is send(); with one, a datagram to it. */
static inline ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to, socklen_t tolen) {
  uint32_t ip;
  int port;
  size_t sent = 0;
  if (!to) return send(fd, buf, n, flags);
  int err = __tsock_in(to, tolen, &ip, &port);
  if (!err) err = __tabernetes_sock_sendto(fd, buf, n, flags, ip, port, &sent);
  return err ? (errno = err, -1) : (ssize_t)sent;
}

/* One datagram (truncated to n, the rest discarded) and its source; on a stream socket, recv() and the peer. */
static inline ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *from, socklen_t *fromlen) {
  size_t got = 0;
  uint32_t ip = 0, port = 0;
  int err = __tabernetes_sock_recvfrom(fd, buf, n, flags, &got, &ip, &port);
  if (err) {
    errno = err;
    return -1;
  }
  if (from && fromlen) __tsock_out(from, fromlen, ip, port);
  return (ssize_t)got;
}

/* ---- <netdb.h> ---- */
#ifndef EAI_NONAME
#define AI_PASSIVE 0x01
#define AI_CANONNAME 0x02
#define AI_NUMERICHOST 0x04
#define AI_NUMERICSERV 0x400
#define EAI_BADFLAGS -1
#define EAI_NONAME -2
#define EAI_AGAIN -3
#define EAI_FAIL -4
#define EAI_FAMILY -6
#define EAI_SOCKTYPE -7
#define EAI_SERVICE -8
#define EAI_MEMORY -10
#define EAI_SYSTEM -11

struct addrinfo {
  int ai_flags;
  int ai_family;
  int ai_socktype;
  int ai_protocol;
  socklen_t ai_addrlen;
  struct sockaddr *ai_addr;
  char *ai_canonname;
  struct addrinfo *ai_next;
};

struct hostent {
  char *h_name;
  char **h_aliases;
  int h_addrtype;
  int h_length;
  char **h_addr_list;
};
#define h_addr h_addr_list[0]
#endif

/* Resolves name to an IPv4 address in host order: numeric, "localhost", the pod's hostname, then cluster DNS. */
static inline int tabernetes_resolve(const char *name, uint32_t *ip) {
  return __tabernetes_sock_resolve(name, strlen(name), ip);
}

static inline const char *gai_strerror(int code) {
  switch (code) {
    case EAI_NONAME: return "Name or service not known";
    case EAI_AGAIN: return "Temporary failure in name resolution";
    case EAI_FAMILY: return "ai_family not supported";
    case EAI_SOCKTYPE: return "ai_socktype not supported";
    case EAI_SERVICE: return "Servname not supported for ai_socktype";
    case EAI_MEMORY: return "Memory allocation failure";
    default: return "Unknown error";
  }
}

static inline void freeaddrinfo(struct addrinfo *ai) {
  while (ai) {
    struct addrinfo *next = ai->ai_next;
    free(ai);
    ai = next;
  }
}

/* One IPv4 TCP result (ai_addr points into the same allocation). Services must be numeric or "http"/"https". */
static inline int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res) {
  uint32_t ip = 0;
  long port = 0;
  if (hints && hints->ai_family != AF_UNSPEC && hints->ai_family != AF_INET) return EAI_FAMILY;
  if (hints && hints->ai_socktype && hints->ai_socktype != SOCK_STREAM) return EAI_SOCKTYPE;
  if (service && *service) {
    char *end;
    port = strtol(service, &end, 10);
    if (*end || port < 0 || port > 65535) {
      if (!strcmp(service, "http")) port = 80;
      else if (!strcmp(service, "https")) port = 443;
      else return EAI_SERVICE;
    }
  }
  if (node && *node) {
    if (tabernetes_resolve(node, &ip)) return EAI_NONAME;
  } else if (!(hints && (hints->ai_flags & AI_PASSIVE))) {
    ip = 0x7f000001;
  }
  struct addrinfo *ai = (struct addrinfo *)calloc(1, sizeof(struct addrinfo) + sizeof(struct sockaddr_in));
  if (!ai) return EAI_MEMORY;
  struct sockaddr_in *in = (struct sockaddr_in *)(ai + 1);
  in->sin_family = AF_INET;
  in->sin_port = htons((uint16_t)port);
  in->sin_addr.s_addr = htonl(ip);
  ai->ai_family = AF_INET;
  ai->ai_socktype = SOCK_STREAM;
  ai->ai_protocol = IPPROTO_TCP;
  ai->ai_addrlen = sizeof(struct sockaddr_in);
  ai->ai_addr = (struct sockaddr *)in;
  *res = ai;
  return 0;
}

/* Not thread-safe (one static result), as the classic interface. */
static inline struct hostent *gethostbyname(const char *name) {
  static uint32_t addr;
  static char *list[2];
  static char hname[256];
  static struct hostent h;
  uint32_t ip;
  if (tabernetes_resolve(name, &ip)) return NULL;
  addr = htonl(ip);
  list[0] = (char *)&addr;
  list[1] = NULL;
  strncpy(hname, name, sizeof hname - 1);
  h.h_name = hname;
  h.h_aliases = list + 1;
  h.h_addrtype = AF_INET;
  h.h_length = 4;
  h.h_addr_list = list;
  return &h;
}

#ifdef __cplusplus
}
#endif
#endif
