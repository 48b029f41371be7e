/* sh grammar over the tokens of sh-parse.h: compound commands (if, while/until, for, case, { }, name()
 * function definitions) take trailing redirections; lists end at a stop word, ")" or end of input. */
static struct node *compound(struct node *n) { return n && parse_redirs(n) ? n : 0; }

static struct node *parse_command(void) {
  if (parse_err[0]) return 0;
  if (is("if")) {
    tpos++;
    struct node *n = mk(N_IF);
    n->a = parse_list(STOP_THEN);
    if (!expect("then")) return 0;
    n->b = parse_list(STOP_ELSE);
    skipnl();
    if (is("elif")) { toks[tpos].s = "if"; n->c = parse_command(); return n; }
    if (is("else")) { tpos++; n->c = parse_list((const char *[]){"fi", 0}); }
    if (!expect("fi")) return 0;
    return compound(n);
  }
  if (is("while") || is("until")) {
    struct node *n = mk(is("while") ? N_WHILE : N_UNTIL);
    tpos++;
    n->a = parse_list(STOP_DO);
    if (!expect("do")) return 0;
    n->b = parse_list(STOP_DONE);
    if (!expect("done")) return 0;
    return compound(n);
  }
  if (is("for")) {
    tpos++;
    struct node *n = mk(N_FOR);
    if (peek()->type != T_WORD) { fail(0); return 0; }
    n->var = toks[tpos++].s;
    skipnl();
    if (is("in")) {
      tpos++;
      n->w = calloc(1, sizeof(char *));
      while (peek()->type == T_WORD) { n->w = realloc(n->w, sizeof(char *) * (n->nw + 2)); n->w[n->nw++] = toks[tpos++].s; }
    } else { n->nw = -1; }
    if (is(";")) tpos++;
    if (!expect("do")) return 0;
    n->b = parse_list(STOP_DONE);
    if (!expect("done")) return 0;
    return compound(n);
  }
  if (is("case")) { tpos++; return compound(parse_case()); }
  if (is("(")) { /* ( list ): a subshell; `()` is ash's `unexpected ")"` */
    tpos++;
    skipnl();
    if (is(")")) { fail(0); return 0; }
    struct node *n = mk(N_SUBSHELL);
    n->a = parse_list(0);
    if (parse_err[0]) return 0;
    if (!is(")")) { fail_expecting(")"); return 0; }
    tpos++;
    return compound(n);
  }
  if (is("{")) {
    tpos++;
    struct node *n = mk(N_GROUP);
    n->a = parse_list(STOP_BRACE);
    if (!expect("}")) return 0;
    return compound(n);
  }
  if (peek()->type == T_WORD && !reserved() && tpos + 2 < ntok && toks[tpos + 1].type == T_OP && !strcmp(toks[tpos + 1].s, "(")) {
    struct node *n = mk(N_FUNC);
    n->var = toks[tpos].s;
    tpos += 2;
    if (!is(")")) { fail_expecting(")"); return 0; }
    tpos++;
    skipnl();
    n->a = parse_command();
    return n->a ? n : 0;
  }
  struct node *n = mk(N_SIMPLE);
  for (;;) {
    if (!parse_redirs(n)) return 0;
    struct tok *t = peek();
    if (t->type != T_WORD || (n->nw == 0 && reserved())) break;
    n->w = realloc(n->w, sizeof(char *) * (n->nw + 2));
    n->w[n->nw++] = t->s;
    n->w[n->nw] = 0;
    tpos++;
  }
  if (!n->nw && !n->nr) { fail(0); return 0; }
  return n;
}

static struct node *parse_pipeline(void) {
  int neg = 0;
  if (is("!")) { neg = 1; tpos++; }
  struct node *n = parse_command();
  while (n && is("|")) {
    tpos++;
    skipnl();
    struct node *p = mk(N_PIPE);
    p->a = n;
    p->b = parse_command();
    if (!p->b) return 0;
    n = p;
  }
  if (neg && n) { struct node *x = mk(N_NOT); x->a = n; n = x; }
  return n;
}

static struct node *parse_andor(void) {
  struct node *n = parse_pipeline();
  while (n && (is("&&") || is("||"))) {
    struct node *x = mk(is("&&") ? N_AND : N_OR);
    tpos++;
    skipnl();
    x->a = n;
    x->b = parse_pipeline();
    if (!x->b) return 0;
    n = x;
  }
  return n;
}

static int at_stop(const char **stops) {
  if (peek()->type == T_EOF) return 1;
  if (peek()->type == T_OP && !strcmp(peek()->s, ")")) return 1;
  for (int i = 0; stops && stops[i]; i++) if (is(stops[i])) return 1;
  return 0;
}

static struct node *parse_list(const char **stops) {
  struct node *head = 0;
  for (;;) {
    skipnl();
    while (is(";")) { if (!head) { fail(0); return 0; } tpos++; skipnl(); }
    if (at_stop(stops) || parse_err[0]) break;
    int first = tpos;
    struct node *n = parse_andor();
    if (!n) return 0;
    int bg = is("&");
    if (bg) { /* a background job keeps its source text (for `jobs` and a child sh) */
      struct node *j = mk(N_BG);
      j->a = n;
      j->var = strndup(tok_src + toks[first].off, toks[tpos - 1].end - toks[first].off);
      n = j;
      tpos++;
    }
    if (!head) head = n;
    else { struct node *s = mk(N_SEQ); s->a = head; s->b = n; head = s; }
    if (bg) continue;
    if (!(is(";") || peek()->type == T_NL)) { if (!at_stop(stops)) { fail(0); return 0; } break; }
  }
  return head ? head : mk(N_GROUP);
}
