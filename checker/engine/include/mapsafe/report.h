/*
** Reports: findings as text for the command-line tools, and the map access
** graph as JSON or DOT.  The words come from messages.h, the explanations
** from explain.h; nothing here decides anything.
*/
#ifndef MAPSAFE_REPORT_H
#define MAPSAFE_REPORT_H

#include <stdio.h>

#include "mapsafe/analysis.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Prints every finding as "file:line:col: warning: ... [mapsafe-check]"
** followed by its notes.  Returns the number of findings, or -1 when memory
** runs out. */
int ms_write_text(const ms_result *r, FILE *out);

/* The map access graph: maps, locks, threads, accesses (with lockset and
** threads), findings.  Return malloc'ed, NUL-terminated text; NULL when
** memory runs out. */
char *ms_graph_json(const ms_result *r);
char *ms_graph_dot(const ms_result *r);

#ifdef __cplusplus
}
#endif
#endif /* MAPSAFE_REPORT_H */
