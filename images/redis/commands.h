/*
 * commands.h: the string and key commands (GET SET DEL EXISTS TYPE EXPIRE TTL PERSIST INCR* DECR* APPEND
 * STRLEN MSET MGET KEYS); collection-commands.h has lists, hashes and sets. Each gets argv with the command
 * name at argv[0]; the dispatcher checked the arity before.
 */
#define DB (&dbs[c->db])
#define ARGS struct client *c, int argc, str *argv

/* The entry for argv[i] when it holds type t (NULL when missing); -1 after a WRONGTYPE reply. */
static struct entry *typed(struct client *c, const str *key, int t, int *wrong) {
  struct entry *e = db_find(DB, key->p, key->n);
  *wrong = e && e->val->type != t;
  if (*wrong) reply_error(c, ERR_WRONGTYPE);
  return *wrong ? NULL : e;
}

static void cmd_get(ARGS) {
  (void)argc;
  int wrong;
  struct entry *e = typed(c, &argv[1], T_STRING, &wrong);
  if (wrong) return;
  if (!e) reply_nil(c);
  else reply_bulk(c, e->val->s.p, e->val->s.n);
}

static void cmd_set(ARGS) {
  int nx = 0, xx = 0, keep = 0, get = 0;
  int64_t expire = -1;
  for (int i = 3; i < argc; i++) {
    const char *o = argv[i].p;
    if (!strcasecmp(o, "NX") && !xx) nx = 1;
    else if (!strcasecmp(o, "XX") && !nx) xx = 1;
    else if (!strcasecmp(o, "KEEPTTL") && expire < 0) keep = 1;
    else if (!strcasecmp(o, "GET")) get = 1;
    else if ((!strcasecmp(o, "EX") || !strcasecmp(o, "PX") || !strcasecmp(o, "EXAT") || !strcasecmp(o, "PXAT")) && !keep && expire < 0 && i + 1 < argc) {
      long long v;
      if (arg_ll(c, &argv[++i], &v)) return;
      if (v <= 0) return reply_error(c, "ERR invalid expire time in 'set' command");
      int ms = toupper((unsigned char)o[0]) == 'P', at = o[2] != 0;
      expire = at ? (ms ? v : v * 1000) : now_ms() + (ms ? v : v * 1000);
    } else return reply_error(c, ERR_SYNTAX);
  }
  struct entry *e = db_find(DB, argv[1].p, argv[1].n);
  if (get && e && e->val->type != T_STRING) return reply_error(c, ERR_WRONGTYPE);
  if ((nx && e) || (xx && !e)) {
    if (get && e) return reply_bulk(c, e->val->s.p, e->val->s.n);
    return reply_nil(c);
  }
  if (get) {
    if (e) reply_bulk(c, e->val->s.p, e->val->s.n);
    else reply_nil(c);
  }
  struct obj *o = obj_new(T_STRING);
  o->s = str_dup(argv[2].p, argv[2].n);
  e = db_set(DB, argv[1].p, argv[1].n, o, keep);
  if (expire >= 0) e->expire = expire;
  if (!get) reply_ok(c);
}

static void cmd_del(ARGS) {
  long long n = 0;
  for (int i = 1; i < argc; i++) n += db_delete(DB, argv[i].p, argv[i].n);
  reply_int(c, n);
}

static void cmd_exists(ARGS) {
  long long n = 0;
  for (int i = 1; i < argc; i++) n += db_find(DB, argv[i].p, argv[i].n) != NULL;
  reply_int(c, n);
}

static void cmd_type(ARGS) {
  (void)argc;
  struct entry *e = db_find(DB, argv[1].p, argv[1].n);
  static const char *names[] = {"string", "list", "hash", "set"};
  reply_status(c, e ? names[e->val->type] : "none");
}

static void cmd_expire(ARGS) {
  long long v;
  if (arg_ll(c, &argv[2], &v)) return;
  int ms = toupper((unsigned char)argv[0].p[0]) == 'P';
  struct entry *e = db_find(DB, argv[1].p, argv[1].n);
  if (argc > 3) return reply_error(c, "ERR Unsupported option");
  if (!e) return reply_int(c, 0);
  int64_t at = now_ms() + (ms ? v : v * 1000);
  if (at <= now_ms()) db_delete(DB, argv[1].p, argv[1].n);
  else e->expire = at;
  reply_int(c, 1);
}

static void cmd_ttl(ARGS) {
  (void)argc;
  struct entry *e = db_find(DB, argv[1].p, argv[1].n);
  if (!e) return reply_int(c, -2);
  if (e->expire < 0) return reply_int(c, -1);
  int64_t left = e->expire - now_ms();
  reply_int(c, toupper((unsigned char)argv[0].p[0]) == 'P' ? left : (left + 500) / 1000);
}

static void cmd_persist(ARGS) {
  (void)argc;
  struct entry *e = db_find(DB, argv[1].p, argv[1].n);
  if (!e || e->expire < 0) return reply_int(c, 0);
  e->expire = -1;
  reply_int(c, 1);
}

static void incr_by(struct client *c, const str *key, long long by) {
  int wrong;
  struct entry *e = typed(c, key, T_STRING, &wrong);
  if (wrong) return;
  long long v = 0;
  if (e && parse_ll(&e->val->s, &v)) return reply_error(c, ERR_NOTINT);
  if ((by > 0 && v > LLONG_MAX - by) || (by < 0 && v < LLONG_MIN - by)) return reply_error(c, "ERR increment or decrement would overflow");
  v += by;
  char buf[32];
  int n = snprintf(buf, sizeof buf, "%lld", v);
  if (e) free(e->val->s.p), e->val->s = str_dup(buf, (size_t)n);
  else {
    struct obj *o = obj_new(T_STRING);
    o->s = str_dup(buf, (size_t)n);
    db_set(DB, key->p, key->n, o, 0);
  }
  reply_int(c, v);
}

static void cmd_incr(ARGS) {
  (void)argc;
  incr_by(c, &argv[1], toupper((unsigned char)argv[0].p[0]) == 'D' ? -1 : 1);
}

static void cmd_incrby(ARGS) {
  (void)argc;
  long long by;
  if (arg_ll(c, &argv[2], &by)) return;
  if (toupper((unsigned char)argv[0].p[0]) == 'D') {
    if (by == LLONG_MIN) return reply_error(c, "ERR decrement would overflow");
    by = -by;
  }
  incr_by(c, &argv[1], by);
}

static void cmd_append(ARGS) {
  (void)argc;
  int wrong;
  struct entry *e = typed(c, &argv[1], T_STRING, &wrong);
  if (wrong) return;
  if (!e) {
    struct obj *o = obj_new(T_STRING);
    o->s = str_dup(argv[2].p, argv[2].n);
    db_set(DB, argv[1].p, argv[1].n, o, 0);
    return reply_int(c, (long long)argv[2].n);
  }
  str *s = &e->val->s;
  s->p = realloc(s->p, s->n + argv[2].n + 1);
  memcpy(s->p + s->n, argv[2].p, argv[2].n);
  s->n += argv[2].n;
  s->p[s->n] = 0;
  reply_int(c, (long long)s->n);
}

static void cmd_strlen(ARGS) {
  (void)argc;
  int wrong;
  struct entry *e = typed(c, &argv[1], T_STRING, &wrong);
  if (!wrong) reply_int(c, e ? (long long)e->val->s.n : 0);
}

static void cmd_mset(ARGS) {
  if (argc % 2 == 0) return reply_error(c, "ERR wrong number of arguments for 'mset' command");
  for (int i = 1; i < argc; i += 2) {
    struct obj *o = obj_new(T_STRING);
    o->s = str_dup(argv[i + 1].p, argv[i + 1].n);
    db_set(DB, argv[i].p, argv[i].n, o, 0);
  }
  reply_ok(c);
}

static void cmd_mget(ARGS) {
  reply_array(c, argc - 1);
  for (int i = 1; i < argc; i++) {
    struct entry *e = db_find(DB, argv[i].p, argv[i].n);
    if (e && e->val->type == T_STRING) reply_bulk(c, e->val->s.p, e->val->s.n);
    else reply_nil(c);
  }
}

static void cmd_keys(ARGS) {
  (void)argc;
  size_t n = db_count(DB, NULL), found = 0;
  str *keys = malloc((n ? n : 1) * sizeof(str));
  for (size_t i = 0; i < DB->nbuckets; i++)
    for (struct entry *e = DB->buckets[i]; e; e = e->next)
      if (glob_match(argv[1].p, argv[1].n, e->key.p, e->key.n)) keys[found++] = e->key;
  reply_array(c, (long long)found);
  for (size_t i = 0; i < found; i++) reply_bulk(c, keys[i].p, keys[i].n);
  free(keys);
}

