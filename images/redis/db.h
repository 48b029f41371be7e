/*
 * db.h: redis-server's keyspace: 16 databases, each a chained hash table of keys with an optional expiry
 * (unix ms; lazily checked on every lookup). Values are strings, lists, hashes (field/value pairs) or sets,
 * kept as flat arrays of binary-safe strings: fine for the sizes tutorials use (O(n) hash/set lookups).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { T_STRING, T_LIST, T_HASH, T_SET };

typedef struct { char *p; size_t n; } str;

struct obj {
  int type;
  str s;      /* T_STRING */
  str *items; /* T_LIST / T_SET members; T_HASH: field, value, field, value... */
  size_t count, cap;
};

struct entry {
  str key;
  struct obj *val;
  int64_t expire; /* unix ms, -1: none */
  struct entry *next;
};

struct db {
  struct entry **buckets;
  size_t nbuckets, size;
};

#define NUM_DBS 16
static struct db dbs[NUM_DBS];

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static str str_dup(const char *p, size_t n) {
  str s = {malloc(n + 1), n};
  memcpy(s.p, p, n);
  s.p[n] = 0;
  return s;
}

static int str_eq(str a, const char *p, size_t n) { return a.n == n && !memcmp(a.p, p, n); }

static uint32_t hash_bytes(const char *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)p[i]) * 16777619u;
  return h;
}

static void obj_free(struct obj *o) {
  if (!o) return;
  free(o->s.p);
  for (size_t i = 0; i < o->count; i++) free(o->items[i].p);
  free(o->items);
  free(o);
}

static struct obj *obj_new(int type) {
  struct obj *o = calloc(1, sizeof *o);
  o->type = type;
  return o;
}

static void obj_push(struct obj *o, size_t at, const char *p, size_t n) {
  if (o->count == o->cap) {
    o->cap = o->cap ? o->cap * 2 : 4;
    o->items = realloc(o->items, o->cap * sizeof(str));
  }
  memmove(o->items + at + 1, o->items + at, (o->count - at) * sizeof(str));
  o->items[at] = str_dup(p, n);
  o->count++;
}

static void obj_remove(struct obj *o, size_t at, size_t k) {
  for (size_t i = at; i < at + k; i++) free(o->items[i].p);
  memmove(o->items + at, o->items + at + k, (o->count - at - k) * sizeof(str));
  o->count -= k;
}

/* Index of member p in a set (stride 1) or of field p in a hash (stride 2); -1 when absent. */
static long obj_find(struct obj *o, const char *p, size_t n, size_t stride) {
  for (size_t i = 0; i < o->count; i += stride)
    if (str_eq(o->items[i], p, n)) return (long)i;
  return -1;
}

static struct entry **db_slot(struct db *d, const char *k, size_t n) {
  if (!d->nbuckets) {
    d->nbuckets = 64;
    d->buckets = calloc(d->nbuckets, sizeof *d->buckets);
  }
  struct entry **e = &d->buckets[hash_bytes(k, n) & (d->nbuckets - 1)];
  while (*e && !str_eq((*e)->key, k, n)) e = &(*e)->next;
  return e;
}

static void db_unlink(struct db *d, struct entry **slot) {
  struct entry *e = *slot;
  *slot = e->next;
  free(e->key.p);
  obj_free(e->val);
  free(e);
  d->size--;
}

/* The live entry for key k (expired ones are deleted first), or NULL. */
static struct entry *db_find(struct db *d, const char *k, size_t n) {
  struct entry **slot = db_slot(d, k, n);
  if (*slot && (*slot)->expire >= 0 && (*slot)->expire <= now_ms()) db_unlink(d, slot);
  return *slot;
}

static int db_delete(struct db *d, const char *k, size_t n) {
  if (!db_find(d, k, n)) return 0;
  db_unlink(d, db_slot(d, k, n));
  return 1;
}

static void db_grow(struct db *d) {
  size_t nb = d->nbuckets * 2;
  struct entry **b = calloc(nb, sizeof *b);
  for (size_t i = 0; i < d->nbuckets; i++)
    for (struct entry *e = d->buckets[i], *next; e; e = next) {
      next = e->next;
      struct entry **s = &b[hash_bytes(e->key.p, e->key.n) & (nb - 1)];
      e->next = *s;
      *s = e;
    }
  free(d->buckets);
  d->buckets = b;
  d->nbuckets = nb;
}

/* Sets key k to v (replacing any value and clearing its expiry unless keep_ttl). */
static struct entry *db_set(struct db *d, const char *k, size_t n, struct obj *v, int keep_ttl) {
  struct entry *e = db_find(d, k, n);
  if (e) {
    obj_free(e->val);
    e->val = v;
    if (!keep_ttl) e->expire = -1;
    return e;
  }
  if (d->size + 1 > d->nbuckets) db_grow(d);
  struct entry **slot = db_slot(d, k, n);
  e = calloc(1, sizeof *e);
  e->key = str_dup(k, n);
  e->val = v;
  e->expire = -1;
  *slot = e;
  d->size++;
  return e;
}

static void db_flush(struct db *d) {
  for (size_t i = 0; i < d->nbuckets; i++)
    while (d->buckets[i]) db_unlink(d, &d->buckets[i]);
}

/* Live keys and keys with an expiry (expired ones are purged). */
static size_t db_count(struct db *d, size_t *expires) {
  int64_t now = now_ms();
  size_t n = 0, x = 0;
  for (size_t i = 0; i < d->nbuckets; i++)
    for (struct entry **s = &d->buckets[i]; *s;) {
      if ((*s)->expire >= 0 && (*s)->expire <= now) {
        db_unlink(d, s);
        continue;
      }
      n++;
      x += (*s)->expire >= 0;
      s = &(*s)->next;
    }
  if (expires) *expires = x;
  return n;
}

/* Redis' glob (stringmatchlen): * ? [abc] [^a-z] and \x escapes. */
static int glob_match(const char *p, size_t pn, const char *s, size_t sn) {
  while (pn) {
    switch (*p) {
      case '*':
        while (pn > 1 && p[1] == '*') p++, pn--;
        if (pn == 1) return 1;
        for (size_t i = 0; i <= sn; i++)
          if (glob_match(p + 1, pn - 1, s + i, sn - i)) return 1;
        return 0;
      case '?':
        if (!sn) return 0;
        s++, sn--;
        break;
      case '[': {
        if (!sn) return 0;
        p++, pn--;
        int neg = pn && *p == '^', match = 0;
        if (neg) p++, pn--;
        while (pn && *p != ']') {
          if (*p == '\\' && pn >= 2) p++, pn--, match |= *p == *s;
          else if (pn >= 3 && p[1] == '-') {
            char lo = p[0] < p[2] ? p[0] : p[2], hi = p[0] < p[2] ? p[2] : p[0];
            match |= *s >= lo && *s <= hi;
            p += 2, pn -= 2;
          } else match |= *p == *s;
          p++, pn--;
        }
        if (neg) match = !match;
        if (!match) return 0;
        s++, sn--;
        break;
      }
      case '\\':
        if (pn >= 2) p++, pn--;
        /* fall through */
      default:
        if (!sn || *p != *s) return 0;
        s++, sn--;
    }
    if (pn) p++, pn--;
  }
  return sn == 0;
}
