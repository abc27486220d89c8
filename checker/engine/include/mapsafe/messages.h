/*
** Messages: the wording of everything mapsafe tells a user, in one place.
**
** A message is a format in clang's diagnostic syntax and its arguments:
** %0 .. %9 stand for an argument, %select{a|b|c}N picks the piece numbered
** by argument N (pieces may hold further arguments), %sN is "s" unless
** argument N is 1 (plurals), %% is a percent sign.
** Names are strings and are quoted by the format; numbers pick select
** pieces or are printed.  The clang-tidy checks stream the arguments into
** the format as a diagnostic (clang does the formatting); the command-line
** tools and the graph use ms_format(), which follows the same syntax.
*/
#ifndef MAPSAFE_MESSAGES_H
#define MAPSAFE_MESSAGES_H

#include "mapsafe/analysis.h"
#include "mapsafe/explain.h"
#include "mapsafe/summary.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { MS_MAX_MESSAGE_ARGS = 10 }; /* clang's formats number them 0 to 9 */

typedef struct ms_message_arg {
  int is_number;
  const char *text; /* strings: owned by the result or its facts, or static */
  unsigned number;
} ms_message_arg;

typedef struct ms_message {
  const char *format;
  ms_message_arg args[MS_MAX_MESSAGE_ARGS];
  unsigned arg_count;
} ms_message;

/* The headline of a finding. */
void ms_finding_message(const ms_result *r, const ms_finding *f, ms_message *out);

/* The note of one explanation step. */
void ms_step_message(const ms_result *r, const ms_step *s, ms_message *out);

/* Why the analysis of a file is incomplete: the bound `limit` was reached. */
void ms_limit_message(const ms_result *r, ms_limit limit, ms_message *out);

/* Why the analysis of a file is incomplete: functions whose dataflow did
** not settle (r->unsettled of them, the first r->first_unsettled). */
void ms_unsettled_message(const ms_result *r, ms_message *out);

/* A thread as messages name it: "the main thread", "thread 'worker'". */
void ms_thread_message(const ms_result *r, ms_id thread, ms_message *out);

/* A note moved to the warning's line because a NOLINT comment on its own
** line would hide it: the note's text and where it belongs. */
void ms_moved_note_message(const char *note, const char *file, unsigned line, unsigned col,
                           ms_message *out);

/* An option name that no mapsafe check knows. */
void ms_unknown_option_message(const char *name, ms_message *out);

/* An error told as a message: "mapsafe: <text>". */
void ms_error_message(const char *text, ms_message *out);

/* Where a file's compile errors paused mapsafe: the first function they lie
** in (with the line of its name) and the functions calling it; with
** function NULL, the whole file (an error in an included file, or one that
** stopped the compiler). */
void ms_paused_message(const char *function, unsigned line, ms_message *out);
/* The summary of a file (mapsafe.Summary): its headline, one line: what
** the analysis saw, or, plainly, that nothing concurrent or no map is
** visible. */
void ms_summary_message(const ms_summary *s, ms_message *out);

/* The i-th note of the summary (from 0): the thread roots by how they
** start, the maps by library, unchecked operations, locks, guards,
** findings, bounds, what to configure.  Returns 1, or 0 (and writes
** nothing) when there is no i-th note. */
int ms_summary_note(const ms_result *r, const ms_summary *s, uint32_t i, ms_message *out);

/* The summary of a file that was not analysed: mapsafe's own errors
** (config_errors), told above it, or memory running out. */
void ms_unanalysed_summary_message(int config_errors, ms_message *out);

/* Formats a message as clang would; malloc'ed text, NULL when memory runs
** out.  A malformed format is copied as it stands. */
char *ms_format(const ms_message *m);

/* The name of an object as messages show it (without quotes): "sessions",
** "struct server.sessions"; NULL for a lock that cannot be named. */
const char *ms_object_name(const ms_result *r, ms_id object);

#ifdef __cplusplus
}
#endif
#endif /* MAPSAFE_MESSAGES_H */
