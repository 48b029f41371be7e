/*
 * server-commands.h: connection and server commands (PING ECHO SELECT QUIT CLIENT COMMAND INFO CONFIG
 * DBSIZE FLUSHALL FLUSHDB AUTH SHUTDOWN), the configuration (defaults, `redis-server [file] [--name value]`,
 * CONFIG GET/SET), the log line format, and the command table with Redis' arities.
 */
#define REDIS_VERSION "7.4.1"

static int shutdown_requested;
static int nclients_now(void);

/* ---- logging: "1:M 25 Nov 2026 20:39:49.123 * message" ---- */
static void redis_log(char role, char level, const char *fmt, ...) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  char when[64];
  strftime(when, sizeof when, "%d %b %Y %H:%M:%S", gmtime(&ts.tv_sec));
  printf("1:%c %s.%03ld %c ", role, when, ts.tv_nsec / 1000000, level);
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  putchar('\n');
}

/* ---- configuration ---- */
static struct { const char *name; char value[256]; } config[] = {
  {"port", "6379"}, {"bind", "* -::*"}, {"databases", "16"}, {"maxmemory", "0"},
  {"maxmemory-policy", "noeviction"}, {"appendonly", "no"}, {"save", "3600 1 300 100 60 10000"},
  {"dir", "/data"}, {"dbfilename", "dump.rdb"}, {"requirepass", ""}, {"protected-mode", "no"},
  {"timeout", "0"}, {"tcp-keepalive", "300"}, {"loglevel", "notice"}, {"maxclients", "10000"},
};
#define NCONFIG (sizeof config / sizeof config[0])

static const char *config_get(const char *name) {
  for (size_t i = 0; i < NCONFIG; i++)
    if (!strcasecmp(config[i].name, name)) return config[i].value;
  return "";
}

/* Memory sizes as Redis' memtoull: 2mb = 2097152, 1gb, 100k... */
static int config_set(const char *name, const char *value) {
  for (size_t i = 0; i < NCONFIG; i++) {
    if (strcasecmp(config[i].name, name)) continue;
    if (!strcmp(name, "maxmemory")) {
      char *end;
      unsigned long long v = strtoull(value, &end, 10);
      unsigned long long mul = !*end ? 1 : !strcasecmp(end, "k") ? 1000 : !strcasecmp(end, "kb") ? 1024 : !strcasecmp(end, "m") ? 1000000
                                 : !strcasecmp(end, "mb") ? 1048576 : !strcasecmp(end, "g") ? 1000000000ULL : !strcasecmp(end, "gb") ? 1073741824ULL : 0;
      if (!mul) return -1;
      snprintf(config[i].value, sizeof config[i].value, "%llu", v * mul);
    } else snprintf(config[i].value, sizeof config[i].value, "%s", value);
    return 0;
  }
  return 1; /* unknown: accepted and ignored, as this build implements few directives */
}

/* `redis-server [/path/redis.conf] [--name value...]`; returns 1 when a file was loaded, -1 on error. */
static int load_config(int argc, char **argv) {
  int file = 0, i = 1;
  if (argc > 1 && strncmp(argv[1], "--", 2)) {
    FILE *f = fopen(argv[1], "r");
    if (!f) {
      fprintf(stderr, "Fatal error, can't open config file '%s': No such file or directory\n", argv[1]);
      return -1;
    }
    char line[1024];
    while (fgets(line, sizeof line, f)) {
      char name[128], value[512] = "";
      if (line[0] == '#' || sscanf(line, "%127s %511[^\r\n]", name, value) < 1) continue;
      size_t vl = strlen(value);
      if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') memmove(value, value + 1, vl - 2), value[vl - 2] = 0;
      config_set(name, value);
    }
    fclose(f);
    file = 1;
    i = 2;
  }
  for (; i < argc; i++) {
    if (strncmp(argv[i], "--", 2)) continue;
    const char *name = argv[i] + 2, *value = "";
    if (i + 1 < argc && strncmp(argv[i + 1], "--", 2)) value = argv[++i];
    config_set(name, value);
  }
  return file;
}

/* ---- commands ---- */
static void cmd_ping(ARGS) {
  if (argc > 2) return reply_error(c, "ERR wrong number of arguments for 'ping' command");
  if (argc == 2) reply_bulk(c, argv[1].p, argv[1].n);
  else reply_status(c, "PONG");
}

static void cmd_echo(ARGS) {
  (void)argc;
  reply_bulk(c, argv[1].p, argv[1].n);
}

static void cmd_select(ARGS) {
  (void)argc;
  long long db;
  if (arg_ll(c, &argv[1], &db)) return;
  if (db < 0 || db >= NUM_DBS) return reply_error(c, "ERR DB index is out of range");
  c->db = (int)db;
  reply_ok(c);
}

static void cmd_quit(ARGS) {
  (void)argc, (void)argv;
  reply_ok(c);
  c->closing = 1;
}

static void cmd_dbsize(ARGS) {
  (void)argc, (void)argv;
  reply_int(c, (long long)db_count(DB, NULL));
}

static void cmd_flush(ARGS) {
  (void)argc;
  if (toupper((unsigned char)argv[0].p[5]) == 'A')
    for (int i = 0; i < NUM_DBS; i++) db_flush(&dbs[i]);
  else db_flush(DB);
  reply_ok(c);
}

static void cmd_auth(ARGS) {
  (void)argc, (void)argv;
  reply_error(c, "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
}

static void cmd_client(ARGS) {
  const char *sub = argv[1].p;
  if (!strcasecmp(sub, "SETNAME") && argc == 3) {
    snprintf(c->name, sizeof c->name, "%s", argv[2].p);
    return reply_ok(c);
  }
  if (!strcasecmp(sub, "GETNAME") && argc == 2) return *c->name ? reply_cstr(c, c->name) : reply_nil(c);
  if (!strcasecmp(sub, "ID") && argc == 2) return reply_int(c, c->id);
  if (!strcasecmp(sub, "SETINFO") && argc == 4) return reply_ok(c);
  char msg[256];
  snprintf(msg, sizeof msg, "ERR unknown subcommand '%.128s'. Try CLIENT HELP.", sub);
  reply_error(c, msg);
}

static void cmd_command(ARGS) {
  (void)argv;
  if (argc >= 2 && !strcasecmp(argv[1].p, "COUNT")) return reply_int(c, 40);
  reply_array(c, 0); /* COMMAND and COMMAND DOCS: no metadata in this build */
}

static void cmd_config(ARGS) {
  const char *sub = argv[1].p;
  if (!strcasecmp(sub, "GET") && argc >= 3) {
    size_t n = 0;
    int hit[NCONFIG] = {0};
    for (int a = 2; a < argc; a++)
      for (size_t i = 0; i < NCONFIG; i++)
        if (!hit[i] && glob_match(argv[a].p, argv[a].n, config[i].name, strlen(config[i].name))) hit[i] = 1, n++;
    reply_array(c, (long long)n * 2);
    for (size_t i = 0; i < NCONFIG; i++)
      if (hit[i]) reply_cstr(c, config[i].name), reply_cstr(c, config[i].value);
    return;
  }
  if (!strcasecmp(sub, "SET") && argc >= 4 && argc % 2 == 0) {
    for (int a = 2; a < argc; a += 2) {
      int rc = config_set(argv[a].p, argv[a + 1].p);
      char msg[512];
      if (rc == 1) snprintf(msg, sizeof msg, "ERR Unknown option or number of arguments for CONFIG SET - '%s'", argv[a].p);
      else if (rc < 0) snprintf(msg, sizeof msg, "ERR CONFIG SET failed (possibly related to argument '%s') - argument must be a memory value", argv[a].p);
      if (rc) return reply_error(c, msg);
    }
    return reply_ok(c);
  }
  if (!strcasecmp(sub, "RESETSTAT") || !strcasecmp(sub, "REWRITE")) return reply_ok(c);
  char msg[256];
  snprintf(msg, sizeof msg, "ERR unknown subcommand or wrong number of arguments for '%.128s'. Try CONFIG HELP.", sub);
  reply_error(c, msg);
}

static void cmd_info(ARGS) {
  static char buf[4096];
  size_t n = 0;
  int all = argc < 2 || !strcasecmp(argv[1].p, "all") || !strcasecmp(argv[1].p, "everything") || !strcasecmp(argv[1].p, "default");
#define SECTION(name) (all || !strcasecmp(argv[1].p, name))
#define ADD(...) (n += (size_t)snprintf(buf + n, sizeof buf - n, __VA_ARGS__))
  struct timespec up;
  clock_gettime(CLOCK_MONOTONIC, &up);
  if (SECTION("server"))
    ADD("# Server\r\nredis_version:%s\r\nredis_git_sha1:00000000\r\nredis_git_dirty:0\r\nredis_build_id:0\r\nredis_mode:standalone\r\n"
        "os:Tabernetes WASI wasm32-wasip1\r\narch_bits:64\r\nmultiplexing_api:poll\r\nprocess_id:1\r\ntcp_port:%s\r\n"
        "uptime_in_seconds:%lld\r\nuptime_in_days:%lld\r\nexecutable:/usr/local/bin/redis-server\r\nconfig_file:\r\n\r\n",
        REDIS_VERSION, config_get("port"), (long long)up.tv_sec, (long long)up.tv_sec / 86400);
  if (SECTION("clients")) ADD("# Clients\r\nconnected_clients:%d\r\nblocked_clients:0\r\n\r\n", nclients_now());
  if (SECTION("memory")) ADD("# Memory\r\nused_memory:%zu\r\nmaxmemory:%s\r\nmaxmemory_policy:%s\r\n\r\n", (size_t)__builtin_wasm_memory_size(0) * 65536, config_get("maxmemory"), config_get("maxmemory-policy"));
  if (SECTION("keyspace")) {
    ADD("# Keyspace\r\n");
    for (int i = 0; i < NUM_DBS; i++) {
      size_t x, k = db_count(&dbs[i], &x);
      if (k) ADD("db%d:keys=%zu,expires=%zu,avg_ttl=0,subexpiry=0\r\n", i, k, x);
    }
  }
  while (n >= 4 && buf[n - 1] == '\n' && buf[n - 3] == '\n') n -= 2; /* no blank line after the last section */
  reply_bulk(c, buf, n);
#undef SECTION
#undef ADD
}

static void cmd_shutdown(ARGS) {
  (void)c, (void)argc, (void)argv;
  shutdown_requested = 1;
}

struct command {
  const char *name;
  int arity; /* > 0: exactly; < 0: at least -arity (Redis' convention, name included) */
  void (*fn)(ARGS);
};

static const struct command commands[] = {
  {"ping", -1, cmd_ping}, {"echo", 2, cmd_echo}, {"select", 2, cmd_select}, {"quit", -1, cmd_quit},
  {"dbsize", 1, cmd_dbsize}, {"flushall", -1, cmd_flush}, {"flushdb", -1, cmd_flush}, {"auth", -2, cmd_auth},
  {"client", -2, cmd_client}, {"command", -1, cmd_command}, {"config", -2, cmd_config}, {"info", -1, cmd_info},
  {"shutdown", -1, cmd_shutdown},
  {"get", 2, cmd_get}, {"set", -3, cmd_set}, {"del", -2, cmd_del}, {"unlink", -2, cmd_del}, {"exists", -2, cmd_exists},
  {"type", 2, cmd_type}, {"expire", -3, cmd_expire}, {"pexpire", -3, cmd_expire}, {"ttl", 2, cmd_ttl}, {"pttl", 2, cmd_ttl},
  {"persist", 2, cmd_persist}, {"incr", 2, cmd_incr}, {"decr", 2, cmd_incr}, {"incrby", 3, cmd_incrby}, {"decrby", 3, cmd_incrby},
  {"append", 3, cmd_append}, {"strlen", 2, cmd_strlen}, {"mset", -3, cmd_mset}, {"mget", -2, cmd_mget}, {"keys", 2, cmd_keys},
  {"lpush", -3, cmd_push}, {"rpush", -3, cmd_push}, {"lpop", -2, cmd_pop}, {"rpop", -2, cmd_pop}, {"lrange", 4, cmd_lrange},
  {"llen", 2, cmd_llen}, {"hset", -4, cmd_hset}, {"hmset", -4, cmd_hset}, {"hget", 3, cmd_hget}, {"hgetall", 2, cmd_hgetall},
  {"hkeys", 2, cmd_hgetall}, {"hvals", 2, cmd_hgetall}, {"hdel", -3, cmd_hdel}, {"hlen", 2, cmd_hlen}, {"hexists", 3, cmd_hexists},
  {"sadd", -3, cmd_sadd}, {"srem", -3, cmd_srem}, {"smembers", 2, cmd_smembers}, {"sismember", 3, cmd_sismember},
  {"scard", 2, cmd_scard},
};
