/*
** Reports: findings explained as notes, as text, and the map access graph
** as JSON (with jansson) and DOT.
**
** Nothing here decides anything: every fact a message states comes from the
** result (analysis.h).  The explanation of a finding follows clang's habit
** of one warning and a chain of notes: the conflicting access and its
** thread, the lock that protects it but is missing here, where the threads
** involved are started, and the call paths from their roots.
*/
#include "mapsafe/report.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "race.h"

static const ms_access *acc_of(const ms_result *r, ms_id inst) {
  return &r->facts->accesses.items[r->instances.items[inst].access];
}

static const char *str(const ms_result *r, ms_id id) { return ms_str_get(r->facts, id); }

static const char *func_name(const ms_result *r, ms_id fn) {
  return fn < r->facts->functions.count ? str(r, r->facts->functions.items[fn].name) : "?";
}

static void fmt(char *buf, size_t size, const char *f, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void fmt(char *buf, size_t size, const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  vsnprintf(buf, size, f, ap);
  va_end(ap);
}

void ms_describe_map(const ms_result *r, ms_id object, char *buf, size_t size) {
  if (object >= r->objects.count) {
    fmt(buf, size, "?");
    return;
  }
  const ms_object *o = &r->objects.items[object];
  switch (o->kind) {
  case MS_OBJ_GLOBAL: fmt(buf, size, "'%s'", str(r, o->display != MS_NONE ? o->display : o->name)); break;
  case MS_OBJ_FIELD: fmt(buf, size, "'%s.%s'", str(r, o->field_owner), str(r, o->field)); break;
  case MS_OBJ_LOCAL: fmt(buf, size, "'%s'", str(r, o->display != MS_NONE ? o->display : o->name)); break;
  default: fmt(buf, size, "an unnamed lock"); break;
  }
}

void ms_describe_thread(const ms_result *r, ms_id thread, char *buf, size_t size) {
  const ms_thread *t = &r->threads.items[thread];
  const char *fn = func_name(r, t->func);
  if (t->kind == MS_THREAD_ENTRY)
    fmt(buf, size, strcmp(fn, "main") == 0 ? "the main thread" : "the thread calling '%s'", fn);
  else
    fmt(buf, size, "thread '%s'", fn);
}

static const char *verb(ms_access_kind k) {
  switch (k) {
  case MS_ACC_READ: return "read";
  case MS_ACC_ITERATE: return "iteration";
  case MS_ACC_CREATE: return "creation";
  case MS_ACC_DESTROY: return "destruction";
  default: return "write";
  }
}

void ms_headline(const ms_result *r, const ms_finding *f, char *buf, size_t size) {
  const ms_instance *x = &r->instances.items[f->instance], *y = &r->instances.items[f->other];
  const ms_access *ax = acc_of(r, f->instance), *ay = acc_of(r, f->other);
  char map[160], thread[160], other[200], lock[160], why[200] = "";
  ms_describe_map(r, x->map, map, sizeof map);
  ms_describe_thread(r, y->thread, thread, sizeof thread);
  if (y->thread == x->thread)
    fmt(other, sizeof other, "another instance of %s", thread);
  else
    fmt(other, sizeof other, "%s", thread);
  if (f->shared_lock != MS_NONE && f->missing_lock == MS_NONE) {
    ms_describe_map(r, f->shared_lock, lock, sizeof lock);
    fmt(why, sizeof why, "; %s is held only in shared mode", lock);
  } else if (x->lock_count == 0) {
    fmt(why, sizeof why, "; no lock is held");
  }
  const char *what = ax->kind == MS_ACC_ITERATE                    ? "iteration over"
                     : f->check == MS_CHECK_UNSYNCHRONIZED_READ ? "read of"
                                                                : "write to";
  fmt(buf, size, "unsynchronized %s map %s (%s) can race with a %s in %s%s", what, map,
      str(r, ax->api), verb(ay->kind), other, why);
}

typedef struct steps {
  ms_step *items;
  uint32_t count, max;
} steps;

static void step(steps *s, ms_id loc, const char *f, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void step(steps *s, ms_id loc, const char *f, ...) {
  if (s->count >= s->max) return;
  ms_step *st = &s->items[s->count++];
  st->loc = loc;
  va_list ap;
  va_start(ap, f);
  vsnprintf(st->text, sizeof st->text, f, ap);
  va_end(ap);
}

/* Call path from a thread's entry down to a context's function. */
static void call_path(const ms_result *r, steps *s, ms_id ctx) {
  ms_id chain[64];
  uint32_t n = 0;
  for (ms_id c = ctx; c != MS_NONE && n < 64; c = r->contexts.items[c].parent)
    if (r->contexts.items[c].call != MS_NONE) chain[n++] = c;
  while (n--) {
    const ms_context *c = &r->contexts.items[chain[n]];
    const ms_call *call = &r->facts->calls.items[c->call];
    step(s, call->loc, "'%s' is called from '%s' here", func_name(r, call->callee),
         func_name(r, call->caller));
  }
}

static void thread_started(const ms_result *r, steps *s, ms_id thread) {
  const ms_thread *t = &r->threads.items[thread];
  if (t->kind != MS_THREAD_SPAWNED) return;
  const ms_spawn *sp = &r->facts->spawns.items[t->spawn];
  char parent[160];
  ms_describe_thread(r, t->parent, parent, sizeof parent);
  step(s, sp->loc, "thread '%s' is started here by %s%s", func_name(r, t->func), parent,
       t->multiplicity == MS_MULT_MANY ? ", with many instances running at once" : "");
  call_path(r, s, t->spawn_ctx);
}

/* Where the map is created, with its library and key and value types. */
static void map_created(const ms_result *r, steps *s, ms_id map) {
  const ms_object *o = &r->objects.items[map];
  ms_id at = MS_NONE;
  for (uint32_t i = 0; i < r->instances.count && at == MS_NONE; i++)
    if (r->instances.items[i].map == map && acc_of(r, i)->kind == MS_ACC_CREATE)
      at = acc_of(r, i)->loc;
  if (at == MS_NONE) return;
  char name[160], types[320] = "";
  ms_describe_map(r, map, name, sizeof name);
  const char *lib = o->library != MS_NONE ? str(r, o->library) : "map";
  if (o->key_type != MS_NONE && o->value_type != MS_NONE)
    fmt(types, sizeof types, " from %s keys to %s values", str(r, o->key_type), str(r, o->value_type));
  else if (o->key_type != MS_NONE)
    fmt(types, sizeof types, " with %s keys", str(r, o->key_type));
  else if (o->value_type != MS_NONE)
    fmt(types, sizeof types, " with %s values", str(r, o->value_type));
  step(s, at, "%s is created here: a %s%s", name, lib, types);
}

uint32_t ms_explain(const ms_result *r, const ms_finding *f, ms_step *items, uint32_t max) {
  steps s = {items, 0, max};
  const ms_instance *x = &r->instances.items[f->instance], *y = &r->instances.items[f->other];
  const ms_access *ay = acc_of(r, f->other);
  char thread[160], lock[160];
  ms_describe_thread(r, y->thread, thread, sizeof thread);
  if (f->other == f->instance)
    step(&s, ay->loc, "the same %s (%s) runs concurrently in another instance of %s",
         verb(ay->kind), str(r, ay->api), thread);
  else
    step(&s, ay->loc, "conflicting %s (%s) in %s%s", verb(ay->kind), str(r, ay->api), thread,
         x->thread == y->thread ? ", another instance" : "");
  if (f->missing_lock != MS_NONE) {
    ms_describe_map(r, f->missing_lock, lock, sizeof lock);
    step(&s, f->missing_at, "%s, acquired here, protects the conflicting access but is not held at the reported one",
         lock);
  }
  if (f->shared_lock != MS_NONE) {
    const ms_hold *h = NULL;
    for (uint32_t i = 0; i < x->lock_count; i++)
      if (x->locks[i].lock == f->shared_lock) h = &x->locks[i];
    ms_describe_map(r, f->shared_lock, lock, sizeof lock);
    step(&s, h ? h->acquired_at : MS_NONE,
         "%s is acquired here in shared (read) mode, which does not exclude other readers", lock);
  }
  thread_started(r, &s, y->thread);
  if (x->thread != y->thread) thread_started(r, &s, x->thread);
  call_path(r, &s, x->context);
  if (f->other != f->instance) call_path(r, &s, y->context);
  map_created(r, &s, x->map);
  return s.count;
}

static void print_loc(const ms_result *r, FILE *out, ms_id loc) {
  if (loc == MS_NONE || loc >= r->facts->locs.count) {
    fputs("<unknown>", out);
    return;
  }
  const ms_loc *l = &r->facts->locs.items[loc];
  fprintf(out, "%s:%u:%u", str(r, l->file), l->line, l->col);
}

uint32_t ms_write_text(const ms_result *r, FILE *out) {
  ms_step st[MS_MAX_STEPS];
  char head[512];
  for (uint32_t i = 0; i < r->findings.count; i++) {
    const ms_finding *f = &r->findings.items[i];
    ms_headline(r, f, head, sizeof head);
    print_loc(r, out, acc_of(r, f->instance)->loc);
    fprintf(out, ": warning: %s [mapsafe-%s]\n", head, ms_check_name(f->check));
    uint32_t n = ms_explain(r, f, st, MS_MAX_STEPS);
    for (uint32_t k = 0; k < n; k++) {
      print_loc(r, out, st[k].loc);
      fprintf(out, ": note: %s\n", st[k].text);
    }
  }
  return r->findings.count;
}

/* ---- the graph -------------------------------------------------------- */

static char *loc_text(const ms_result *r, ms_id loc, char *buf, size_t size) {
  if (loc == MS_NONE || loc >= r->facts->locs.count) {
    fmt(buf, size, "?");
    return buf;
  }
  const ms_loc *l = &r->facts->locs.items[loc];
  fmt(buf, size, "%s:%u:%u", str(r, l->file), l->line, l->col);
  return buf;
}

static json_t *jstr_or_null(const ms_result *r, ms_id id) {
  return id == MS_NONE ? json_null() : json_string(str(r, id));
}

static const char *object_kind_name(ms_object_kind k) {
  switch (k) {
  case MS_OBJ_GLOBAL: return "global";
  case MS_OBJ_FIELD: return "field";
  case MS_OBJ_LOCAL: return "local";
  default: return "unknown";
  }
}

static json_t *object_json(const ms_result *r, ms_id id, int map) {
  const ms_object *o = &r->objects.items[id];
  char name[200];
  ms_describe_map(r, id, name, sizeof name);
  /* strip the quotes for the graph */
  size_t n = strlen(name);
  if (n >= 2 && name[0] == '\'' && name[n - 1] == '\'') {
    memmove(name, name + 1, n - 2);
    name[n - 2] = '\0';
  }
  json_t *j = json_object();
  json_object_set_new(j, "id", json_integer(id));
  json_object_set_new(j, "name", json_string(name));
  json_object_set_new(j, "kind", json_string(object_kind_name(o->kind)));
  if (map) {
    json_object_set_new(j, "library", jstr_or_null(r, o->library));
    json_object_set_new(j, "key_type", jstr_or_null(r, o->key_type));
    json_object_set_new(j, "value_type", jstr_or_null(r, o->value_type));
  }
  return j;
}

static json_t *threads_json(const ms_result *r) {
  json_t *arr = json_array();
  char buf[256];
  for (uint32_t i = 0; i < r->threads.count; i++) {
    const ms_thread *t = &r->threads.items[i];
    json_t *j = json_object();
    json_object_set_new(j, "id", json_integer(i));
    json_object_set_new(j, "entry", json_string(func_name(r, t->func)));
    json_object_set_new(j, "kind", json_string(t->kind == MS_THREAD_ENTRY ? "entry" : "spawned"));
    json_object_set_new(j, "multiplicity",
                        json_string(t->multiplicity == MS_MULT_MANY ? "many" : "one"));
    if (t->kind == MS_THREAD_SPAWNED) {
      const ms_spawn *s = &r->facts->spawns.items[t->spawn];
      json_object_set_new(j, "parent", json_integer(t->parent));
      json_object_set_new(j, "spawned_at", json_string(loc_text(r, s->loc, buf, sizeof buf)));
      json_object_set_new(j, "api", json_string(str(r, s->api)));
    }
    json_array_append_new(arr, j);
  }
  return arr;
}

/* An access of an entry root while none of its threads runs: the phase
** before the first spawn, or after the joins. */
static int single_threaded(const ms_result *r, const ms_instance *in) {
  return r->threads.items[in->thread].kind == MS_THREAD_ENTRY && in->live.count == 0;
}

static json_t *instance_json(const ms_result *r, ms_id i) {
  const ms_instance *in = &r->instances.items[i];
  json_t *j = json_object();
  json_object_set_new(j, "thread", json_integer(in->thread));
  json_t *locks = json_array();
  for (uint32_t k = 0; k < in->lock_count; k++) {
    json_t *l = json_object();
    json_object_set_new(l, "lock", json_integer(in->locks[k].lock));
    json_object_set_new(l, "mode", json_string(in->locks[k].mode == MS_LOCK_SHARED ? "shared" : "exclusive"));
    json_array_append_new(locks, l);
  }
  json_object_set_new(j, "locks", locks);
  json_t *path = json_array();
  ms_id chain[64];
  uint32_t n = 0;
  for (ms_id c = in->context; c != MS_NONE && n < 64; c = r->contexts.items[c].parent)
    chain[n++] = c;
  while (n--) json_array_append_new(path, json_string(func_name(r, r->contexts.items[chain[n]].func)));
  json_object_set_new(j, "call_path", path);
  if (in->owner != MS_NONE) json_object_set_new(j, "private_to_each_instance", json_true());
  if (single_threaded(r, in)) json_object_set_new(j, "single_threaded", json_true());
  return j;
}

static json_t *accesses_json(const ms_result *r) {
  json_t *arr = json_array();
  char buf[256];
  const ms_facts *f = r->facts;
  for (uint32_t a = 0; a < f->accesses.count; a++) {
    const ms_access *acc = &f->accesses.items[a];
    json_t *j = json_object();
    json_object_set_new(j, "function", json_string(func_name(r, acc->func)));
    json_object_set_new(j, "loc", json_string(loc_text(r, acc->loc, buf, sizeof buf)));
    json_object_set_new(j, "kind", json_string(ms_access_kind_name(acc->kind)));
    json_object_set_new(j, "api", json_string(str(r, acc->api)));
    json_t *insts = json_array();
    ms_id map = MS_NONE;
    for (uint32_t i = 0; i < r->instances.count; i++)
      if (r->instances.items[i].access == a) {
        map = r->instances.items[i].map;
        json_array_append_new(insts, instance_json(r, i));
      }
    json_object_set_new(j, "map", map == MS_NONE ? json_null() : json_integer(map));
    json_object_set_new(j, "instances", insts);
    json_array_append_new(arr, j);
  }
  return arr;
}

static json_t *findings_json(const ms_result *r) {
  json_t *arr = json_array();
  char buf[256], head[512];
  for (uint32_t i = 0; i < r->findings.count; i++) {
    const ms_finding *fd = &r->findings.items[i];
    json_t *j = json_object();
    char check[64];
    fmt(check, sizeof check, "mapsafe-%s", ms_check_name(fd->check));
    json_object_set_new(j, "check", json_string(check));
    json_object_set_new(j, "loc", json_string(loc_text(r, acc_of(r, fd->instance)->loc, buf, sizeof buf)));
    json_object_set_new(j, "other", json_string(loc_text(r, acc_of(r, fd->other)->loc, buf, sizeof buf)));
    json_object_set_new(j, "map", json_integer(r->instances.items[fd->instance].map));
    ms_headline(r, fd, head, sizeof head);
    json_object_set_new(j, "message", json_string(head));
    json_array_append_new(arr, j);
  }
  return arr;
}

char *ms_graph_json(const ms_result *r) {
  json_t *root = json_object();
  json_t *maps = json_array(), *locks = json_array();
  for (uint32_t i = 0; i < r->objects.count; i++) {
    if (r->objects.items[i].is_map) json_array_append_new(maps, object_json(r, i, 1));
    if (r->objects.items[i].is_lock) json_array_append_new(locks, object_json(r, i, 0));
  }
  json_object_set_new(root, "format", json_string("mapsafe-graph"));
  json_object_set_new(root, "version", json_integer(1));
  json_object_set_new(root, "maps", maps);
  json_object_set_new(root, "locks", locks);
  json_object_set_new(root, "threads", threads_json(r));
  json_object_set_new(root, "accesses", accesses_json(r));
  json_object_set_new(root, "findings", findings_json(r));
  json_object_set_new(root, "truncated", json_boolean(r->truncated));
  char *text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
  json_decref(root);
  return text;
}

/* A growing text buffer for DOT. */
typedef struct sbuf {
  char *s;
  size_t len, cap;
  int oom;
} sbuf;

static void put(sbuf *b, const char *f, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void put(sbuf *b, const char *f, ...) {
  if (b->oom) return;
  for (;;) {
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, f, ap);
    va_end(ap);
    if (n < 0) {
      b->oom = 1;
      return;
    }
    if (b->s && b->len + (size_t)n < b->cap) {
      b->len += (size_t)n;
      return;
    }
    size_t cap = (b->cap ? b->cap * 2 : 4096) + (size_t)n;
    char *s = realloc(b->s, cap);
    if (!s) {
      b->oom = 1;
      return;
    }
    b->s = s;
    b->cap = cap;
  }
}

/* DOT-escapes a label into buf. */
static const char *esc(const char *in, char *buf, size_t size) {
  size_t w = 0;
  for (; *in && w + 3 < size; in++) {
    if (*in == '"' || *in == '\\') buf[w++] = '\\';
    buf[w++] = *in;
  }
  buf[w] = '\0';
  return buf;
}

static int finding_at(const ms_result *r, ms_id access) {
  for (uint32_t i = 0; i < r->findings.count; i++)
    if (r->instances.items[r->findings.items[i].instance].access == access) return 1;
  return 0;
}

/* Whether the picture shows a thread: entry roots that reach no map and
** start no thread only add clutter. */
static int thread_shown(const ms_result *r, ms_id t) {
  if (r->threads.items[t].kind == MS_THREAD_SPAWNED) return 1;
  for (uint32_t i = 0; i < r->instances.count; i++)
    if (r->instances.items[i].thread == t) return 1;
  for (uint32_t i = 0; i < r->threads.count; i++)
    if (r->threads.items[i].parent == t) return 1;
  return 0;
}

char *ms_graph_dot(const ms_result *r) {
  sbuf b = {NULL, 0, 0, 0};
  char name[200], e[400], tdesc[200];
  put(&b, "digraph mapsafe {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n"
          "  edge [fontname=\"Helvetica\", fontsize=9];\n");
  for (uint32_t i = 0; i < r->threads.count; i++) {
    const ms_thread *t = &r->threads.items[i];
    if (!thread_shown(r, i)) continue;
    ms_describe_thread(r, i, tdesc, sizeof tdesc);
    put(&b, "  t%u [shape=box, style=rounded, label=\"%s%s\"];\n", i, esc(tdesc, e, sizeof e),
        t->multiplicity == MS_MULT_MANY ? " (many)" : "");
    if (t->kind == MS_THREAD_SPAWNED) {
      const ms_loc *l = &r->facts->locs.items[r->facts->spawns.items[t->spawn].loc];
      put(&b, "  t%u -> t%u [style=dashed, label=\"spawns :%u\"];\n", t->parent, i, l->line);
    }
  }
  for (uint32_t i = 0; i < r->objects.count; i++) {
    const ms_object *o = &r->objects.items[i];
    if (!o->is_map) continue;
    ms_describe_map(r, i, name, sizeof name);
    char types[200] = "";
    if (o->key_type != MS_NONE || o->value_type != MS_NONE)
      fmt(types, sizeof types, "\\n%s -> %s", o->key_type != MS_NONE ? str(r, o->key_type) : "?",
          o->value_type != MS_NONE ? str(r, o->value_type) : "?");
    char lib[120];
    put(&b, "  m%u [shape=ellipse, label=\"%s\\n%s%s\"];\n", i, esc(name, e, sizeof e),
        esc(o->library != MS_NONE ? str(r, o->library) : "", lib, sizeof lib), types);
  }
  /* One edge per (thread, access), with the locks of its first instance. */
  for (uint32_t i = 0; i < r->instances.count; i++) {
    const ms_instance *in = &r->instances.items[i];
    int seen = 0;
    for (uint32_t k = 0; k < i && !seen; k++)
      seen = r->instances.items[k].access == in->access && r->instances.items[k].thread == in->thread;
    if (seen) continue;
    const ms_access *acc = &r->facts->accesses.items[in->access];
    char locks[200] = "";
    size_t w = 0;
    for (uint32_t k = 0; k < in->lock_count && w < sizeof locks - 40; k++) {
      ms_describe_map(r, in->locks[k].lock, name, sizeof name);
      w += (size_t)snprintf(locks + w, sizeof locks - w, "%s%s%s", k ? ", " : " [", name,
                            in->locks[k].mode == MS_LOCK_SHARED ? " (shared)" : "");
    }
    if (w) snprintf(locks + w, sizeof locks - w, "]");
    fmt(name, sizeof name, "%s :%u%s%s", str(r, acc->api), r->facts->locs.items[acc->loc].line,
        locks, single_threaded(r, in) ? " (single-threaded)" : "");
    put(&b, "  t%u -> m%u [label=\"%s\"%s];\n", in->thread, in->map, esc(name, e, sizeof e),
        finding_at(r, in->access)   ? ", color=red, fontcolor=red"
        : single_threaded(r, in) ? ", style=dotted, color=gray40, fontcolor=gray40"
                                 : "");
  }
  put(&b, "}\n");
  if (b.oom) {
    free(b.s);
    return NULL;
  }
  return b.s;
}
