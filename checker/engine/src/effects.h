/*
** Function effects: the first step of the analysis (effects.c).
**
** The facts say what each function does itself, and refer to calls where a
** callee may have acted (facts.h, WHO DECIDES WHAT).  This step computes
** every function's effects on its callers, callees first, and with them
** resolves the lock and thread sets of every access, call and spawn into
** plain sets in the function's own terms: the locks held there, and the
** spawns possibly running there.  The rest of the analysis reads only these.
*/
#ifndef MAPSAFE_EFFECTS_H
#define MAPSAFE_EFFECTS_H

#include "mapsafe/facts.h"

/* A lock held at a point, in the terms of the function the point is in. */
typedef struct ms_local_lock {
  ms_path lock;
  ms_lock_mode mode;
  ms_id acquired_at; /* loc id: the acquisition, or the call that returned holding it */
} ms_local_lock;

typedef struct ms_local_locks {
  ms_local_lock *items;
  uint32_t count;
  /* Locks held before a call that may release them (a callee releases its
  ** caller's lock on some of its paths): held on some paths only. */
  ms_pathset dropped;
} ms_local_locks;

/* A thread possibly running at a point, with where its handle is stored. */
typedef struct ms_local_thread {
  ms_id spawn;
  ms_path handle;
} ms_local_thread;

typedef struct ms_local_threads {
  ms_local_thread *items;
  uint32_t count;
} ms_local_threads;

/* What a call of a function does to its caller's state, in the function's
** terms (its parameters stand for the caller's arguments). */
typedef struct ms_effects {
  ms_local_locks acquires;   /* held at return, taken inside */
  ms_pathset releases;       /* released inside, held by the caller */
  ms_pathset some_releases;  /* the same, released on some paths only */
  ms_local_threads running;  /* started inside, possibly running at return */
  ms_pathset joins;          /* handles joined inside */
} ms_effects;

/* Everything this step derives; arrays parallel to the facts' arrays. */
typedef struct ms_resolved {
  ms_effects *functions;
  ms_local_locks *access_locks, *call_locks, *spawn_locks;
  ms_idset *access_threads, *call_threads, *spawn_threads; /* spawn ids, sorted */
} ms_resolved;

/* Computes the effects and resolves every set; 0 on success, 1 when memory
** runs out (out is then freed).  The facts must have passed ms_facts_check. */
int ms__resolve_effects(const ms_facts *f, ms_resolved *out);
void ms__resolved_free(const ms_facts *f, ms_resolved *r);

#endif /* MAPSAFE_EFFECTS_H */
