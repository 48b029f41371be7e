// nginx-upstream.h: proxied requests in flight (jobs), advanced by the server loop of nginx-loop.h.
// proxy_pass (nginx-proxy.h) connects, then pjob_start parks the client connection: it is not read
// from while its upstream request runs, and its buffered request stays in place (the job's th_request points
// into it). A job: CONNECTING (a non-blocking connect retried every 20 ms up to proxy_connect_timeout, 60 s),
// SENDING (the request, over POLLOUT), HEAD (the upstream's response head; proxy_read_timeout → 504),
// BODY (streamed to the client as it arrives; Content-Length bytes or to the upstream's close). When a job
// ends its request is consumed and the connection serves its next pipelined request, or closes. A
// configuration reload waits until no job is in flight (jobs point into the configuration tree).

enum { PJ_CONNECTING, PJ_SENDING, PJ_HEAD, PJ_BODY };
struct pjob {
  struct ctx x;
  struct th_request r;
  struct th_conn *c;
  long used;              /* bytes of c->buf the request occupies (consumed when the job ends) */
  int fd, state, timeout, head_only;
  long long deadline;     /* CLOCK_MONOTONIC ms: connect deadline, then read deadline (reset on data) */
  char url[1400];
  char *req; size_t req_len, req_sent;
  char *buf; size_t got, head_len, body, sent;
  long clen;
  int chunked, responded; /* responded: the head went to the client (the access log line is due at the end) */
};
static struct pjob *pjobs[TH_MAX_CONNS];
static int npjobs;

static struct pjob *pjob_start(struct ctx *x, int fd, const char *url, int connecting, char *req, size_t len) {
  if (npjobs == TH_MAX_CONNS) { close(fd); free(req); return NULL; }
  struct pjob *j = (struct pjob *)calloc(1, sizeof *j);
  j->x = *x;
  j->r = *x->r;
  j->x.r = &j->r;
  if (x->r->query == x->args) j->r.query = j->x.args;
  j->c = x->c;
  j->fd = fd;
  j->state = connecting ? PJ_CONNECTING : PJ_SENDING;
  j->timeout = proxy_timeout_ms(x);
  j->deadline = th_now_ms() + (connecting ? 60000 : j->timeout);
  snprintf(j->url, sizeof j->url, "%s", url);
  j->req = req;
  j->req_len = len;
  j->head_only = !strcmp(x->r->method, "HEAD");
  j->buf = (char *)malloc(sizeof proxy_buf);
  pjobs[npjobs++] = j;
  return j;
}

static int conn_parked(struct th_conn *c) {
  for (int i = 0; i < npjobs; i++) if (pjobs[i]->c == c) return 1;
  return 0;
}

/* Sends the client the response head built from the upstream's (nginx's Server and Date replace its own). */
static int pjob_send_head(struct pjob *j, char *end) {
  struct ctx *x = &j->x;
  char head[8192], date[64];
  th_http_date(date, sizeof date, time(NULL));
  int code = atoi(j->buf + 9);
  size_t h = (size_t)snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nServer: %s\r\nDate: %s\r\n", code, ngx_reason(code), server_ver(), date);
  j->clen = -1;
  for (char *line = strstr(j->buf, "\r\n") + 2; line < end;) {
    char *next = strstr(line, "\r\n");
    *next = 0;
    char *colon = strchr(line, ':');
    if (colon) {
      size_t nl = (size_t)(colon - line);
      const char *v = colon + 1;
      while (*v == ' ') v++;
      if (nl == 14 && !strncasecmp(line, "Content-Length", 14)) j->clen = atol(v);
      if (nl == 17 && !strncasecmp(line, "Transfer-Encoding", 17)) j->chunked = 1;
      int drop = (nl == 6 && !strncasecmp(line, "Server", 6)) || (nl == 4 && !strncasecmp(line, "Date", 4)) ||
                 (nl == 10 && !strncasecmp(line, "Connection", 10)) || (nl == 10 && !strncasecmp(line, "Keep-Alive", 10));
      if (!drop && h < sizeof head) h += (size_t)snprintf(head + h, sizeof head - h, "%s\r\n", line);
    }
    line = next + 2;
  }
  if (j->clen < 0 && !j->chunked) x->r->keep_alive = 0;
  if (h < sizeof head) h += (size_t)snprintf(head + h, sizeof head - h, "Connection: %s\r\n\r\n", x->r->keep_alive ? "keep-alive" : "close");
  x->status = code;
  x->bytes = h < sizeof head ? h : sizeof head;
  j->responded = 1;
  return th_send_all(x->c->fd, head, x->bytes);
}

/* Advances j on its socket's readiness; returns 1 when j has ended with *rc (its response written and
 * logged: 0, or -1 when the client connection must close). */
static int pjob_step(struct pjob *j, int revents, long long now, int *rc) {
  struct ctx *x = &j->x;
  if (j->state == PJ_CONNECTING) {
    if (now >= j->deadline) return *rc = proxy_fail(x, 504, "upstream timed out (110: Connection timed out) while connecting to upstream", j->url), 1;
    return 0; /* retried by pjob_retry_connect */
  }
  if (j->state == PJ_SENDING) {
    while (j->req_sent < j->req_len) {
      ssize_t w = send(j->fd, j->req + j->req_sent, j->req_len - j->req_sent, 0);
      if (w < 0 && (errno == EAGAIN || errno == EINTR)) return 0;
      if (w <= 0) return *rc = proxy_fail(x, 502, "send() failed while sending request to upstream", j->url), 1;
      j->req_sent += (size_t)w;
    }
    j->state = PJ_HEAD;
    j->deadline = now + j->timeout;
    return 0;
  }
  if (!(revents & (POLLIN | POLLHUP | POLLERR))) {
    if (now < j->deadline) return 0;
    if (j->state == PJ_HEAD) return *rc = proxy_fail(x, 504, "upstream timed out (110: Connection timed out) while reading response header from upstream", j->url), 1;
    x->r->keep_alive = 0;
    return *rc = -1, 1;
  }
  size_t room = j->state == PJ_HEAD ? sizeof proxy_buf - 1 - j->got : sizeof proxy_buf;
  ssize_t r = recv(j->fd, j->state == PJ_HEAD ? j->buf + j->got : j->buf, room, 0);
  if (r < 0 && (errno == EAGAIN || errno == EINTR)) return 0;
  j->deadline = now + j->timeout;
  if (j->state == PJ_HEAD) {
    if (r <= 0 || j->got + (size_t)r >= sizeof proxy_buf - 1)
      return *rc = proxy_fail(x, 502, r < 0 ? "recv() failed (104: Connection reset by peer) while reading response header from upstream" : "upstream prematurely closed connection while reading response header from upstream", j->url), 1;
    j->got += (size_t)r;
    j->buf[j->got] = 0;
    char *end = strstr(j->buf, "\r\n\r\n");
    if (!end) return 0;
    if (strncmp(j->buf, "HTTP/1.", 7) || atoi(j->buf + 9) < 100)
      return *rc = proxy_fail(x, 502, "upstream sent no valid HTTP/1.0 header while reading response header from upstream", j->url), 1;
    j->head_len = (size_t)(end + 4 - j->buf);
    if (pjob_send_head(j, end)) return *rc = -1, 1;
    j->state = PJ_BODY;
    j->body = j->got - j->head_len;
    if (j->body && !j->head_only && th_send_all(x->c->fd, j->buf + j->head_len, j->body)) return *rc = -1, 1;
    j->sent = j->head_only ? 0 : j->body;
  } else {
    if (r <= 0) {
      if (j->clen >= 0 && (long)j->body < j->clen) x->r->keep_alive = 0, *rc = -1; /* truncated upstream body: close */
      else *rc = 0;
      return 1;
    }
    j->body += (size_t)r;
    if (th_send_all(x->c->fd, j->buf, (size_t)r)) return *rc = -1, 1;
    j->sent += (size_t)r;
  }
  if (j->head_only || (j->clen >= 0 && (long)j->body >= j->clen)) return *rc = 0, 1;
  return 0;
}

/* A CONNECTING job tries connect() again (the fabric answers EAGAIN while the peer's backlog is full). */
static void pjob_retry_connect(struct pjob *j, int *ended, int *rc) {
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  const char *hp = j->url + 7, *colon = strrchr(hp, ':');
  char ip[64];
  snprintf(ip, sizeof ip, "%.*s", (int)(colon - hp), hp);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)atoi(colon + 1));
  inet_pton(AF_INET, ip, &sa.sin_addr);
  if (connect(j->fd, (struct sockaddr *)&sa, sizeof sa) == 0 || errno == EISCONN) { j->state = PJ_SENDING; return; }
  if (errno == EAGAIN || errno == EINPROGRESS || errno == EALREADY) return;
  char what[160];
  snprintf(what, sizeof what, "connect() failed (%d: %s) while connecting to upstream", errno == ECONNREFUSED ? 111 : errno, strerror(errno));
  *rc = proxy_fail(&j->x, 502, what, j->url);
  *ended = 1;
}
