/*
** Explanations of findings as steps (explain.h).
**
** The order of the steps: the conflicting access (or the same access in
** another instance), the lock missing here or held only in shared mode,
** where the conflicting access's thread is started (and the calls to its
** spawn), where the reported access's thread is started, the call path to
** the reported access, the call path to the conflicting one, and where the
** map is created.  For an access that does not hold its map's guard: where
** the guard is held, then why the access can run concurrently (the function
** any thread may call and the calls from it, or the race's threads).
*/
#include "mapsafe/explain.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "internal.h"
#include "race.h"

typedef struct builder {
  const ms_result *r;
  MS_ARRAY(ms_step) steps;
  int oom;
} builder;

static ms_step *step(builder *b, ms_step_kind kind, ms_id loc) {
  if (b->oom || MS_GROW(b->steps)) {
    b->oom = 1;
    return NULL;
  }
  ms_step *s = &b->steps.items[b->steps.count++];
  memset(s, 0, sizeof *s);
  s->kind = kind;
  s->loc = loc;
  s->access = s->object = s->thread = s->other_thread = s->function = s->other_function = MS_NONE;
  return s;
}

static const ms_access *access_of(const ms_result *r, ms_id inst) {
  return &r->facts->accesses.items[r->instances.items[inst].access];
}

/* The calls from a thread's entry down to a context's function, outermost
** first. */
static void call_path(builder *b, ms_id ctx) {
  const ms_result *r = b->r;
  uint32_t n = 0;
  for (ms_id c = ctx; c != MS_NONE; c = r->contexts.items[c].parent)
    if (r->contexts.items[c].call != MS_NONE) n++;
  uint32_t first = b->steps.count;
  for (uint32_t i = 0; i < n; i++) step(b, MS_STEP_CALLED_FROM, MS_NONE);
  if (b->oom) return;
  uint32_t k = first + n;
  for (ms_id c = ctx; c != MS_NONE; c = r->contexts.items[c].parent) {
    ms_id call = r->contexts.items[c].call;
    if (call == MS_NONE) continue;
    const ms_call *fc = &r->facts->calls.items[call];
    ms_step *s = &b->steps.items[--k];
    s->loc = fc->loc;
    s->function = fc->callee;
    s->other_function = fc->caller;
  }
}

static void thread_started(builder *b, ms_id thread) {
  const ms_thread *t = &b->r->threads.items[thread];
  if (t->kind == MS_THREAD_DECLARED) {
    ms_step *s = step(b, MS_STEP_DECLARED_THREAD, b->r->facts->functions.items[t->func].loc);
    if (s) s->thread = thread;
    return;
  }
  if (t->kind != MS_THREAD_SPAWNED) return;
  ms_step *s = step(b, MS_STEP_THREAD_STARTED, b->r->facts->spawns.items[t->spawn].loc);
  if (!s) return;
  s->thread = thread;
  s->other_thread = t->parent;
  s->flag = t->multiplicity == MS_MULT_MANY;
  call_path(b, t->spawn_ctx);
}

/* Where the map is created, when an instance creates it. */
static void map_created(builder *b, ms_id map) {
  const ms_result *r = b->r;
  for (uint32_t i = 0; i < r->instances.count; i++)
    if (r->instances.items[i].map == map && access_of(r, i)->kind == MS_ACC_CREATE) {
      ms_step *s = step(b, MS_STEP_MAP_CREATED, access_of(r, i)->loc);
      if (s) s->object = map;
      return;
    }
}

/* The conflicting access of a race (or the same one in another instance). */
static void conflict(builder *b, const ms_finding *f) {
  const ms_result *r = b->r;
  const ms_instance *x = &r->instances.items[f->instance], *y = &r->instances.items[f->other];
  ms_step *s = step(b, f->other == f->instance ? MS_STEP_SAME_ACCESS : MS_STEP_CONFLICT,
                    access_of(r, f->other)->loc);
  if (s) {
    s->access = y->access;
    s->thread = y->thread;
    s->flag = f->other != f->instance && x->thread == y->thread;
  }
}

/* An access that does not hold the guard of its map: where the guard is
** held, and why this access can run concurrently (entered from anywhere,
** or the threads the thread model sees). */
static void explain_guard(builder *b, const ms_finding *f) {
  const ms_result *r = b->r;
  const ms_instance *x = &r->instances.items[f->instance], *y = &r->instances.items[f->other];
  const ms_guard *g = &r->guards.items[f->guard];
  for (uint32_t i = 0; i < g->held_count; i++) {
    if (r->instances.items[g->held_at[i]].access == x->access) continue; /* itself, elsewhere */
    ms_step *s = step(b, MS_STEP_HELD_HERE, access_of(r, g->held_at[i])->loc);
    if (s) {
      s->object = g->lock;
      s->access = r->instances.items[g->held_at[i]].access;
    }
  }
  ms_id site = ms__open_site(r, x);
  if (site != MS_NONE && !ms__mhp(r, x, y)) {
    /* The root of the call path when it is open, else the first open site. */
    ms_id root = x->context;
    while (r->contexts.items[root].parent != MS_NONE) root = r->contexts.items[root].parent;
    ms_id rootfn = r->contexts.items[root].func;
    if (ms__idset_contains(&x->sites, rootfn) && ms__open_function(r->facts, rootfn)) site = rootfn;
    ms_step *s = step(b, MS_STEP_OPEN_FUNCTION, r->facts->functions.items[site].loc);
    if (s) {
      s->function = site;
      s->flag = (int)r->facts->functions.items[site].visibility;
    }
    call_path(b, x->context);
    return;
  }
  conflict(b, f);
  thread_started(b, y->thread);
  if (x->thread != y->thread) thread_started(b, x->thread);
  call_path(b, x->context);
  if (f->other != f->instance) call_path(b, y->context);
}

/* A race: the conflicting access, the lock missing here or held only in
** shared mode, the threads, the call paths, where the map is created. */
static void explain_race(builder *b, const ms_finding *f) {
  const ms_result *r = b->r;
  const ms_instance *x = &r->instances.items[f->instance], *y = &r->instances.items[f->other];
  ms_step *s;
  conflict(b, f);
  if (f->missing_lock != MS_NONE && (s = step(b, MS_STEP_MISSING_LOCK, f->missing_at)))
    s->object = f->missing_lock;
  if (f->shared_lock != MS_NONE) {
    ms_id at = MS_NONE;
    for (uint32_t i = 0; i < x->lock_count; i++)
      if (x->locks[i].lock == f->shared_lock) at = x->locks[i].acquired_at;
    if ((s = step(b, MS_STEP_SHARED_MODE, at))) s->object = f->shared_lock;
  }
  thread_started(b, y->thread);
  if (x->thread != y->thread) thread_started(b, x->thread);
  call_path(b, x->context);
  if (f->other != f->instance) call_path(b, y->context);
  map_created(b, x->map);
}

int ms_explain(const ms_result *r, const ms_finding *f, ms_explanation *out) {
  assert(f->instance < r->instances.count && f->other < r->instances.count);
  builder b;
  memset(&b, 0, sizeof b);
  b.r = r;
  if (f->check == MS_CHECK_INCONSISTENT_LOCKING) {
    assert(f->guard < r->guards.count);
    explain_guard(&b, f);
  } else {
    explain_race(&b, f);
  }
  if (b.oom) {
    free(b.steps.items);
    memset(out, 0, sizeof *out);
    return 1;
  }
  out->steps = b.steps.items;
  out->count = b.steps.count;
  return 0;
}

void ms_explanation_free(ms_explanation *e) {
  free(e->steps);
  e->steps = NULL;
  e->count = 0;
}
