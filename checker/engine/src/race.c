/*
** Race pairing: which instances of one map may conflict, and where to say so.
**
** Two instances race when they touch the same map object, at least one
** writes (creating a map is no race: nobody else can reach it yet), they may happen in parallel (mhp below) and no lock is held at
** both in modes that exclude each other.  A lock the analysis could not
** name is assumed to exclude everything: when unsure, stay silent.
**
** The warning goes to the access that lacks the protection ("at fault"):
** one that holds no lock adequate for what it does (exclusive for a write,
** any mode for a read), or that misses a lock the other access holds.  A
** read at fault is an unsynchronized read; a write at fault is an
** unsynchronized write, whether it races with a write or with a read.  Each
** access is reported once per check, with the most telling conflicting
** access (a write before a read for a write).
*/
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "race.h"

/* Creating a map into a place others can reach (a global, a struct's
** field) replaces what they find there: a write of that place.  Creating
** one into a local variable is no access of anything shared. */
int ms__lifetime_store(const ms_result *r, const ms_instance *x) {
  const ms_access *a = &r->facts->accesses.items[x->access];
  ms_object_kind k = r->objects.items[x->map].kind;
  return a->kind == MS_ACC_CREATE && a->map.base != MS_BASE_LOCAL &&
         (k == MS_OBJ_GLOBAL || k == MS_OBJ_FIELD);
}

static int writes(const ms_result *r, const ms_instance *x) {
  return ms_access_writes(r->facts->accesses.items[x->access].kind);
}

static int is_ancestor(const ms_result *r, ms_id anc, ms_id t) {
  for (ms_id p = r->threads.items[t].parent; p != MS_NONE; p = r->threads.items[p].parent)
    if (p == anc) return 1;
  return 0;
}

/* The child of `anc` on the chain from `anc` down to `t`. */
static ms_id child_toward(const ms_result *r, ms_id anc, ms_id t) {
  while (r->threads.items[t].parent != anc) t = r->threads.items[t].parent;
  return t;
}

static ms_id root_of(const ms_result *r, ms_id t) {
  while (r->threads.items[t].parent != MS_NONE) t = r->threads.items[t].parent;
  return t;
}

static int many(const ms_result *r, ms_id t) {
  return r->threads.items[t].multiplicity == MS_MULT_MANY;
}

/* x runs in an ancestor of y's thread: parallel when x comes while the
** subtree leading to y may run, or when the ancestor has many instances. */
static int mhp_ancestor(const ms_result *r, const ms_instance *x, ms_id ty) {
  if (many(r, x->thread)) return 1;
  ms_id c = child_toward(r, x->thread, ty);
  return ms__idset_contains(&x->live, r->threads.items[c].spawn);
}

int ms__mhp(const ms_result *r, const ms_instance *x, const ms_instance *y) {
  ms_id tx = x->thread, ty = y->thread;
  if (tx == ty) return many(r, tx);
  if (is_ancestor(r, tx, ty)) return mhp_ancestor(r, x, ty);
  if (is_ancestor(r, ty, tx)) return mhp_ancestor(r, y, tx);
  for (ms_id p = r->threads.items[tx].parent; p != MS_NONE; p = r->threads.items[p].parent) {
    if (!is_ancestor(r, p, ty)) continue;
    /* p is the nearest common ancestor. */
    if (many(r, p)) return 1;
    const ms_thread *cx = &r->threads.items[child_toward(r, p, tx)];
    const ms_thread *cy = &r->threads.items[child_toward(r, p, ty)];
    return ms__idset_contains(&cy->live_at_spawn, cx->spawn) ||
           ms__idset_contains(&cx->live_at_spawn, cy->spawn);
  }
  /* Unrelated roots: nothing says they run together, unless both are
  ** declared to run on many threads at once. */
  return r->threads.items[root_of(r, tx)].kind == MS_THREAD_DECLARED &&
         r->threads.items[root_of(r, ty)].kind == MS_THREAD_DECLARED;
}

static const ms_hold *held(const ms_instance *x, ms_id lock) {
  for (uint32_t i = 0; i < x->lock_count; i++)
    if (x->locks[i].lock == lock) return &x->locks[i];
  return NULL;
}


int ms__maybe_holds(const ms_instance *x, ms_id lock) {
  for (uint32_t i = 0; i < x->maybe_count; i++)
    if (x->maybe[i] == lock) return 1;
  return 0;
}

int ms__excluded(const ms_result *r, const ms_instance *x, const ms_instance *y) {
  /* A lock one side holds and the other may hold (taken on some paths
  ** only): nothing is certain, so nothing is reported. */
  for (uint32_t i = 0; i < x->lock_count; i++)
    if (ms__maybe_holds(y, x->locks[i].lock)) return 1;
  for (uint32_t i = 0; i < y->lock_count; i++)
    if (ms__maybe_holds(x, y->locks[i].lock)) return 1;
  for (uint32_t i = 0; i < x->lock_count; i++) {
    const ms_hold *hx = &x->locks[i];
    if (r->objects.items[hx->lock].kind == MS_OBJ_ANY) return 1;
    const ms_hold *hy = held(y, hx->lock);
    if (hy && (hx->mode == MS_LOCK_EXCLUSIVE || hy->mode == MS_LOCK_EXCLUSIVE)) return 1;
  }
  for (uint32_t i = 0; i < y->lock_count; i++)
    if (r->objects.items[y->locks[i].lock].kind == MS_OBJ_ANY) return 1;
  return 0;
}

int ms__excluded_owned(const ms_result *r, const ms_instance *x, const ms_instance *y) {
  if (!ms__excluded(r, x, y)) return 0;
  /* Excluded: unless only by a lock that one side holds of another
  ** instance than its map's. */
  for (uint32_t i = 0; i < x->lock_count; i++) {
    const ms_hold *hx = &x->locks[i];
    if (r->objects.items[hx->lock].kind == MS_OBJ_ANY || ms__maybe_holds(y, hx->lock)) return 1;
    const ms_hold *hy = held(y, hx->lock);
    if (hy && !hx->other_owner && !hy->other_owner &&
        (hx->mode == MS_LOCK_EXCLUSIVE || hy->mode == MS_LOCK_EXCLUSIVE))
      return 1;
  }
  for (uint32_t i = 0; i < y->lock_count; i++)
    if (r->objects.items[y->locks[i].lock].kind == MS_OBJ_ANY || ms__maybe_holds(x, y->locks[i].lock))
      return 1;
  return 0;
}

static int adequate(const ms_result *r, const ms_instance *x, const ms_hold *h) {
  return !writes(r, x) || h->mode == MS_LOCK_EXCLUSIVE;
}

/* Fills the finding's lock details; returns whether x is at fault. */
static int at_fault(const ms_result *r, const ms_instance *x, const ms_instance *y,
                    ms_finding *out) {
  int has_adequate = 0;
  out->missing_lock = out->missing_at = out->shared_lock = MS_NONE;
  for (uint32_t i = 0; i < x->lock_count; i++) {
    if (adequate(r, x, &x->locks[i]))
      has_adequate = 1;
    else if (out->shared_lock == MS_NONE)
      out->shared_lock = x->locks[i].lock;
  }
  for (uint32_t i = 0; i < y->lock_count; i++) {
    const ms_hold *h = &y->locks[i];
    if (adequate(r, y, h) && !held(x, h->lock)) {
      out->missing_lock = h->lock;
      out->missing_at = h->acquired_at;
      return 1;
    }
  }
  return !has_adequate;
}

int ms__loc_cmp(const ms_facts *f, ms_id a, ms_id b) {
  if (a == b) return 0;
  if (a == MS_NONE || b == MS_NONE) return a == MS_NONE ? 1 : -1;
  const ms_loc *la = &f->locs.items[a], *lb = &f->locs.items[b];
  if (la->file != lb->file) {
    int c = strcmp(ms_str_get(f, la->file), ms_str_get(f, lb->file));
    if (c) return c;
  }
  if (la->line != lb->line) return la->line < lb->line ? -1 : 1;
  if (la->col != lb->col) return la->col < lb->col ? -1 : 1;
  return 0;
}

static ms_id loc_of(const ms_result *r, ms_id inst) {
  return r->facts->accesses.items[r->instances.items[inst].access].loc;
}

static ms_access_kind kind_of(const ms_result *r, const ms_instance *x) {
  return r->facts->accesses.items[x->access].kind;
}

/* Whether candidate c is a better explanation than the kept one k. */
static int better(const ms_result *r, const ms_finding *c, const ms_finding *k) {
  int cw = writes(r, &r->instances.items[c->other]), kw = writes(r, &r->instances.items[k->other]);
  if (c->check == MS_CHECK_UNSYNCHRONIZED_WRITE && cw != kw)
    return cw; /* a write/write race says more than a write/read one */
  if ((c->missing_lock != MS_NONE) != (k->missing_lock != MS_NONE))
    return c->missing_lock != MS_NONE;
  /* An operation on the map says more than storing a new one. */
  int cc = kind_of(r, &r->instances.items[c->other]) == MS_ACC_CREATE;
  int kc = kind_of(r, &r->instances.items[k->other]) == MS_ACC_CREATE;
  if (cc != kc) return kc;
  int cmp = ms__loc_cmp(r->facts, loc_of(r, c->other), loc_of(r, k->other));
  if (cmp) return cmp < 0;
  return c->instance < k->instance || (c->instance == k->instance && c->other < k->other);
}

typedef struct collector {
  ms_result *r;
  ms_id *best; /* per (access fact, check): index into findings, or MS_NONE */
} collector;

static int offer(collector *c, ms_check check, ms_id inst, ms_id other, const ms_finding *lk) {
  ms_result *r = c->r;
  ms_finding f = *lk;
  f.guard = f.rival = MS_NONE;
  f.check = check;
  f.instance = inst;
  f.other = other;
  ms_id *slot = &c->best[(size_t)r->instances.items[inst].access * MS_CHECK_COUNT + check];
  if (*slot != MS_NONE) {
    if (better(r, &f, &r->findings.items[*slot])) r->findings.items[*slot] = f;
    return 0;
  }
  if (MS_GROW(r->findings)) return 1;
  *slot = r->findings.count;
  r->findings.items[r->findings.count++] = f;
  return 0;
}

/* Reports a racing pair (x, y) as the rules in the file comment say. */
static int report_pair(collector *c, ms_id xi, ms_id yi) {
  const ms_result *r = c->r;
  const ms_instance *x = &r->instances.items[xi], *y = &r->instances.items[yi];
  ms_finding fx, fy;
  int xf = at_fault(r, x, y, &fx), yf = at_fault(r, y, x, &fy);
  int xw = writes(r, x), yw = writes(r, y);
  if (xw && yw) {
    if (xf && offer(c, MS_CHECK_UNSYNCHRONIZED_WRITE, xi, yi, &fx)) return 1;
    if (yf && xi != yi && offer(c, MS_CHECK_UNSYNCHRONIZED_WRITE, yi, xi, &fy)) return 1;
    return 0;
  }
  if (!xw) { /* make x the write */
    const ms_instance *t = x;
    x = y;
    y = t;
    ms_id ti = xi;
    xi = yi;
    yi = ti;
    ms_finding tf = fx;
    fx = fy;
    fy = tf;
    int tb = xf;
    xf = yf;
    yf = tb;
  }
  /* x writes, y reads: each side that lacks protection is told. */
  if (yf && offer(c, MS_CHECK_UNSYNCHRONIZED_READ, yi, xi, &fy)) return 1;
  if (xf && offer(c, MS_CHECK_UNSYNCHRONIZED_WRITE, xi, yi, &fx)) return 1;
  return 0;
}


/* Whether creation x makes no map that y's thread can reach: it is stored
** nowhere shared, or what it makes is the private copy that each instance
** of y's thread is handed (y is owned by its thread, x runs elsewhere). */
static int makes_private_copy(const ms_result *r, const ms_instance *x, const ms_instance *y) {
  if (kind_of(r, x) != MS_ACC_CREATE) return 0;
  return !ms__lifetime_store(r, x) || (y->owner == y->thread && x->thread != y->thread);
}

static int races(const ms_result *r, const ms_instance *x, const ms_instance *y) {
  if (!writes(r, x) && !writes(r, y)) return 0;
  /* Creation makes a new map that no other thread can reach yet, unless it
  ** is stored where they look. */
  if (makes_private_copy(r, x, y) || makes_private_copy(r, y, x)) return 0;
  if (x->thread == y->thread && (x->owner == x->thread || y->owner == y->thread)) return 0;
  return ms__mhp(r, x, y) && !ms__excluded(r, x, y);
}

static int cmp_finding(const ms_facts *f, const ms_result *r, const ms_finding *a,
                       const ms_finding *b) {
  int c = ms__loc_cmp(f, loc_of(r, a->instance), loc_of(r, b->instance));
  if (c) return c;
  return a->check < b->check ? -1 : a->check > b->check;
}

/* Insertion sort: findings are few, and qsort has no context argument in C11. */
void ms__sort_findings(ms_result *r) {
  for (uint32_t i = 1; i < r->findings.count; i++) {
    ms_finding v = r->findings.items[i];
    uint32_t j = i;
    while (j > 0 && cmp_finding(r->facts, r, &v, &r->findings.items[j - 1]) < 0) {
      r->findings.items[j] = r->findings.items[j - 1];
      j--;
    }
    r->findings.items[j] = v;
  }
}

/* Two instances that differ only in the call path that led to them pair
** the same way with everything: one of them is enough. */
static int same_shape(const ms_instance *x, const ms_instance *y) {
  if (x->access != y->access || x->thread != y->thread || x->owner != y->owner ||
      x->lock_count != y->lock_count || x->live.count != y->live.count)
    return 0;
  for (uint32_t i = 0; i < x->lock_count; i++)
    if (x->locks[i].lock != y->locks[i].lock || x->locks[i].mode != y->locks[i].mode) return 0;
  for (uint32_t i = 0; i < x->live.count; i++)
    if (x->live.items[i] != y->live.items[i]) return 0;
  return 1;
}

static uint64_t shape_hash(const ms_instance *x) {
  uint64_t h = 1469598103934665603ull;
#define MIX(v) (h = (h ^ (uint64_t)(v)) * 1099511628211ull)
  MIX(x->access);
  MIX(x->thread);
  MIX(x->owner);
  for (uint32_t i = 0; i < x->lock_count; i++) MIX((uint64_t)x->locks[i].lock << 1 | x->locks[i].mode);
  for (uint32_t i = 0; i < x->live.count; i++) MIX(x->live.items[i]);
#undef MIX
  return h;
}

/* Keeps, in each map's group of by_map, the first instance of each shape
** (start[] is adjusted: group m is by_map[start[m] .. start[m+1])). */
static int drop_duplicates(const ms_result *r, ms_id *by_map, uint32_t *start, uint32_t nobj) {
  uint32_t total = start[nobj], cap = 16;
  while (cap < 2 * total) cap *= 2;
  ms_id *slots = malloc(cap * sizeof *slots);
  if (!slots) return 1;
  uint32_t w = 0;
  for (uint32_t m = 0; m < nobj; m++) {
    uint32_t begin = start[m], end = start[m + 1], nslots = 16;
    while (nslots < 2 * (end - begin)) nslots *= 2;
    start[m] = w;
    for (uint32_t k = 0; k < nslots; k++) slots[k] = MS_NONE;
    for (uint32_t i = begin; i < end; i++) {
      const ms_instance *x = &r->instances.items[by_map[i]];
      uint32_t h = (uint32_t)shape_hash(x) & (nslots - 1);
      int dup = 0;
      while (slots[h] != MS_NONE && !dup) {
        dup = same_shape(&r->instances.items[slots[h]], x);
        h = (h + 1) & (nslots - 1);
      }
      if (dup) continue;
      slots[h] = by_map[i];
      by_map[w++] = by_map[i];
    }
  }
  start[nobj] = w;
  free(slots);
  return 0;
}

int ms__find_races(ms_result *r, uint32_t max_pairs) {
  uint32_t nacc = r->facts->accesses.count, nobj = r->objects.count, ninst = r->instances.count;
  collector c = {r, NULL};
  ms_id *by_map = NULL;
  uint32_t *start = NULL;
  int rc = 1;
  c.best = malloc(((size_t)nacc * MS_CHECK_COUNT + 1) * sizeof *c.best);
  by_map = malloc((ninst + 1) * sizeof *by_map);
  start = calloc(nobj + 2, sizeof *start);
  if (!c.best || !by_map || !start) goto done;
  for (size_t i = 0; i < (size_t)nacc * MS_CHECK_COUNT; i++) c.best[i] = MS_NONE;
  /* Group instances by map, keeping instance order. */
  for (uint32_t i = 0; i < ninst; i++) start[r->instances.items[i].map + 1]++;
  for (uint32_t m = 0; m < nobj; m++) start[m + 1] += start[m];
  uint32_t *fill = calloc(nobj + 1, sizeof *fill);
  if (!fill) goto done;
  for (uint32_t i = 0; i < ninst; i++) {
    ms_id m = r->instances.items[i].map;
    by_map[start[m] + fill[m]++] = i;
  }
  free(fill);
  if (drop_duplicates(r, by_map, start, nobj)) goto done;
  uint64_t budget = max_pairs;
  for (uint32_t m = 0; m < nobj; m++)
    for (uint32_t i = start[m]; i < start[m + 1]; i++) {
      uint32_t n = start[m + 1] - i;
      if (n > budget) { /* enough: what was found stands, the rest is unknown */
        r->limits |= MS_LIMIT_PAIRS;
        goto sorted;
      }
      budget -= n;
      for (uint32_t j = i; j < start[m + 1]; j++) {
        const ms_instance *x = &r->instances.items[by_map[i]];
        const ms_instance *y = &r->instances.items[by_map[j]];
        if (races(r, x, y) && report_pair(&c, by_map[i], by_map[j])) goto done;
      }
    }
sorted:
  ms__sort_findings(r);
  rc = 0;
done:
  free(c.best);
  free(by_map);
  free(start);
  return rc;
}
