/* sh arithmetic for $((...)): long integers, ( ) unary + - ! ~, * / %, + -, << >>, < <= > >=, == !=, &, ^,
 * |, &&, ||, ?:, and NAME = += -= *= /= %= ++ -- (assigning the variable); names evaluate their variable
 * (unset or empty: 0). Errors print ash's text
 * ("sh: arithmetic syntax error", "sh: divide by zero") and leave arith_err set. */
static const char *ap;
static int arith_err;

static void askip(void) { while (*ap == ' ' || *ap == '\t' || *ap == '\n') ap++; }
static long arith_expr(int prec);

static long arith_atom(void) {
  askip();
  if (*ap == '(') {
    ap++;
    long v = arith_expr(0);
    askip();
    if (*ap != ')') arith_err = 1; else ap++;
    return v;
  }
  if (*ap == '-' || *ap == '+' || *ap == '!' || *ap == '~') {
    char op = *ap++;
    long v = arith_atom();
    return op == '-' ? -v : op == '+' ? v : op == '!' ? !v : ~v;
  }
  if (isdigit((unsigned char)*ap)) { char *e; long v = strtol(ap, &e, 0); ap = e; return v; }
  if (isalpha((unsigned char)*ap) || *ap == '_') {
    char name[64]; int k = 0;
    while ((isalnum((unsigned char)*ap) || *ap == '_') && k < 63) name[k++] = *ap++;
    name[k] = 0;
    const char *v = getenv(name);
    long cur = v && *v ? strtol(v, 0, 0) : 0, nv;
    askip();
    char op = *ap;
    if ((op == '+' || op == '-') && ap[1] == op) { ap += 2; nv = op == '+' ? cur + 1 : cur - 1; }
    else if (op == '=' && ap[1] != '=') { ap++; nv = arith_expr(0); cur = nv; }
    else if (op && strchr("+-*/%", op) && ap[1] == '=') {
      ap += 2;
      long r = arith_expr(0);
      if ((op == '/' || op == '%') && r == 0) { arith_err = 2; return 0; }
      nv = cur = op == '+' ? cur + r : op == '-' ? cur - r : op == '*' ? cur * r : op == '/' ? cur / r : cur % r;
    } else return cur;
    if (arith_err) return 0;
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%ld", nv);
    setenv(name, tmp, 1);
    return cur;
  }
  arith_err = 1;
  return 0;
}

/* Binary operators by precedence level (higher binds tighter). */
static int binop(const char *p, int *len) {
  static const struct { const char *op; int prec; } ops[] = {
    {"||", 1}, {"&&", 2}, {"==", 6}, {"!=", 6}, {"<=", 7}, {">=", 7}, {"<<", 8}, {">>", 8},
    {"|", 3}, {"^", 4}, {"&", 5}, {"<", 7}, {">", 7}, {"+", 9}, {"-", 9}, {"*", 10}, {"/", 10}, {"%", 10}, {0, 0}};
  for (int i = 0; ops[i].op; i++) if (!strncmp(p, ops[i].op, strlen(ops[i].op))) { *len = strlen(ops[i].op); return ops[i].prec; }
  return 0;
}

static long arith_expr(int min) {
  long l = arith_atom();
  for (;;) {
    askip();
    if (arith_err) return 0;
    if (*ap == '?' && min == 0) {
      ap++;
      long a = arith_expr(0);
      askip();
      if (*ap != ':') { arith_err = 1; return 0; }
      ap++;
      long b = arith_expr(0);
      return l ? a : b;
    }
    int len, prec = binop(ap, &len);
    if (!prec || prec <= min) return l;
    char op[3] = {0};
    memcpy(op, ap, len);
    ap += len;
    long r = arith_expr(prec);
    if (arith_err) return 0;
    if ((op[0] == '/' || op[0] == '%') && r == 0) { arith_err = 2; return 0; }
    if (!strcmp(op, "||")) l = l || r; else if (!strcmp(op, "&&")) l = l && r;
    else if (!strcmp(op, "==")) l = l == r; else if (!strcmp(op, "!=")) l = l != r;
    else if (!strcmp(op, "<=")) l = l <= r; else if (!strcmp(op, ">=")) l = l >= r;
    else if (!strcmp(op, "<<")) l = l << r; else if (!strcmp(op, ">>")) l = l >> r;
    else if (op[0] == '|') l |= r; else if (op[0] == '^') l ^= r; else if (op[0] == '&') l &= r;
    else if (op[0] == '<') l = l < r; else if (op[0] == '>') l = l > r;
    else if (op[0] == '+') l += r; else if (op[0] == '-') l -= r;
    else if (op[0] == '*') l *= r; else if (op[0] == '/') l /= r; else l %= r;
  }
}

/* Evaluates s (already parameter-expanded); on error prints it and returns 0 with arith_err set. */
static long arith(const char *s, int errfd) {
  ap = s;
  arith_err = 0;
  long v = arith_expr(0);
  askip();
  if (!arith_err && *ap) arith_err = 1;
  if (arith_err) dprintf(errfd, arith_err == 2 ? "sh: divide by zero\n" : "sh: arithmetic syntax error\n");
  return arith_err ? 0 : v;
}
