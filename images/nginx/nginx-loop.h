// nginx-loop.h: the server loop: tabernetes_http.h's th_serve with parked connections (not read while their
// proxied request is in flight, not closed as idle) and the upstream sockets of nginx-upstream.h's jobs in
// the same poll. Requests are served in order per connection (pipelining waits for a parked one).

/* th_serve_conn, recording a parked request's length in its proxy job; -1 when c must close, 1 when parked. */
static int ngx_serve_conn(struct th_server *s, struct th_conn *c) {
  long used = th_serve_conn(s, c);
  if (used <= 0) return (int)used;
  pjobs[npjobs - 1]->used = used;
  return 1;
}

static void ngx_drop_conn(struct th_server *s, struct th_conn *c) {
  for (int i = 0; i < s->nconns; i++) if (s->conns[i] == c) { th_drop(s, i); return; }
}

/* Ends job k: logs it, consumes its request, then serves the connection's next requests (or closes it). */
static void pjob_finish(struct th_server *s, int k, int rc) {
  struct pjob *j = pjobs[k];
  pjobs[k] = pjobs[--npjobs];
  close(j->fd);
  if (j->responded) {
    j->x.body_bytes = j->sent;
    j->x.bytes += j->sent;
    access_log(&j->x);
  }
  struct th_conn *c = j->c;
  int keep = rc >= 0 && j->r.keep_alive;
  th_consume(c, j->used);
  c->last_ms = th_now_ms();
  free(j->req);
  free(j->buf);
  free(j);
  if (!keep || ngx_serve_conn(s, c) < 0) ngx_drop_conn(s, c);
}

static void ngx_serve(struct th_server *s) {
  static struct pollfd fds[TH_MAX_CONNS * 2 + TH_MAX_LISTENERS];
  static struct pjob *polled[TH_MAX_CONNS];
  while (!*s->stop) {
    int nl = s->nlisteners, nc = s->nconns, nj = npjobs;
    for (int i = 0; i < nl; i++) fds[i] = (struct pollfd){s->listeners[i], s->nconns < TH_MAX_CONNS ? POLLIN : 0, 0};
    for (int i = 0; i < nc; i++) fds[nl + i] = (struct pollfd){s->conns[i]->fd, conn_parked(s->conns[i]) ? 0 : POLLIN, 0};
    int timeout = -1, connecting = 0;
    long long now = th_now_ms();
    for (int i = 0; i < nj; i++) {
      struct pjob *j = polled[i] = pjobs[i];
      connecting |= j->state == PJ_CONNECTING;
      fds[nl + nc + i] = (struct pollfd){j->fd, j->state == PJ_SENDING ? POLLOUT : j->state == PJ_CONNECTING ? 0 : POLLIN, 0};
      long long left = j->deadline - now;
      if (left < 0) left = 0;
      if (timeout < 0 || left < timeout) timeout = (int)left;
    }
    for (int i = 0; s->idle_ms && i < nc; i++) {
      if (fds[nl + i].events == 0) continue;
      long long left = s->conns[i]->last_ms + s->idle_ms - now;
      if (left < 0) left = 0;
      if (timeout < 0 || left < timeout) timeout = (int)left;
    }
    if (connecting && (timeout < 0 || timeout > 20)) timeout = 20;
    if (s->tick && s->tick_ms > 0 && (timeout < 0 || timeout > s->tick_ms)) timeout = s->tick_ms;
    int ready = poll(fds, (nfds_t)(nl + nc + nj), timeout);
    if (*s->stop) break;
    if (ready < 0) continue;
    now = th_now_ms();
    for (int i = nj - 1; i >= 0; i--) { /* jobs first: finishing one may serve (or drop) its connection */
      struct pjob *j = polled[i];
      int k = 0, rc = 0, ended = 0;
      while (k < npjobs && pjobs[k] != j) k++;
      if (k == npjobs) continue;
      if (j->state == PJ_CONNECTING) pjob_retry_connect(j, &ended, &rc);
      if (!ended) ended = pjob_step(j, fds[nl + nc + i].revents | (j->state == PJ_SENDING ? POLLOUT : 0), now, &rc);
      if (ended) pjob_finish(s, k, rc);
    }
    for (int i = s->nconns - 1; i >= 0; i--) {
      struct th_conn *c = s->conns[i];
      int fi = -1;
      for (int q = 0; q < nc; q++) if (fds[nl + q].fd == c->fd) fi = nl + q;
      if (fi < 0 || !(fds[fi].revents & (POLLIN | POLLHUP | POLLERR)) || conn_parked(c)) continue;
      ssize_t got = recv(c->fd, c->buf + c->len, TH_BUF - c->len, 0);
      if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (got <= 0) { th_drop(s, i); continue; }
      c->last_ms = now;
      c->len += (size_t)got;
      if (ngx_serve_conn(s, c) < 0) th_drop(s, i);
    }
    for (int i = s->nconns - 1; s->idle_ms && i >= 0; i--)
      if (!conn_parked(s->conns[i]) && now - s->conns[i]->last_ms >= s->idle_ms) th_drop(s, i);
    for (int i = 0; i < nl; i++)
      if (fds[i].revents & POLLIN) th_accept_all(s, i);
    if (s->tick) s->tick(s);
  }
  while (npjobs) { struct pjob *j = pjobs[--npjobs]; close(j->fd); free(j->req); free(j->buf); free(j); }
  while (s->nconns) th_drop(s, s->nconns - 1);
}
