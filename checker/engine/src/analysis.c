/*
** The analysis: thread roots, call contexts and access instances.
**
** Starting from every thread root, the analyzer walks the call facts
** depth-first.  A *context* is one function under one calling situation,
** its key: the thread, what each parameter is bound to, the locks the
** callers hold and the spawns the callers have running.  Contexts with equal
** keys are analysed once (this is what bounds the walk, recursion included),
** so every access fact yields one *instance* per distinct situation it can
** run in; race.c pairs the instances.
**
** Objects are resolved from paths (facts.h) here: a global is itself; a
** parameter is what the caller passed; a field is the field of all
** instances of its struct, unless the struct reached the thread through its
** spawn argument and the spawner said what the field holds.  An object made
** in a function belongs to the thread that made it (its *owner*: each
** instance of that thread has its own), as do the fields of a struct it
** owns; passed to a spawn, it is shared by the new thread's instances,
** unless the spawner made it afresh for each of them.
*/
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "mapsafe/analysis.h"
#include "race.h"

/* A resolved value: an object (MS_NONE: unknown) and its owner thread. */
typedef struct rval {
  ms_id obj;
  ms_id owner;
} rval;

typedef struct rfield {
  ms_id field; /* string */
  rval v;
} rfield;

/* What a parameter is bound to in a context. */
typedef struct binding {
  int bound;
  rval self;
  rfield *fields;
  uint32_t field_count;
} binding;

/* The analyzer's private data per context (parallel to result->contexts). */
typedef struct ctxdata {
  binding *params;
  uint32_t param_count;
  ms_hold *locks; /* held on entry, by the callers */
  uint32_t lock_count;
  ms_idset live;  /* spawn facts running on entry, started by the callers */
  uint32_t depth;
  uint64_t hash;
  ms_id next_same_func; /* memo chain */
  int repeated;         /* reached again through another call site */
} ctxdata;

/* A thread entry waiting to be explored. */
typedef struct pending {
  ms_id thread;
  binding *params;
  uint32_t param_count;
} pending;

/* Facts of one function, as index ranges into the by-function arrays. */
typedef struct fnindex {
  uint32_t acc_begin, acc_end;
  uint32_t call_begin, call_end;
  uint32_t spawn_begin, spawn_end;
  uint32_t callers;   /* number of call facts targeting it */
  uint32_t spawned;   /* number of spawn facts targeting it */
  ms_id first_ctx;    /* memo chain head */
} fnindex;

typedef struct analyzer {
  const ms_facts *f;
  ms_result *r;
  ms_options opt;
  fnindex *fn;
  ms_id *acc_by_fn, *call_by_fn, *spawn_by_fn;
  MS_ARRAY(ctxdata) cd;
  MS_ARRAY(pending) queue;
  MS_ARRAY(uint32_t) discoveries; /* per thread */
  int oom;
} analyzer;

/* ---- small set helpers ---------------------------------------------- */

int ms__idset_contains(const ms_idset *s, ms_id id) {
  for (uint32_t i = 0; i < s->count; i++)
    if (s->items[i] == id) return 1;
  return 0;
}

static int cmp_id(const void *a, const void *b) {
  ms_id x = *(const ms_id *)a, y = *(const ms_id *)b;
  return x < y ? -1 : x > y;
}

/* Sorted union of two id sets into a new malloc'ed set. */
static int idset_union(ms_idset *out, const ms_idset *a, const ms_idset *b) {
  out->count = 0;
  out->items = NULL;
  uint32_t n = a->count + b->count;
  if (!n) return 0;
  out->items = malloc(n * sizeof *out->items);
  if (!out->items) return 1;
  for (uint32_t i = 0; i < a->count; i++) out->items[out->count++] = a->items[i];
  for (uint32_t i = 0; i < b->count; i++)
    if (!ms__idset_contains(a, b->items[i])) out->items[out->count++] = b->items[i];
  qsort(out->items, out->count, sizeof *out->items, cmp_id);
  /* remove duplicates inside a itself */
  uint32_t w = 0;
  for (uint32_t i = 0; i < out->count; i++)
    if (!w || out->items[w - 1] != out->items[i]) out->items[w++] = out->items[i];
  out->count = w;
  return 0;
}

/* ---- objects ---------------------------------------------------------- */

static ms_id object_intern(analyzer *a, ms_object_kind kind, ms_id name, ms_id display,
                           ms_id field_owner, ms_id field) {
  ms_result *r = a->r;
  for (uint32_t i = 0; i < r->objects.count; i++) {
    const ms_object *o = &r->objects.items[i];
    if (o->kind == kind && o->name == name && o->field_owner == field_owner && o->field == field)
      return i;
  }
  if (MS_GROW(r->objects)) {
    a->oom = 1;
    return MS_NONE;
  }
  ms_object *o = &r->objects.items[r->objects.count];
  memset(o, 0, sizeof *o);
  o->kind = kind;
  o->name = name;
  o->display = display;
  o->field_owner = field_owner;
  o->field = field;
  o->library = o->key_type = o->value_type = MS_NONE;
  return r->objects.count++;
}

static ms_id any_lock(analyzer *a) {
  return object_intern(a, MS_OBJ_ANY, MS_NONE, MS_NONE, MS_NONE, MS_NONE);
}

static ms_id field_object(analyzer *a, const ms_path *p) {
  if (p->field == MS_NONE || p->field_owner == MS_NONE) return MS_NONE;
  return object_intern(a, MS_OBJ_FIELD, MS_NONE, MS_NONE, p->field_owner, p->field);
}

static const binding *param_binding(const analyzer *a, ms_id ctx, int32_t param) {
  const ctxdata *d = &a->cd.items[ctx];
  if (param < 0 || (uint32_t)param >= d->param_count || !d->params[param].bound) return NULL;
  return &d->params[param];
}

/* Resolves a path as seen from a context; see the file comment. */
static rval resolve(analyzer *a, ms_id ctx, const ms_path *p) {
  rval v = {MS_NONE, MS_NONE};
  const binding *b = NULL;
  switch (p->base) {
  case MS_BASE_GLOBAL:
    v.obj = object_intern(a, MS_OBJ_GLOBAL, p->name, p->display, MS_NONE, MS_NONE);
    break;
  case MS_BASE_LOCAL:
    v.obj = object_intern(a, MS_OBJ_LOCAL, p->name, p->display, MS_NONE, MS_NONE);
    v.owner = a->r->contexts.items[ctx].thread;
    break;
  case MS_BASE_PARAM:
    b = param_binding(a, ctx, p->param);
    if (b) v = b->self;
    break;
  default:
    break;
  }
  if (p->depth == 0) return v;
  /* A field: what the spawner stored there, if it said; else the field of
  ** all instances of the struct, private to a thread instance when it is a
  ** field of a struct that instance owns (not one reached through another
  ** pointer: arg->srv->sessions is the server's, shared). */
  if (b && p->depth == 1)
    for (uint32_t i = 0; i < b->field_count; i++)
      if (b->fields[i].field == p->field) return b->fields[i].v;
  rval f = {field_object(a, p), v.obj != MS_NONE && p->depth == 1 ? v.owner : MS_NONE};
  return f;
}

/* ---- locksets --------------------------------------------------------- */

static void hold_add(ms_hold *set, uint32_t *n, ms_id lock, ms_lock_mode mode, ms_id at) {
  for (uint32_t i = 0; i < *n; i++)
    if (set[i].lock == lock) {
      if (mode == MS_LOCK_EXCLUSIVE) set[i].mode = MS_LOCK_EXCLUSIVE;
      return;
    }
  set[*n].lock = lock;
  set[*n].mode = mode;
  set[*n].acquired_at = at;
  (*n)++;
}

static int cmp_hold(const void *x, const void *y) {
  const ms_hold *a = x, *b = y;
  if (a->lock != b->lock) return a->lock < b->lock ? -1 : 1;
  return (int)a->mode - (int)b->mode;
}

/* Inherited locks of a context plus a fact's local locks, resolved. */
static int merge_locks(analyzer *a, ms_id ctx, const ms_lockset *local, ms_hold **out,
                       uint32_t *count) {
  const ctxdata *d = &a->cd.items[ctx];
  uint32_t cap = d->lock_count + local->count;
  *out = NULL;
  *count = 0;
  if (!cap) return 0;
  ms_hold *set = malloc(cap * sizeof *set);
  if (!set) return 1;
  uint32_t n = 0;
  for (uint32_t i = 0; i < d->lock_count; i++)
    hold_add(set, &n, d->locks[i].lock, d->locks[i].mode, d->locks[i].acquired_at);
  for (uint32_t i = 0; i < local->count; i++) {
    rval v = resolve(a, ctx, &local->items[i].lock);
    ms_id lock = v.obj != MS_NONE ? v.obj : any_lock(a);
    if (lock == MS_NONE) continue;
    a->r->objects.items[lock].is_lock = 1;
    hold_add(set, &n, lock, local->items[i].mode, local->items[i].acquired_at);
  }
  qsort(set, n, sizeof *set, cmp_hold);
  *out = set;
  *count = n;
  return 0;
}

/* ---- contexts --------------------------------------------------------- */

static void free_bindings(binding *b, uint32_t n) {
  if (!b) return;
  for (uint32_t i = 0; i < n; i++) free(b[i].fields);
  free(b);
}

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}

static uint64_t ctx_hash(ms_id thread, const binding *p, uint32_t np, const ms_hold *l,
                         uint32_t nl, const ms_idset *live) {
  uint64_t h = mix(0, thread);
  for (uint32_t i = 0; i < np; i++) {
    h = mix(h, (uint64_t)p[i].bound << 32 | p[i].self.obj);
    h = mix(h, p[i].self.owner);
    for (uint32_t k = 0; k < p[i].field_count; k++)
      h = mix(mix(mix(h, p[i].fields[k].field), p[i].fields[k].v.obj), p[i].fields[k].v.owner);
  }
  for (uint32_t i = 0; i < nl; i++) h = mix(mix(h, l[i].lock), l[i].mode);
  for (uint32_t i = 0; i < live->count; i++) h = mix(h, live->items[i]);
  return h;
}

static int bindings_equal(const binding *a, const binding *b, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    if (a[i].bound != b[i].bound || a[i].self.obj != b[i].self.obj ||
        a[i].self.owner != b[i].self.owner || a[i].field_count != b[i].field_count)
      return 0;
    for (uint32_t k = 0; k < a[i].field_count; k++)
      if (a[i].fields[k].field != b[i].fields[k].field ||
          a[i].fields[k].v.obj != b[i].fields[k].v.obj ||
          a[i].fields[k].v.owner != b[i].fields[k].v.owner)
        return 0;
  }
  return 1;
}

/* Finds an existing context with this key; MS_NONE if none. */
static ms_id ctx_find(const analyzer *a, ms_id func, ms_id thread, uint64_t hash,
                      const binding *p, uint32_t np, const ms_hold *l, uint32_t nl,
                      const ms_idset *live) {
  for (ms_id c = a->fn[func].first_ctx; c != MS_NONE; c = a->cd.items[c].next_same_func) {
    const ctxdata *d = &a->cd.items[c];
    if (d->hash != hash || a->r->contexts.items[c].thread != thread) continue;
    if (d->param_count != np || d->lock_count != nl || d->live.count != live->count) continue;
    if (!bindings_equal(d->params, p, np)) continue;
    int same = 1;
    for (uint32_t i = 0; same && i < nl; i++)
      same = d->locks[i].lock == l[i].lock && d->locks[i].mode == l[i].mode;
    for (uint32_t i = 0; same && i < live->count; i++) same = d->live.items[i] == live->items[i];
    if (same) return c;
  }
  return MS_NONE;
}

/* Creates a context, taking ownership of params, locks and live. */
static ms_id ctx_new(analyzer *a, ms_id func, ms_id thread, ms_id parent, ms_id call,
                     binding *params, uint32_t np, ms_hold *locks, uint32_t nl, ms_idset live,
                     uint32_t depth, uint64_t hash) {
  ms_result *r = a->r;
  if (MS_GROW(r->contexts) || MS_GROW(a->cd)) {
    a->oom = 1;
    free_bindings(params, np);
    free(locks);
    free(live.items);
    return MS_NONE;
  }
  ms_id id = r->contexts.count++;
  a->cd.count++;
  ms_context *c = &r->contexts.items[id];
  c->func = func;
  c->thread = thread;
  c->parent = parent;
  c->call = call;
  ctxdata *d = &a->cd.items[id];
  d->params = params;
  d->param_count = np;
  d->locks = locks;
  d->lock_count = nl;
  d->live = live;
  d->depth = depth;
  d->hash = hash;
  d->repeated = 0;
  d->next_same_func = a->fn[func].first_ctx;
  a->fn[func].first_ctx = id;
  return id;
}

/* The owner of an object handed to a new thread: each instance of the
** thread has its own when the spawner made it afresh for that instance (or
** handed each one its own element of an array: &workers[i]); otherwise all
** instances share it. */
static ms_id fresh_for(const analyzer *a, ms_id obj, int per_instance, ms_id child) {
  (void)a;
  return per_instance && obj != MS_NONE ? child : MS_NONE;
}

/* Binds an actual argument (resolved in ctx) for a callee or a thread. */
static int bind_value(analyzer *a, ms_id ctx, const ms_value *v, binding *out, int spawn,
                      ms_id child) {
  memset(out, 0, sizeof *out);
  out->bound = 1;
  out->self = resolve(a, ctx, &v->path);
  if (spawn) out->self.owner = fresh_for(a, out->self.obj, v->per_instance, child);
  if (!v->field_count) return 0;
  out->fields = calloc(v->field_count, sizeof *out->fields);
  if (!out->fields) return 1;
  for (uint32_t i = 0; i < v->field_count; i++) {
    const ms_field_value *fv = &v->fields[i];
    rval rv = resolve(a, ctx, &fv->value);
    if (spawn) rv.owner = fresh_for(a, rv.obj, fv->per_instance, child);
    out->fields[out->field_count].field = fv->field;
    out->fields[out->field_count].v = rv;
    out->field_count++;
  }
  return 0;
}

/* ---- exploration ------------------------------------------------------ */

static void explore(analyzer *a, ms_id ctx);

static void add_instance(analyzer *a, ms_id ctx, ms_id acc_id) {
  const ms_access *acc = &a->f->accesses.items[acc_id];
  rval m = resolve(a, ctx, &acc->map);
  if (m.obj == MS_NONE || a->oom) return;
  ms_result *r = a->r;
  if (r->instances.count >= a->opt.max_instances) {
    r->truncated = 1;
    return;
  }
  if (MS_GROW(r->instances)) {
    a->oom = 1;
    return;
  }
  ms_instance *in = &r->instances.items[r->instances.count];
  memset(in, 0, sizeof *in);
  in->access = acc_id;
  in->context = ctx;
  in->thread = r->contexts.items[ctx].thread;
  in->map = m.obj;
  in->owner = m.owner;
  if (merge_locks(a, ctx, &acc->locks, &in->locks, &in->lock_count) ||
      idset_union(&in->live, &a->cd.items[ctx].live, &acc->live)) {
    free(in->locks);
    a->oom = 1;
    return;
  }
  r->instances.count++;
  ms_object *o = &r->objects.items[m.obj];
  o->is_map = 1;
  if (o->library == MS_NONE) o->library = acc->library;
  if (o->key_type == MS_NONE) o->key_type = acc->key_type;
  if (o->value_type == MS_NONE) o->value_type = acc->value_type;
}

static ms_id thread_find(const analyzer *a, ms_id spawn, ms_id parent) {
  for (uint32_t i = 0; i < a->r->threads.count; i++)
    if (a->r->threads.items[i].spawn == spawn && a->r->threads.items[i].parent == parent) return i;
  return MS_NONE;
}

static ms_id thread_new(analyzer *a, ms_thread_kind kind, ms_id func, ms_id spawn, ms_id parent,
                        ms_id spawn_ctx) {
  ms_result *r = a->r;
  if (MS_GROW(r->threads) || MS_GROW(a->discoveries)) {
    a->oom = 1;
    return MS_NONE;
  }
  ms_thread *t = &r->threads.items[r->threads.count];
  memset(t, 0, sizeof *t);
  t->kind = kind;
  t->func = func;
  t->spawn = spawn;
  t->parent = parent;
  t->spawn_ctx = spawn_ctx;
  t->multiplicity = MS_MULT_ONE;
  a->discoveries.items[a->discoveries.count++] = 0;
  return r->threads.count++;
}

static void discover_spawn(analyzer *a, ms_id ctx, ms_id spawn_id) {
  const ms_spawn *s = &a->f->spawns.items[spawn_id];
  ms_id parent = a->r->contexts.items[ctx].thread;
  /* A thread that starts another instance of itself (directly or through
  ** its descendants): that is the ancestor again, with many instances. */
  for (ms_id t = parent; t != MS_NONE; t = a->r->threads.items[t].parent)
    if (a->r->threads.items[t].spawn == spawn_id) {
      a->discoveries.items[t] += 2;
      return;
    }
  ms_id t = thread_find(a, spawn_id, parent);
  if (t == MS_NONE) {
    if (a->r->threads.count >= a->opt.max_threads) {
      a->r->truncated = 1;
      return;
    }
    t = thread_new(a, MS_THREAD_SPAWNED, s->entry, spawn_id, parent, ctx);
  }
  if (t == MS_NONE) return;
  a->discoveries.items[t]++;
  ms_idset live, merged;
  if (idset_union(&live, &a->cd.items[ctx].live, &s->live) ||
      idset_union(&merged, &a->r->threads.items[t].live_at_spawn, &live)) {
    free(live.items);
    a->oom = 1;
    return;
  }
  free(live.items);
  free(a->r->threads.items[t].live_at_spawn.items);
  a->r->threads.items[t].live_at_spawn = merged;

  uint32_t np = s->entry < a->f->functions.count ? a->f->functions.items[s->entry].param_count : 0;
  binding *params = np ? calloc(np, sizeof *params) : NULL;
  if (np && !params) {
    a->oom = 1;
    return;
  }
  if (s->arg_param >= 0 && (uint32_t)s->arg_param < np &&
      bind_value(a, ctx, &s->arg, &params[s->arg_param], 1, t)) {
    free_bindings(params, np);
    a->oom = 1;
    return;
  }
  if (MS_GROW(a->queue)) {
    free_bindings(params, np);
    a->oom = 1;
    return;
  }
  pending *p = &a->queue.items[a->queue.count++];
  p->thread = t;
  p->params = params;
  p->param_count = np;
}

static void enter_call(analyzer *a, ms_id ctx, ms_id call_id) {
  const ms_call *c = &a->f->calls.items[call_id];
  if (c->callee >= a->f->functions.count || !a->f->functions.items[c->callee].defined) return;
  const ctxdata *d = &a->cd.items[ctx];
  if (d->depth + 1 > a->opt.max_call_depth || a->r->contexts.count >= a->opt.max_contexts) {
    a->r->truncated = 1;
    return;
  }
  uint32_t np = a->f->functions.items[c->callee].param_count;
  binding *params = np ? calloc(np, sizeof *params) : NULL;
  ms_hold *locks = NULL;
  uint32_t nl = 0;
  ms_idset live = {NULL, 0};
  if (np && !params) goto oom;
  for (uint32_t i = 0; i < np && i < c->arg_count; i++)
    if (bind_value(a, ctx, &c->args[i], &params[i], 0, MS_NONE)) goto oom;
  if (merge_locks(a, ctx, &c->locks, &locks, &nl) ||
      idset_union(&live, &a->cd.items[ctx].live, &c->live))
    goto oom;
  ms_id thread = a->r->contexts.items[ctx].thread;
  uint64_t h = ctx_hash(thread, params, np, locks, nl, &live);
  ms_id found = ctx_find(a, c->callee, thread, h, params, np, locks, nl, &live);
  if (found != MS_NONE) {
    a->cd.items[found].repeated = 1;
    free_bindings(params, np);
    free(locks);
    free(live.items);
    return;
  }
  ms_id child = ctx_new(a, c->callee, thread, ctx, call_id, params, np, locks, nl, live,
                        a->cd.items[ctx].depth + 1, h);
  if (child != MS_NONE) explore(a, child);
  return;
oom:
  a->oom = 1;
  free_bindings(params, np);
  free(locks);
  free(live.items);
}

static void explore(analyzer *a, ms_id ctx) {
  if (a->oom) return;
  ms_id func = a->r->contexts.items[ctx].func;
  const fnindex *fi = &a->fn[func];
  for (uint32_t i = fi->acc_begin; i < fi->acc_end && !a->oom; i++)
    add_instance(a, ctx, a->acc_by_fn[i]);
  for (uint32_t i = fi->spawn_begin; i < fi->spawn_end && !a->oom; i++)
    discover_spawn(a, ctx, a->spawn_by_fn[i]);
  for (uint32_t i = fi->call_begin; i < fi->call_end && !a->oom; i++)
    enter_call(a, ctx, a->call_by_fn[i]);
}

/* A thread's entry context (memoised within the thread like any other). */
static void explore_entry(analyzer *a, ms_id thread, binding *params, uint32_t np) {
  ms_id func = a->r->threads.items[thread].func;
  if (func >= a->f->functions.count || !a->f->functions.items[func].defined) {
    free_bindings(params, np);
    return;
  }
  ms_idset none = {NULL, 0};
  uint64_t h = ctx_hash(thread, params, np, NULL, 0, &none);
  ms_id found = ctx_find(a, func, thread, h, params, np, NULL, 0, &none);
  if (found != MS_NONE) {
    free_bindings(params, np);
    return;
  }
  if (a->r->contexts.count >= a->opt.max_contexts) {
    a->r->truncated = 1;
    free_bindings(params, np);
    return;
  }
  ms_id ctx = ctx_new(a, func, thread, MS_NONE, MS_NONE, params, np, NULL, 0, none, 0, h);
  if (ctx != MS_NONE) explore(a, ctx);
}

/* ---- set-up ----------------------------------------------------------- */

/* Buckets fact ids by function (counting sort keeps fact order). */
static ms_id *bucket(const ms_facts *f, uint32_t n, const void *items, size_t elem,
                     size_t func_off, fnindex *fn, size_t begin_off, size_t end_off) {
  uint32_t nf = f->functions.count;
  ms_id *out = malloc((n ? n : 1) * sizeof *out);
  uint32_t *count = calloc(nf + 1, sizeof *count);
  if (!out || !count) {
    free(out);
    free(count);
    return NULL;
  }
  for (uint32_t i = 0; i < n; i++) {
    ms_id fid = *(const ms_id *)((const char *)items + i * elem + func_off);
    if (fid < nf) count[fid + 1]++;
  }
  for (uint32_t i = 0; i < nf; i++) count[i + 1] += count[i];
  for (uint32_t i = 0; i < nf; i++) {
    *(uint32_t *)((char *)&fn[i] + begin_off) = count[i];
    *(uint32_t *)((char *)&fn[i] + end_off) = count[i];
  }
  for (uint32_t i = 0; i < n; i++) {
    ms_id fid = *(const ms_id *)((const char *)items + i * elem + func_off);
    if (fid >= nf) continue;
    uint32_t *end = (uint32_t *)((char *)&fn[fid] + end_off);
    out[(*end)++] = i;
  }
  free(count);
  return out;
}

static int index_facts(analyzer *a) {
  const ms_facts *f = a->f;
  uint32_t nf = f->functions.count;
  a->fn = calloc(nf ? nf : 1, sizeof *a->fn);
  if (!a->fn) return 1;
  for (uint32_t i = 0; i < nf; i++) a->fn[i].first_ctx = MS_NONE;
#define BUCKET(arr, T, arrname, b, e)                                                       \
  bucket(f, f->arr.count, f->arr.items, sizeof(T), offsetof(T, arrname), a->fn,              \
         offsetof(fnindex, b), offsetof(fnindex, e))
  a->acc_by_fn = BUCKET(accesses, ms_access, func, acc_begin, acc_end);
  a->call_by_fn = BUCKET(calls, ms_call, caller, call_begin, call_end);
  a->spawn_by_fn = BUCKET(spawns, ms_spawn, func, spawn_begin, spawn_end);
#undef BUCKET
  if (!a->acc_by_fn || !a->call_by_fn || !a->spawn_by_fn) return 1;
  for (uint32_t i = 0; i < f->calls.count; i++)
    if (f->calls.items[i].callee < nf && f->calls.items[i].caller != f->calls.items[i].callee)
      a->fn[f->calls.items[i].callee].callers++;
  for (uint32_t i = 0; i < f->spawns.count; i++)
    if (f->spawns.items[i].entry < nf) a->fn[f->spawns.items[i].entry].spawned++;
  return 0;
}

/* Multiplicity of spawned threads, parents first (they were created first). */
static void settle_multiplicity(analyzer *a) {
  ms_result *r = a->r;
  for (uint32_t t = 0; t < r->threads.count; t++) {
    ms_thread *th = &r->threads.items[t];
    if (th->kind != MS_THREAD_SPAWNED) continue;
    const ms_spawn *s = &a->f->spawns.items[th->spawn];
    int many = s->multiplicity == MS_MULT_MANY || ms__idset_contains(&th->live_at_spawn, th->spawn) ||
               a->discoveries.items[t] > 1 ||
               r->threads.items[th->parent].multiplicity == MS_MULT_MANY;
    for (ms_id c = th->spawn_ctx; !many && c != MS_NONE; c = r->contexts.items[c].parent)
      many = a->cd.items[c].repeated;
    th->multiplicity = many ? MS_MULT_MANY : MS_MULT_ONE;
  }
}

static void analyzer_free(analyzer *a) {
  for (uint32_t i = 0; i < a->cd.count; i++) {
    free_bindings(a->cd.items[i].params, a->cd.items[i].param_count);
    free(a->cd.items[i].locks);
    free(a->cd.items[i].live.items);
  }
  free(a->cd.items);
  for (uint32_t i = 0; i < a->queue.count; i++)
    free_bindings(a->queue.items[i].params, a->queue.items[i].param_count);
  free(a->queue.items);
  free(a->discoveries.items);
  free(a->fn);
  free(a->acc_by_fn);
  free(a->call_by_fn);
  free(a->spawn_by_fn);
}

ms_result *ms_analyze(const ms_facts *facts, const ms_options *opts, ms_error *err) {
  analyzer a;
  memset(&a, 0, sizeof a);
  a.f = facts;
  if (opts) a.opt = *opts;
  if (!a.opt.max_contexts) a.opt.max_contexts = 5000;
  if (!a.opt.max_call_depth) a.opt.max_call_depth = 24;
  if (!a.opt.max_threads) a.opt.max_threads = 512;
  if (!a.opt.max_instances) a.opt.max_instances = 100000;
  if (!a.opt.max_pairs) a.opt.max_pairs = 20000000;
  a.r = calloc(1, sizeof *a.r);
  if (!a.r || index_facts(&a)) goto oom;
  a.r->facts = facts;

  /* Entry roots: defined functions nobody calls or spawns, in fact order. */
  for (uint32_t i = 0; i < facts->functions.count && !a.oom; i++) {
    if (!facts->functions.items[i].defined || a.fn[i].callers || a.fn[i].spawned) continue;
    ms_id t = thread_new(&a, MS_THREAD_ENTRY, i, MS_NONE, MS_NONE, MS_NONE);
    if (t != MS_NONE) explore_entry(&a, t, NULL, 0);
  }
  /* Spawned threads, in discovery order (the queue grows as we go). */
  for (uint32_t q = 0; q < a.queue.count && !a.oom; q++) {
    pending p = a.queue.items[q];
    a.queue.items[q].params = NULL;
    a.queue.items[q].param_count = 0;
    explore_entry(&a, p.thread, p.params, p.param_count);
  }
  if (a.oom) goto oom;
  settle_multiplicity(&a);
  if (ms__find_races(a.r, a.opt.max_pairs)) goto oom;
  analyzer_free(&a);
  return a.r;
oom:
  analyzer_free(&a);
  ms_result_free(a.r);
  ms_fail(err, 0, "out of memory");
  return NULL;
}

void ms_result_free(ms_result *r) {
  if (!r) return;
  for (uint32_t i = 0; i < r->threads.count; i++) free(r->threads.items[i].live_at_spawn.items);
  for (uint32_t i = 0; i < r->instances.count; i++) {
    free(r->instances.items[i].locks);
    free(r->instances.items[i].live.items);
  }
  free(r->objects.items);
  free(r->threads.items);
  free(r->contexts.items);
  free(r->instances.items);
  free(r->findings.items);
  free(r);
}

const char *ms_check_name(ms_check c) {
  switch (c) {
  case MS_CHECK_UNSYNCHRONIZED_WRITE: return "unsynchronized-write";
  case MS_CHECK_UNSYNCHRONIZED_READ: return "unsynchronized-read";
  default: return "?";
  }
}

int ms_access_writes(ms_access_kind k) {
  return k == MS_ACC_WRITE || k == MS_ACC_CREATE || k == MS_ACC_DESTROY;
}
