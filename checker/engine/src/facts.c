/*
** Fact sets: storage, string interning, the builders of facts.h and the
** check that a fact set refers only inside itself.
**
** Every builder deep-copies what it is given, so the caller's arrays may be
** temporaries.  The string table is an open-addressing hash set of ids into
** a growing array of owned strings; ids are dense and stable, which is what
** lets facts refer to strings by number and survive a JSON round trip.
*/
#include "mapsafe/facts.h"
#include "internal.h"

#include <assert.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ms_strtab {
  char **strs;      /* id -> owned string */
  uint32_t count;
  uint32_t cap;
  ms_id *slots;     /* hash slot -> id, MS_NONE when empty */
  uint32_t nslots;  /* power of two */
};

static uint32_t hash_bytes(const char *s, size_t n) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 16777619u;
  }
  return h;
}

static int strtab_grow_slots(ms_strtab *t) {
  uint32_t n = t->nslots ? t->nslots * 2 : 256;
  ms_id *slots = malloc(n * sizeof *slots);
  if (!slots) return 1;
  for (uint32_t i = 0; i < n; i++) slots[i] = MS_NONE;
  for (uint32_t id = 0; id < t->count; id++) {
    const char *s = t->strs[id];
    uint32_t h = hash_bytes(s, strlen(s)) & (n - 1);
    while (slots[h] != MS_NONE) h = (h + 1) & (n - 1);
    slots[h] = id;
  }
  free(t->slots);
  t->slots = slots;
  t->nslots = n;
  return 0;
}

static ms_id strtab_intern(ms_strtab *t, const char *s, size_t n) {
  if ((t->count + 1) * 2 > t->nslots && strtab_grow_slots(t)) return MS_NONE;
  uint32_t h = hash_bytes(s, n) & (t->nslots - 1);
  while (t->slots[h] != MS_NONE) {
    const char *c = t->strs[t->slots[h]];
    if (strlen(c) == n && memcmp(c, s, n) == 0) return t->slots[h];
    h = (h + 1) & (t->nslots - 1);
  }
  if (t->count == t->cap) {
    uint32_t cap = t->cap ? t->cap * 2 : 64;
    char **strs = realloc(t->strs, cap * sizeof *strs);
    if (!strs) return MS_NONE;
    t->strs = strs;
    t->cap = cap;
  }
  char *copy = malloc(n + 1);
  if (!copy) return MS_NONE;
  memcpy(copy, s, n);
  copy[n] = '\0';
  ms_id id = t->count++;
  t->strs[id] = copy;
  t->slots[h] = id;
  return id;
}

int ms__grow(void **items, uint32_t *cap, uint32_t count, size_t elem) {
  if (count < *cap) return 0;
  uint32_t ncap = *cap ? *cap * 2 : 16;
  void *p = realloc(*items, (size_t)ncap * elem);
  if (!p) return 1;
  *items = p;
  *cap = ncap;
  return 0;
}

ms_facts *ms_facts_new(void) {
  ms_facts *f = calloc(1, sizeof *f);
  if (!f) return NULL;
  f->strings = calloc(1, sizeof *f->strings);
  if (!f->strings) {
    free(f);
    return NULL;
  }
  return f;
}

/* ---- freeing the nested sets ------------------------------------------ */

/* Lock and thread set entries each hold a path set and an id set (at the
** offsets given): these free and copy arrays of either. */
static void entries_free(void *items, uint32_t count, size_t size, size_t paths, size_t ids) {
  for (uint32_t i = 0; i < count; i++) {
    char *e = (char *)items + i * size;
    free(((ms_pathset *)(e + paths))->items);
    free(((ms_idset *)(e + ids))->items);
  }
  free(items);
}

#define LOCK_ENTRIES sizeof(ms_held), offsetof(ms_held, released), offsetof(ms_held, released_by)
#define THREAD_ENTRIES \
  sizeof(ms_running), offsetof(ms_running, joined), offsetof(ms_running, joined_by)

void ms__lockset_free(ms_lockset *s) {
  entries_free(s->items, s->count, LOCK_ENTRIES);
  s->items = NULL;
  s->count = 0;
}

void ms__threadset_free(ms_threadset *s) {
  entries_free(s->items, s->count, THREAD_ENTRIES);
  s->items = NULL;
  s->count = 0;
}

static void releaseset_free(ms_releaseset *s) {
  for (uint32_t i = 0; i < s->count; i++) free(s->items[i].unless_acquired_by.items);
  free(s->items);
  s->items = NULL;
  s->count = 0;
}

static void function_body_free(ms_function *fn) {
  ms__lockset_free(&fn->exit_locks);
  ms__lockset_free(&fn->requires);
  ms__threadset_free(&fn->exit_threads);
  releaseset_free(&fn->releases);
  free(fn->joins.items);
  free(fn->lock_inits.items);
  free(fn->lock_destroys.items);
  memset(&fn->joins, 0, sizeof fn->joins);
  memset(&fn->lock_inits, 0, sizeof fn->lock_inits);
  memset(&fn->lock_destroys, 0, sizeof fn->lock_destroys);
}

static void value_free(ms_value *v) {
  free(v->fields);
  v->fields = NULL;
}

static void call_free(ms_call *c) {
  ms__lockset_free(&c->locks);
  ms__threadset_free(&c->live);
  free(c->maybe_locks.items);
  memset(&c->maybe_locks, 0, sizeof c->maybe_locks);
  for (uint32_t a = 0; a < c->arg_count && c->args; a++) value_free(&c->args[a]);
  free(c->args);
  c->args = NULL;
}

static void spawn_free(ms_spawn *s) {
  ms__lockset_free(&s->locks);
  ms__threadset_free(&s->live);
  value_free(&s->arg);
}

static void access_free(ms_access *a) {
  ms__lockset_free(&a->locks);
  ms__threadset_free(&a->live);
  free(a->maybe_locks.items);
  memset(&a->maybe_locks, 0, sizeof a->maybe_locks);
}

void ms_facts_free(ms_facts *f) {
  if (!f) return;
  for (uint32_t i = 0; i < f->functions.count; i++) function_body_free(&f->functions.items[i]);
  for (uint32_t i = 0; i < f->calls.count; i++) call_free(&f->calls.items[i]);
  for (uint32_t i = 0; i < f->spawns.count; i++) spawn_free(&f->spawns.items[i]);
  for (uint32_t i = 0; i < f->accesses.count; i++) access_free(&f->accesses.items[i]);
  free(f->locs.items);
  free(f->functions.items);
  free(f->calls.items);
  free(f->spawns.items);
  free(f->accesses.items);
  if (f->strings) {
    for (uint32_t i = 0; i < f->strings->count; i++) free(f->strings->strs[i]);
    free(f->strings->strs);
    free(f->strings->slots);
    free(f->strings);
  }
  free(f);
}

ms_id ms_strn(ms_facts *f, const char *s, size_t n) {
  if (!s) return MS_NONE;
  const char *nul = memchr(s, '\0', n); /* a string ends at its first NUL */
  return strtab_intern(f->strings, s, nul ? (size_t)(nul - s) : n);
}

ms_id ms_str(ms_facts *f, const char *s) { return s ? ms_strn(f, s, strlen(s)) : MS_NONE; }

const char *ms_str_get(const ms_facts *f, ms_id id) {
  if (id == MS_NONE || id >= f->strings->count) return "";
  return f->strings->strs[id];
}

uint32_t ms_str_count(const ms_facts *f) { return f->strings->count; }

/* ---- deep copies; each returns 0 on success and leaves nothing to free
** on failure ----------------------------------------------------------- */

static int copy_array(void **dst, const void *src, uint32_t count, size_t elem) {
  *dst = NULL;
  if (!count) return 0;
  *dst = malloc((size_t)count * elem);
  if (!*dst) return 1;
  memcpy(*dst, src, (size_t)count * elem);
  return 0;
}

int ms__idset_copy(ms_idset *dst, const ms_idset *src) {
  dst->count = src->count;
  return copy_array((void **)&dst->items, src->items, src->count, sizeof *src->items);
}

int ms__pathset_copy(ms_pathset *dst, const ms_pathset *src) {
  dst->count = src->count;
  return copy_array((void **)&dst->items, src->items, src->count, sizeof *src->items);
}

static int entries_copy(void **dst, uint32_t *dst_count, const void *src, uint32_t count,
                        size_t size, size_t paths, size_t ids) {
  *dst = NULL;
  *dst_count = 0;
  if (!count) return 0;
  if (copy_array(dst, src, count, size)) return 1;
  for (uint32_t i = 0; i < count; i++) { /* the inner sets: copied afresh */
    char *e = (char *)*dst + i * size;
    ((ms_pathset *)(e + paths))->items = NULL;
    ((ms_idset *)(e + ids))->items = NULL;
  }
  for (uint32_t i = 0; i < count; i++) {
    char *e = (char *)*dst + i * size;
    const char *from = (const char *)src + i * size;
    if (ms__pathset_copy((ms_pathset *)(e + paths), (const ms_pathset *)(from + paths)) ||
        ms__idset_copy((ms_idset *)(e + ids), (const ms_idset *)(from + ids))) {
      entries_free(*dst, count, size, paths, ids);
      *dst = NULL;
      return 1;
    }
  }
  *dst_count = count;
  return 0;
}

int ms__lockset_copy(ms_lockset *dst, const ms_lockset *src) {
  return entries_copy((void **)&dst->items, &dst->count, src->items, src->count, LOCK_ENTRIES);
}

int ms__threadset_copy(ms_threadset *dst, const ms_threadset *src) {
  return entries_copy((void **)&dst->items, &dst->count, src->items, src->count, THREAD_ENTRIES);
}

static int releaseset_copy(ms_releaseset *dst, const ms_releaseset *src) {
  dst->items = NULL;
  dst->count = 0;
  if (!src->count) return 0;
  dst->items = calloc(src->count, sizeof *dst->items);
  if (!dst->items) return 1;
  for (uint32_t i = 0; i < src->count; i++) {
    ms_release *d = &dst->items[dst->count++];
    d->lock = src->items[i].lock;
    d->some_paths = src->items[i].some_paths;
    if (ms__idset_copy(&d->unless_acquired_by, &src->items[i].unless_acquired_by)) {
      releaseset_free(dst);
      return 1;
    }
  }
  return 0;
}

static int value_copy(ms_value *dst, const ms_value *src) {
  *dst = *src;
  return copy_array((void **)&dst->fields, src->fields, src->field_count, sizeof *src->fields);
}

/* Copies the body part of a function fact (see ms_set_function_body). */
static int function_body_copy(ms_function *dst, const ms_function *src) {
  memset(&dst->exit_locks, 0, sizeof dst->exit_locks);
  memset(&dst->requires, 0, sizeof dst->requires);
  memset(&dst->exit_threads, 0, sizeof dst->exit_threads);
  memset(&dst->releases, 0, sizeof dst->releases);
  memset(&dst->joins, 0, sizeof dst->joins);
  memset(&dst->lock_inits, 0, sizeof dst->lock_inits);
  memset(&dst->lock_destroys, 0, sizeof dst->lock_destroys);
  dst->defined = src->defined;
  dst->unsettled = src->unsettled;
  dst->returns = src->returns;
  dst->frees = src->frees;
  if (ms__lockset_copy(&dst->exit_locks, &src->exit_locks) ||
      ms__lockset_copy(&dst->requires, &src->requires) ||
      ms__threadset_copy(&dst->exit_threads, &src->exit_threads) ||
      releaseset_copy(&dst->releases, &src->releases) ||
      ms__pathset_copy(&dst->joins, &src->joins) ||
      ms__pathset_copy(&dst->lock_inits, &src->lock_inits) ||
      ms__pathset_copy(&dst->lock_destroys, &src->lock_destroys)) {
    function_body_free(dst);
    return 1;
  }
  return 0;
}

/* ---- builders ------------------------------------------------------------ */

ms_id ms_add_loc(ms_facts *f, ms_id file, uint32_t line, uint32_t col) {
  if (MS_GROW(f->locs)) return MS_NONE;
  ms_loc *l = &f->locs.items[f->locs.count];
  l->file = file;
  l->line = line;
  l->col = col;
  return f->locs.count++;
}

ms_id ms_add_function(ms_facts *f, const ms_function *fn) {
  if (MS_GROW(f->functions)) return MS_NONE;
  ms_function *d = &f->functions.items[f->functions.count];
  *d = *fn;
  if (function_body_copy(d, fn)) return MS_NONE;
  return f->functions.count++;
}

int ms_set_function_body(ms_facts *f, ms_id fn, const ms_function *body) {
  if (fn >= f->functions.count) return 1;
  ms_function copy = f->functions.items[fn];
  if (function_body_copy(&copy, body)) return 1;
  function_body_free(&f->functions.items[fn]);
  f->functions.items[fn] = copy;
  return 0;
}

ms_id ms_add_call(ms_facts *f, const ms_call *c) {
  if (MS_GROW(f->calls)) return MS_NONE;
  ms_call *d = &f->calls.items[f->calls.count];
  *d = *c;
  memset(&d->locks, 0, sizeof d->locks);
  memset(&d->live, 0, sizeof d->live);
  memset(&d->maybe_locks, 0, sizeof d->maybe_locks);
  d->args = NULL;
  if (ms__lockset_copy(&d->locks, &c->locks) || ms__threadset_copy(&d->live, &c->live) ||
      ms__pathset_copy(&d->maybe_locks, &c->maybe_locks))
    goto fail;
  if (c->arg_count) {
    d->args = calloc(c->arg_count, sizeof *d->args);
    if (!d->args) goto fail;
    for (uint32_t i = 0; i < c->arg_count; i++)
      if (value_copy(&d->args[i], &c->args[i])) goto fail;
  }
  return f->calls.count++;
fail:
  call_free(d);
  return MS_NONE;
}

ms_id ms_add_spawn(ms_facts *f, const ms_spawn *s) {
  if (MS_GROW(f->spawns)) return MS_NONE;
  ms_spawn *d = &f->spawns.items[f->spawns.count];
  *d = *s;
  memset(&d->locks, 0, sizeof d->locks);
  memset(&d->live, 0, sizeof d->live);
  d->arg.fields = NULL;
  if (ms__lockset_copy(&d->locks, &s->locks) || ms__threadset_copy(&d->live, &s->live) ||
      value_copy(&d->arg, &s->arg)) {
    spawn_free(d);
    return MS_NONE;
  }
  return f->spawns.count++;
}

ms_id ms_add_access(ms_facts *f, const ms_access *a) {
  if (MS_GROW(f->accesses)) return MS_NONE;
  ms_access *d = &f->accesses.items[f->accesses.count];
  *d = *a;
  memset(&d->locks, 0, sizeof d->locks);
  memset(&d->live, 0, sizeof d->live);
  memset(&d->maybe_locks, 0, sizeof d->maybe_locks);
  if (ms__lockset_copy(&d->locks, &a->locks) || ms__threadset_copy(&d->live, &a->live) ||
      ms__pathset_copy(&d->maybe_locks, &a->maybe_locks)) {
    access_free(d);
    return MS_NONE;
  }
  return f->accesses.count++;
}

int ms__open_function(const ms_facts *f, ms_id fn) {
  /* A static function whose address is taken is called through a pointer,
  ** but by whom and on which thread is unknown: GLib's callbacks run on
  ** one main loop's thread.  Only external linkage says "any thread". */
  return f->functions.items[fn].visibility == MS_VIS_EXTERNAL;
}

ms_id ms_find_function(const ms_facts *f, const char *name) {
  for (uint32_t i = 0; i < f->functions.count; i++)
    if (strcmp(ms_str_get(f, f->functions.items[i].name), name) == 0) return i;
  return MS_NONE;
}

/* ---- checking a whole fact set ------------------------------------------- */

/* What is checked, and where we are, for messages. */
typedef struct checker {
  const ms_facts *f;
  ms_error *err;
  ms_id func;           /* the function the current fact belongs to */
  char where[96];       /* "calls[3]" */
} checker;

static int bad(checker *k, const char *what) {
  return ms_fail(k->err, 0, "%s: %s", k->where, what);
}

static int str_ok(const checker *k, ms_id id) { return id == MS_NONE || id < ms_str_count(k->f); }
static int loc_ok(const checker *k, ms_id id) { return id == MS_NONE || id < k->f->locs.count; }

static int path_ok(checker *k, const ms_path *p) {
  if ((unsigned)p->base >= MS_BASE_COUNT) return bad(k, "a path has an unknown base");
  if (p->param < -1) return bad(k, "a path has a negative parameter index");
  if (p->owned && p->base != MS_BASE_LOCAL) return bad(k, "a path that is not a local's is owned");
  if (!str_ok(k, p->name) || !str_ok(k, p->display) || !str_ok(k, p->field) ||
      !str_ok(k, p->field_owner) || !str_ok(k, p->field_display))
    return bad(k, "a path has a bad string id");
  return 0;
}

static int pathset_ok(checker *k, const ms_pathset *s) {
  for (uint32_t i = 0; i < s->count; i++)
    if (path_ok(k, &s->items[i])) return 1;
  return 0;
}

/* A call id that a set of function k->func may refer to: one of its own
** direct calls. */
static int call_ref_ok(checker *k, ms_id call) {
  if (call >= k->f->calls.count) return bad(k, "a call id is out of range");
  const ms_call *c = &k->f->calls.items[call];
  if (c->caller != k->func) return bad(k, "refers to a call of another function");
  if (c->callback) return bad(k, "refers to a callback, which has no effects on its caller");
  return 0;
}

static int calls_ok(checker *k, const ms_idset *s) {
  for (uint32_t i = 0; i < s->count; i++)
    if (call_ref_ok(k, s->items[i])) return 1;
  return 0;
}

static int lockset_ok(checker *k, const ms_lockset *s) {
  for (uint32_t i = 0; i < s->count; i++) {
    const ms_held *h = &s->items[i];
    if ((unsigned)h->mode >= MS_LOCK_MODE_COUNT) return bad(k, "a lock has an unknown mode");
    if (!loc_ok(k, h->acquired_at)) return bad(k, "a lock's acquired_at is a bad loc id");
    if (path_ok(k, &h->lock) || pathset_ok(k, &h->released) || calls_ok(k, &h->released_by))
      return 1;
    if (h->call == MS_NONE && h->released.count)
      return bad(k, "only a lock held through a call lists what was released since");
    if (h->call != MS_NONE && call_ref_ok(k, h->call)) return 1;
  }
  return 0;
}

static int threadset_ok(checker *k, const ms_threadset *s) {
  for (uint32_t i = 0; i < s->count; i++) {
    const ms_running *t = &s->items[i];
    if ((t->spawn == MS_NONE) == (t->call == MS_NONE))
      return bad(k, "a running thread entry needs exactly one of spawn and call");
    if (t->spawn != MS_NONE) {
      if (t->spawn >= k->f->spawns.count) return bad(k, "a spawn id is out of range");
      if (k->f->spawns.items[t->spawn].func != k->func)
        return bad(k, "refers to a spawn of another function");
    }
    if (t->call != MS_NONE && call_ref_ok(k, t->call)) return 1;
    if (t->spawn != MS_NONE && t->joined.count)
      return bad(k, "only threads left running by a call list what was joined since");
    if (pathset_ok(k, &t->joined) || calls_ok(k, &t->joined_by)) return 1;
  }
  return 0;
}

static int fn_ok(checker *k, ms_id fn) {
  return fn < k->f->functions.count ? 0 : bad(k, "a function id is out of range");
}

static int value_ok(checker *k, const ms_value *v) {
  if (path_ok(k, &v->path)) return 1;
  for (uint32_t i = 0; i < v->field_count; i++)
    if (!str_ok(k, v->fields[i].field) || path_ok(k, &v->fields[i].value))
      return bad(k, "a value's field has a bad string id");
  return 0;
}

static int function_ok(checker *k, const ms_function *fn) {
  if (fn->name == MS_NONE || !str_ok(k, fn->name)) return bad(k, "bad name");
  if (!loc_ok(k, fn->loc)) return bad(k, "bad loc id");
  if ((unsigned)fn->visibility >= MS_VIS_COUNT) return bad(k, "unknown visibility");
  if (lockset_ok(k, &fn->exit_locks) || lockset_ok(k, &fn->requires) ||
      threadset_ok(k, &fn->exit_threads) ||
      pathset_ok(k, &fn->joins) || pathset_ok(k, &fn->lock_inits) ||
      pathset_ok(k, &fn->lock_destroys))
    return 1;
  for (uint32_t i = 0; i < fn->releases.count; i++)
    if (path_ok(k, &fn->releases.items[i].lock) ||
        calls_ok(k, &fn->releases.items[i].unless_acquired_by))
      return 1;
  return 0;
}

static int call_ok(checker *k, const ms_call *c) {
  if (fn_ok(k, c->caller) || fn_ok(k, c->callee)) return 1;
  if (c->nonnull_param > k->f->functions.items[c->caller].param_count)
    return bad(k, "nonnull_param is not a parameter of the caller");
  if (!loc_ok(k, c->loc)) return bad(k, "bad loc id");
  k->func = c->caller;
  if (lockset_ok(k, &c->locks) || threadset_ok(k, &c->live) || pathset_ok(k, &c->maybe_locks))
    return 1;
  for (uint32_t i = 0; i < c->arg_count; i++)
    if (value_ok(k, &c->args[i])) return 1;
  return 0;
}

static int spawn_ok(checker *k, const ms_spawn *s) {
  if (fn_ok(k, s->func) || (s->entry != MS_NONE && fn_ok(k, s->entry))) return 1;
  if (!loc_ok(k, s->loc)) return bad(k, "bad loc id");
  if (!str_ok(k, s->api)) return bad(k, "bad string id");
  if ((unsigned)s->multiplicity >= MS_MULT_COUNT) return bad(k, "unknown multiplicity");
  k->func = s->func;
  return path_ok(k, &s->handle) || value_ok(k, &s->arg) || lockset_ok(k, &s->locks) ||
         threadset_ok(k, &s->live);
}

static int access_ok(checker *k, const ms_access *a) {
  if (fn_ok(k, a->func)) return 1;
  if (a->nonnull_param > k->f->functions.items[a->func].param_count)
    return bad(k, "nonnull_param is not a parameter of the function");
  if (!loc_ok(k, a->loc)) return bad(k, "bad loc id");
  if (a->published_at && !loc_ok(k, a->published_at - 1)) return bad(k, "bad published_at loc id");
  if ((unsigned)a->kind >= MS_ACC_COUNT) return bad(k, "unknown access kind");
  if (!str_ok(k, a->api) || !str_ok(k, a->library) || !str_ok(k, a->key_type) ||
      !str_ok(k, a->value_type))
    return bad(k, "bad string id");
  k->func = a->func;
  return path_ok(k, &a->map) || lockset_ok(k, &a->locks) || threadset_ok(k, &a->live) ||
         pathset_ok(k, &a->maybe_locks);
}

/* One function per name: merging and lookups unify functions by name. */
static int names_unique(const ms_facts *f, ms_error *err) {
  uint32_t n = ms_str_count(f);
  ms_id *first = malloc((n ? n : 1) * sizeof *first);
  if (!first) return ms_fail(err, 0, "out of memory");
  for (uint32_t i = 0; i < n; i++) first[i] = MS_NONE;
  int rc = 0;
  for (uint32_t i = 0; i < f->functions.count && !rc; i++) {
    ms_id name = f->functions.items[i].name;
    if (name >= n) continue; /* told by function_ok */
    if (first[name] != MS_NONE)
      rc = ms_fail(err, 0, "functions[%u].name: duplicate function \"%.128s\" (also functions[%u])",
                   i, ms_str_get(f, name), first[name]);
    first[name] = i;
  }
  free(first);
  return rc;
}

int ms_facts_check(const ms_facts *f, ms_error *err) {
  checker k;
  memset(&k, 0, sizeof k);
  k.f = f;
  k.err = err;
  for (uint32_t i = 0; i < f->locs.count; i++)
    if (!str_ok(&k, f->locs.items[i].file))
      return snprintf(k.where, sizeof k.where, "locs[%u]", i), bad(&k, "bad file string id");
#define CHECK_ALL(arr, ok, set_func)                                                  \
  for (uint32_t i = 0; i < f->arr.count; i++) {                                       \
    snprintf(k.where, sizeof k.where, #arr "[%u]", i);                                 \
    set_func;                                                                         \
    if (ok(&k, &f->arr.items[i])) return 1;                                           \
  }
  CHECK_ALL(functions, function_ok, k.func = i)
  CHECK_ALL(calls, call_ok, (void)0)
  CHECK_ALL(spawns, spawn_ok, (void)0)
  CHECK_ALL(accesses, access_ok, (void)0)
#undef CHECK_ALL
  return names_unique(f, err);
}

/* ---- paths and names -------------------------------------------------- */

ms_path ms_path_unknown(void) {
  ms_path p;
  p.base = MS_BASE_UNKNOWN;
  p.name = MS_NONE;
  p.display = MS_NONE;
  p.param = -1;
  p.depth = 0;
  p.field = MS_NONE;
  p.field_owner = MS_NONE;
  p.field_display = MS_NONE;
  p.owned = 0;
  return p;
}

int ms_path_equal(const ms_path *a, const ms_path *b) {
  return a->base == b->base && a->name == b->name && a->param == b->param &&
         a->depth == b->depth && a->field == b->field && a->field_owner == b->field_owner &&
         a->owned == b->owned;
}

int ms_path_is_unknown(const ms_path *p) { return p->base == MS_BASE_UNKNOWN && p->depth == 0; }

/* The one table of names for each enum. */
static const char *const access_kind_names[MS_ACC_COUNT] = {"read", "write", "iterate", "create",
                                                            "destroy"};
static const char *const base_names[MS_BASE_COUNT] = {"unknown", "global", "param", "local"};
static const char *const lock_mode_names[MS_LOCK_MODE_COUNT] = {"exclusive", "shared"};
static const char *const multiplicity_names[MS_MULT_COUNT] = {"one", "many"};
static const char *const visibility_names[MS_VIS_COUNT] = {"internal", "external",
                                                           "address-taken", "program-entry"};

static int name_index(const char *const *names, int count, const char *s) {
  for (int i = 0; i < count; i++)
    if (strcmp(s, names[i]) == 0) return i;
  return -1;
}

#define NAME_FUNCTIONS(type, fn_name, fn_from, table, count)                          \
  const char *fn_name(type v) { return (unsigned)v < (count) ? table[v] : "?"; }      \
  int fn_from(const char *s, type *out) {                                             \
    int i = name_index(table, (count), s);                                            \
    if (i < 0) return 1;                                                              \
    *out = (type)i;                                                                   \
    return 0;                                                                         \
  }
NAME_FUNCTIONS(ms_access_kind, ms_access_kind_name, ms_access_kind_from_name, access_kind_names,
               MS_ACC_COUNT)
NAME_FUNCTIONS(ms_base, ms_base_name, ms_base_from_name, base_names, MS_BASE_COUNT)
NAME_FUNCTIONS(ms_lock_mode, ms_lock_mode_name, ms_lock_mode_from_name, lock_mode_names,
               MS_LOCK_MODE_COUNT)
NAME_FUNCTIONS(ms_multiplicity, ms_multiplicity_name, ms_multiplicity_from_name,
               multiplicity_names, MS_MULT_COUNT)
NAME_FUNCTIONS(ms_visibility, ms_visibility_name, ms_visibility_from_name, visibility_names,
               MS_VIS_COUNT)
#undef NAME_FUNCTIONS

int ms_fail(ms_error *err, unsigned line, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    err->line = line;
  }
  return 1;
}
