/*
** The analysis: thread roots, call contexts and access instances.
**
** Starting from every thread root, the analyzer walks the call facts
** depth-first.  A *context* is one function under one calling situation,
** its key: the thread, what each parameter is bound to, the locks the
** callers hold and the spawns the callers have running.  Contexts with equal
** keys are analysed once (this is what bounds the walk, recursion included;
** a hash table finds them), so every access fact yields one *instance* per
** distinct situation it can run in; race.c pairs the instances.
**
** Entry roots that reach no spawn cannot take part in a race (nothing runs
** beside them), but their accesses belong in the graph: they are explored
** last, and all of them with one key for the thread, so a function they
** share is analysed once for all of them.
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
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "effects.h"
#include "guard.h"
#include "internal.h"
#include "mapsafe/analysis.h"
#include "race.h"

/* An object as a path resolves to it (MS_NONE: unknown), and the thread
** whose instances each have their own copy of it (MS_NONE: shared). */
typedef struct resolved_value {
  ms_id obj;
  ms_id owner;
  int owned; /* obj is a variable that each call of its function owns (ms_path.owned) */
} resolved_value;

typedef struct bound_field {
  ms_id field; /* string */
  resolved_value value;
} bound_field;

/* What a parameter is bound to in a context. */
typedef struct binding {
  int bound;
  int null;          /* the caller passed a null pointer constant */
  resolved_value self;
  bound_field *fields;
  uint32_t field_count;
} binding;

/* The analyzer's own data per context (parallel to result->contexts). */
typedef struct context_state {
  binding *params;
  uint32_t param_count;
  ms_hold *locks;   /* held on entry, by the callers */
  uint32_t lock_count;
  ms_idset live;    /* spawn facts running on entry, started by the callers */
  ms_idset maybe;   /* locks (objects) the callers hold on some paths only, sorted */
  uint32_t depth;   /* calls from the thread's entry */
  ms_id key_thread; /* the thread as the context's key has it */
  uint64_t hash;    /* of the key */
  int repeated;     /* reached again through another call site */
} context_state;

/* A call from one context into another (every call site that reaches a
** context, also those that found it analysed already). */
typedef struct context_edge {
  ms_id child, parent;
} context_edge;

/* A thread entry waiting to be explored. */
typedef struct pending_entry {
  ms_id thread;
  binding *params;
  uint32_t param_count;
} pending_entry;

/* Facts of one function, as index ranges into the by-function arrays. */
typedef struct function_index {
  uint32_t acc_begin, acc_end;
  uint32_t call_begin, call_end;
  uint32_t spawn_begin, spawn_end;
  uint32_t callers;   /* number of call facts targeting it (recursion aside) */
  uint32_t spawned;   /* number of spawn facts targeting it */
  int reaches_spawn;  /* a spawn is reachable from it through calls */
  int cycle_root;     /* enters a cycle of calls that nothing else calls */
} function_index;

/* An open-addressing hash table of ids (contexts, objects). */
typedef struct id_table {
  ms_id *slots;
  uint32_t size; /* power of two, or 0 */
  uint32_t used;
} id_table;

/* The key thread of the contexts that entry roots without spawns share. */
#define SHARED_ENTRY_THREAD ((ms_id)0xfffffffeu)

typedef struct analyzer {
  const ms_facts *f;
  ms_result *r;
  ms_options opt;
  ms_resolved sets;  /* effects and resolved lock and thread sets */
  function_index *fn;
  ms_id *acc_by_fn, *call_by_fn, *spawn_by_fn;
  MS_ARRAY(context_state) cs;
  MS_ARRAY(pending_entry) queue;
  MS_ARRAY(uint32_t) discoveries; /* per thread: how often its spawn was reached */
  MS_ARRAY(context_edge) edges;    /* calls between contexts */
  uint32_t spawned;                /* threads of kind MS_THREAD_SPAWNED */
  id_table contexts;               /* by key */
  id_table objects;                /* by identity */
  MS_ARRAY(ms_id) made_locals;     /* locals a map is created in (names, sorted) */
  int graph_only;                  /* exploring entry roots that reach no spawn */
  int oom;
} analyzer;

/* A bound was reached.  While exploring entry roots that reach no spawn it
** costs only accesses in the graph (nothing there can race): it is kept
** apart from the limits that can hide races. */
static void reached(analyzer *a, ms_limit limit) {
  if (a->graph_only) a->r->graph_limits |= limit;
  else a->r->limits |= limit;
}

/* ---- small set helpers ---------------------------------------------- */

int ms__idset_contains(const ms_idset *s, ms_id id) {
  for (uint32_t i = 0; i < s->count; i++)
    if (s->items[i] == id) return 1;
  return 0;
}

/* Sorted union of two sorted id sets into a new malloc'ed set. */
static int idset_union(ms_idset *out, const ms_idset *a, const ms_idset *b) {
  out->count = 0;
  out->items = NULL;
  uint32_t n = a->count + b->count;
  if (!n) return 0;
  out->items = malloc(n * sizeof *out->items);
  if (!out->items) return 1;
  uint32_t i = 0, k = 0;
  while (i < a->count || k < b->count) {
    ms_id v;
    if (k >= b->count || (i < a->count && a->items[i] < b->items[k])) v = a->items[i++];
    else if (i >= a->count || b->items[k] < a->items[i]) v = b->items[k++];
    else v = a->items[i++], k++;
    if (!out->count || out->items[out->count - 1] != v) out->items[out->count++] = v;
  }
  return 0;
}

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}

/* ---- hash tables of ids ------------------------------------------------- */

/* Finds the slot of an id for which `same` holds, or the empty slot where
** it would go.  The table must have room. */
typedef int (*same_fn)(const analyzer *a, ms_id id, const void *key);

static uint32_t table_slot(const analyzer *a, const id_table *t, uint64_t hash, same_fn same,
                           const void *key) {
  assert(t->size && (t->size & (t->size - 1)) == 0);
  uint32_t i = (uint32_t)(hash ^ (hash >> 32)) & (t->size - 1);
  while (t->slots[i] != MS_NONE && !same(a, t->slots[i], key)) i = (i + 1) & (t->size - 1);
  return i;
}

/* Makes room for one more id; rehashes with `hash_of`.  0 on success. */
static int table_reserve(analyzer *a, id_table *t, uint64_t (*hash_of)(const analyzer *, ms_id)) {
  if ((t->used + 1) * 2 <= t->size) return 0;
  uint32_t size = t->size ? t->size * 2 : 256;
  ms_id *slots = malloc(size * sizeof *slots);
  if (!slots) return 1;
  for (uint32_t i = 0; i < size; i++) slots[i] = MS_NONE;
  for (uint32_t i = 0; i < t->size; i++) {
    ms_id id = t->slots[i];
    if (id == MS_NONE) continue;
    uint64_t h = hash_of(a, id);
    uint32_t k = (uint32_t)(h ^ (h >> 32)) & (size - 1);
    while (slots[k] != MS_NONE) k = (k + 1) & (size - 1);
    slots[k] = id;
  }
  free(t->slots);
  t->slots = slots;
  t->size = size;
  return 0;
}

/* ---- objects ---------------------------------------------------------- */

static uint64_t object_hash(ms_object_kind kind, ms_id name, ms_id owner, ms_id field,
                            ms_id made_by) {
  return mix(mix(mix(mix(mix(0, kind), name), owner), field), made_by);
}

static uint64_t object_hash_of(const analyzer *a, ms_id id) {
  const ms_object *o = &a->r->objects.items[id];
  return object_hash(o->kind, o->name, o->field_owner, o->field, o->made_by);
}

static int object_same(const analyzer *a, ms_id id, const void *key) {
  const ms_object *o = &a->r->objects.items[id], *k = key;
  return o->kind == k->kind && o->name == k->name && o->field_owner == k->field_owner &&
         o->field == k->field && o->made_by == k->made_by;
}

static ms_id object_intern_by(analyzer *a, ms_object_kind kind, ms_id name, ms_id display,
                              ms_id field_owner, ms_id field, ms_id made_by) {
  ms_result *r = a->r;
  ms_object key;
  memset(&key, 0, sizeof key);
  key.kind = kind;
  key.name = name;
  key.display = display;
  key.field_owner = field_owner;
  key.field = field;
  key.made_by = made_by;
  key.made_in = MS_NONE;
  key.library = key.key_type = key.value_type = MS_NONE;
  if (table_reserve(a, &a->objects, object_hash_of) || MS_GROW(r->objects)) {
    a->oom = 1;
    return MS_NONE;
  }
  uint32_t slot =
      table_slot(a, &a->objects, object_hash(kind, name, field_owner, field, made_by), object_same,
                 &key);
  if (a->objects.slots[slot] != MS_NONE) {
    /* A field's object is shown by the name its paths give it
    ** (ms_path.field_display) only while those that give one agree. */
    ms_object *o = &r->objects.items[a->objects.slots[slot]];
    if (kind == MS_OBJ_FIELD && display != MS_NONE && o->display != display) {
      o->display_conflict |= o->display != MS_NONE;
      o->display = o->display_conflict ? MS_NONE : display;
    }
    return a->objects.slots[slot];
  }
  r->objects.items[r->objects.count] = key;
  a->objects.slots[slot] = r->objects.count;
  a->objects.used++;
  return r->objects.count++;
}

static ms_id object_intern(analyzer *a, ms_object_kind kind, ms_id name, ms_id display,
                           ms_id field_owner, ms_id field) {
  return object_intern_by(a, kind, name, display, field_owner, field, MS_NONE);
}

/* Whether the function of local `name` creates a map in it. */
static int made_in_local(const analyzer *a, ms_id name) {
  uint32_t lo = 0, hi = a->made_locals.count;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (a->made_locals.items[mid] == name) return 1;
    if (a->made_locals.items[mid] < name) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

static ms_id any_lock(analyzer *a) {
  return object_intern(a, MS_OBJ_ANY, MS_NONE, MS_NONE, MS_NONE, MS_NONE);
}

static ms_id field_object(analyzer *a, const ms_path *p) {
  if (p->field == MS_NONE || p->field_owner == MS_NONE) return MS_NONE;
  return object_intern(a, MS_OBJ_FIELD, MS_NONE, p->field_display, p->field_owner, p->field);
}

static const binding *param_binding(const analyzer *a, ms_id ctx, int32_t param) {
  const context_state *d = &a->cs.items[ctx];
  if (param < 0 || (uint32_t)param >= d->param_count || !d->params[param].bound) return NULL;
  return &d->params[param];
}

/* Resolves a path as seen from a context; see the file comment. */
static resolved_value resolve(analyzer *a, ms_id ctx, const ms_path *p) {
  resolved_value v = {MS_NONE, MS_NONE, 0};
  const binding *b = NULL;
  switch (p->base) {
  case MS_BASE_GLOBAL:
    v.obj = object_intern(a, MS_OBJ_GLOBAL, p->name, p->display, MS_NONE, MS_NONE);
    break;
  case MS_BASE_LOCAL:
    v.owner = a->r->contexts.items[ctx].thread;
    /* A map the function makes in its local is a new one in every call:
    ** the calls in two threads make two (one thread's instances each have
    ** their own: the owner).  Handed on, it stays the same object. */
    v.obj = object_intern_by(a, MS_OBJ_LOCAL, p->name, p->display, MS_NONE, MS_NONE,
                             p->depth == 0 && made_in_local(a, p->name) ? v.owner : MS_NONE);
    if (v.obj != MS_NONE && a->r->objects.items[v.obj].made_in == MS_NONE)
      a->r->objects.items[v.obj].made_in = a->r->contexts.items[ctx].func;
    v.owned = p->owned;
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
      if (b->fields[i].field == p->field) return b->fields[i].value;
  /* A field of a variable each call owns (a struct on the stack, a fresh
  ** allocation that stays in the call), directly or through a helper it was
  ** handed to: the call's own, like a map made in a local. */
  if (v.owned && v.obj != MS_NONE && p->field != MS_NONE &&
      (p->base == MS_BASE_LOCAL ? p->owned : p->depth == 1)) {
    const ms_object *o = &a->r->objects.items[v.obj];
    ms_id made_in = o->made_in;
    resolved_value ov = {object_intern_by(a, MS_OBJ_LOCAL, o->name, o->display, p->field_owner,
                                          p->field, v.owner),
                         v.owner, 0};
    if (ov.obj != MS_NONE) a->r->objects.items[ov.obj].made_in = made_in;
    return ov;
  }
  resolved_value fv = {field_object(a, p), v.obj != MS_NONE && p->depth == 1 ? v.owner : MS_NONE,
                       0};
  return fv;
}

/* ---- locksets --------------------------------------------------------- */

static void hold_add(ms_hold *set, uint32_t *n, ms_id lock, ms_lock_mode mode, ms_id at,
                     int weak) {
  for (uint32_t i = 0; i < *n; i++)
    if (set[i].lock == lock) {
      if (mode == MS_LOCK_EXCLUSIVE) set[i].mode = MS_LOCK_EXCLUSIVE;
      set[i].weak &= weak;
      return;
    }
  set[*n].lock = lock;
  set[*n].mode = mode;
  set[*n].acquired_at = at;
  set[*n].other_owner = 0;
  set[*n].weak = weak;
  (*n)++;
}

static int cmp_hold(const void *x, const void *y) {
  const ms_hold *a = x, *b = y;
  if (a->lock != b->lock) return a->lock < b->lock ? -1 : 1;
  return (int)a->mode - (int)b->mode;
}

/* Whether a lock the function took itself is a field of another instance
** of the struct whose field the map is: `a->mu` around `b->map`, both
** struct fields of one type, on bases the facts tell apart. */
static int other_owner(const ms_path *lock, const ms_path *map) {
  if (!map || lock->depth == 0 || lock->depth != map->depth || lock->field_owner == MS_NONE ||
      lock->field_owner != map->field_owner)
    return 0;
  if (lock->base == MS_BASE_UNKNOWN || map->base == MS_BASE_UNKNOWN) return 0;
  if (lock->base != map->base) return 1;
  return lock->base == MS_BASE_PARAM ? lock->param != map->param : lock->name != map->name;
}

/* Inherited locks of a context plus a fact's local locks, resolved.  `map`:
** the path of the map accessed, for owner-relative identity; NULL for calls. */
static int merge_locks(analyzer *a, ms_id ctx, const ms_local_locks *local, const ms_path *map,
                       ms_hold **out, uint32_t *count) {
  const context_state *d = &a->cs.items[ctx];
  uint32_t cap = d->lock_count + local->count;
  *out = NULL;
  *count = 0;
  if (!cap) return 0;
  ms_hold *set = malloc(cap * sizeof *set);
  if (!set) return 1;
  uint32_t n = 0;
  for (uint32_t i = 0; i < d->lock_count; i++)
    hold_add(set, &n, d->locks[i].lock, d->locks[i].mode, d->locks[i].acquired_at,
             d->locks[i].weak);
  for (uint32_t i = 0; i < local->count; i++) {
    resolved_value v = resolve(a, ctx, &local->items[i].lock);
    ms_id lock = v.obj != MS_NONE ? v.obj : any_lock(a);
    if (lock == MS_NONE) continue;
    a->r->objects.items[lock].is_lock = 1;
    uint32_t before = n;
    hold_add(set, &n, lock, local->items[i].mode, local->items[i].acquired_at, 0);
    if (n > before) set[before].other_owner = other_owner(&local->items[i].lock, map);
  }
  qsort(set, n, sizeof *set, cmp_hold);
  *out = set;
  *count = n;
  return 0;
}

/* The locks held on some paths only at a point of a context: the callers'
** and the function's own, with those a call before may have released
** (`dropped`; paths resolved), sorted, without those held on
** every path (`must`).  0 on success. */
static int maybe_locks(analyzer *a, ms_id ctx, const ms_pathset *own, const ms_pathset *dropped,
                       const ms_hold *must, uint32_t nmust, ms_idset *out) {
  const ms_idset *inherited = &a->cs.items[ctx].maybe;
  out->items = NULL;
  out->count = 0;
  uint32_t cap = inherited->count + own->count + dropped->count;
  if (!cap) return 0;
  out->items = malloc(cap * sizeof *out->items);
  if (!out->items) return 1;
  for (uint32_t i = 0; i < cap; i++) {
    uint32_t j = i - inherited->count;
    ms_id lock = i < inherited->count ? inherited->items[i]
                 : j < own->count     ? resolve(a, ctx, &own->items[j]).obj
                                      : resolve(a, ctx, &dropped->items[j - own->count]).obj;
    int skip = lock == MS_NONE || ms__idset_contains(out, lock);
    for (uint32_t k = 0; k < nmust && !skip; k++) skip = must[k].lock == lock;
    if (skip) continue;
    uint32_t k = out->count++; /* insertion: sets are small */
    while (k > 0 && out->items[k - 1] > lock) {
      out->items[k] = out->items[k - 1];
      k--;
    }
    out->items[k] = lock;
  }
  return 0;
}

/* ---- contexts --------------------------------------------------------- */

static void free_bindings(binding *b, uint32_t n) {
  if (!b) return;
  for (uint32_t i = 0; i < n; i++) free(b[i].fields);
  free(b);
}

/* A context's key, for lookups. */
typedef struct context_key {
  ms_id func;
  ms_id key_thread;
  uint64_t hash;
  const binding *params;
  uint32_t param_count;
  const ms_hold *locks;
  uint32_t lock_count;
  const ms_idset *live;
  const ms_idset *maybe;
} context_key;

static uint64_t key_hash(ms_id func, ms_id key_thread, const binding *p, uint32_t np,
                         const ms_hold *l, uint32_t nl, const ms_idset *live,
                         const ms_idset *maybe) {
  uint64_t h = mix(mix(0, func), key_thread);
  for (uint32_t i = 0; i < np; i++) {
    h = mix(h, (uint64_t)(p[i].bound | p[i].null << 1) << 32 | p[i].self.obj);
    h = mix(h, p[i].self.owner);
    for (uint32_t k = 0; k < p[i].field_count; k++)
      h = mix(mix(mix(h, p[i].fields[k].field), p[i].fields[k].value.obj),
              p[i].fields[k].value.owner);
  }
  for (uint32_t i = 0; i < nl; i++) h = mix(mix(h, l[i].lock), l[i].mode);
  for (uint32_t i = 0; i < live->count; i++) h = mix(h, live->items[i]);
  for (uint32_t i = 0; i < maybe->count; i++) h = mix(h, ~(uint64_t)maybe->items[i]);
  return h;
}

static int bindings_equal(const binding *a, const binding *b, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    if (a[i].bound != b[i].bound || a[i].null != b[i].null || a[i].self.obj != b[i].self.obj ||
        a[i].self.owner != b[i].self.owner || a[i].field_count != b[i].field_count)
      return 0;
    for (uint32_t k = 0; k < a[i].field_count; k++)
      if (a[i].fields[k].field != b[i].fields[k].field ||
          a[i].fields[k].value.obj != b[i].fields[k].value.obj ||
          a[i].fields[k].value.owner != b[i].fields[k].value.owner)
        return 0;
  }
  return 1;
}

static uint64_t context_hash_of(const analyzer *a, ms_id id) { return a->cs.items[id].hash; }

static int context_same(const analyzer *a, ms_id id, const void *key) {
  const context_key *k = key;
  const context_state *d = &a->cs.items[id];
  if (d->hash != k->hash || a->r->contexts.items[id].func != k->func ||
      d->key_thread != k->key_thread || d->param_count != k->param_count ||
      d->lock_count != k->lock_count || d->live.count != k->live->count ||
      d->maybe.count != k->maybe->count)
    return 0;
  if (!bindings_equal(d->params, k->params, k->param_count)) return 0;
  for (uint32_t i = 0; i < k->lock_count; i++)
    if (d->locks[i].lock != k->locks[i].lock || d->locks[i].mode != k->locks[i].mode) return 0;
  for (uint32_t i = 0; i < k->live->count; i++)
    if (d->live.items[i] != k->live->items[i]) return 0;
  for (uint32_t i = 0; i < k->maybe->count; i++)
    if (d->maybe.items[i] != k->maybe->items[i]) return 0;
  return 1;
}

/* The context with this key, or MS_NONE; *slot is where a new one goes.
** MS_NONE with *slot == UINT32_MAX: out of memory. */
static ms_id context_find(analyzer *a, const context_key *k, uint32_t *slot) {
  if (table_reserve(a, &a->contexts, context_hash_of)) {
    a->oom = 1;
    *slot = UINT32_MAX;
    return MS_NONE;
  }
  *slot = table_slot(a, &a->contexts, k->hash, context_same, k);
  return a->contexts.slots[*slot];
}

/* The thread a thread's contexts are keyed by. */
static ms_id key_thread_of(const analyzer *a, ms_id thread) {
  const ms_thread *t = &a->r->threads.items[thread];
  int shared = t->kind == MS_THREAD_ENTRY && !a->fn[t->func].reaches_spawn &&
               a->f->functions.items[t->func].visibility != MS_VIS_PROGRAM_ENTRY;
  return shared ? SHARED_ENTRY_THREAD : thread;
}

/* Creates a context in `slot`, taking ownership of params, locks and live. */
static ms_id context_new(analyzer *a, uint32_t slot, const context_key *k, ms_id thread,
                         ms_id parent, ms_id call, binding *params, ms_hold *locks,
                         ms_idset live, ms_idset maybe, uint32_t depth) {
  ms_result *r = a->r;
  if (MS_GROW(r->contexts) || MS_GROW(a->cs)) {
    a->oom = 1;
    free_bindings(params, k->param_count);
    free(locks);
    free(live.items);
    free(maybe.items);
    return MS_NONE;
  }
  ms_id id = r->contexts.count++;
  a->cs.count++;
  ms_context *c = &r->contexts.items[id];
  c->func = k->func;
  c->thread = thread;
  c->parent = parent;
  c->call = call;
  context_state *d = &a->cs.items[id];
  d->params = params;
  d->param_count = k->param_count;
  d->locks = locks;
  d->lock_count = k->lock_count;
  d->live = live;
  d->maybe = maybe;
  d->depth = depth;
  d->key_thread = k->key_thread;
  d->hash = k->hash;
  d->repeated = 0;
  a->contexts.slots[slot] = id;
  a->contexts.used++;
  return id;
}

/* The owner of an object handed to a new thread: each instance of the
** thread has its own when the spawner made it afresh for that instance (or
** handed each one its own element of an array: &workers[i]); otherwise all
** instances share it. */
static ms_id fresh_for(ms_id obj, int per_instance, ms_id child) {
  return per_instance && obj != MS_NONE ? child : MS_NONE;
}

/* Binds an actual argument (resolved in ctx) for a callee or a thread. */
static int bind_value(analyzer *a, ms_id ctx, const ms_value *v, binding *out, int spawn,
                      ms_id child) {
  memset(out, 0, sizeof *out);
  out->bound = 1;
  out->null = v->null;
  out->self = resolve(a, ctx, &v->path);
  if (spawn) out->self.owner = fresh_for(out->self.obj, v->per_instance, child);
  if (!v->field_count) return 0;
  out->fields = calloc(v->field_count, sizeof *out->fields);
  if (!out->fields) return 1;
  for (uint32_t i = 0; i < v->field_count; i++) {
    const ms_field_value *fv = &v->fields[i];
    resolved_value rv = resolve(a, ctx, &fv->value);
    if (spawn) rv.owner = fresh_for(rv.obj, fv->per_instance, child);
    out->fields[out->field_count].field = fv->field;
    out->fields[out->field_count].value = rv;
    out->field_count++;
  }
  return 0;
}

/* ---- exploration ------------------------------------------------------ */

static void explore(analyzer *a, ms_id ctx);

/* Whether code that runs only when parameter `nonnull_param - 1` is not
** NULL cannot run in this context: the caller passed NULL there. */
static int ruled_out(const analyzer *a, ms_id ctx, uint32_t nonnull_param) {
  if (!nonnull_param) return 0;
  const binding *b = param_binding(a, ctx, (int32_t)nonnull_param - 1);
  return b && b->null;
}

static void add_instance(analyzer *a, ms_id ctx, ms_id acc_id) {
  const ms_access *acc = &a->f->accesses.items[acc_id];
  if (ruled_out(a, ctx, acc->nonnull_param)) return;
  resolved_value m = resolve(a, ctx, &acc->map);
  if (m.obj == MS_NONE || a->oom) return;
  ms_result *r = a->r;
  if (r->instances.count >= a->opt.max_instances) {
    reached(a, MS_LIMIT_INSTANCES);
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
  if (merge_locks(a, ctx, &a->sets.access_locks[acc_id], &acc->map, &in->locks,
                  &in->lock_count) ||
      idset_union(&in->live, &a->cs.items[ctx].live, &a->sets.access_threads[acc_id])) {
    free(in->locks);
    free(in->live.items);
    a->oom = 1;
    return;
  }
  ms_idset maybe;
  if (maybe_locks(a, ctx, &acc->maybe_locks, &a->sets.access_locks[acc_id].dropped, in->locks,
                  in->lock_count, &maybe)) {
    free(in->locks);
    free(in->live.items);
    a->oom = 1;
    return;
  }
  in->maybe = maybe.items;
  in->maybe_count = maybe.count;
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
  a->spawned += kind == MS_THREAD_SPAWNED;
  return r->threads.count++;
}

static void discover_spawn(analyzer *a, ms_id ctx, ms_id spawn_id) {
  const ms_spawn *s = &a->f->spawns.items[spawn_id];
  ms_id parent = a->r->contexts.items[ctx].thread;
  if (s->entry == MS_NONE) return; /* a thread we cannot follow */
  /* A thread that starts another instance of itself (directly or through
  ** its descendants): that is the ancestor again, with many instances. */
  for (ms_id t = parent; t != MS_NONE; t = a->r->threads.items[t].parent)
    if (a->r->threads.items[t].spawn == spawn_id) {
      a->discoveries.items[t] += 2;
      return;
    }
  ms_id t = thread_find(a, spawn_id, parent);
  if (t == MS_NONE) {
    if (a->spawned >= a->opt.max_threads) {
      reached(a, MS_LIMIT_THREADS);
      return;
    }
    t = thread_new(a, MS_THREAD_SPAWNED, s->entry, spawn_id, parent, ctx);
  }
  if (t == MS_NONE) return;
  a->discoveries.items[t]++;
  ms_idset live, merged;
  if (idset_union(&live, &a->cs.items[ctx].live, &a->sets.spawn_threads[spawn_id]) ||
      idset_union(&merged, &a->r->threads.items[t].live_at_spawn, &live)) {
    free(live.items);
    a->oom = 1;
    return;
  }
  free(live.items);
  free(a->r->threads.items[t].live_at_spawn.items);
  a->r->threads.items[t].live_at_spawn = merged;

  uint32_t np = a->f->functions.items[s->entry].param_count;
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
  pending_entry *p = &a->queue.items[a->queue.count++];
  p->thread = t;
  p->params = params;
  p->param_count = np;
}

static void add_edge(analyzer *a, ms_id child, ms_id parent) {
  if (MS_GROW(a->edges)) {
    a->oom = 1;
    return;
  }
  a->edges.items[a->edges.count].child = child;
  a->edges.items[a->edges.count].parent = parent;
  a->edges.count++;
}

static void enter_call(analyzer *a, ms_id ctx, ms_id call_id) {
  const ms_call *c = &a->f->calls.items[call_id];
  if (!a->f->functions.items[c->callee].defined || ruled_out(a, ctx, c->nonnull_param)) return;
  const context_state *d = &a->cs.items[ctx];
  if (d->depth + 1 > a->opt.max_call_depth) {
    reached(a, MS_LIMIT_CALL_DEPTH);
    return;
  }
  uint32_t np = a->f->functions.items[c->callee].param_count;
  binding *params = np ? calloc(np, sizeof *params) : NULL;
  ms_hold *locks = NULL;
  uint32_t nl = 0;
  ms_idset live = {NULL, 0}, maybe = {NULL, 0};
  if (np && !params) goto oom;
  for (uint32_t i = 0; i < np && i < c->arg_count; i++)
    if (bind_value(a, ctx, &c->args[i], &params[i], 0, MS_NONE)) goto oom;
  if (merge_locks(a, ctx, &a->sets.call_locks[call_id], NULL, &locks, &nl) ||
      idset_union(&live, &a->cs.items[ctx].live, &a->sets.call_threads[call_id]) ||
      maybe_locks(a, ctx, &c->maybe_locks, &a->sets.call_locks[call_id].dropped, locks, nl,
                  &maybe))
    goto oom;
  ms_id thread = a->r->contexts.items[ctx].thread;
  context_key key = {c->callee, a->cs.items[ctx].key_thread, 0, params, np, locks, nl, &live,
                     &maybe};
  key.hash = key_hash(key.func, key.key_thread, params, np, locks, nl, &live, &maybe);
  uint32_t slot;
  ms_id found = context_find(a, &key, &slot);
  if (found != MS_NONE || slot == UINT32_MAX) {
    if (found != MS_NONE) {
      a->cs.items[found].repeated = 1;
      add_edge(a, found, ctx);
    }
    goto done;
  }
  if (a->r->contexts.count >= a->opt.max_contexts) {
    reached(a, MS_LIMIT_CONTEXTS);
    goto done;
  }
  ms_id child = context_new(a, slot, &key, thread, ctx, call_id, params, locks, live, maybe,
                            a->cs.items[ctx].depth + 1);
  if (child != MS_NONE) {
    add_edge(a, child, ctx);
    explore(a, child);
  }
  return;
oom:
  a->oom = 1;
done:
  free_bindings(params, np);
  free(locks);
  free(live.items);
  free(maybe.items);
}

static void explore(analyzer *a, ms_id ctx) {
  if (a->oom) return;
  ms_id func = a->r->contexts.items[ctx].func;
  const function_index *fi = &a->fn[func];
  for (uint32_t i = fi->acc_begin; i < fi->acc_end && !a->oom; i++)
    add_instance(a, ctx, a->acc_by_fn[i]);
  for (uint32_t i = fi->spawn_begin; i < fi->spawn_end && !a->oom; i++)
    discover_spawn(a, ctx, a->spawn_by_fn[i]);
  for (uint32_t i = fi->call_begin; i < fi->call_end && !a->oom; i++)
    enter_call(a, ctx, a->call_by_fn[i]);
}

/* The locks an entry is held with: what the function's annotations say
** its callers hold (globals and struct fields; weak evidence), sorted. */
static int entry_locks(analyzer *a, ms_id func, ms_hold **out, uint32_t *count) {
  const ms_lockset *req = &a->f->functions.items[func].requires;
  *out = NULL;
  *count = 0;
  if (!req->count) return 0;
  ms_hold *set = malloc(req->count * sizeof *set);
  if (!set) return 1;
  uint32_t n = 0;
  for (uint32_t i = 0; i < req->count; i++) {
    const ms_path *p = &req->items[i].lock;
    ms_id lock = p->depth ? field_object(a, p)
                 : p->base == MS_BASE_GLOBAL
                     ? object_intern(a, MS_OBJ_GLOBAL, p->name, p->display, MS_NONE, MS_NONE)
                     : MS_NONE;
    if (lock == MS_NONE) continue;
    a->r->objects.items[lock].is_lock = 1;
    hold_add(set, &n, lock, req->items[i].mode, req->items[i].acquired_at, 1);
  }
  qsort(set, n, sizeof *set, cmp_hold);
  *out = set;
  *count = n;
  return 0;
}

/* A thread's entry context (memoised like any other). */
static void explore_entry(analyzer *a, ms_id thread, binding *params, uint32_t np) {
  ms_id func = a->r->threads.items[thread].func;
  ms_hold *locks = NULL;
  uint32_t nl = 0;
  if (!a->f->functions.items[func].defined) goto done;
  if (entry_locks(a, func, &locks, &nl)) {
    a->oom = 1;
    goto done;
  }
  ms_idset none = {NULL, 0};
  context_key key = {func, key_thread_of(a, thread), 0, params, np, locks, nl, &none, &none};
  key.hash = key_hash(key.func, key.key_thread, params, np, locks, nl, &none, &none);
  uint32_t slot;
  ms_id found = context_find(a, &key, &slot);
  if (found != MS_NONE || slot == UINT32_MAX) goto done;
  if (a->r->contexts.count >= a->opt.max_contexts) {
    reached(a, MS_LIMIT_CONTEXTS);
    goto done;
  }
  ms_id ctx = context_new(a, slot, &key, thread, MS_NONE, MS_NONE, params, locks, none, none, 0);
  if (ctx != MS_NONE) explore(a, ctx);
  return;
done:
  free_bindings(params, np);
  free(locks);
}

/* ---- set-up ----------------------------------------------------------- */

/* Buckets fact ids by function (counting sort keeps fact order). */
static ms_id *bucket(const ms_facts *f, uint32_t n, const void *items, size_t elem,
                     size_t func_off, function_index *fn, size_t begin_off, size_t end_off) {
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
    count[fid + 1]++;
  }
  for (uint32_t i = 0; i < nf; i++) count[i + 1] += count[i];
  for (uint32_t i = 0; i < nf; i++) {
    *(uint32_t *)((char *)&fn[i] + begin_off) = count[i];
    *(uint32_t *)((char *)&fn[i] + end_off) = count[i];
  }
  for (uint32_t i = 0; i < n; i++) {
    ms_id fid = *(const ms_id *)((const char *)items + i * elem + func_off);
    uint32_t *end = (uint32_t *)((char *)&fn[fid] + end_off);
    out[(*end)++] = i;
  }
  free(count);
  return out;
}

/* Which functions reach a spawn through calls: from the spawning
** functions backwards over the call facts, to a fixpoint. */
static void mark_spawn_reach(analyzer *a) {
  const ms_facts *f = a->f;
  for (uint32_t i = 0; i < f->functions.count; i++)
    a->fn[i].reaches_spawn = a->fn[i].spawn_end > a->fn[i].spawn_begin;
  for (int changed = 1; changed;) {
    changed = 0;
    for (uint32_t i = 0; i < f->calls.count; i++) {
      const ms_call *c = &f->calls.items[i];
      if (a->fn[c->callee].reaches_spawn && !a->fn[c->caller].reaches_spawn)
        a->fn[c->caller].reaches_spawn = changed = 1;
    }
  }
}

static int cmp_id(const void *x, const void *y) {
  ms_id a = *(const ms_id *)x, b = *(const ms_id *)y;
  return a < b ? -1 : a > b;
}

static int index_facts(analyzer *a) {
  const ms_facts *f = a->f;
  uint32_t nf = f->functions.count;
  a->fn = calloc(nf ? nf : 1, sizeof *a->fn);
  if (!a->fn) return 1;
#define BUCKET(arr, T, arrname, b, e)                                                       \
  bucket(f, f->arr.count, f->arr.items, sizeof(T), offsetof(T, arrname), a->fn,              \
         offsetof(function_index, b), offsetof(function_index, e))
  a->acc_by_fn = BUCKET(accesses, ms_access, func, acc_begin, acc_end);
  a->call_by_fn = BUCKET(calls, ms_call, caller, call_begin, call_end);
  a->spawn_by_fn = BUCKET(spawns, ms_spawn, func, spawn_begin, spawn_end);
#undef BUCKET
  if (!a->acc_by_fn || !a->call_by_fn || !a->spawn_by_fn) return 1;
  for (uint32_t i = 0; i < f->calls.count; i++)
    if (f->calls.items[i].caller != f->calls.items[i].callee) a->fn[f->calls.items[i].callee].callers++;
  for (uint32_t i = 0; i < f->spawns.count; i++)
    if (f->spawns.items[i].entry != MS_NONE) a->fn[f->spawns.items[i].entry].spawned++;
  for (uint32_t i = 0; i < f->accesses.count; i++) {
    const ms_access *x = &f->accesses.items[i];
    if (x->kind != MS_ACC_CREATE || x->map.base != MS_BASE_LOCAL || x->map.depth != 0) continue;
    if (MS_GROW(a->made_locals)) return 1;
    a->made_locals.items[a->made_locals.count++] = x->map.name;
  }
  if (a->made_locals.count)
    qsort(a->made_locals.items, a->made_locals.count, sizeof(ms_id), cmp_id);
  mark_spawn_reach(a);
  for (uint32_t i = 0; i < nf; i++)
    if (f->functions.items[i].unsettled && a->r->unsettled++ == 0) a->r->first_unsettled = i;
  return 0;
}

/* Multiplicity of spawned threads, parents first (they were created first). */
static void settle_multiplicity(analyzer *a) {
  ms_result *r = a->r;
  for (uint32_t t = 0; t < r->threads.count; t++) {
    ms_thread *th = &r->threads.items[t];
    if (th->kind != MS_THREAD_SPAWNED) continue;
    const ms_spawn *s = &a->f->spawns.items[th->spawn];
    int many = s->multiplicity == MS_MULT_MANY ||
               ms__idset_contains(&th->live_at_spawn, th->spawn) || a->discoveries.items[t] > 1 ||
               r->threads.items[th->parent].multiplicity == MS_MULT_MANY;
    for (ms_id c = th->spawn_ctx; !many && c != MS_NONE; c = r->contexts.items[c].parent)
      many = a->cs.items[c].repeated;
    th->multiplicity = many ? MS_MULT_MANY : MS_MULT_ONE;
  }
}

static void analyzer_free(analyzer *a) {
  for (uint32_t i = 0; i < a->cs.count; i++) {
    free_bindings(a->cs.items[i].params, a->cs.items[i].param_count);
    free(a->cs.items[i].locks);
    free(a->cs.items[i].live.items);
    free(a->cs.items[i].maybe.items);
  }
  free(a->cs.items);
  for (uint32_t i = 0; i < a->queue.count; i++)
    free_bindings(a->queue.items[i].params, a->queue.items[i].param_count);
  free(a->queue.items);
  free(a->discoveries.items);
  free(a->made_locals.items);
  free(a->edges.items);
  free(a->fn);
  free(a->acc_by_fn);
  free(a->call_by_fn);
  free(a->spawn_by_fn);
  free(a->contexts.slots);
  free(a->objects.slots);
  ms__resolved_free(a->f, &a->sets);
}

/* Whether a defined function is an entry root: nobody calls or spawns it,
** or it enters a cycle of calls that nothing else calls. */
static int entry_root(const analyzer *a, ms_id fn) {
  return a->f->functions.items[fn].defined && !a->fn[fn].spawned &&
         !a->f->functions.items[fn].concurrent && (!a->fn[fn].callers || a->fn[fn].cycle_root);
}

/* Functions declared to run on many threads at once: threads of their own,
** each with many instances, in fact order. */
static void explore_declared(analyzer *a) {
  const ms_facts *f = a->f;
  for (uint32_t i = 0; i < f->functions.count && !a->oom; i++) {
    if (!f->functions.items[i].defined || !f->functions.items[i].concurrent) continue;
    ms_id t = thread_new(a, MS_THREAD_DECLARED, i, MS_NONE, MS_NONE, MS_NONE);
    if (t == MS_NONE) continue;
    a->r->threads.items[t].multiplicity = MS_MULT_MANY;
    explore_entry(a, t, NULL, 0);
  }
}

/* Marks as cycle roots the functions that no root reaches through the call
** graph (whatever the bounds): each is in a cycle of calls, or called only
** from one, that nothing else enters.  The first of each, in fact order,
** enters it. */
static int mark_cycle_roots(analyzer *a) {
  const ms_facts *f = a->f;
  uint32_t nf = f->functions.count;
  unsigned char *seen = calloc(nf ? nf : 1, 1);
  ms_id *work = malloc((nf ? nf : 1) * sizeof *work);
  if (!seen || !work) {
    free(seen);
    free(work);
    return 1;
  }
  uint32_t top = 0;
  for (uint32_t pass = 0; pass < 2; pass++)
    for (uint32_t i = 0; i < nf; i++) {
      int start = pass == 0 ? (!a->fn[i].callers || a->fn[i].spawned) : !seen[i];
      if (!start || seen[i]) continue;
      if (pass == 1) a->fn[i].cycle_root = f->functions.items[i].defined;
      seen[i] = 1;
      work[top++] = i;
      while (top) {
        ms_id fn = work[--top];
        for (uint32_t k = a->fn[fn].call_begin; k < a->fn[fn].call_end; k++) {
          ms_id callee = f->calls.items[a->call_by_fn[k]].callee;
          if (!seen[callee]) {
            seen[callee] = 1;
            work[top++] = callee;
          }
        }
        for (uint32_t k = a->fn[fn].spawn_begin; k < a->fn[fn].spawn_end; k++) {
          ms_id entry = f->spawns.items[a->spawn_by_fn[k]].entry;
          if (entry != MS_NONE && !seen[entry]) {
            seen[entry] = 1;
            work[top++] = entry;
          }
        }
      }
    }
  free(seen);
  free(work);
  return 0;
}

/* Entry roots, in fact order: those that reach a spawn (`spawning`) or the
** others. */
static void explore_entry_roots(analyzer *a, int spawning) {
  const ms_facts *f = a->f;
  for (uint32_t i = 0; i < f->functions.count && !a->oom; i++) {
    if (!entry_root(a, i) || a->fn[i].reaches_spawn != spawning) continue;
    ms_id t = thread_new(a, MS_THREAD_ENTRY, i, MS_NONE, MS_NONE, MS_NONE);
    if (t != MS_NONE) explore_entry(a, t, NULL, 0);
  }
}

/* Functions with external linkage are also entered by
** callers the facts do not show, holding no lock: those that this file
** calls too are explored once more as entry roots of their own (last, and
** only those that reach no spawn, so that the threads stay as they are). */
static void explore_open_functions(analyzer *a) {
  const ms_facts *f = a->f;
  if (a->opt.sequential_external) return;
  for (uint32_t i = 0; i < f->functions.count && !a->oom; i++) {
    if (!f->functions.items[i].defined || !ms__open_function(f, i) || entry_root(a, i) ||
        f->functions.items[i].concurrent || a->fn[i].spawned || a->fn[i].reaches_spawn)
      continue;
    ms_id t = thread_new(a, MS_THREAD_ENTRY, i, MS_NONE, MS_NONE, MS_NONE);
    if (t != MS_NONE) explore_entry(a, t, NULL, 0);
  }
}

/* The sites of a context (ms_instance.sites): its own function when that is
** a thread's entry or open, else the sites of every context calling it. */
enum { MAX_SITES = 16 };

typedef struct site_walk {
  analyzer *a;
  const uint32_t *start; /* edges by child: parents[start[c] .. start[c+1]) */
  const ms_id *parents;
  ms_idset *sites;
  unsigned char *state; /* 0 not yet, 1 in progress (a cycle), 2 done */
} site_walk;

static int site_add(ms_idset *s, ms_id fn) {
  if (ms__idset_contains(s, fn) || s->count >= MAX_SITES) return 0;
  if (!s->items && !(s->items = malloc(MAX_SITES * sizeof *s->items))) return 1;
  s->items[s->count++] = fn;
  return 0;
}

static int sites_of(site_walk *w, ms_id ctx) {
  if (w->state[ctx]) return 0;
  w->state[ctx] = 1;
  const ms_context *c = &w->a->r->contexts.items[ctx];
  ms_idset *s = &w->sites[ctx];
  if (c->parent == MS_NONE || ms__open_function(w->a->f, c->func)) {
    if (site_add(s, c->func)) return 1;
  } else {
    for (uint32_t i = w->start[ctx]; i < w->start[ctx + 1]; i++) {
      ms_id p = w->parents[i];
      if (sites_of(w, p)) return 1;
      for (uint32_t k = 0; k < w->sites[p].count; k++)
        if (site_add(s, w->sites[p].items[k])) return 1;
    }
  }
  w->state[ctx] = 2;
  return 0;
}

static int compute_sites(analyzer *a) {
  ms_result *r = a->r;
  uint32_t nctx = r->contexts.count, ne = a->edges.count;
  site_walk w = {a, NULL, NULL, NULL, NULL};
  uint32_t *start = calloc(nctx + 2, sizeof *start);
  ms_id *parents = malloc((ne ? ne : 1) * sizeof *parents);
  w.sites = calloc(nctx ? nctx : 1, sizeof *w.sites);
  w.state = calloc(nctx ? nctx : 1, 1);
  int rc = 1;
  if (!start || !parents || !w.sites || !w.state) goto done;
  for (uint32_t i = 0; i < ne; i++) start[a->edges.items[i].child + 2]++;
  for (uint32_t c = 0; c < nctx; c++) start[c + 2] += start[c + 1];
  for (uint32_t i = 0; i < ne; i++) parents[start[a->edges.items[i].child + 1]++] = a->edges.items[i].parent;
  w.start = start;
  w.parents = parents;
  for (uint32_t i = 0; i < r->instances.count; i++) {
    ms_instance *in = &r->instances.items[i];
    if (sites_of(&w, in->context)) goto done;
    const ms_idset *s = &w.sites[in->context];
    if (ms__idset_copy(&in->sites, s)) goto done;
  }
  rc = 0;
done:
  if (w.sites)
    for (uint32_t c = 0; c < nctx; c++) free(w.sites[c].items);
  free(w.sites);
  free(w.state);
  free(start);
  free(parents);
  return rc;
}

/* Spawned threads, in discovery order (the queue grows as we go). */
static void explore_spawned(analyzer *a) {
  for (uint32_t q = 0; q < a->queue.count && !a->oom; q++) {
    pending_entry p = a->queue.items[q];
    a->queue.items[q].params = NULL;
    a->queue.items[q].param_count = 0;
    explore_entry(a, p.thread, p.params, p.param_count);
  }
}

/* The names messages and the graph show, one per object. */
static int name_objects(ms_result *r) {
  r->object_names = calloc(r->objects.count ? r->objects.count : 1, sizeof *r->object_names);
  if (!r->object_names) return 1;
  for (uint32_t i = 0; i < r->objects.count; i++) {
    const ms_object *o = &r->objects.items[i];
    const char *a = "", *b = NULL;
    switch (o->kind) {
    case MS_OBJ_GLOBAL:
    case MS_OBJ_LOCAL:
      a = ms_str_get(r->facts, o->display != MS_NONE ? o->display : o->name);
      if (o->field != MS_NONE) b = ms_str_get(r->facts, o->field); /* an owned variable's field */
      break;
    case MS_OBJ_FIELD:
      if (o->display != MS_NONE) {
        a = ms_str_get(r->facts, o->display);
        break;
      }
      a = ms_str_get(r->facts, o->field_owner);
      b = ms_str_get(r->facts, o->field);
      break;
    default: continue;
    }
    size_t n = strlen(a) + (b ? strlen(b) + 1 : 0) + 1;
    char *name = malloc(n);
    if (!name) return 1;
    strcpy(name, a);
    if (b) {
      strcat(name, ".");
      strcat(name, b);
    }
    r->object_names[i] = name;
  }
  return 0;
}

static ms_options bounds_of(const ms_options *opts) {
  ms_options o;
  memset(&o, 0, sizeof o);
  if (opts) o = *opts;
  if (!o.max_contexts) o.max_contexts = MS_DEFAULT_MAX_CONTEXTS;
  if (!o.max_call_depth) o.max_call_depth = MS_DEFAULT_MAX_CALL_DEPTH;
  if (!o.max_threads) o.max_threads = MS_DEFAULT_MAX_THREADS;
  if (!o.max_instances) o.max_instances = MS_DEFAULT_MAX_INSTANCES;
  if (!o.max_pairs) o.max_pairs = MS_DEFAULT_MAX_PAIRS;
  if (!o.min_guarded_sites) o.min_guarded_sites = MS_DEFAULT_MIN_GUARDED_SITES;
  if (!o.min_guarded_permille) o.min_guarded_permille = MS_DEFAULT_MIN_GUARDED_PERMILLE;
  if (o.min_guarded_permille > 1000) o.min_guarded_permille = 1000;
  return o;
}

ms_result *ms_analyze(const ms_facts *facts, const ms_options *opts, ms_error *err) {
  assert(facts);
  if (ms_facts_check(facts, err)) return NULL;
  analyzer a;
  memset(&a, 0, sizeof a);
  a.f = facts;
  a.opt = bounds_of(opts);
  a.r = calloc(1, sizeof *a.r);
  if (!a.r) goto oom;
  a.r->facts = facts;
  a.r->bounds = a.opt;
  a.r->first_unsettled = MS_NONE;
  if (index_facts(&a) || mark_cycle_roots(&a) || ms__resolve_effects(facts, &a.sets)) goto oom;
  explore_declared(&a);
  explore_entry_roots(&a, 1);
  explore_spawned(&a);
  a.graph_only = 1;
  explore_entry_roots(&a, 0);
  explore_open_functions(&a);
  if (a.oom) goto oom;
  settle_multiplicity(&a);
  if (compute_sites(&a) || ms__find_races(a.r, a.opt.max_pairs) || name_objects(a.r) ||
      ms__infer_guards(a.r, &a.opt))
    goto oom;
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
    free(r->instances.items[i].sites.items);
    free(r->instances.items[i].maybe);
  }
  free(r->guards.items);
  if (r->object_names)
    for (uint32_t i = 0; i < r->objects.count; i++) free(r->object_names[i]);
  free(r->object_names);
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
  case MS_CHECK_INCONSISTENT_LOCKING: return "inconsistent-locking";
  default: return "?";
  }
}

uint32_t ms_finding_count(const ms_result *r) { return r->findings.count; }

const ms_finding *ms_finding_at(const ms_result *r, uint32_t i) {
  assert(i < r->findings.count);
  return &r->findings.items[i];
}

int ms_finding_superseded(const ms_result *r, const ms_finding *f, unsigned enabled) {
  if (f->check != MS_CHECK_INCONSISTENT_LOCKING) return 0;
  assert(f >= r->findings.items && f < r->findings.items + r->findings.count);
  ms_id acc = ms_finding_access(r, f), loc = ms_finding_loc(r, f);
  /* Sorted by location: the findings of the same access are neighbours. */
  uint32_t at = (uint32_t)(f - r->findings.items), i = at;
  while (i > 0 && ms__loc_cmp(r->facts, ms_finding_loc(r, &r->findings.items[i - 1]), loc) == 0) i--;
  for (; i < r->findings.count && ms__loc_cmp(r->facts, ms_finding_loc(r, &r->findings.items[i]), loc) == 0;
       i++) {
    const ms_finding *o = &r->findings.items[i];
    if (o->check != MS_CHECK_INCONSISTENT_LOCKING && (enabled >> o->check & 1u) &&
        ms_finding_access(r, o) == acc)
      return 1;
  }
  return 0;
}

ms_id ms_finding_access(const ms_result *r, const ms_finding *f) {
  assert(f->instance < r->instances.count);
  return r->instances.items[f->instance].access;
}

ms_id ms_finding_loc(const ms_result *r, const ms_finding *f) {
  return r->facts->accesses.items[ms_finding_access(r, f)].loc;
}

int ms_access_writes(ms_access_kind k) {
  return k == MS_ACC_WRITE || k == MS_ACC_CREATE || k == MS_ACC_DESTROY;
}

uint32_t ms_limit_value(const ms_result *r, ms_limit limit) {
  switch (limit) {
  case MS_LIMIT_CONTEXTS: return r->bounds.max_contexts;
  case MS_LIMIT_CALL_DEPTH: return r->bounds.max_call_depth;
  case MS_LIMIT_THREADS: return r->bounds.max_threads;
  case MS_LIMIT_INSTANCES: return r->bounds.max_instances;
  case MS_LIMIT_PAIRS: return r->bounds.max_pairs;
  }
  return 0;
}
