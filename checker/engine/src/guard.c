/*
** Guard inference: which lock guards a map, and the accesses that do not
** hold it (mapsafe-inconsistent-locking; docs/checks/inconsistent-locking.md).
**
** The locks a developer holds around a map's other accesses say that
** threads share it, even where the threads themselves are not visible.
**
** Counted accesses.  Only these are evidence, and only these are reported:
** accesses to a global or a struct field (not a map made in the function,
** nor one a thread owns, nor a field of a struct allocated in the function
** and not yet published), outside teardown (after a last-reference test,
** after a join), that run beside other threads: in a spawned thread, in a
** thread that has threads of its own running, or (tier B) in a function
** that callers the facts do not show may enter on any thread (external
** linkage), and the static helpers they call; not the owner's set-up (a
** creation stored for good, and what follows it in that function) nor a
** global map's teardown (its destruction in a function that makes no new
** one, and what precedes it there).  For a
** lock L, accesses in a function that initialises L, or that destroys L and
** frees memory (the owner's init and teardown), and accesses where L is
** held on some paths only, are not counted.
**
** Sites.  Evidence is counted per site (ms_instance.sites: the function a
** thread or a caller enters through), at most one guarded and one
** unguarded site per function, map and lock; writes weigh 2.
**
** Guards.  L guards M when declared, or when L is held at >= min sites
** covering >= the share of the weight, and M has a counted write.  Accesses
** whose threads are visible (the thread model says they run in parallel)
** need only one guarded site.  Of several guards, the declared one wins,
** then the one held at the greatest weight (then the first in the file).
**
** Violations.  A counted access that does not hold the winning guard and
** that can run concurrently with another counted access (one of them
** writes) that no common lock excludes.  When it holds another guard of M,
** held at other sites, it is reported as "accessed under different locks".
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "internal.h"
#include "race.h"

typedef struct inference {
  ms_result *r;
  const ms_options *opt;
  MS_ARRAY(ms_id) inits;  /* creations that initialise their map (see map_initialised) */
  MS_ARRAY(ms_id) teardowns; /* destructions that end their map (see map_torn_down) */
  unsigned char *gw, *uw; /* per function: the guarded and unguarded weight of that site */
  unsigned char *strong;  /* per function: the lock is taken there, not only annotated */
  ms_id *touched;         /* functions whose weights are set */
  uint32_t ntouched;
  ms_id *best;            /* per access fact: its finding, or MS_NONE */
} inference;

static const ms_access *access_of(const ms_result *r, const ms_instance *x) {
  return &r->facts->accesses.items[x->access];
}

static int writes(const ms_result *r, const ms_instance *x) {
  return ms_access_writes(access_of(r, x)->kind);
}

ms_id ms__open_site(const ms_result *r, const ms_instance *x) {
  const ms_thread *t = &r->threads.items[x->thread];
  if (t->kind != MS_THREAD_ENTRY ||
      r->facts->functions.items[t->func].visibility == MS_VIS_PROGRAM_ENTRY)
    return MS_NONE;
  for (uint32_t i = 0; i < x->sites.count; i++)
    if (ms__open_function(r->facts, x->sites.items[i])) return x->sites.items[i];
  return MS_NONE;
}

static int open_access(const inference *g, const ms_instance *x) {
  return !g->opt->sequential_external && ms__open_site(g->r, x) != MS_NONE;
}

/* Runs beside threads the thread model sees. */
static int beside_threads(const ms_result *r, const ms_instance *x) {
  return r->threads.items[x->thread].kind != MS_THREAD_ENTRY || x->live.count > 0;
}

static int holds_any_unnamed(const ms_result *r, const ms_instance *x) {
  for (uint32_t i = 0; i < x->lock_count; i++)
    if (r->objects.items[x->locks[i].lock].kind == MS_OBJ_ANY) return 1;
  return 0;
}

static int earlier(const ms_result *r, ms_id xi, ms_id yi) {
  return ms__loc_cmp(r->facts, access_of(r, &r->instances.items[xi])->loc,
                     access_of(r, &r->instances.items[yi])->loc) < 0;
}

/* The owner's initialisation by creation: in a function run beside no
** thread it can see, a creation stored into the map's place, not under a
** test that found it empty (that is lazy initialisation), and the first
** access to the map there, replaces nothing anyone uses; neither it nor
** what follows it there is counted. */
static int collect_inits(inference *g) {
  ms_result *r = g->r;
  for (uint32_t i = 0; i < r->instances.count; i++) {
    const ms_instance *c = &r->instances.items[i];
    if (access_of(r, c)->kind != MS_ACC_CREATE || access_of(r, c)->lazy ||
        !ms__lifetime_store(r, c) || beside_threads(r, c))
      continue;
    int first = 1;
    for (uint32_t k = 0; k < r->instances.count && first; k++) {
      const ms_instance *y = &r->instances.items[k];
      first = !(k != i && y->context == c->context && y->map == c->map && earlier(r, k, i));
    }
    if (!first) continue;
    if (MS_GROW(g->inits)) return 1;
    g->inits.items[g->inits.count++] = i;
  }
  return 0;
}

/* A library's teardown of a global map: a function that destroys it and
** makes none in its place; neither the destruction nor what comes before
** it there is counted (whoever still uses the map then has a lifetime bug
** that no lock mends; a static lock is never destroyed, so the owner's
** teardown rule, which needs the lock destroyed, cannot see it).  A map in
** a struct field keeps that rule: the struct's other users may race its
** destruction. */
static int collect_teardowns(inference *g) {
  ms_result *r = g->r;
  for (uint32_t i = 0; i < r->instances.count; i++) {
    const ms_instance *d = &r->instances.items[i];
    if (access_of(r, d)->kind != MS_ACC_DESTROY || r->objects.items[d->map].kind != MS_OBJ_GLOBAL)
      continue;
    int remade = 0;
    for (uint32_t k = 0; k < r->instances.count && !remade; k++) {
      const ms_instance *y = &r->instances.items[k];
      remade = y->context == d->context && y->map == d->map &&
               access_of(r, y)->kind == MS_ACC_CREATE;
    }
    if (remade) continue;
    if (MS_GROW(g->teardowns)) return 1;
    g->teardowns.items[g->teardowns.count++] = i;
  }
  return 0;
}

/* Whether one of `marks` (instances) is in x's context on x's map, and x
** comes at or after it (after: 1) or at or before it (after: 0). */
static int marked_in_context(const ms_result *r, const ms_id *marks, uint32_t n, ms_id xi,
                             int after) {
  const ms_instance *x = &r->instances.items[xi];
  for (uint32_t i = 0; i < n; i++) {
    const ms_instance *m = &r->instances.items[marks[i]];
    if (m->context == x->context && m->map == x->map &&
        !(after ? earlier(r, xi, marks[i]) : earlier(r, marks[i], xi)))
      return 1;
  }
  return 0;
}

static int map_torn_down(const inference *g, ms_id xi) {
  return marked_in_context(g->r, g->teardowns.items, g->teardowns.count, xi, 0);
}

static int map_initialised(const inference *g, ms_id xi) {
  return marked_in_context(g->r, g->inits.items, g->inits.count, xi, 1);
}

static int counted(const inference *g, ms_id xi) {
  const ms_instance *x = &g->r->instances.items[xi];
  const ms_result *r = g->r;
  const ms_access *a = access_of(r, x);
  ms_object_kind k = r->objects.items[x->map].kind;
  if (x->owner != MS_NONE || (k != MS_OBJ_GLOBAL && k != MS_OBJ_FIELD)) return 0;
  if (a->map.base == MS_BASE_LOCAL || a->teardown) return 0;
  if (a->kind == MS_ACC_CREATE && !ms__lifetime_store(r, x)) return 0;
  if (holds_any_unnamed(r, x)) return 0;
  if (!beside_threads(r, x) && !open_access(g, x)) return 0;
  return !map_initialised(g, xi) && !map_torn_down(g, xi);
}

static int holds(const ms_instance *x, ms_id lock) {
  for (uint32_t i = 0; i < x->lock_count; i++)
    if (x->locks[i].lock == lock && !x->locks[i].other_owner) return 1;
  return 0;
}

/* Held only because an annotation says the callers hold it. */
static int holds_weakly(const ms_instance *x, ms_id lock) {
  for (uint32_t i = 0; i < x->lock_count; i++)
    if (x->locks[i].lock == lock && !x->locks[i].other_owner) return x->locks[i].weak;
  return 0;
}

/* Whether a path (as a function's facts name it) names a lock object. */
static int names_lock(const ms_result *r, const ms_path *p, ms_id lock) {
  const ms_object *o = &r->objects.items[lock];
  if (o->kind == MS_OBJ_GLOBAL) return p->base == MS_BASE_GLOBAL && p->depth == 0 && p->name == o->name;
  if (o->kind == MS_OBJ_FIELD)
    return p->depth > 0 && p->field == o->field && p->field_owner == o->field_owner;
  return 0;
}

static int pathset_names(const ms_result *r, const ms_pathset *s, ms_id lock) {
  for (uint32_t i = 0; i < s->count; i++)
    if (names_lock(r, &s->items[i], lock)) return 1;
  return 0;
}

/* The owner's initialisation or teardown: along the call path, with no
** thread of its own running yet, a function initialises the lock, or
** destroys it and frees memory. */
static int owner_phase(const ms_result *r, const ms_instance *x, ms_id lock) {
  if (x->live.count) return 0;
  for (ms_id c = x->context; c != MS_NONE; c = r->contexts.items[c].parent) {
    const ms_function *fn = &r->facts->functions.items[r->contexts.items[c].func];
    if (pathset_names(r, &fn->lock_inits, lock)) return 1;
    if (fn->frees && pathset_names(r, &fn->lock_destroys, lock)) return 1;
  }
  return 0;
}

/* The function whose entry x's call path starts at. */
static ms_id root_function(const ms_result *r, ms_id ctx) {
  while (r->contexts.items[ctx].parent != MS_NONE) ctx = r->contexts.items[ctx].parent;
  return r->contexts.items[ctx].func;
}

/* Whether a call path passes through a call of fn made in the file. */
static int through_call_of(const ms_result *r, ms_id ctx, ms_id fn) {
  for (; ctx != MS_NONE; ctx = r->contexts.items[ctx].parent)
    if (r->contexts.items[ctx].func == fn && r->contexts.items[ctx].parent != MS_NONE) return 1;
  return 0;
}

/* Whether x, on a path that enters its function's caller fn from anywhere
** (a thread or an external entry), has `lock` held by every call of fn the
** file makes, at the same access: fn is a function its callers call with
** the lock held (a `_nl` helper), and entered from elsewhere it is taken to
** be called so too. */
static int callers_hold(const ms_result *r, const ms_id *inst, uint32_t n, const ms_instance *x,
                        ms_id lock) {
  ms_id fn = root_function(r, x->context);
  int called = 0;
  for (uint32_t i = 0; i < n; i++) {
    const ms_instance *y = &r->instances.items[inst[i]];
    if (y->access != x->access || !through_call_of(r, y->context, fn)) continue;
    if (!holds(y, lock)) return 0;
    called = 1;
  }
  return called;
}

/* Whether x (one of the n instances of its map, inst) is evidence for or
** against `lock`. */
static int weighs_for(const ms_result *r, const ms_id *inst, uint32_t n, const ms_instance *x,
                      ms_id lock) {
  return !ms__maybe_holds(x, lock) && !owner_phase(r, x, lock) &&
         (holds(x, lock) || !callers_hold(r, inst, n, x, lock));
}

static void clear_sites(inference *g) {
  for (uint32_t i = 0; i < g->ntouched; i++) g->gw[g->touched[i]] = g->uw[g->touched[i]] = 0;
  g->ntouched = 0;
}

static void weigh(inference *g, ms_id fn, unsigned char *slot, unsigned char w) {
  if (!g->gw[fn] && !g->uw[fn]) g->touched[g->ntouched++] = fn;
  if (*slot < w) *slot = w;
}

static int declared(const inference *g, ms_id map, ms_id lock) {
  const char *mn = g->r->object_names[map], *ln = g->r->object_names[lock];
  if (!mn || !ln) return 0;
  for (uint32_t i = 0; i < g->opt->declared_guard_count; i++) {
    const ms_declared_guard *d = &g->opt->declared_guards[i];
    if (d->map && d->lock && strcmp(d->map, mn) == 0 && strcmp(d->lock, ln) == 0) return 1;
  }
  return 0;
}


/* Weighs the counted instances of one map for one lock into a guard. */
static void weigh_lock(inference *g, const ms_id *inst, uint32_t n, ms_id map, ms_id lock,
                       int has_write, ms_guard *out) {
  ms_result *r = g->r;
  memset(out, 0, sizeof *out);
  out->map = map;
  out->lock = lock;
  for (uint32_t i = 0; i < MS_GUARD_MAX_HELD_AT; i++) out->held_at[i] = MS_NONE;
  ms_id held_site[MS_GUARD_MAX_HELD_AT];
  for (uint32_t i = 0; i < n; i++) {
    const ms_instance *x = &r->instances.items[inst[i]];
    if (!weighs_for(r, inst, n, x, lock)) continue;
    unsigned char w = writes(r, x) ? 2 : 1;
    int h = holds(x, lock);
    for (uint32_t k = 0; k < x->sites.count; k++) {
      ms_id fn = x->sites.items[k];
      weigh(g, fn, h ? &g->gw[fn] : &g->uw[fn], w);
      if (h && !holds_weakly(x, lock)) g->strong[fn] = 1;
    }
    if (!h || !x->sites.count) continue;
    /* One "held here" per site, the first in the file, three at most. */
    ms_id site = x->sites.items[0];
    uint32_t k = 0;
    while (k < out->held_count && held_site[k] != site) k++;
    if (k < out->held_count) {
      if (earlier(r, inst[i], out->held_at[k])) out->held_at[k] = inst[i];
      continue;
    }
    if (out->held_count < MS_GUARD_MAX_HELD_AT) {
      held_site[out->held_count] = site;
      out->held_at[out->held_count++] = inst[i];
    }
  }
  /* Source order. */
  for (uint32_t i = 1; i < out->held_count; i++)
    for (uint32_t k = i; k > 0 && earlier(r, out->held_at[k], out->held_at[k - 1]); k--) {
      ms_id t = out->held_at[k];
      out->held_at[k] = out->held_at[k - 1];
      out->held_at[k - 1] = t;
    }
  for (uint32_t i = 0; i < g->ntouched; i++) {
    ms_id fn = g->touched[i];
    out->sites++;
    out->guarded_sites += g->gw[fn] > 0;
    out->strong_sites += g->strong[fn];
    g->strong[fn] = 0;
    out->guarded_weight += g->gw[fn];
    out->weight += g->gw[fn] + g->uw[fn];
  }
  clear_sites(g);
  if (declared(g, map, lock)) out->verdict = MS_GUARD_DECLARED;
  else if (!has_write) out->verdict = MS_GUARD_READ_ONLY;
  else if (out->guarded_sites < g->opt->min_guarded_sites || !out->strong_sites)
    out->verdict = MS_GUARD_TOO_FEW;
  else if ((uint64_t)out->guarded_weight * 1000 <
           (uint64_t)g->opt->min_guarded_permille * out->weight)
    out->verdict = MS_GUARD_TOO_RARE;
  else out->verdict = MS_GUARD_GUARDS;
}

static int usable(const ms_guard *gd) {
  return gd->verdict == MS_GUARD_GUARDS || gd->verdict == MS_GUARD_DECLARED;
}

/* Whether guard a wins over guard b. */
static int wins(const ms_result *r, const ms_guard *a, const ms_guard *b) {
  if ((a->verdict == MS_GUARD_DECLARED) != (b->verdict == MS_GUARD_DECLARED))
    return a->verdict == MS_GUARD_DECLARED;
  if (usable(a) != usable(b)) return usable(a);
  if (a->guarded_weight != b->guarded_weight) return a->guarded_weight > b->guarded_weight;
  if (a->held_count && b->held_count) return earlier(r, a->held_at[0], b->held_at[0]);
  return a->held_count > b->held_count;
}

/* Whether two guards of one map are held at no common site. */
static int disjoint(const ms_result *r, const ms_id *inst, uint32_t n, const ms_guard *a,
                    const ms_guard *b) {
  for (uint32_t i = 0; i < n; i++) {
    const ms_instance *x = &r->instances.items[inst[i]];
    if (!holds(x, a->lock)) continue;
    for (uint32_t k = 0; k < n; k++) {
      const ms_instance *y = &r->instances.items[inst[k]];
      if (!holds(y, b->lock)) continue;
      for (uint32_t s = 0; s < x->sites.count; s++)
        if (ms__idset_contains(&y->sites, x->sites.items[s])) return 0;
    }
  }
  return 1;
}

/* Whether x and y can run at once: the thread model says so (visible), or
** one of them is entered from elsewhere on any thread and the other runs
** beside threads too. */
static int concurrent(const inference *g, const ms_instance *x, const ms_instance *y,
                      int *visible) {
  *visible = ms__mhp(g->r, x, y);
  if (*visible) return 1;
  int ox = open_access(g, x), oy = open_access(g, y);
  return (ox && (oy || beside_threads(g->r, y))) || (oy && beside_threads(g->r, x));
}

/* The best counterpart of a violation: a counted access of the map it can
** run beside, one of the two writing, no common lock; holding the guard,
** writing, and early in the file are better. */
static ms_id counterpart(const inference *g, const ms_id *inst, uint32_t n, ms_id xi,
                         const ms_guard *gd, int visible_only) {
  const ms_result *r = g->r;
  const ms_instance *x = &r->instances.items[xi];
  ms_id best = MS_NONE;
  int best_score = -1;
  for (uint32_t k = 0; k < n; k++) {
    const ms_instance *y = &r->instances.items[inst[k]];
    int visible;
    if (!writes(r, x) && !writes(r, y)) continue;
    if (!concurrent(g, x, y, &visible) || (visible_only && !visible)) continue;
    if (ms__excluded_owned(r, x, y)) continue;
    int score = (holds(y, gd->lock) ? 4 : 0) + (writes(r, y) ? 2 : 0);
    if (score > best_score || (score == best_score && earlier(r, inst[k], best))) {
      best = inst[k];
      best_score = score;
    }
  }
  return best;
}

static int offer(inference *g, ms_id xi, ms_id yi, ms_id guard, ms_id rival) {
  ms_result *r = g->r;
  ms_id acc = r->instances.items[xi].access;
  if (g->best[acc] != MS_NONE) return 0; /* one per access: the first instance found */
  if (MS_GROW(r->findings)) return 1;
  ms_finding *f = &r->findings.items[r->findings.count];
  memset(f, 0, sizeof *f);
  f->check = MS_CHECK_INCONSISTENT_LOCKING;
  f->instance = xi;
  f->other = yi;
  f->missing_lock = f->missing_at = f->shared_lock = MS_NONE;
  f->guard = guard;
  f->rival = rival;
  g->best[acc] = r->findings.count++;
  return 0;
}

/* Guards and violations of one map. */
static int infer_map(inference *g, const ms_id *inst, uint32_t n, ms_id map) {
  ms_result *r = g->r;
  int has_write = 0;
  for (uint32_t i = 0; i < n; i++) has_write |= writes(r, &r->instances.items[inst[i]]);
  uint32_t first = r->guards.count;
  /* Every lock held at a counted access is a candidate, and declared ones. */
  for (uint32_t i = 0; i < n; i++) {
    const ms_instance *x = &r->instances.items[inst[i]];
    for (uint32_t l = 0; l < x->lock_count; l++) {
      ms_id lock = x->locks[l].lock;
      int seen = x->locks[l].other_owner;
      for (uint32_t k = first; k < r->guards.count && !seen; k++) seen = r->guards.items[k].lock == lock;
      if (seen) continue;
      if (MS_GROW(r->guards)) return 1;
      weigh_lock(g, inst, n, map, lock, has_write, &r->guards.items[r->guards.count]);
      r->guards.count++;
    }
  }
  /* Declared guards whose lock this file holds somewhere. */
  for (uint32_t d = 0; d < g->opt->declared_guard_count; d++) {
    const ms_declared_guard *dg = &g->opt->declared_guards[d];
    if (!dg->map || !dg->lock || !r->object_names[map] || strcmp(dg->map, r->object_names[map]))
      continue;
    for (uint32_t lock = 0; lock < r->objects.count; lock++) {
      int seen = !r->objects.items[lock].is_lock || !r->object_names[lock] ||
                 strcmp(r->object_names[lock], dg->lock) != 0;
      for (uint32_t k = first; k < r->guards.count && !seen; k++) seen = r->guards.items[k].lock == lock;
      if (seen) continue;
      if (MS_GROW(r->guards)) return 1;
      weigh_lock(g, inst, n, map, lock, has_write, &r->guards.items[r->guards.count]);
      r->guards.count++;
    }
  }
  if (r->guards.count == first) return 0;
  ms_id win = first;
  for (uint32_t k = first + 1; k < r->guards.count; k++)
    if (wins(r, &r->guards.items[k], &r->guards.items[win])) win = k;
  const ms_guard *w = &r->guards.items[win];
  if (w->verdict == MS_GUARD_READ_ONLY || (!w->guarded_sites && w->verdict != MS_GUARD_DECLARED))
    return 0;
  /* Not usable for accesses entered from anywhere: only for visible threads. */
  int visible_only = !usable(w);
  for (uint32_t i = 0; i < n; i++) {
    const ms_instance *x = &r->instances.items[inst[i]];
    if (holds(x, w->lock) || !weighs_for(r, inst, n, x, w->lock)) continue;
    /* Another guard of the map, held at other sites: different locks. */
    ms_id rival = MS_NONE;
    int ambiguous = 0;
    for (uint32_t k = first; k < r->guards.count; k++) {
      const ms_guard *o = &r->guards.items[k];
      if (k == win || !holds(x, o->lock)) continue;
      if (usable(o) && disjoint(r, inst, n, w, o)) rival = k;
      else if (usable(o)) ambiguous = 1;
    }
    if (ambiguous) continue; /* no clear winner */
    ms_id yi = counterpart(g, inst, n, inst[i], w, visible_only);
    if (yi != MS_NONE && offer(g, inst[i], yi, win, rival)) return 1;
  }
  return 0;
}

int ms__infer_guards(ms_result *r, const ms_options *opt) {
  uint32_t nf = r->facts->functions.count, ninst = r->instances.count, nobj = r->objects.count;
  uint32_t nacc = r->facts->accesses.count;
  inference g;
  memset(&g, 0, sizeof g);
  g.r = r;
  g.opt = opt;
  uint32_t *start = calloc(nobj + 2, sizeof *start);
  ms_id *by_map = malloc((ninst ? ninst : 1) * sizeof *by_map); /* counted, in order */
  ms_id *order = malloc((ninst ? ninst : 1) * sizeof *order);    /* the same, by map */
  g.gw = calloc(nf ? nf : 1, 1);
  g.uw = calloc(nf ? nf : 1, 1);
  g.strong = calloc(nf ? nf : 1, 1);
  g.touched = malloc((nf ? nf : 1) * sizeof *g.touched);
  g.best = malloc((nacc ? nacc : 1) * sizeof *g.best);
  int rc = 1;
  if (!start || !by_map || !order || !g.gw || !g.uw || !g.strong || !g.touched || !g.best ||
      collect_inits(&g) || collect_teardowns(&g))
    goto done;
  for (uint32_t i = 0; i < nacc; i++) g.best[i] = MS_NONE;
  /* The counted instances, grouped by map in instance order. */
  uint32_t n = 0;
  for (uint32_t i = 0; i < ninst; i++)
    if (counted(&g, i)) {
      by_map[n++] = i;
      start[r->instances.items[i].map + 2]++;
    }
  for (uint32_t m = 0; m < nobj; m++) start[m + 2] += start[m + 1];
  for (uint32_t k = 0; k < n; k++) {
    ms_id i = by_map[k];
    order[start[r->instances.items[i].map + 1]++] = i;
  }
  uint32_t before = r->findings.count;
  for (uint32_t m = 0; m < nobj; m++)
    if (start[m + 1] > start[m] && infer_map(&g, order + start[m], start[m + 1] - start[m], m))
      goto done;
  if (r->findings.count != before) ms__sort_findings(r);
  rc = 0;
done:
  free(start);
  free(by_map);
  free(order);
  free(g.gw);
  free(g.uw);
  free(g.strong);
  free(g.touched);
  free(g.best);
  free(g.inits.items);
  free(g.teardowns.items);
  return rc;
}
