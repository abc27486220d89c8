/*
** Fact sets: storage, string interning and the builders of facts.h.
**
** Every builder deep-copies what it is given, so the caller's arrays may be
** temporaries.  The string table is an open-addressing hash set of ids into
** a growing array of owned strings; ids are dense and stable, which is what
** lets facts refer to strings by number and survive a JSON round trip.
*/
#include "mapsafe/facts.h"
#include "internal.h"

#include <stdarg.h>
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
#define GROW(arr) MS_GROW(arr)

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

static void free_value(ms_value *v) { free(v->fields); }

void ms_facts_free(ms_facts *f) {
  if (!f) return;
  for (uint32_t i = 0; i < f->functions.count; i++) {
    ms_function *fn = &f->functions.items[i];
    free(fn->acquires.items);
    free(fn->releases.items);
    free(fn->live_at_exit.items);
    free(fn->joins.items);
  }
  for (uint32_t i = 0; i < f->calls.count; i++) {
    ms_call *c = &f->calls.items[i];
    free(c->locks.items);
    free(c->live.items);
    for (uint32_t a = 0; a < c->arg_count; a++) free_value(&c->args[a]);
    free(c->args);
  }
  for (uint32_t i = 0; i < f->spawns.count; i++) {
    ms_spawn *s = &f->spawns.items[i];
    free(s->locks.items);
    free(s->live.items);
    free_value(&s->arg);
  }
  for (uint32_t i = 0; i < f->accesses.count; i++) {
    free(f->accesses.items[i].locks.items);
    free(f->accesses.items[i].live.items);
  }
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
  return strtab_intern(f->strings, s, n);
}

ms_id ms_str(ms_facts *f, const char *s) { return s ? ms_strn(f, s, strlen(s)) : MS_NONE; }

const char *ms_str_get(const ms_facts *f, ms_id id) {
  if (id == MS_NONE || id >= f->strings->count) return "";
  return f->strings->strs[id];
}

uint32_t ms_str_count(const ms_facts *f) { return f->strings->count; }

/* Deep copies; each returns 0 on success. */
static int copy_array(void **dst, const void *src, uint32_t count, size_t elem) {
  *dst = NULL;
  if (!count) return 0;
  *dst = malloc((size_t)count * elem);
  if (!*dst) return 1;
  memcpy(*dst, src, (size_t)count * elem);
  return 0;
}

static int copy_lockset(ms_lockset *dst, const ms_lockset *src) {
  dst->count = src->count;
  return copy_array((void **)&dst->items, src->items, src->count, sizeof *src->items);
}

static int copy_idset(ms_idset *dst, const ms_idset *src) {
  dst->count = src->count;
  return copy_array((void **)&dst->items, src->items, src->count, sizeof *src->items);
}

static int copy_value(ms_value *dst, const ms_value *src) {
  *dst = *src;
  return copy_array((void **)&dst->fields, src->fields, src->field_count, sizeof *src->fields);
}

ms_id ms_add_loc(ms_facts *f, ms_id file, uint32_t line, uint32_t col) {
  if (GROW(f->locs)) return MS_NONE;
  ms_loc *l = &f->locs.items[f->locs.count];
  l->file = file;
  l->line = line;
  l->col = col;
  return f->locs.count++;
}

ms_id ms_add_function(ms_facts *f, const ms_function *fn) {
  if (GROW(f->functions)) return MS_NONE;
  ms_function *d = &f->functions.items[f->functions.count];
  *d = *fn;
  memset(&d->acquires, 0, sizeof d->acquires);
  memset(&d->releases, 0, sizeof d->releases);
  memset(&d->live_at_exit, 0, sizeof d->live_at_exit);
  memset(&d->joins, 0, sizeof d->joins);
  if (copy_lockset(&d->acquires, &fn->acquires) || copy_lockset(&d->releases, &fn->releases) ||
      copy_idset(&d->live_at_exit, &fn->live_at_exit) || copy_idset(&d->joins, &fn->joins)) {
    free(d->acquires.items);
    free(d->releases.items);
    free(d->live_at_exit.items);
    free(d->joins.items);
    return MS_NONE;
  }
  return f->functions.count++;
}

int ms_set_function_effects(ms_facts *f, ms_id fn, const ms_lockset *acquires,
                            const ms_lockset *releases, const ms_idset *live_at_exit,
                            const ms_idset *joins) {
  if (fn >= f->functions.count) return 1;
  ms_function *d = &f->functions.items[fn];
  ms_lockset a, r;
  ms_idset l, j;
  if (copy_lockset(&a, acquires)) return 1;
  if (copy_lockset(&r, releases)) return free(a.items), 1;
  if (copy_idset(&l, live_at_exit)) return free(a.items), free(r.items), 1;
  if (copy_idset(&j, joins)) return free(a.items), free(r.items), free(l.items), 1;
  free(d->acquires.items);
  free(d->releases.items);
  free(d->live_at_exit.items);
  free(d->joins.items);
  d->acquires = a;
  d->releases = r;
  d->live_at_exit = l;
  d->joins = j;
  return 0;
}

ms_id ms_add_call(ms_facts *f, const ms_call *c) {
  if (GROW(f->calls)) return MS_NONE;
  ms_call *d = &f->calls.items[f->calls.count];
  *d = *c;
  d->locks.items = NULL;
  d->live.items = NULL;
  d->args = NULL;
  if (copy_lockset(&d->locks, &c->locks) || copy_idset(&d->live, &c->live)) goto fail;
  if (c->arg_count) {
    d->args = calloc(c->arg_count, sizeof *d->args);
    if (!d->args) goto fail;
    for (uint32_t i = 0; i < c->arg_count; i++)
      if (copy_value(&d->args[i], &c->args[i])) goto fail;
  }
  return f->calls.count++;
fail:
  free(d->locks.items);
  free(d->live.items);
  if (d->args)
    for (uint32_t i = 0; i < c->arg_count; i++) free(d->args[i].fields);
  free(d->args);
  return MS_NONE;
}

ms_id ms_add_spawn(ms_facts *f, const ms_spawn *s) {
  if (GROW(f->spawns)) return MS_NONE;
  ms_spawn *d = &f->spawns.items[f->spawns.count];
  *d = *s;
  d->locks.items = NULL;
  d->live.items = NULL;
  d->arg.fields = NULL;
  if (copy_lockset(&d->locks, &s->locks) || copy_idset(&d->live, &s->live) ||
      copy_value(&d->arg, &s->arg)) {
    free(d->locks.items);
    free(d->live.items);
    free(d->arg.fields);
    return MS_NONE;
  }
  return f->spawns.count++;
}

ms_id ms_add_access(ms_facts *f, const ms_access *a) {
  if (GROW(f->accesses)) return MS_NONE;
  ms_access *d = &f->accesses.items[f->accesses.count];
  *d = *a;
  d->locks.items = NULL;
  d->live.items = NULL;
  if (copy_lockset(&d->locks, &a->locks) || copy_idset(&d->live, &a->live)) {
    free(d->locks.items);
    free(d->live.items);
    return MS_NONE;
  }
  return f->accesses.count++;
}

ms_id ms_find_function(const ms_facts *f, const char *name) {
  for (uint32_t i = 0; i < f->functions.count; i++)
    if (strcmp(ms_str_get(f, f->functions.items[i].name), name) == 0) return i;
  return MS_NONE;
}

ms_path ms_path_unknown(void) {
  ms_path p;
  p.base = MS_BASE_UNKNOWN;
  p.name = MS_NONE;
  p.display = MS_NONE;
  p.param = -1;
  p.depth = 0;
  p.field = MS_NONE;
  p.field_owner = MS_NONE;
  return p;
}

int ms_path_equal(const ms_path *a, const ms_path *b) {
  return a->base == b->base && a->name == b->name && a->param == b->param &&
         a->depth == b->depth && a->field == b->field &&
         a->field_owner == b->field_owner;
}

static const char *const access_kind_names[] = {"read", "write", "iterate", "create", "destroy"};
static const char *const base_names[] = {"unknown", "global", "param", "local"};

const char *ms_access_kind_name(ms_access_kind k) {
  return (unsigned)k < 5 ? access_kind_names[k] : "?";
}

int ms_access_kind_from_name(const char *s, ms_access_kind *out) {
  for (int i = 0; i < 5; i++)
    if (strcmp(s, access_kind_names[i]) == 0) return *out = (ms_access_kind)i, 0;
  return 1;
}

const char *ms_base_name(ms_base b) { return (unsigned)b < 4 ? base_names[b] : "?"; }

int ms_base_from_name(const char *s, ms_base *out) {
  for (int i = 0; i < 4; i++)
    if (strcmp(s, base_names[i]) == 0) return *out = (ms_base)i, 0;
  return 1;
}

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
