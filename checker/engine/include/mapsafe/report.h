/*
** mapsafe reports: telling what the analysis found.
**
** The analysis (analysis.h) finds; this module tells.  It explains a
** finding as a list of steps (clang-style notes: the conflicting access and
** its thread, where that thread was started, the call path, the lock held
** there but not here), prints findings as text, and writes the map access
** graph as JSON or DOT.
*/
#ifndef MAPSAFE_REPORT_H
#define MAPSAFE_REPORT_H

#include <stdio.h>

#include "mapsafe/analysis.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One note of an explanation. */
typedef struct ms_step {
  ms_id loc;       /* loc id (MS_NONE: no location) */
  char text[320];
} ms_step;

enum { MS_MAX_STEPS = 24 };

/* The headline of a finding ("unsynchronized write to map 'sessions' ...").
** Writes at most `size` bytes into buf (always terminated). */
void ms_headline(const ms_result *r, const ms_finding *f, char *buf, size_t size);

/* Explains a finding; returns the number of steps written (at most max). */
uint32_t ms_explain(const ms_result *r, const ms_finding *f, ms_step *steps, uint32_t max);

/* Describes things for messages, into buf (always terminated). */
void ms_describe_map(const ms_result *r, ms_id object, char *buf, size_t size);
void ms_describe_thread(const ms_result *r, ms_id thread, char *buf, size_t size);

/* Prints every finding as "file:line:col: warning: ... [mapsafe-check]"
** followed by its notes.  Returns the number of findings. */
uint32_t ms_write_text(const ms_result *r, FILE *out);

/* The map access graph: maps, locks, threads, accesses (with lockset and
** threads), findings.  Return malloc'ed, NUL-terminated text; NULL when
** memory runs out. */
char *ms_graph_json(const ms_result *r);
char *ms_graph_dot(const ms_result *r);

#ifdef __cplusplus
}
#endif
#endif /* MAPSAFE_REPORT_H */
