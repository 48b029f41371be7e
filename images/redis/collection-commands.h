/*
 * collection-commands.h: lists (LPUSH RPUSH LPOP RPOP LRANGE LLEN), hashes (HSET HMSET HGET HGETALL HKEYS
 * HVALS HDEL HLEN HEXISTS) and sets (SADD SREM SMEMBERS SISMEMBER SCARD). A collection emptied by a removal
 * is deleted, as in Redis.
 */
/* ---- lists ---- */
static void cmd_push(ARGS) {
  int wrong, left = toupper((unsigned char)argv[0].p[0]) == 'L';
  struct entry *e = typed(c, &argv[1], T_LIST, &wrong);
  if (wrong) return;
  if (!e) e = db_set(DB, argv[1].p, argv[1].n, obj_new(T_LIST), 0);
  for (int i = 2; i < argc; i++) obj_push(e->val, left ? 0 : e->val->count, argv[i].p, argv[i].n);
  reply_int(c, (long long)e->val->count);
}

static void cmd_pop(ARGS) {
  int wrong, left = toupper((unsigned char)argv[0].p[0]) == 'L';
  long long count = 1;
  if (argc > 3) return reply_error(c, left ? "ERR wrong number of arguments for 'lpop' command" : "ERR wrong number of arguments for 'rpop' command");
  if (argc == 3 && (parse_ll(&argv[2], &count) || count < 0)) return reply_error(c, "ERR value is out of range, must be positive");
  struct entry *e = typed(c, &argv[1], T_LIST, &wrong);
  if (wrong) return;
  if (!e) return argc == 3 ? reply_fmt(c, "*-1\r\n") : reply_nil(c);
  struct obj *o = e->val;
  size_t n = (size_t)count < o->count ? (size_t)count : o->count;
  if (argc == 3) reply_array(c, (long long)n);
  for (size_t i = 0; i < n; i++) {
    size_t at = left ? 0 : o->count - 1;
    reply_bulk(c, o->items[at].p, o->items[at].n);
    obj_remove(o, at, 1);
  }
  if (!o->count) db_delete(DB, argv[1].p, argv[1].n);
}

static void cmd_lrange(ARGS) {
  (void)argc;
  long long start, stop;
  if (arg_ll(c, &argv[2], &start) || arg_ll(c, &argv[3], &stop)) return;
  int wrong;
  struct entry *e = typed(c, &argv[1], T_LIST, &wrong);
  if (wrong) return;
  long long n = e ? (long long)e->val->count : 0;
  if (start < 0) start += n;
  if (stop < 0) stop += n;
  if (start < 0) start = 0;
  if (stop >= n) stop = n - 1;
  if (start > stop || start >= n) return reply_array(c, 0);
  reply_array(c, stop - start + 1);
  for (long long i = start; i <= stop; i++) reply_bulk(c, e->val->items[i].p, e->val->items[i].n);
}

static void cmd_llen(ARGS) {
  (void)argc;
  int wrong;
  struct entry *e = typed(c, &argv[1], T_LIST, &wrong);
  if (!wrong) reply_int(c, e ? (long long)e->val->count : 0);
}

/* ---- hashes ---- */
static void cmd_hset(ARGS) {
  if (argc % 2 != 0) return reply_fmt(c, "-ERR wrong number of arguments for '%s' command\r\n", toupper((unsigned char)argv[0].p[1]) == 'M' ? "hmset" : "hset");
  int wrong;
  struct entry *e = typed(c, &argv[1], T_HASH, &wrong);
  if (wrong) return;
  if (!e) e = db_set(DB, argv[1].p, argv[1].n, obj_new(T_HASH), 0);
  long long added = 0;
  for (int i = 2; i < argc; i += 2) {
    long at = obj_find(e->val, argv[i].p, argv[i].n, 2);
    if (at >= 0) free(e->val->items[at + 1].p), e->val->items[at + 1] = str_dup(argv[i + 1].p, argv[i + 1].n);
    else obj_push(e->val, e->val->count, argv[i].p, argv[i].n), obj_push(e->val, e->val->count, argv[i + 1].p, argv[i + 1].n), added++;
  }
  if (toupper((unsigned char)argv[0].p[1]) == 'M') reply_ok(c);
  else reply_int(c, added);
}

static void cmd_hget(ARGS) {
  (void)argc;
  int wrong;
  struct entry *e = typed(c, &argv[1], T_HASH, &wrong);
  if (wrong) return;
  long at = e ? obj_find(e->val, argv[2].p, argv[2].n, 2) : -1;
  if (at < 0) reply_nil(c);
  else reply_bulk(c, e->val->items[at + 1].p, e->val->items[at + 1].n);
}

static void cmd_hexists(ARGS) {
  (void)argc;
  int wrong;
  struct entry *e = typed(c, &argv[1], T_HASH, &wrong);
  if (!wrong) reply_int(c, e && obj_find(e->val, argv[2].p, argv[2].n, 2) >= 0);
}

/* HGETALL, HKEYS, HVALS, SMEMBERS: which = 0 all items, 1 fields, 2 values. */
static void list_items(struct client *c, str *key, int type, int which) {
  int wrong;
  struct entry *e = typed(c, key, type, &wrong);
  if (wrong) return;
  size_t n = e ? e->val->count : 0, step = which ? 2 : 1;
  reply_array(c, (long long)(n / step));
  for (size_t i = which == 2 ? 1 : 0; i < n; i += step) reply_bulk(c, e->val->items[i].p, e->val->items[i].n);
}

static void cmd_hgetall(ARGS) {
  (void)argc;
  char k = (char)toupper((unsigned char)argv[0].p[1]);
  list_items(c, &argv[1], T_HASH, k == 'G' ? 0 : k == 'K' ? 1 : 2);
}

static void cmd_hdel(ARGS) {
  int wrong;
  struct entry *e = typed(c, &argv[1], T_HASH, &wrong);
  if (wrong) return;
  long long n = 0;
  for (int i = 2; e && i < argc; i++) {
    long at = obj_find(e->val, argv[i].p, argv[i].n, 2);
    if (at >= 0) obj_remove(e->val, (size_t)at, 2), n++;
  }
  if (e && !e->val->count) db_delete(DB, argv[1].p, argv[1].n);
  reply_int(c, n);
}

static void cmd_hlen(ARGS) {
  (void)argc;
  int wrong;
  struct entry *e = typed(c, &argv[1], T_HASH, &wrong);
  if (!wrong) reply_int(c, e ? (long long)e->val->count / 2 : 0);
}

/* ---- sets ---- */
static void cmd_sadd(ARGS) {
  int wrong;
  struct entry *e = typed(c, &argv[1], T_SET, &wrong);
  if (wrong) return;
  if (!e) e = db_set(DB, argv[1].p, argv[1].n, obj_new(T_SET), 0);
  long long n = 0;
  for (int i = 2; i < argc; i++)
    if (obj_find(e->val, argv[i].p, argv[i].n, 1) < 0) obj_push(e->val, e->val->count, argv[i].p, argv[i].n), n++;
  reply_int(c, n);
}

static void cmd_srem(ARGS) {
  int wrong;
  struct entry *e = typed(c, &argv[1], T_SET, &wrong);
  if (wrong) return;
  long long n = 0;
  for (int i = 2; e && i < argc; i++) {
    long at = obj_find(e->val, argv[i].p, argv[i].n, 1);
    if (at >= 0) obj_remove(e->val, (size_t)at, 1), n++;
  }
  if (e && !e->val->count) db_delete(DB, argv[1].p, argv[1].n);
  reply_int(c, n);
}

static void cmd_smembers(ARGS) {
  (void)argc;
  list_items(c, &argv[1], T_SET, 0);
}

static void cmd_sismember(ARGS) {
  (void)argc;
  int wrong;
  struct entry *e = typed(c, &argv[1], T_SET, &wrong);
  if (!wrong) reply_int(c, e && obj_find(e->val, argv[2].p, argv[2].n, 1) >= 0);
}

static void cmd_scard(ARGS) {
  (void)argc;
  int wrong;
  struct entry *e = typed(c, &argv[1], T_SET, &wrong);
  if (!wrong) reply_int(c, e ? (long long)e->val->count : 0);
}
