/*
** Explanations: why a finding holds, as data.
**
** The analysis finds; this module says which facts make a finding true, in
** the order a reader wants them (clang's habit of one warning and a chain
** of notes): the conflicting access and its thread, the lock that protects
** it but is missing here, where the threads involved are started, the call
** paths from their roots, where the map is created.  Each step is data:
** a kind and the things it is about.  The words are messages.h's.
*/
#ifndef MAPSAFE_EXPLAIN_H
#define MAPSAFE_EXPLAIN_H

#include "mapsafe/analysis.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ms_step_kind {
  MS_STEP_SAME_ACCESS,    /* the reported access runs in another instance of its thread:
                             access, thread */
  MS_STEP_CONFLICT,       /* the conflicting access: access, thread; flag: another instance
                             of the reported access's thread */
  MS_STEP_MISSING_LOCK,   /* object: a lock held at the conflicting access, not here;
                             loc: where the conflicting access acquired it */
  MS_STEP_SHARED_MODE,    /* object: a lock this write holds only in shared mode;
                             loc: where it was acquired */
  MS_STEP_THREAD_STARTED, /* thread, started at loc by other_thread; flag: many instances */
  MS_STEP_CALLED_FROM,    /* function is called from other_function at loc */
  MS_STEP_MAP_CREATED,    /* object: the map, created at loc */
  MS_STEP_HELD_HERE,      /* object: the guard, held at loc by the access */
  MS_STEP_DECLARED_THREAD, /* thread is declared to run on many threads at once; loc: its
                              function */
  MS_STEP_OPEN_FUNCTION,  /* function may be entered on any thread; flag: its ms_visibility */
  MS_STEP_KIND_COUNT
} ms_step_kind;

typedef struct ms_step {
  ms_step_kind kind;
  ms_id loc;            /* loc id, or MS_NONE */
  ms_id access;         /* access fact, or MS_NONE */
  ms_id object;         /* object id, or MS_NONE */
  ms_id thread;         /* thread id, or MS_NONE */
  ms_id other_thread;   /* thread id, or MS_NONE */
  ms_id function;       /* function id, or MS_NONE */
  ms_id other_function; /* function id, or MS_NONE */
  int flag;
} ms_step;

typedef struct ms_explanation {
  ms_step *steps;
  uint32_t count;
} ms_explanation;

/* Explains a finding into *out (malloc'ed steps); 0 on success, 1 when
** memory runs out. */
int ms_explain(const ms_result *r, const ms_finding *f, ms_explanation *out);
void ms_explanation_free(ms_explanation *e);

#ifdef __cplusplus
}
#endif
#endif /* MAPSAFE_EXPLAIN_H */
