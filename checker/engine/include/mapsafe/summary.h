/*
** mapsafe summary: what the analysis of a file saw, counted.
**
** A file without warnings is either clean or invisible to mapsafe: no
** thread start it understands, no map library it models, accesses on maps
** it cannot name.  The summary tells the two apart: the thread roots and how
** each starts, the maps per library, the map operations (reads, writes),
** the locks, the guards, the findings, and the bounds reached.  The
** messages that tell it are in messages.h (ms_summary_message,
** ms_summary_note); the clang-tidy checks tell it as a remark when
** mapsafe.Summary is set (docs/checks/incomplete-analysis.md#summary).
**
** Names point into the result or its facts: a summary lives no longer
** than the result it was made from.
*/
#ifndef MAPSAFE_SUMMARY_H
#define MAPSAFE_SUMMARY_H

#include "mapsafe/analysis.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { MS_SUMMARY_MAX_NAMES = 3 }; /* names kept per list; the rest are counted */

/* A list of distinct names, the first few of them kept (in the order the
** analysis met them). */
typedef struct ms_summary_names {
  uint32_t count;                          /* distinct names in all */
  const char *first[MS_SUMMARY_MAX_NAMES]; /* the first min(count, 3) of them */
} ms_summary_names;

/* Threads started with one API, or maps of one library. */
typedef struct ms_summary_group {
  const char *what;       /* the spawn API ("pthread_create", "omp parallel", "signal"),
                             or the map library ("GLib GHashTable"); "" when unknown */
  uint32_t count;         /* threads started with it, or maps of it */
  uint32_t many;          /* threads: of them, those with many instances at once */
  ms_summary_names names; /* threads: their entry functions; maps: their names */
} ms_summary_group;

typedef struct ms_summary {
  /* Thread roots.  Spawned threads by spawn API, in the order of the
  ** analysis (one per spawn and spawning thread, as ms_result.threads). */
  ms_summary_group *starts;
  uint32_t start_count;
  uint32_t spawned;            /* spawned threads, all APIs together */
  ms_summary_names declared;   /* functions declared to run on many threads at once
                                  (ConcurrentFunctions, a rule's callback table) */
  ms_summary_names external;   /* functions with external linkage taken to be callable on
                                  any thread (guard inference only; none when
                                  ConcurrentExternalFunctions is false) */
  uint32_t unfollowed;         /* spawn calls with no entry function to follow */

  /* Maps: distinct map objects, by library (in the order the analysis
  ** met them).  A map made in a function's local is one map here, however
  ** many threads make their own. */
  ms_summary_group *libraries;
  uint32_t library_count;
  uint32_t maps;

  /* Map operations: the access facts (the operations written in the code,
  ** each counted once however many call paths reach it). */
  uint32_t accesses;
  uint32_t reads;              /* lookups, contains, size, iteration */
  uint32_t writes;             /* inserts, removals, clears, destructions */
  uint32_t creations;          /* the maps coming into existence */
  uint32_t unchecked;          /* operations that no call path reaches with a map
                                  mapsafe can name: not checked */

  /* Locks held at some map operation, named; and whether a lock that
  ** cannot be named is (it is taken to exclude everything). */
  ms_summary_names locks;
  int unnamed_locks;

  /* Guards (ms_guard verdicts GUARDS and DECLARED): the first few, as
  ** indexes into ms_result.guards. */
  uint32_t guards;
  ms_id first_guards[MS_SUMMARY_MAX_NAMES];

  /* Findings the enabled checks report (before NOLINT comments), by check;
  ** an inconsistent-locking finding that a race finding supersedes is not
  ** counted (ms_finding_superseded). */
  uint32_t findings[MS_CHECK_COUNT];
  uint32_t finding_total;

  /* Bounds: as ms_result.limits, .graph_limits, .unsettled. */
  unsigned limits;
  unsigned graph_limits;
  uint32_t unsettled;
} ms_summary;

/* Counts what r saw; `enabled` are the checks that report (bits
** 1 << ms_check).  Returns 0, or 1 when memory runs out (then *out holds
** nothing to free). */
int ms_summarize(const ms_result *r, unsigned enabled, ms_summary *out);
void ms_summary_free(ms_summary *s);

/* Whether the file shows no concurrency at all: no thread it starts can be
** followed and no function is declared concurrent.  (Functions with
** external linkage may still be taken to be callable on any thread, for
** guard inference.) */
int ms_summary_blind(const ms_summary *s);

#ifdef __cplusplus
}
#endif
#endif /* MAPSAFE_SUMMARY_H */
