#!/usr/bin/env python3
"""Generate a deterministic corpus of server-style multithreaded C files.

Usage: gen_corpus.py OUTDIR [--count N] [--seed S] [--min-lines A] [--max-lines B]
                            [--lib-every N] [--verify]

Every file is plain C11 that looks like a small server module: shared hash
tables, global or in a context struct, with pthread_mutex_t /
pthread_rwlock_t / GMutex locks; lookup/insert/remove helpers (locked,
unlocked, through lock-wrapper functions, with trylock); iteration; worker
thread functions started with pthread_create in loops and joined from main(),
which builds the tables before spawning; and plenty of ordinary code (string
handling, parsing, arithmetic, switch statements, ring buffers, sorting).
Some tables are deliberately accessed without their lock (the kind of bug
mapsafe looks for), some are written only before the threads start, some are
thread-confined locals. About one file in six also uses OpenMP.

Most files include <glib.h> and use GHashTable (g_hash_table_foreach,
GHashTableIter).  Every --lib-every'th file (default 5: files 4, 9, 14, ...)
uses another library's maps instead, in turn uthash, khash (htslib's
khash.h), stb_ds and APR (apr_hash_t in an apr_pool_t, apr_thread_mutex_t /
apr_thread_rwlock_t or pthread locks, apr_thread_create threads), and does
not include <glib.h>.  A GLib file is the same with or without library
files (--lib-every 0 gives the corpus from before they were added).

The output depends only on --seed, --lib-every and the file index (Python's
`random` with an integer seed is stable across Python 3 versions), so two
runs produce byte-identical files.  Python 3 standard library only.

--verify compiles every generated file with
  clang-22 -fsyntax-only -Wall -Wextra $(pkg-config --cflags glib-2.0) -pthread [-fopenmp]
           [$(pkg-config --cflags apr-1)]
(the extra flags decided from the file's includes by flags.py, as run.py
does) and exits non-zero on any error or warning.
"""

import argparse
import os
import random
import re
import shlex
import string
import subprocess
import sys
import textwrap

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flags as benchflags  # noqa: E402

DEFAULT_SEED = 20240611
DEFAULT_LIB_EVERY = 5

MODULE_NAMES = [
    "proxy", "broker", "gateway", "indexer", "scheduler", "kvstore", "authd",
    "telemetry", "relay", "registry", "dispatcher", "collector", "balancer",
    "resolver", "notifier", "archiver", "limiter", "tracker",
]

TABLE_NAMES = [
    "session", "route", "peer", "token", "user", "metric", "job", "conn",
    "cache", "lease", "quota", "blob", "alias", "tenant", "shard", "topic",
    "subscriber", "upstream", "device", "ticket", "channel", "mount",
]

EXTRA_FIELDS = [
    ("int", "state"), ("unsigned", "flags"), ("long", "created"),
    ("double", "latency_ms"), ("int", "priority"), ("unsigned", "errors"),
    ("long", "bytes_in"), ("long", "bytes_out"), ("int", "owner"),
    ("unsigned", "generation"),
]

VERBS = ["GET", "PUT", "DEL", "TOUCH", "STAT", "EXPIRE", "LIST", "PING"]


def T(text, **kw):
    """Dedent TEXT and substitute $names from KW (C has no '$', braces stay)."""
    return string.Template(textwrap.dedent(text).strip("\n")).substitute(kw) + "\n"


def indent(stmt, n):
    pad = " " * n
    return "\n".join(pad + l if l else l for l in stmt.split("\n"))


# --------------------------------------------------------------------------
# Ordinary (non-map) code: each template returns a C function as a string.
# `s` is a unique suffix, `r` the file's Random.
# --------------------------------------------------------------------------

def u_trim(s, r):
    return T("""
    /* Strip leading and trailing whitespace in place. */
    char *str_trim_$s(char *s)
    {
        char *end;

        while (*s && isspace((unsigned char)*s))
            s++;
        if (*s == '\\0')
            return s;
        end = s + strlen(s) - 1;
        while (end > s && isspace((unsigned char)*end))
            *end-- = '\\0';
        return s;
    }
    """, s=s)


def u_lower(s, r):
    return T("""
    /* Lower-case ASCII letters in place; returns how many changed. */
    int str_lower_$s(char *s)
    {
        int changed = 0;

        for (; *s; s++) {
            if (*s >= 'A' && *s <= 'Z') {
                *s = (char)(*s - 'A' + 'a');
                changed++;
            }
        }
        return changed;
    }
    """, s=s)


def u_split_kv(s, r, sep=None):
    sep = sep or r.choice(["=", ":"])
    return T("""
    /* Split "key${sep}value" in place. Returns 0 on success. */
    int split_kv_$s(char *line, char **key, char **val)
    {
        char *sep = strchr(line, '${sep}');

        if (sep == NULL) {
            *key = line;
            *val = line + strlen(line);
            return -1;
        }
        *sep = '\\0';
        *key = line;
        *val = sep + 1;
        while (**val == ' ')
            (*val)++;
        return **key == '\\0' ? -1 : 0;
    }
    """, s=s, sep=sep)


def u_parse_int(s, r):
    return T("""
    /* Parse a decimal integer in [lo, hi]; returns def on any error. */
    int parse_int_$s(const char *text, int lo, int hi, int def)
    {
        char *end = NULL;
        long v;

        if (text == NULL || *text == '\\0')
            return def;
        errno = 0;
        v = strtol(text, &end, 10);
        if (errno != 0 || end == text)
            return def;
        while (*end == ' ' || *end == '\\t')
            end++;
        if (*end != '\\0')
            return def;
        if (v < lo)
            return lo;
        if (v > hi)
            return hi;
        return (int)v;
    }
    """, s=s)


def u_parse_method(s, r):
    cases = []
    for i, v in enumerate(VERBS):
        cases.append((v, i + 1))
    by_first = {}
    for v, i in cases:
        by_first.setdefault(v[0], []).append((v, i))
    body = []
    for ch in sorted(by_first):
        body.append("    case '%s':" % ch)
        for v, i in by_first[ch]:
            body.append('        if (strncmp(p, "%s", %d) == 0 && (p[%d] == \' \' || p[%d] == \'\\0\'))'
                        % (v, len(v), len(v), len(v)))
            body.append("            return METHOD_%s_%s;" % (v, s))
        body.append("        break;")
    enum = ",\n".join("    METHOD_%s_%s = %d" % (v, s, i) for v, i in cases)
    return T("""
    enum method_$s {
        METHOD_NONE_$s = 0,
    $enum
    };

    /* Classify the request verb at the start of p. */
    int parse_method_$s(const char *p)
    {
        switch (toupper((unsigned char)p[0])) {
    $body
        default:
            break;
        }
        return METHOD_NONE_$s;
    }
    """, s=s, enum=enum, body="\n".join(body))


def u_hexval(s, r):
    return T("""
    static int hexval_$s(int c)
    {
        switch (c) {
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
            return c - '0';
        case 'a': case 'b': case 'c': case 'd': case 'e': case 'f':
            return c - 'a' + 10;
        case 'A': case 'B': case 'C': case 'D': case 'E': case 'F':
            return c - 'A' + 10;
        default:
            return -1;
        }
    }

    /* Percent-decode src into dst (at most cap-1 bytes). Returns length or -1. */
    int url_decode_$s(const char *src, char *dst, size_t cap)
    {
        size_t n = 0;

        if (cap == 0)
            return -1;
        while (*src && n + 1 < cap) {
            if (*src == '%') {
                int hi = hexval_$s((unsigned char)src[1]);
                int lo = hi < 0 ? -1 : hexval_$s((unsigned char)src[2]);
                if (hi < 0 || lo < 0)
                    return -1;
                dst[n++] = (char)(hi * 16 + lo);
                src += 3;
            } else if (*src == '+') {
                dst[n++] = ' ';
                src++;
            } else {
                dst[n++] = *src++;
            }
        }
        dst[n] = '\\0';
        return (int)n;
    }
    """, s=s)


def u_checksum(s, r):
    mod = r.choice([65521, 65519, 65497, 32749])
    return T("""
    /* Adler-style checksum over a buffer (modulus $mod). */
    guint32 checksum_$s(const unsigned char *buf, size_t len)
    {
        guint32 a = 1, b = 0;
        size_t i;

        for (i = 0; i < len; i++) {
            a = (a + buf[i]) % ${mod}u;
            b = (b + a) % ${mod}u;
        }
        return (b << 16) | a;
    }
    """, s=s, mod=mod)


def u_fnv(s, r):
    return T("""
    /* FNV-1a hash of a NUL-terminated string. */
    guint32 fnv1a_$s(const char *str)
    {
        guint32 h = 2166136261u;

        while (*str) {
            h ^= (unsigned char)*str++;
            h *= 16777619u;
        }
        return h;
    }
    """, s=s)


def u_stats(s, r):
    return T("""
    struct stats_$s {
        double mean;
        double variance;
        double min;
        double max;
        size_t n;
    };

    /* One-pass mean/variance (Welford) over n samples. */
    void compute_stats_$s(const double *xs, size_t n, struct stats_$s *out)
    {
        double m2 = 0.0;
        size_t i;

        memset(out, 0, sizeof *out);
        if (n == 0)
            return;
        out->min = out->max = xs[0];
        for (i = 0; i < n; i++) {
            double delta = xs[i] - out->mean;
            out->mean += delta / (double)(i + 1);
            m2 += delta * (xs[i] - out->mean);
            if (xs[i] < out->min)
                out->min = xs[i];
            if (xs[i] > out->max)
                out->max = xs[i];
        }
        out->n = n;
        out->variance = n > 1 ? m2 / (double)(n - 1) : 0.0;
    }
    """, s=s)


def u_bucket(s, r):
    b = sorted(r.sample(range(2, 2000), 5))
    return T("""
    /* Map a latency in milliseconds to a histogram bucket. */
    int latency_bucket_$s(long ms)
    {
        if (ms < 0)
            return -1;
        if (ms < $b0)
            return 0;
        if (ms < $b1)
            return 1;
        if (ms < $b2)
            return 2;
        if (ms < $b3)
            return 3;
        if (ms < $b4)
            return 4;
        return 5;
    }

    const char *bucket_label_$s(int bucket)
    {
        switch (bucket) {
        case 0:
            return "<${b0}ms";
        case 1:
            return "<${b1}ms";
        case 2:
            return "<${b2}ms";
        case 3:
            return "<${b3}ms";
        case 4:
            return "<${b4}ms";
        case 5:
            return "slow";
        default:
            return "invalid";
        }
    }
    """, s=s, b0=b[0], b1=b[1], b2=b[2], b3=b[3], b4=b[4])


def u_ring(s, r):
    cap = r.choice([16, 32, 64, 128, 256])
    return T("""
    #define RING_CAP_$s $cap

    struct ring_$s {
        int items[RING_CAP_$s];
        unsigned head;
        unsigned tail;
        unsigned dropped;
    };

    void ring_init_$s(struct ring_$s *rb)
    {
        memset(rb, 0, sizeof *rb);
    }

    int ring_push_$s(struct ring_$s *rb, int v)
    {
        if (rb->head - rb->tail == RING_CAP_$s) {
            rb->dropped++;
            return -1;
        }
        rb->items[rb->head % RING_CAP_$s] = v;
        rb->head++;
        return 0;
    }

    int ring_pop_$s(struct ring_$s *rb, int *out)
    {
        if (rb->head == rb->tail)
            return -1;
        *out = rb->items[rb->tail % RING_CAP_$s];
        rb->tail++;
        return 0;
    }

    unsigned ring_len_$s(const struct ring_$s *rb)
    {
        return rb->head - rb->tail;
    }
    """, s=s, cap=cap)


def u_sort(s, r):
    return T("""
    /* Insertion sort; fine for the short arrays we keep. */
    void sort_ints_$s(int *a, size_t n)
    {
        size_t i, j;

        for (i = 1; i < n; i++) {
            int v = a[i];
            for (j = i; j > 0 && a[j - 1] > v; j--)
                a[j] = a[j - 1];
            a[j] = v;
        }
    }

    /* Binary search in a sorted array; returns index or -1. */
    long bsearch_int_$s(const int *a, size_t n, int key)
    {
        size_t lo = 0, hi = n;

        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (a[mid] == key)
                return (long)mid;
            if (a[mid] < key)
                lo = mid + 1;
            else
                hi = mid;
        }
        return -1;
    }
    """, s=s)


def u_fmt_bytes(s, r):
    return T("""
    /* Human-readable byte count ("12.5 MiB"). */
    const char *format_bytes_$s(unsigned long long n, char *buf, size_t cap)
    {
        static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
        double v = (double)n;
        size_t u = 0;

        while (v >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
            v /= 1024.0;
            u++;
        }
        if (u == 0)
            snprintf(buf, cap, "%llu %s", n, units[u]);
        else
            snprintf(buf, cap, "%.1f %s", v, units[u]);
        return buf;
    }
    """, s=s)


def u_fmt_duration(s, r):
    return T("""
    /* Format seconds as "1d02h03m04s", dropping leading zero fields. */
    int format_duration_$s(long secs, char *buf, size_t cap)
    {
        long d = secs / 86400, h = (secs / 3600) % 24, m = (secs / 60) % 60, sec = secs % 60;

        if (secs < 0)
            return snprintf(buf, cap, "-");
        if (d > 0)
            return snprintf(buf, cap, "%ldd%02ldh%02ldm%02lds", d, h, m, sec);
        if (h > 0)
            return snprintf(buf, cap, "%ldh%02ldm%02lds", h, m, sec);
        if (m > 0)
            return snprintf(buf, cap, "%ldm%02lds", m, sec);
        return snprintf(buf, cap, "%lds", sec);
    }
    """, s=s)


def u_tokenize(s, r):
    return T("""
    enum tok_state_$s { TS_SPACE_$s, TS_WORD_$s, TS_QUOTED_$s, TS_ESCAPE_$s };

    /* Count shell-like tokens: words, "quoted strings" and backslash escapes. */
    int count_tokens_$s(const char *p)
    {
        enum tok_state_$s st = TS_SPACE_$s;
        int n = 0;

        for (; *p; p++) {
            switch (st) {
            case TS_SPACE_$s:
                if (*p == '"') {
                    st = TS_QUOTED_$s;
                    n++;
                } else if (!isspace((unsigned char)*p)) {
                    st = TS_WORD_$s;
                    n++;
                }
                break;
            case TS_WORD_$s:
                if (isspace((unsigned char)*p))
                    st = TS_SPACE_$s;
                break;
            case TS_QUOTED_$s:
                if (*p == '\\\\')
                    st = TS_ESCAPE_$s;
                else if (*p == '"')
                    st = TS_SPACE_$s;
                break;
            case TS_ESCAPE_$s:
                st = TS_QUOTED_$s;
                break;
            }
        }
        return st == TS_QUOTED_$s || st == TS_ESCAPE_$s ? -1 : n;
    }
    """, s=s)


def u_json_escape(s, r):
    return T("""
    /* Escape a string for inclusion in a JSON document. */
    size_t json_escape_$s(const char *src, char *dst, size_t cap)
    {
        size_t n = 0;

        for (; *src && n + 7 < cap; src++) {
            unsigned char c = (unsigned char)*src;
            switch (c) {
            case '"':
                dst[n++] = '\\\\';
                dst[n++] = '"';
                break;
            case '\\\\':
                dst[n++] = '\\\\';
                dst[n++] = '\\\\';
                break;
            case '\\n':
                dst[n++] = '\\\\';
                dst[n++] = 'n';
                break;
            case '\\t':
                dst[n++] = '\\\\';
                dst[n++] = 't';
                break;
            default:
                if (c < 0x20)
                    n += (size_t)snprintf(dst + n, cap - n, "\\\\u%04x", c);
                else
                    dst[n++] = (char)c;
                break;
            }
        }
        if (cap > 0)
            dst[n < cap ? n : cap - 1] = '\\0';
        return n;
    }
    """, s=s)


def u_math(s, r):
    return T("""
    unsigned long gcd_$s(unsigned long a, unsigned long b)
    {
        while (b != 0) {
            unsigned long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    unsigned long isqrt_$s(unsigned long n)
    {
        unsigned long x = n, y = (x + 1) / 2;

        if (n < 2)
            return n;
        while (y < x) {
            x = y;
            y = (x + n / x) / 2;
        }
        return x;
    }

    unsigned long powmod_$s(unsigned long base, unsigned long exp, unsigned long mod)
    {
        unsigned long long result = 1, b = base % mod;

        while (exp > 0) {
            if (exp & 1)
                result = (result * b) % mod;
            b = (b * b) % mod;
            exp >>= 1;
        }
        return (unsigned long)result;
    }
    """, s=s)


def u_base64(s, r):
    return T("""
    static const char b64_alphabet_$s[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /* Base64-encode len bytes; dst needs 4*((len+2)/3)+1 bytes. */
    size_t base64_encode_$s(const unsigned char *src, size_t len, char *dst)
    {
        size_t i, n = 0;

        for (i = 0; i + 2 < len; i += 3) {
            unsigned v = ((unsigned)src[i] << 16) | ((unsigned)src[i + 1] << 8) | src[i + 2];
            dst[n++] = b64_alphabet_$s[(v >> 18) & 63];
            dst[n++] = b64_alphabet_$s[(v >> 12) & 63];
            dst[n++] = b64_alphabet_$s[(v >> 6) & 63];
            dst[n++] = b64_alphabet_$s[v & 63];
        }
        if (i < len) {
            unsigned v = (unsigned)src[i] << 16;
            if (i + 1 < len)
                v |= (unsigned)src[i + 1] << 8;
            dst[n++] = b64_alphabet_$s[(v >> 18) & 63];
            dst[n++] = b64_alphabet_$s[(v >> 12) & 63];
            dst[n++] = i + 1 < len ? b64_alphabet_$s[(v >> 6) & 63] : '=';
            dst[n++] = '=';
        }
        dst[n] = '\\0';
        return n;
    }
    """, s=s)


def u_config(s, r):
    port = r.choice([8080, 8443, 9000, 6379, 11211, 5432])
    return T("""
    struct config_$s {
        int port;
        int workers;
        int verbose;
        long timeout_ms;
        char bind[64];
        char log_path[128];
    };

    void config_defaults_$s(struct config_$s *cfg)
    {
        memset(cfg, 0, sizeof *cfg);
        cfg->port = $port;
        cfg->workers = 4;
        cfg->timeout_ms = 30000;
        g_strlcpy(cfg->bind, "0.0.0.0", sizeof cfg->bind);
    }

    /* Apply one "key value" config line; returns 0, 1 if ignored, -1 on error. */
    int config_apply_$s(struct config_$s *cfg, const char *line)
    {
        char key[32], val[128];

        while (isspace((unsigned char)*line))
            line++;
        if (*line == '#' || *line == '\\0')
            return 1;
        if (sscanf(line, "%31s %127s", key, val) != 2)
            return -1;
        switch (key[0]) {
        case 'p':
            if (strcmp(key, "port") != 0)
                return -1;
            cfg->port = atoi(val);
            return cfg->port > 0 && cfg->port < 65536 ? 0 : -1;
        case 'w':
            if (strcmp(key, "workers") != 0)
                return -1;
            cfg->workers = atoi(val);
            return cfg->workers > 0 ? 0 : -1;
        case 'v':
            cfg->verbose = strcmp(val, "yes") == 0 || strcmp(val, "1") == 0;
            return 0;
        case 't':
            cfg->timeout_ms = strtol(val, NULL, 10);
            return 0;
        case 'b':
            g_strlcpy(cfg->bind, val, sizeof cfg->bind);
            return 0;
        case 'l':
            g_strlcpy(cfg->log_path, val, sizeof cfg->log_path);
            return 0;
        default:
            return -1;
        }
    }
    """, s=s, port=port)


def u_bucket_limiter(s, r):
    rate = r.choice([10, 50, 100, 250, 1000])
    return T("""
    struct token_bucket_$s {
        double tokens;
        double rate;
        double burst;
        long last_ms;
    };

    void bucket_init_$s(struct token_bucket_$s *b, long now_ms)
    {
        b->rate = $rate.0 / 1000.0;
        b->burst = $rate.0;
        b->tokens = b->burst;
        b->last_ms = now_ms;
    }

    /* Take n tokens if available; refills at `rate` per millisecond. */
    int bucket_take_$s(struct token_bucket_$s *b, long now_ms, double n)
    {
        long dt = now_ms - b->last_ms;

        if (dt > 0) {
            b->tokens += (double)dt * b->rate;
            if (b->tokens > b->burst)
                b->tokens = b->burst;
            b->last_ms = now_ms;
        }
        if (b->tokens < n)
            return 0;
        b->tokens -= n;
        return 1;
    }
    """, s=s, rate=rate)


def u_bitset(s, r):
    return T("""
    #define BITSET_WORDS_$s 16

    struct bitset_$s {
        guint64 w[BITSET_WORDS_$s];
    };

    void bitset_set_$s(struct bitset_$s *b, unsigned i)
    {
        if (i < BITSET_WORDS_$s * 64)
            b->w[i / 64] |= (guint64)1 << (i % 64);
    }

    int bitset_test_$s(const struct bitset_$s *b, unsigned i)
    {
        return i < BITSET_WORDS_$s * 64 && (b->w[i / 64] >> (i % 64)) & 1;
    }

    unsigned bitset_count_$s(const struct bitset_$s *b)
    {
        unsigned n = 0, i;

        for (i = 0; i < BITSET_WORDS_$s; i++) {
            guint64 v = b->w[i];
            while (v) {
                v &= v - 1;
                n++;
            }
        }
        return n;
    }
    """, s=s)


def u_levenshtein(s, r):
    return T("""
    /* Edit distance between two short strings (two-row DP). */
    int edit_distance_$s(const char *a, const char *b)
    {
        size_t la = strlen(a), lb = strlen(b), i, j;
        int *prev, *cur, *tmp, d;

        prev = malloc((lb + 1) * sizeof *prev);
        cur = malloc((lb + 1) * sizeof *cur);
        if (prev == NULL || cur == NULL) {
            free(prev);
            free(cur);
            return -1;
        }
        for (j = 0; j <= lb; j++)
            prev[j] = (int)j;
        for (i = 1; i <= la; i++) {
            cur[0] = (int)i;
            for (j = 1; j <= lb; j++) {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int best = prev[j] + 1;
                if (cur[j - 1] + 1 < best)
                    best = cur[j - 1] + 1;
                if (prev[j - 1] + cost < best)
                    best = prev[j - 1] + cost;
                cur[j] = best;
            }
            tmp = prev;
            prev = cur;
            cur = tmp;
        }
        d = prev[lb];
        free(prev);
        free(cur);
        return d;
    }
    """, s=s)


def u_gstring(s, r):
    return T("""
    /* Render a list of name=value pairs as a query string. */
    char *build_query_$s(const char *const *names, const int *values, size_t n)
    {
        GString *out = g_string_new(NULL);
        size_t i;

        for (i = 0; i < n; i++) {
            if (i > 0)
                g_string_append_c(out, '&');
            g_string_append_uri_escaped(out, names[i], NULL, FALSE);
            g_string_append_printf(out, "=%d", values[i]);
        }
        return g_string_free(out, FALSE);
    }
    """, s=s)


def u_ptrarray(s, r):
    return T("""
    static gint cmp_str_$s(gconstpointer a, gconstpointer b)
    {
        return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
    }

    /* Split a comma list, sort and de-duplicate it. Caller frees with g_ptr_array_unref. */
    GPtrArray *split_sorted_unique_$s(const char *csv)
    {
        gchar **parts = g_strsplit(csv, ",", -1);
        GPtrArray *arr = g_ptr_array_new_with_free_func(g_free);
        guint i, w = 0;

        for (i = 0; parts[i] != NULL; i++) {
            char *p = g_strstrip(parts[i]);
            if (*p != '\\0')
                g_ptr_array_add(arr, g_strdup(p));
        }
        g_strfreev(parts);
        g_ptr_array_sort(arr, cmp_str_$s);
        for (i = 0; i < arr->len; i++) {
            if (w > 0 && strcmp(g_ptr_array_index(arr, w - 1), g_ptr_array_index(arr, i)) == 0)
                continue;
            if (w != i) {
                gpointer tmp = arr->pdata[w];
                arr->pdata[w] = arr->pdata[i];
                arr->pdata[i] = tmp;
            }
            w++;
        }
        g_ptr_array_set_size(arr, w);
        return arr;
    }
    """, s=s)


def u_path(s, r):
    return T("""
    /* Normalise a URL path: collapse "//", resolve "." and "..". */
    int normalize_path_$s(const char *in, char *out, size_t cap)
    {
        size_t n = 0;
        const char *p = in;

        if (cap < 2)
            return -1;
        out[n++] = '/';
        while (*p) {
            const char *seg;
            size_t len;

            while (*p == '/')
                p++;
            seg = p;
            while (*p && *p != '/')
                p++;
            len = (size_t)(p - seg);
            if (len == 0 || (len == 1 && seg[0] == '.'))
                continue;
            if (len == 2 && seg[0] == '.' && seg[1] == '.') {
                if (n > 1) {
                    n--;
                    while (n > 1 && out[n - 1] != '/')
                        n--;
                }
                continue;
            }
            if (n + len + 2 > cap)
                return -1;
            if (out[n - 1] != '/')
                out[n++] = '/';
            memcpy(out + n, seg, len);
            n += len;
        }
        out[n] = '\\0';
        return (int)n;
    }
    """, s=s)


def u_ema(s, r):
    alpha = r.choice(["0.1", "0.2", "0.05", "0.3"])
    return T("""
    struct ewma_$s {
        double value;
        int primed;
        unsigned long samples;
    };

    double ewma_update_$s(struct ewma_$s *e, double x)
    {
        if (!e->primed) {
            e->value = x;
            e->primed = 1;
        } else {
            e->value += $alpha * (x - e->value);
        }
        e->samples++;
        return e->value;
    }

    /* Classify load from the moving average. */
    const char *ewma_level_$s(const struct ewma_$s *e)
    {
        int level = e->value < 1.0 ? 0 : e->value < 10.0 ? 1 : e->value < 100.0 ? 2 : 3;

        switch (level) {
        case 0:
            return "idle";
        case 1:
            return "light";
        case 2:
            return "busy";
        default:
            return "overloaded";
        }
    }
    """, s=s, alpha=alpha)


def u_ip(s, r):
    return T("""
    /* Parse a dotted IPv4 address; returns 0 on success. */
    int parse_ipv4_$s(const char *s, guint32 *out)
    {
        guint32 addr = 0;
        int part;

        for (part = 0; part < 4; part++) {
            unsigned v = 0;
            int digits = 0;

            while (*s >= '0' && *s <= '9') {
                v = v * 10 + (unsigned)(*s - '0');
                if (++digits > 3 || v > 255)
                    return -1;
                s++;
            }
            if (digits == 0)
                return -1;
            addr = (addr << 8) | v;
            if (part < 3) {
                if (*s != '.')
                    return -1;
                s++;
            }
        }
        if (*s != '\\0')
            return -1;
        *out = addr;
        return 0;
    }

    int ipv4_in_subnet_$s(guint32 addr, guint32 net, int prefix)
    {
        guint32 mask = prefix <= 0 ? 0 : prefix >= 32 ? 0xffffffffu : ~((1u << (32 - prefix)) - 1);

        return (addr & mask) == (net & mask);
    }
    """, s=s)


FILLERS = [
    u_lower, u_hexval, u_checksum, u_fnv, u_stats, u_bucket, u_ring, u_sort,
    u_fmt_bytes, u_fmt_duration, u_tokenize, u_json_escape, u_math, u_base64,
    u_config, u_bucket_limiter, u_bitset, u_levenshtein, u_gstring, u_ptrarray,
    u_path, u_ema, u_ip,
]


# --------------------------------------------------------------------------
# Shared maps
# --------------------------------------------------------------------------

class Table:
    """One shared GHashTable: where it lives, how it is keyed and locked."""

    def __init__(self, r, name, in_ctx, lock_kind, key_kind, discipline):
        self.name = name
        self.in_ctx = in_ctx            # field of struct server_ctx, else a global
        self.lock_kind = lock_kind      # mutex | rwlock | gmutex | none
        self.key_kind = key_kind        # str | int
        self.discipline = discipline    # locked | init_only
        self.rec = name + "_rec"
        self.extra = r.sample(EXTRA_FIELDS, r.randint(1, 4))
        self.ops = []                   # (kind, call template) usable from workers
        if in_ctx:
            self.T = "ctx->%ss" % name
            self.L = "ctx->%s_lock" % name
            self.P, self.PV, self.A, self.AV = "struct server_ctx *ctx, ", "struct server_ctx *ctx", "ctx, ", "ctx"
        else:
            self.T = "g_%ss" % name
            self.L = "g_%s_lock" % name
            self.P, self.PV, self.A, self.AV = "", "void", "", ""

    # lock statements
    def lr(self):
        return {"mutex": "pthread_mutex_lock(&%s);", "rwlock": "pthread_rwlock_rdlock(&%s);",
                "gmutex": "g_mutex_lock(&%s);"}[self.lock_kind] % self.L

    def lw(self):
        return {"mutex": "pthread_mutex_lock(&%s);", "rwlock": "pthread_rwlock_wrlock(&%s);",
                "gmutex": "g_mutex_lock(&%s);"}[self.lock_kind] % self.L

    def ul(self):
        return {"mutex": "pthread_mutex_unlock(&%s);", "rwlock": "pthread_rwlock_unlock(&%s);",
                "gmutex": "g_mutex_unlock(&%s);"}[self.lock_kind] % self.L

    def try_ok(self):
        return {"mutex": "pthread_mutex_trylock(&%s) == 0", "rwlock": "pthread_rwlock_trywrlock(&%s) == 0",
                "gmutex": "g_mutex_trylock(&%s)"}[self.lock_kind] % self.L

    def lock_decl(self):
        return {"mutex": "pthread_mutex_t", "rwlock": "pthread_rwlock_t", "gmutex": "GMutex"}[self.lock_kind]

    def lock_static_init(self):
        return {"mutex": " = PTHREAD_MUTEX_INITIALIZER", "rwlock": " = PTHREAD_RWLOCK_INITIALIZER",
                "gmutex": ""}[self.lock_kind]

    def kt(self):
        return "const char *" if self.key_kind == "str" else "int "

    def ke(self):
        return "key" if self.key_kind == "str" else "GINT_TO_POINTER(key)"

    def kins(self):
        return "g_strdup(key)" if self.key_kind == "str" else "GINT_TO_POINTER(key)"

    def new_expr(self):
        if self.key_kind == "str":
            return "g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free)"
        return "g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free)"

    def keyarg(self):
        """Worker-side expression for a key of this table."""
        return "key" if self.key_kind == "str" else "k"

    def subst(self):
        fill_name = ('g_strlcpy(r->name, key, sizeof r->name);' if self.key_kind == "str"
                     else 'snprintf(r->name, sizeof r->name, "%s-%%d", key);' % self.name)
        return dict(name=self.name, rec=self.rec, T=self.T, P=self.P, PV=self.PV, A=self.A,
                    AV=self.AV, KT=self.kt(), KE=self.ke(), KINS=self.kins(), fill_name=fill_name)

    def rec_typedef(self):
        fields = "\n".join("    %s %s;" % f for f in self.extra)
        return T("""
        typedef struct {
            char name[48];
            int id;
            unsigned hits;
            double score;
            long updated;
        $fields
        } $rec;
        """, rec=self.rec, fields=fields)


def table_section(r, t, racy_p, use_omp):
    """All helper functions for one table; fills t.ops with worker-callable ops."""
    d = t.subst()
    out = []
    a, kt = t.A, t.kt()
    ops = t.ops

    out.append(T("""
    /* ---- $name table ---------------------------------------------------- */

    static $rec *${name}_rec_new($KT key, int id, double score, long now)
    {
        $rec *r = g_new0($rec, 1);

        $fill_name
        r->id = id;
        r->score = score;
        r->updated = now;
        return r;
    }
    """, **d))

    if t.discipline == "init_only":
        # Written from main() before any thread starts; read-only afterwards.
        out.append(T("""
        /* Filled once at start-up; immutable afterwards, so readers take no lock. */
        void ${name}_load_defaults($PV)
        {
            int i;

            for (i = 0; i < 64; i++) {
                char buf[48];
        $mkkey
                g_hash_table_insert($T, $KINS, ${name}_rec_new(key, i, i * 0.5, 0));
            }
        }

        int ${name}_id_of(${P}${KT}key)
        {
            const $rec *r = g_hash_table_lookup($T, $KE);

            return r != NULL ? r->id : -1;
        }

        static void ${name}_print_cb(gpointer k, gpointer v, gpointer user_data)
        {
            const $rec *r = v;

            (void)k;
            fprintf((FILE *)user_data, "$name: %s (%d)\\n", r->name, r->id);
        }

        void ${name}_print_all(${P}FILE *fp)
        {
            g_hash_table_foreach($T, ${name}_print_cb, fp);
        }
        """, mkkey=("        const char *key = buf;\n        snprintf(buf, sizeof buf, \"%s-%%d\", i);" % t.name
                    if t.key_kind == "str" else
                    "        int key = i;\n        (void)buf;"), **d))
        ops.append("(void)%s_id_of(%s%s);" % (t.name, a, t.keyarg()))
        return "\n".join(out)

    lr, lw, ul = t.lr(), t.lw(), t.ul()
    d.update(LR=lr, LW=lw, UL=ul, TRY=t.try_ok())

    out.append(T("""
    /* Look up a $name under its lock and copy it out. */
    int ${name}_get(${P}${KT}key, $rec *out)
    {
        $rec *r;
        int found = 0;

        $LR
        r = g_hash_table_lookup($T, $KE);
        if (r != NULL) {
            *out = *r;
            found = 1;
        }
        $UL
        return found;
    }

    void ${name}_put(${P}${KT}key, int id, double score, long now)
    {
        $rec *r = ${name}_rec_new(key, id, score, now);

        $LW
        g_hash_table_replace($T, $KINS, r);
        $UL
    }

    gboolean ${name}_drop(${P}${KT}key)
    {
        gboolean removed;

        $LW
        removed = g_hash_table_remove($T, $KE);
        $UL
        return removed;
    }
    """, **d))
    ops += ["{\n    %s tmp;\n\n    if (%s_get(%s%s, &tmp))\n        acc += tmp.id;\n}" % (t.rec, t.name, a, t.keyarg()),
            "%s_put(%s%s, i, (double)(i %% 97), now);" % (t.name, a, t.keyarg()),
            "(void)%s_drop(%s%s);" % (t.name, a, t.keyarg())]

    # Lock wrappers + "caller holds lock" helpers.
    out.append(T("""
    static void ${name}_lock($PV)
    {
        $LW
    }

    static void ${name}_unlock($PV)
    {
        $UL
    }

    /* Caller must hold the $name lock (see ${name}_lock()). */
    static $rec *${name}_find_locked(${P}${KT}key)
    {
        return g_hash_table_lookup($T, $KE);
    }

    unsigned ${name}_touch(${P}${KT}key, long now)
    {
        $rec *r;
        unsigned hits = 0;

        ${name}_lock($AV);
        r = ${name}_find_locked(${A}key);
        if (r != NULL) {
            r->hits++;
            r->updated = now;
            hits = r->hits;
        } else {
            g_hash_table_insert($T, $KINS, ${name}_rec_new(key, -1, 0.0, now));
        }
        ${name}_unlock($AV);
        return hits;
    }
    """, **d))
    ops.append("acc += (long)%s_touch(%s%s, now);" % (t.name, a, t.keyarg()))

    # Trylock.
    out.append(T("""
    /* Opportunistic update: skip rather than wait when the table is busy. */
    int ${name}_try_bump(${P}${KT}key, double delta)
    {
        $rec *r;

        if (!($TRY))
            return -1;
        r = g_hash_table_lookup($T, $KE);
        if (r != NULL)
            r->score += delta;
        $UL
        return r != NULL;
    }
    """, **d))
    ops.append("if (%s_try_bump(%s%s, 0.5) < 0)\n    busy++;" % (t.name, a, t.keyarg()))

    # foreach + iter.
    out.append(T("""
    static void ${name}_dump_cb(gpointer k, gpointer v, gpointer user_data)
    {
        const $rec *r = v;
        FILE *fp = user_data;

        (void)k;
        fprintf(fp, "$name %s id=%d hits=%u score=%.3f\\n", r->name, r->id, r->hits, r->score);
    }

    void ${name}_dump(${P}FILE *fp)
    {
        $LR
        g_hash_table_foreach($T, ${name}_dump_cb, fp);
        $UL
    }

    double ${name}_total_score($PV)
    {
        GHashTableIter it;
        gpointer k, v;
        double total = 0.0;

        $LR
        g_hash_table_iter_init(&it, $T);
        while (g_hash_table_iter_next(&it, &k, &v)) {
            const $rec *r = v;
            total += r->score * (double)(r->hits + 1);
        }
        $UL
        return total;
    }

    guint ${name}_expire(${P}long now, long max_age)
    {
        GHashTableIter it;
        gpointer k, v;
        guint n = 0;

        $LW
        g_hash_table_iter_init(&it, $T);
        while (g_hash_table_iter_next(&it, &k, &v)) {
            const $rec *r = v;
            if (now - r->updated > max_age) {
                g_hash_table_iter_remove(&it);
                n++;
            }
        }
        $UL
        return n;
    }
    """, **d))
    ops += ["total += %s_total_score(%s);" % (t.name, t.AV),
            "acc += (long)%s_expire(%snow, %d);" % (t.name, a, r.choice([50, 100, 500, 1000]))]

    # Keys snapshot.
    if t.key_kind == "str":
        out.append(T("""
        guint ${name}_count_prefix(${P}const char *prefix)
        {
            GList *keys, *l;
            guint n = 0;
            size_t plen = strlen(prefix);

            $LR
            keys = g_hash_table_get_keys($T);
            for (l = keys; l != NULL; l = l->next) {
                if (strncmp(l->data, prefix, plen) == 0)
                    n++;
            }
            $UL
            g_list_free(keys);
            return n;
        }
        """, **d))
        ops.append('acc += (long)%s_count_prefix(%s"%s-1");' % (t.name, a, t.name))
    else:
        out.append(T("""
        long ${name}_key_sum($PV)
        {
            GList *keys, *l;
            long sum = 0;

            $LR
            keys = g_hash_table_get_keys($T);
            for (l = keys; l != NULL; l = l->next)
                sum += GPOINTER_TO_INT(l->data);
            $UL
            g_list_free(keys);
            return sum;
        }
        """, **d))
        ops.append("acc += %s_key_sum(%s);" % (t.name, t.AV))

    # Size: locked or a deliberately racy "approximate" read.
    if r.random() < racy_p:
        out.append(T("""
        /* Approximate size for the stats page; deliberately lock-free. */
        guint ${name}_count($PV)
        {
            return g_hash_table_size($T);
        }
        """, **d))
    else:
        out.append(T("""
        guint ${name}_count($PV)
        {
            guint n;

            $LR
            n = g_hash_table_size($T);
            $UL
            return n;
        }
        """, **d))
    ops.append("acc += (long)%s_count(%s);" % (t.name, t.AV))

    # Racy fast paths (the bugs a race checker should find).
    if r.random() < racy_p:
        out.append(T("""
        /* Hot path: checked without the lock because it "only reads". */
        gboolean ${name}_exists_fast(${P}${KT}key)
        {
            return g_hash_table_contains($T, $KE);
        }
        """, **d))
        ops.append("if (%s_exists_fast(%s%s))\n    acc++;" % (t.name, a, t.keyarg()))
    if r.random() < racy_p:
        out.append(T("""
        /* Cache-fill fast path; the lock was dropped in a refactoring. */
        void ${name}_put_fast(${P}${KT}key, int id, long now)
        {
            if (g_hash_table_lookup($T, $KE) == NULL)
                g_hash_table_insert($T, $KINS, ${name}_rec_new(key, id, 0.0, now));
        }
        """, **d))
        ops.append("%s_put_fast(%s%s, i, now);" % (t.name, a, t.keyarg()))
    if r.random() < racy_p * 0.7:
        out.append(T("""
        /* Lookup, then update after the lock is released: a check-then-act race. */
        void ${name}_rescore(${P}${KT}key, double score)
        {
            $rec *r;

            $LR
            r = g_hash_table_lookup($T, $KE);
            $UL
            if (r != NULL) {
                r->score = score;
                if (score < 0)
                    g_hash_table_remove($T, $KE);
            }
        }
        """, **d))
        ops.append("%s_rescore(%s%s, (double)(i %% 13) - 2.0);" % (t.name, a, t.keyarg()))

    if use_omp:
        mk = ("char key[48];\n\n        snprintf(key, sizeof key, \"omp-%d\", i);" if t.key_kind == "str"
              else "int key = 100000 + i;")
        out.append(T("""
        /* Bulk pre-load in parallel; inserts serialised with an OpenMP critical. */
        void ${name}_parallel_fill(${P}int n)
        {
            int i;

        #pragma omp parallel for schedule(static)
            for (i = 0; i < n; i++) {
                $mk
                $rec *r = ${name}_rec_new(key, i, (double)i / 3.0, 0);
        #pragma omp critical(${name}_fill)
                g_hash_table_replace($T, $KINS, r);
            }
        }
        """, mk=mk, **d))
    return "\n".join(out)


# --------------------------------------------------------------------------
# Shared maps from other libraries (--lib-every): uthash, khash, stb_ds, APR
# --------------------------------------------------------------------------
#
# A library file is made by the same code as a GLib file (the same kinds of
# tables, keys, locks and disciplines, the same helper functions, handlers,
# workers and main()), but its shared tables are the library's maps, its
# records are calloc'd, and it does not include <glib.h>.

LIBS = ["uthash", "khash", "stb_ds", "apr"]

# GLib names used by the filler functions, and their plain C replacements
# in library files (copy_str is defined at the top of every library file).
LIB_RENAMES = [(re.compile(r"\bguint32\b"), "uint32_t"), (re.compile(r"\bguint64\b"), "uint64_t"),
               (re.compile(r"\bg_strlcpy\b"), "copy_str")]
# What must not be left in a library file.
GLIB_LEFT_RE = re.compile(r"\bg_(?:hash_table|str|new|free|mutex|list|ptr_array|string)\w*\b"
                          r"|\bG[A-Z]+_\w+|\bG[A-Z][a-z]\w*|\bg(?:boolean|u?int|pointer|constpointer|char|size)\b")


def cfunc(sig, decls, body, comment=None):
    """A C function: SIG, local DECLS (deduplicated), then the statements of BODY."""
    out = []
    if comment:
        out.append("/* %s */" % comment)
    out.append(sig)
    out.append("{")
    decls = list(dict.fromkeys(decls))
    for d in decls:
        out.append("    " + d)
    if decls and body.strip():
        out.append("")
    for line in body.strip("\n").split("\n"):
        out.append(("    " + line) if line else "")
    out.append("}")
    return "\n".join(out) + "\n"


def block(*parts):
    """Statements joined one per line (each part may be several lines; "" is a blank line, None nothing)."""
    return "\n".join(p.strip("\n") for p in parts if p is not None)


def ind(text, n=4):
    return indent(text.strip("\n"), n)


class LibTable(Table):
    """A shared map of another library, chosen and locked like a GLib Table."""

    lib = None
    LOCK_KINDS = ["mutex", "mutex", "rwlock", "rwlock"]

    # APR's own locks are pointers made by apr_thread_*_create.
    def lr(self):
        if self.lock_kind == "aprmutex":
            return "apr_thread_mutex_lock(%s);" % self.L
        if self.lock_kind == "aprrwlock":
            return "apr_thread_rwlock_rdlock(%s);" % self.L
        return Table.lr(self)

    def lw(self):
        if self.lock_kind == "aprmutex":
            return "apr_thread_mutex_lock(%s);" % self.L
        if self.lock_kind == "aprrwlock":
            return "apr_thread_rwlock_wrlock(%s);" % self.L
        return Table.lw(self)

    def ul(self):
        if self.lock_kind == "aprmutex":
            return "apr_thread_mutex_unlock(%s);" % self.L
        if self.lock_kind == "aprrwlock":
            return "apr_thread_rwlock_unlock(%s);" % self.L
        return Table.ul(self)

    def try_ok(self):
        if self.lock_kind == "aprmutex":
            return "apr_thread_mutex_trylock(%s) == APR_SUCCESS" % self.L
        if self.lock_kind == "aprrwlock":
            return "apr_thread_rwlock_trywrlock(%s) == APR_SUCCESS" % self.L
        return Table.try_ok(self)

    def lock_decl(self):
        return {"aprmutex": "apr_thread_mutex_t *", "aprrwlock": "apr_thread_rwlock_t *"}.get(
            self.lock_kind) or Table.lock_decl(self)

    def lock_static_init(self):
        return "" if self.lock_kind.startswith("apr") else Table.lock_static_init(self)

    def lock_init(self):
        """Statement that initialises the lock at run time, or None (static initialiser)."""
        if self.lock_kind == "aprmutex":
            return "apr_thread_mutex_create(&%s, APR_THREAD_MUTEX_DEFAULT, g_pool);" % self.L
        if self.lock_kind == "aprrwlock":
            return "apr_thread_rwlock_create(&%s, g_pool);" % self.L
        if self.in_ctx:
            return {"mutex": "pthread_mutex_init(&%s, NULL);",
                    "rwlock": "pthread_rwlock_init(&%s, NULL);"}[self.lock_kind] % self.L
        return None

    def lock_fini(self):
        if self.lock_kind == "aprmutex":
            return "apr_thread_mutex_destroy(%s);" % self.L
        if self.lock_kind == "aprrwlock":
            return "apr_thread_rwlock_destroy(%s);" % self.L
        if self.in_ctx:
            return {"mutex": "pthread_mutex_destroy(&%s);",
                    "rwlock": "pthread_rwlock_destroy(&%s);"}[self.lock_kind] % self.L
        return None

    def shared_read_lock(self):
        return self.lock_kind in ("rwlock", "aprrwlock")

    # ---- what differs between the libraries
    def map_type(self):
        raise NotImplementedError

    def preamble(self):
        """Declarations the table's type needs, after the record typedefs."""
        return ""

    def rec_fields(self):
        """Fields the library needs in the record, after the common ones."""
        return ["int ikey;"] if self.key_kind == "int" else []

    def init_stmt(self):
        raise NotImplementedError

    def find(self, dst, key, shared=False):
        """(decls, statements) that set DST to the record for KEY, or NULL."""
        raise NotImplementedError

    def insert(self, rv):
        """(decls, statements) adding record RV, whose key is not in the table."""
        raise NotImplementedError

    def replace(self, rv):
        """(decls, statements) adding RV, freeing a record with the same key."""
        raise NotImplementedError

    def remove(self, key, flag):
        """(decls, statements) removing and freeing KEY's record; FLAG = 1 if there was one."""
        raise NotImplementedError

    def remove_found(self, rv, key):
        """(decls, statements) removing the record RV found for KEY, and freeing it."""
        raise NotImplementedError

    def each(self, var, body):
        """(decls, statements) running BODY with VAR bound to each record."""
        raise NotImplementedError

    def each_remove(self, cond, counter):
        """(decls, statements) removing, freeing and counting the records `r` for which COND holds."""
        raise NotImplementedError

    def each_key(self, body):
        """(decls, statements) running BODY with `kk` bound to each key (const char * or int)."""
        raise NotImplementedError

    def count_expr(self):
        raise NotImplementedError

    def clear(self):
        """(decls, statements) freeing every record and the table."""
        raise NotImplementedError

    def rec_typedef(self):
        fields = "\n".join("    %s %s;" % f for f in self.extra)
        more = "".join("\n    " + f for f in self.rec_fields())
        return T("""
        typedef struct$tag {
            char name[48];
            int id;
            unsigned hits;
            double score;
            long updated;
        $fields$more
        } $rec;
        """, tag=" " + self.rec if self.lib == "uthash" else "", rec=self.rec, fields=fields, more=more)

    def kval(self, rv):
        """The key of record RV."""
        return "%s->name" % rv if self.key_kind == "str" else "%s->ikey" % rv


def _rec(t):
    return t.rec + " *"


class UthashTable(LibTable):
    lib = "uthash"

    def map_type(self):
        return "%s *" % self.rec

    def rec_fields(self):
        return LibTable.rec_fields(self) + ["UT_hash_handle hh;"]

    def init_stmt(self):
        return "%s = NULL;" % self.T

    def find(self, dst, key, shared=False):
        if self.key_kind == "str":
            return [], "HASH_FIND_STR(%s, %s, %s);" % (self.T, key, dst)
        return [], "HASH_FIND_INT(%s, &%s, %s);" % (self.T, key, dst)

    def insert(self, rv):
        if self.key_kind == "str":
            return [], "HASH_ADD_STR(%s, name, %s);" % (self.T, rv)
        return [], "HASH_ADD_INT(%s, ikey, %s);" % (self.T, rv)

    def replace(self, rv):
        if self.key_kind == "int":
            return ["%sold;" % _rec(self)], block("HASH_REPLACE_INT(%s, ikey, %s, old);" % (self.T, rv), "free(old);")
        return ["%sold;" % _rec(self)], block(
            "HASH_FIND_STR(%s, %s->name, old);" % (self.T, rv),
            "if (old != NULL) {", "    HASH_DEL(%s, old);" % self.T, "    free(old);", "}",
            "HASH_ADD_STR(%s, name, %s);" % (self.T, rv))

    def remove(self, key, flag):
        d, f = self.find("r", key)
        return ["%sr;" % _rec(self)] + d, block(
            f, "if (r != NULL) {", "    HASH_DEL(%s, r);" % self.T, "    free(r);", "    %s = 1;" % flag, "}")

    def remove_found(self, rv, key):
        return [], block("HASH_DEL(%s, %s);" % (self.T, rv), "free(%s);" % rv)

    def each(self, var, body):
        return ["%s%s, *tmp;" % (_rec(self), var)], block(
            "HASH_ITER(hh, %s, %s, tmp) {" % (self.T, var), ind(body), "}")

    def each_remove(self, cond, counter):
        return ["%sr, *tmp;" % _rec(self)], block(
            "HASH_ITER(hh, %s, r, tmp) {" % self.T, "    if (%s) {" % cond,
            "        HASH_DEL(%s, r);" % self.T, "        free(r);", "        %s++;" % counter, "    }", "}")

    def each_key(self, body):
        kt = "const char *" if self.key_kind == "str" else "int "
        return ["%sr, *tmp;" % _rec(self)], block(
            "HASH_ITER(hh, %s, r, tmp) {" % self.T, "    %skk = %s;" % (kt, self.kval("r")), "",
            ind(body), "}")

    def count_expr(self):
        return "HASH_COUNT(%s)" % self.T

    def clear(self):
        return ["%sr, *tmp;" % _rec(self)], block(
            "HASH_ITER(hh, %s, r, tmp) {" % self.T, "    HASH_DEL(%s, r);" % self.T, "    free(r);", "}")


class KhashTable(LibTable):
    lib = "khash"

    def M(self):
        return "%s_map" % self.name

    def map_type(self):
        return "khash_t(%s) *" % self.M()

    def rec_fields(self):
        return []

    def preamble(self):
        return "KHASH_MAP_INIT_%s(%s, %s *)\n" % ("STR" if self.key_kind == "str" else "INT", self.M(), self.rec)

    def init_stmt(self):
        return "%s = kh_init(%s);" % (self.T, self.M())

    def find(self, dst, key, shared=False):
        return ["khint_t k;"], block("k = kh_get(%s, %s, %s);" % (self.M(), self.T, key),
                                     "%s = k != kh_end(%s) ? kh_val(%s, k) : NULL;" % (dst, self.T, self.T))

    def insert(self, rv):
        return ["khint_t k;", "int ret;"], block(
            "k = kh_put(%s, %s, %s, &ret);" % (self.M(), self.T, self.kval_k(rv)),
            "kh_val(%s, k) = %s;" % (self.T, rv))

    def kval_k(self, rv):
        # String keys point into the record; int keys are copied.
        return "%s->name" % rv if self.key_kind == "str" else "key"

    def replace(self, rv):
        fix = ["    kh_key(%s, k) = %s->name;" % (self.T, rv)] if self.key_kind == "str" else []
        return ["khint_t k;", "int ret;"], block(
            "k = kh_put(%s, %s, %s, &ret);" % (self.M(), self.T, self.kval_k(rv)),
            "if (ret == 0) {", "    free(kh_val(%s, k));" % self.T, *fix, "}",
            "kh_val(%s, k) = %s;" % (self.T, rv))

    def remove(self, key, flag):
        return ["khint_t k;"], block(
            "k = kh_get(%s, %s, %s);" % (self.M(), self.T, key),
            "if (k != kh_end(%s)) {" % self.T, "    free(kh_val(%s, k));" % self.T,
            "    kh_del(%s, %s, k);" % (self.M(), self.T), "    %s = 1;" % flag, "}")

    def remove_found(self, rv, key):
        return ["khint_t k;"], block(
            "k = kh_get(%s, %s, %s);" % (self.M(), self.T, key),
            "if (k != kh_end(%s))" % self.T, "    kh_del(%s, %s, k);" % (self.M(), self.T), "free(%s);" % rv)

    def each(self, var, body):
        return ["%s%s;" % (_rec(self), var)], block(
            "kh_foreach_value(%s, %s, {" % (self.T, var), ind(body), "});")

    def each_remove(self, cond, counter):
        return ["khint_t k;"], block(
            "for (k = kh_begin(%s); k != kh_end(%s); ++k) {" % (self.T, self.T),
            "    %sr;" % _rec(self), "",
            "    if (!kh_exist(%s, k))" % self.T, "        continue;",
            "    r = kh_val(%s, k);" % self.T,
            "    if (%s) {" % cond, "        kh_del(%s, %s, k);" % (self.M(), self.T), "        free(r);",
            "        %s++;" % counter, "    }", "}")

    def each_key(self, body):
        kt = "const char *" if self.key_kind == "str" else "int "
        return ["khint_t k;"], block(
            "for (k = kh_begin(%s); k != kh_end(%s); ++k) {" % (self.T, self.T),
            "    %skk;" % kt, "",
            "    if (!kh_exist(%s, k))" % self.T, "        continue;",
            "    kk = kh_key(%s, k);" % self.T, ind(body), "}")

    def each_kv(self, body):
        """kh_foreach with both the key `kk` and the record `r`."""
        kt = "const char *" if self.key_kind == "str" else "int "
        return ["%skk;" % kt, "%sr;" % _rec(self)], block(
            "kh_foreach(%s, kk, r, {" % self.T, ind(body), "});")

    def count_expr(self):
        return "kh_size(%s)" % self.T

    def clear(self):
        return ["%sr;" % _rec(self)], block(
            "kh_foreach_value(%s, r, free(r));" % self.T, "kh_destroy(%s, %s);" % (self.M(), self.T))


class StbTable(LibTable):
    lib = "stb_ds"

    def E(self):
        return "%s_entry" % self.name

    def map_type(self):
        return "struct %s *" % self.E()

    def rec_fields(self):
        return []

    def preamble(self):
        kt = "char *" if self.key_kind == "str" else "int "
        return "struct %s {\n    %skey;\n    %s *value;\n};\n" % (self.E(), kt, self.rec)

    def p(self):
        return "sh" if self.key_kind == "str" else "hm"

    def init_stmt(self):
        # String keys are copied into the table's own arena.
        return "sh_new_strdup(%s);" % self.T if self.key_kind == "str" else "%s = NULL;" % self.T

    def find(self, dst, key, shared=False):
        if shared and self.key_kind == "int":
            # Under a read lock: the _ts lookup keeps its temporary in the caller.
            return ["ptrdiff_t tmp;"], "%s = hmget_ts(%s, %s, tmp);" % (dst, self.T, key)
        return [], "%s = %sget(%s, %s);" % (dst, self.p(), self.T, key)

    def insert(self, rv):
        return [], "%sput(%s, key, %s);" % (self.p(), self.T, rv)

    def replace(self, rv):
        return ["ptrdiff_t i;"], block(
            "i = %sgeti(%s, key);" % (self.p(), self.T), "if (i >= 0)", "    free(%s[i].value);" % self.T,
            "%sput(%s, key, %s);" % (self.p(), self.T, rv))

    def remove(self, key, flag):
        return ["%sr;" % _rec(self)], block(
            "r = %sget(%s, %s);" % (self.p(), self.T, key), "if (r != NULL) {", "    free(r);",
            "    %s = %sdel(%s, %s);" % (flag, self.p(), self.T, key), "}")

    def remove_found(self, rv, key):
        return [], block("(void)%sdel(%s, %s);" % (self.p(), self.T, key), "free(%s);" % rv)

    def each(self, var, body):
        return ["ptrdiff_t i;"], block(
            "for (i = 0; i < %slen(%s); i++) {" % (self.p(), self.T),
            "    const %s%s = %s[i].value;" % (_rec(self), var, self.T), "", ind(body), "}")

    def each_remove(self, cond, counter):
        # hmdel moves the last entry into the hole: walk backwards.
        return ["ptrdiff_t i;"], block(
            "for (i = %slen(%s) - 1; i >= 0; i--) {" % (self.p(), self.T),
            "    %sr = %s[i].value;" % (_rec(self), self.T), "",
            "    if (%s) {" % cond, "        (void)%sdel(%s, %s[i].key);" % (self.p(), self.T, self.T),
            "        free(r);", "        %s++;" % counter, "    }", "}")

    def each_key(self, body):
        kt = "const char *" if self.key_kind == "str" else "int "
        return ["size_t i;"], block(
            "for (i = 0; i < %slenu(%s); i++) {" % (self.p(), self.T),
            "    %skk = %s[i].key;" % (kt, self.T), "", ind(body), "}")

    def count_expr(self):
        return "(unsigned)%slenu(%s)" % (self.p(), self.T)

    def clear(self):
        return ["size_t i;"], block(
            "for (i = 0; i < %slenu(%s); i++)" % (self.p(), self.T), "    free(%s[i].value);" % self.T,
            "%sfree(%s);" % (self.p(), self.T))


class AprTable(LibTable):
    lib = "apr"
    LOCK_KINDS = ["aprmutex", "aprmutex", "aprrwlock", "mutex"]

    def map_type(self):
        return "apr_hash_t *"

    def init_stmt(self):
        return "%s = apr_hash_make(g_pool);" % self.T

    def karg(self, key):
        # The key given by the caller: a string, or the address of an int.
        return "%s, APR_HASH_KEY_STRING" % key if self.key_kind == "str" else "&%s, sizeof %s" % (key, key)

    def kown(self, rv):
        # The key kept in the record, which lives as long as the entry.
        return ("%s->name, APR_HASH_KEY_STRING" % rv if self.key_kind == "str"
                else "&%s->ikey, sizeof %s->ikey" % (rv, rv))

    def find(self, dst, key, shared=False):
        return [], "%s = apr_hash_get(%s, %s);" % (dst, self.T, self.karg(key))

    def insert(self, rv):
        return [], "apr_hash_set(%s, %s, %s);" % (self.T, self.kown(rv), rv)

    def replace(self, rv):
        # An existing entry keeps its key pointer: remove it before freeing its record.
        return ["%sold;" % _rec(self)], block(
            "old = apr_hash_get(%s, %s);" % (self.T, self.karg("key")),
            "if (old != NULL)", "    apr_hash_set(%s, %s, NULL);" % (self.T, self.karg("key")),
            "apr_hash_set(%s, %s, %s);" % (self.T, self.kown(rv), rv), "free(old);")

    def remove(self, key, flag):
        return ["%sr;" % _rec(self)], block(
            "r = apr_hash_get(%s, %s);" % (self.T, self.karg(key)), "if (r != NULL) {",
            "    apr_hash_set(%s, %s, NULL);" % (self.T, self.karg(key)), "    free(r);",
            "    %s = 1;" % flag, "}")

    def remove_found(self, rv, key):
        return [], block("apr_hash_set(%s, %s, NULL);" % (self.T, self.karg(key)), "free(%s);" % rv)

    def each(self, var, body):
        return ["apr_hash_index_t *hi;"], block(
            "for (hi = apr_hash_first(NULL, %s); hi != NULL; hi = apr_hash_next(hi)) {" % self.T,
            "    const %s%s = apr_hash_this_val(hi);" % (_rec(self), var), "", ind(body), "}")

    def each_remove(self, cond, counter):
        # Deleting the current entry during an iteration is allowed.
        return ["apr_hash_index_t *hi;"], block(
            "for (hi = apr_hash_first(NULL, %s); hi != NULL; hi = apr_hash_next(hi)) {" % self.T,
            "    %sr = apr_hash_this_val(hi);" % _rec(self), "",
            "    if (%s) {" % cond, "        apr_hash_set(%s, %s, NULL);" % (self.T, self.kown("r")),
            "        free(r);", "        %s++;" % counter, "    }", "}")

    def each_key(self, body):
        kk = ("const char *kk = kp;" if self.key_kind == "str" else "int kk = *(const int *)kp;")
        return ["apr_hash_index_t *hi;"], block(
            "for (hi = apr_hash_first(NULL, %s); hi != NULL; hi = apr_hash_next(hi)) {" % self.T,
            "    const void *kp;", "",
            "    apr_hash_this(hi, &kp, NULL, NULL);", "    {", "        %s" % kk, "", ind(body, 8), "    }", "}")

    def count_expr(self):
        return "apr_hash_count(%s)" % self.T

    def clear(self):
        # The table's memory belongs to g_pool; the records are malloc'd.
        return ["apr_hash_index_t *hi;"], block(
            "for (hi = apr_hash_first(NULL, %s); hi != NULL; hi = apr_hash_next(hi))" % self.T,
            "    free(apr_hash_this_val(hi));", "apr_hash_clear(%s);" % self.T)


LIB_TABLES = {"uthash": UthashTable, "khash": KhashTable, "stb_ds": StbTable, "apr": AprTable}

LIB_TITLES = {"uthash": "uthash", "khash": "khash (htslib's khash.h)", "stb_ds": "stb_ds",
              "apr": "APR (apr_hash_t)"}

# Library headers, after the C library's.  stb_ds: declarations only (no
# STB_DS_IMPLEMENTATION), as in every file of a program but one.
LIB_HEADERS = {
    "uthash": ["uthash.h"],
    "khash": ["htslib/khash.h"],
    "stb_ds": ["stddef.h", "stb/stb_ds.h"],
    "apr": ["apr_general.h", "apr_pools.h", "apr_hash.h", "apr_strings.h", "apr_thread_proc.h",
            "apr_thread_mutex.h", "apr_thread_rwlock.h"],
}

# The fillers, less the two made of GLib containers (GString, GPtrArray).
LIB_FILLERS = [f for f in FILLERS if f not in (u_gstring, u_ptrarray)]

# A worker's thread-local "seen" set: (declarations, use in the loop, teardown).
LIB_SEEN = {
    "uthash": ("""
        struct seen_key *seen = NULL, *sk, *sk_tmp;
        """, """
        HASH_FIND_STR(seen, key, sk);
        if (sk != NULL) {
            acc++;
        } else {
            sk = calloc(1, sizeof *sk);
            if (sk != NULL) {
                copy_str(sk->text, key, sizeof sk->text);
                HASH_ADD_STR(seen, text, sk);
            }
        }
        """, """
        acc += (long)HASH_COUNT(seen);
        HASH_ITER(hh, seen, sk, sk_tmp) {
            HASH_DEL(seen, sk);
            free(sk);
        }
        """),
    "khash": ("""
        khash_t(seen_set) *seen = kh_init(seen_set);
        khint_t sk;
        int sk_new;
        """, """
        sk = kh_put(seen_set, seen, key, &sk_new);
        if (sk_new == 0)
            acc++;
        else
            kh_key(seen, sk) = strdup(key);
        """, """
        acc += (long)kh_size(seen);
        for (sk = kh_begin(seen); sk != kh_end(seen); ++sk)
            if (kh_exist(seen, sk))
                free((char *)kh_key(seen, sk));
        kh_destroy(seen_set, seen);
        """),
    "stb_ds": ("""
        struct seen_entry *seen = NULL;

        sh_new_strdup(seen);
        """, """
        if (shgeti(seen, key) >= 0)
            acc++;
        else
            shput(seen, key, 1);
        """, """
        acc += (long)shlen(seen);
        shfree(seen);
        """),
    "apr": ("""
        apr_pool_t *tpool;
        apr_hash_t *seen;

        apr_pool_create(&tpool, NULL);
        seen = apr_hash_make(tpool);
        """, """
        if (apr_hash_get(seen, key, APR_HASH_KEY_STRING) != NULL)
            acc++;
        else
            apr_hash_set(seen, apr_pstrdup(tpool, key), APR_HASH_KEY_STRING, "");
        """, """
        acc += (long)apr_hash_count(seen);
        apr_pool_destroy(tpool);
        """),
}


def lib_preamble(lib, tables):
    """What a library file has after its record typedefs: the tables' types and copy_str()."""
    out = [T("""
    /* strlcpy: copy at most cap-1 bytes and terminate; returns strlen(src). */
    size_t copy_str(char *dst, const char *src, size_t cap)
    {
        size_t n = strlen(src);

        if (cap > 0) {
            size_t m = n < cap ? n : cap - 1;
            memcpy(dst, src, m);
            dst[m] = '\\0';
        }
        return n;
    }
    """)]
    types = "".join(t.preamble() for t in tables)
    if lib == "uthash":
        types += "struct seen_key {\n    char text[64];\n    UT_hash_handle hh;\n};\n"
    elif lib == "khash":
        types += "KHASH_SET_INIT_STR(seen_set)\n"
    elif lib == "stb_ds":
        types += "struct seen_entry {\n    char *key;\n    int value;\n};\n"
    elif lib == "apr":
        types += "static apr_pool_t *g_pool; /* tables, locks and threads are made in it */\n"
    out.append(types)
    return "\n".join(out)


def lib_rec_new(t):
    """rec_new for a library table: a calloc'd record (its key copied into it)."""
    fill = (["copy_str(r->name, key, sizeof r->name);"] if t.key_kind == "str" else
            ['snprintf(r->name, sizeof r->name, "%s-%%d", key);' % t.name])
    if "int ikey;" in t.rec_fields():
        fill.append("r->ikey = key;")
    return cfunc("static %s%s_rec_new(%skey, int id, double score, long now)" % (_rec(t), t.name, t.kt()),
                 ["%sr = calloc(1, sizeof *r);" % _rec(t)],
                 block("if (r == NULL)", "    abort();", *fill, "r->id = id;", "r->score = score;",
                       "r->updated = now;", "return r;"))


def lib_section(r, t, racy_p, use_omp):
    """The helper functions of one library table, named and typed like table_section's."""
    out = ["/* ---- %s table (%s) %s */\n" % (t.name, t.lib, "-" * max(4, 50 - len(t.name) - len(t.lib))),
           lib_rec_new(t)]
    a, ops, P, PV, rec = t.A, t.ops, t.P, t.PV, _rec(t)
    KT = t.kt()

    if t.discipline == "init_only":
        mkkey = (['char buf[48];', 'const char *key = buf;'] if t.key_kind == "str" else ["int key = i;"])
        d, ins = t.insert("r")
        body = block(("snprintf(buf, sizeof buf, \"%s-%%d\", i);" % t.name) if t.key_kind == "str" else None,
                     "r = %s_rec_new(key, i, i * 0.5, 0);" % t.name, ins)
        out.append(cfunc("void %s_load_defaults(%s)" % (t.name, PV), ["int i;"],
                         block("for (i = 0; i < 64; i++) {",
                               ind(block(*(mkkey + ["%sr;" % rec] + list(dict.fromkeys(d)))) + "\n\n" + ind(body)),
                               "}"),
                         comment="Filled once at start-up; immutable afterwards, so readers take no lock."))
        d, f = t.find("r", "key")
        out.append(cfunc("int %s_id_of(%s%skey)" % (t.name, P, KT), ["const %sr;" % rec] + d,
                         block(f, "return r != NULL ? r->id : -1;")))
        d, loop = t.each("r", 'fprintf(fp, "%s: %%s (%%d)\\n", r->name, r->id);' % t.name)
        out.append(cfunc("void %s_print_all(%sFILE *fp)" % (t.name, P), d, loop))
        ops.append("(void)%s_id_of(%s%s);" % (t.name, a, t.keyarg()))
        return "\n".join(out)

    LR, LW, UL = t.lr(), t.lw(), t.ul()
    shared = t.shared_read_lock()

    d, f = t.find("r", "key", shared)
    out.append(cfunc("int %s_get(%s%skey, %sout)" % (t.name, P, KT, rec), ["%sr;" % rec, "int found = 0;"] + d,
                     block(LR, f, "if (r != NULL) {", "    *out = *r;", "    found = 1;", "}", UL, "return found;"),
                     comment="Look up a %s under its lock and copy it out." % t.name))
    d, rep = t.replace("r")
    out.append(cfunc("void %s_put(%s%skey, int id, double score, long now)" % (t.name, P, KT),
                     ["%sr = %s_rec_new(key, id, score, now);" % (rec, t.name)] + d, block(LW, rep, UL)))
    d, rm = t.remove("key", "removed")
    out.append(cfunc("int %s_drop(%s%skey)" % (t.name, P, KT), ["int removed = 0;"] + d,
                     block(LW, rm, UL, "return removed;")))
    ops += ["{\n    %s tmp;\n\n    if (%s_get(%s%s, &tmp))\n        acc += tmp.id;\n}" % (t.rec, t.name, a, t.keyarg()),
            "%s_put(%s%s, i, (double)(i %% 97), now);" % (t.name, a, t.keyarg()),
            "(void)%s_drop(%s%s);" % (t.name, a, t.keyarg())]

    # Lock wrappers + "caller holds lock" helpers.
    out.append(cfunc("static void %s_lock(%s)" % (t.name, PV), [], LW))
    out.append(cfunc("static void %s_unlock(%s)" % (t.name, PV), [], UL))
    d, f = t.find("r", "key")
    out.append(cfunc("static %s%s_find_locked(%s%skey)" % (rec, t.name, P, KT), ["%sr;" % rec] + d,
                     block(f, "return r;"),
                     comment="Caller must hold the %s lock (see %s_lock())." % (t.name, t.name)))
    d, ins = t.insert("r")
    out.append(cfunc("unsigned %s_touch(%s%skey, long now)" % (t.name, P, KT), ["%sr;" % rec, "unsigned hits = 0;"] + d,
                     block("%s_lock(%s);" % (t.name, t.AV), "r = %s_find_locked(%skey);" % (t.name, a),
                           "if (r != NULL) {", "    r->hits++;", "    r->updated = now;", "    hits = r->hits;",
                           "} else {", "    r = %s_rec_new(key, -1, 0.0, now);" % t.name, ind(ins), "}",
                           "%s_unlock(%s);" % (t.name, t.AV), "return hits;")))
    ops.append("acc += (long)%s_touch(%s%s, now);" % (t.name, a, t.keyarg()))

    # Trylock.
    d, f = t.find("r", "key")
    out.append(cfunc("int %s_try_bump(%s%skey, double delta)" % (t.name, P, KT), ["%sr;" % rec] + d,
                     block("if (!(%s))" % t.try_ok(), "    return -1;", f, "if (r != NULL)",
                           "    r->score += delta;", UL, "return r != NULL;"),
                     comment="Opportunistic update: skip rather than wait when the table is busy."))
    ops.append("if (%s_try_bump(%s%s, 0.5) < 0)\n    busy++;" % (t.name, a, t.keyarg()))

    # Iteration.
    def line(kfmt, kexpr):
        return ('fprintf(fp, "%s %s id=%%d hits=%%u score=%%.3f\\n", %s, r->id, r->hits, r->score);'
                % (t.name, kfmt, kexpr))
    if isinstance(t, KhashTable):
        # kh_foreach binds the key as well.
        d, loop = t.each_kv(line("%s" if t.key_kind == "str" else "%d", "kk"))
    else:
        d, loop = t.each("r", line("%s", "r->name"))
    out.append(cfunc("void %s_dump(%sFILE *fp)" % (t.name, P), d, block(LR, loop, UL)))
    d, loop = t.each("r", "total += r->score * (double)(r->hits + 1);")
    out.append(cfunc("double %s_total_score(%s)" % (t.name, PV), ["double total = 0.0;"] + d,
                     block(LR, loop, UL, "return total;")))
    d, loop = t.each_remove("now - r->updated > max_age", "n")
    out.append(cfunc("unsigned %s_expire(%slong now, long max_age)" % (t.name, P), ["unsigned n = 0;"] + d,
                     block(LW, loop, UL, "return n;")))
    ops += ["total += %s_total_score(%s);" % (t.name, t.AV),
            "acc += (long)%s_expire(%snow, %d);" % (t.name, a, r.choice([50, 100, 500, 1000]))]

    # Keys.
    if t.key_kind == "str":
        d, loop = t.each_key("if (strncmp(kk, prefix, plen) == 0)\n    n++;")
        out.append(cfunc("unsigned %s_count_prefix(%sconst char *prefix)" % (t.name, P),
                         ["unsigned n = 0;", "size_t plen = strlen(prefix);"] + d, block(LR, loop, UL, "return n;")))
        ops.append('acc += (long)%s_count_prefix(%s"%s-1");' % (t.name, a, t.name))
    else:
        d, loop = t.each_key("sum += kk;")
        out.append(cfunc("long %s_key_sum(%s)" % (t.name, PV), ["long sum = 0;"] + d,
                         block(LR, loop, UL, "return sum;")))
        ops.append("acc += %s_key_sum(%s);" % (t.name, t.AV))

    # Size: locked or a deliberately racy "approximate" read.
    if r.random() < racy_p:
        out.append(cfunc("unsigned %s_count(%s)" % (t.name, PV), [], "return %s;" % t.count_expr(),
                         comment="Approximate size for the stats page; deliberately lock-free."))
    else:
        out.append(cfunc("unsigned %s_count(%s)" % (t.name, PV), ["unsigned n;"],
                         block(LR, "n = %s;" % t.count_expr(), UL, "return n;")))
    ops.append("acc += (long)%s_count(%s);" % (t.name, t.AV))

    # Racy fast paths (the bugs a race checker should find).
    if r.random() < racy_p:
        d, f = t.find("r", "key")
        out.append(cfunc("int %s_exists_fast(%s%skey)" % (t.name, P, KT), ["const %sr;" % rec] + d,
                         block(f, "return r != NULL;"),
                         comment='Hot path: checked without the lock because it "only reads".'))
        ops.append("if (%s_exists_fast(%s%s))\n    acc++;" % (t.name, a, t.keyarg()))
    if r.random() < racy_p:
        d, f = t.find("r", "key")
        d2, ins = t.insert("r")
        out.append(cfunc("void %s_put_fast(%s%skey, int id, long now)" % (t.name, P, KT), ["%sr;" % rec] + d + d2,
                         block(f, "if (r == NULL) {", "    r = %s_rec_new(key, id, 0.0, now);" % t.name,
                               ind(ins), "}"),
                         comment="Cache-fill fast path; the lock was dropped in a refactoring."))
        ops.append("%s_put_fast(%s%s, i, now);" % (t.name, a, t.keyarg()))
    if r.random() < racy_p * 0.7:
        d, f = t.find("r", "key", shared)
        d2, rm = t.remove_found("r", "key")
        out.append(cfunc("void %s_rescore(%s%skey, double score)" % (t.name, P, KT), ["%sr;" % rec] + d + d2,
                         block(LR, f, UL, "if (r != NULL) {", "    r->score = score;", "    if (score < 0) {",
                               ind(rm, 8), "    }", "}"),
                         comment="Lookup, then update after the lock is released: a check-then-act race."))
        ops.append("%s_rescore(%s%s, (double)(i %% 13) - 2.0);" % (t.name, a, t.keyarg()))

    if use_omp:
        mk = (["char key[48];", "%sr;" % rec] if t.key_kind == "str" else ["int key = 100000 + i;", "%sr;" % rec])
        d, rep = t.replace("r")
        body = block(*(mk + list(dict.fromkeys(d)))) + "\n\n" + block(
            'snprintf(key, sizeof key, "omp-%d", i);' if t.key_kind == "str" else None,
            "r = %s_rec_new(key, i, (double)i / 3.0, 0);" % t.name,
            "#pragma omp critical(%s_fill)" % t.name, "{", ind(rep), "}")
        fn = cfunc("void %s_parallel_fill(%sint n)" % (t.name, P), ["int i;"],
                   block("#pragma omp parallel for schedule(static)", "for (i = 0; i < n; i++) {", ind(body), "}"),
                   comment="Bulk pre-load in parallel; inserts serialised with an OpenMP critical.")
        out.append(re.sub(r"^ +#pragma", "#pragma", fn, flags=re.M))
    return "\n".join(out)


def lib_clear_fn(t):
    """TABLE_clear(): free every record and the table (called from the fini functions)."""
    d, body = t.clear()
    return cfunc("static void %s_clear(%s)" % (t.name, t.PV), d, body)


# --------------------------------------------------------------------------
# File assembly
# --------------------------------------------------------------------------

def decl(ctype, name):
    """C declaration of NAME with type CTYPE ("T *" binds the star to the name)."""
    return ctype + name if ctype.endswith("*") else "%s %s" % (ctype, name)


def lib_of(index, lib_every):
    """The map library of file INDEX: every LIB_EVERY-th file uses the next of LIBS, the others GLib (None)."""
    if lib_every <= 0 or index % lib_every != lib_every - 1:
        return None
    return LIBS[(index // lib_every) % len(LIBS)]


def gen_file(seed, index, min_lines, max_lines, lib=None):
    """(module name, C text) of file INDEX; LIB None for a GLib file, else one of LIBS."""
    r = random.Random(seed * 1000003 + index)
    module = "%s%d" % (r.choice(MODULE_NAMES), index)
    target = r.randint(min_lines, max_lines)
    use_omp = index % 6 == 5
    racy_p = r.choice([0.15, 0.3, 0.45])
    sfx_n = [0]

    def sfx():
        sfx_n[0] += 1
        return "%s_%d" % (module[:3], sfx_n[0])

    names = r.sample(TABLE_NAMES, r.randint(5, 8))
    n_ctx = r.randint(1, 3)
    tables = []
    for i, nm in enumerate(names):
        in_ctx = i < n_ctx
        discipline = "init_only" if (i == len(names) - 1 and r.random() < 0.7) else "locked"
        lock_kinds = ["mutex", "mutex", "rwlock", "rwlock", "gmutex"] if lib is None else LIB_TABLES[lib].LOCK_KINDS
        lock = "none" if discipline == "init_only" else r.choice(lock_kinds)
        key = r.choice(["str", "str", "int"])
        tables.append((Table if lib is None else LIB_TABLES[lib])(r, nm, in_ctx, lock, key, discipline))

    # Header.
    head = [T("""
    /*
     * $module.c - request handling and shared state for the $module service.
     *
     * Generated benchmark corpus for mapsafe (bench/gen_corpus.py, seed $seed,
     * file $index). Not meant to be run; it only has to look and parse like
     * ordinary server code.$libnote
     */
    """, module=module, seed=seed, index=index,
        libnote="" if lib is None else "\n *\n * Its shared tables are %s maps." % LIB_TITLES[lib])]
    if lib is None:
        incs = ["glib.h", "pthread.h", "stdio.h", "stdlib.h", "string.h", "ctype.h", "errno.h"]
        incs += r.sample(["time.h", "stdint.h", "limits.h", "signal.h", "unistd.h"], r.randint(1, 4))
    else:
        incs = ["pthread.h", "stdio.h", "stdlib.h", "string.h", "ctype.h", "errno.h", "stdint.h"]
        incs += [h for h in r.sample(["time.h", "stdint.h", "limits.h", "signal.h", "unistd.h"], r.randint(1, 4))
                 if h not in incs]
        incs += LIB_HEADERS[lib]
    if use_omp:
        incs.append("omp.h")
    head.append("".join("#include <%s>\n" % h for h in incs))
    head.append(T("""
    #define MAX_WORKERS $maxw
    #define DEFAULT_WORKERS $defw
    #define DEFAULT_ITERS $iters
    #define KEYSPACE $keyspace
    #define MAX_LINE 512
    """, maxw=r.choice([16, 32, 64]), defw=r.choice([2, 4, 8]), iters=r.choice([1000, 5000, 20000]),
           keyspace=r.choice([128, 512, 1024, 4096])))
    head += [t.rec_typedef() for t in tables]
    if lib is not None:
        head.append(lib_preamble(lib, tables))

    ctx_tables = [t for t in tables if t.in_ctx]
    fields = []
    for t in ctx_tables:
        fields.append("    %s;" % decl("GHashTable *" if lib is None else t.map_type(), t.name + "s"))
        if t.lock_kind != "none":
            fields.append("    %s;" % decl(t.lock_decl(), t.name + "_lock"))
    head.append(T("""
    struct server_ctx {
    $fields
        pthread_mutex_t stats_lock;
        unsigned long requests;
        unsigned long errors;
        volatile int shutting_down;
    };

    struct worker_arg {
        int id;
        int iters;
        unsigned seed;
        struct server_ctx *ctx;
        long result;
    };

    static struct server_ctx g_ctx;
    """, fields="\n".join(fields)))
    glob = []
    for t in tables:
        if t.in_ctx:
            continue
        mtype = "GHashTable *" if lib is None else t.map_type()
        if t.lock_kind == "none":
            glob.append("static %s; /* written only before the workers start */" % decl(mtype, t.T))
        else:
            glob.append("static %s; /* protected by %s */" % (decl(mtype, t.T), t.L))
            glob.append("static %s%s;" % (decl(t.lock_decl(), t.L), t.lock_static_init()))
    head.append("\n".join(glob) + "\n")
    head.append(T("""
    static unsigned next_rand(unsigned *state)
    {
        *state = *state * 1103515245u + 12345u;
        return (*state >> 16) & 0x7fff;
    }
    """))

    # Core utilities used by the request handlers.
    core_s = sfx()
    kv_sep = r.choice(["=", ":"])
    core = [u_trim(core_s, r), u_split_kv(core_s, r, kv_sep), u_parse_int(core_s, r), u_parse_method(core_s, r)]

    # ctx init / teardown and global table setup.
    init_lines, fini_lines = [], []
    for t in ctx_tables:
        if lib is not None:
            init_lines.append("    " + t.init_stmt())
            fini_lines.append("    %s_clear(ctx);" % t.name)
            if t.lock_init():
                init_lines.append("    " + t.lock_init())
                fini_lines.append("    " + t.lock_fini())
            continue
        init_lines.append("    ctx->%ss = %s;" % (t.name, t.new_expr()))
        if t.lock_kind == "mutex":
            init_lines.append("    pthread_mutex_init(&ctx->%s_lock, NULL);" % t.name)
            fini_lines.append("    pthread_mutex_destroy(&ctx->%s_lock);" % t.name)
        elif t.lock_kind == "rwlock":
            init_lines.append("    pthread_rwlock_init(&ctx->%s_lock, NULL);" % t.name)
            fini_lines.append("    pthread_rwlock_destroy(&ctx->%s_lock);" % t.name)
        elif t.lock_kind == "gmutex":
            init_lines.append("    g_mutex_init(&ctx->%s_lock);" % t.name)
            fini_lines.append("    g_mutex_clear(&ctx->%s_lock);" % t.name)
        fini_lines.append("    g_hash_table_destroy(ctx->%ss);" % t.name)
    setup = T("""
    static void server_ctx_init(struct server_ctx *ctx)
    {
        memset(ctx, 0, sizeof *ctx);
    $init
        pthread_mutex_init(&ctx->stats_lock, NULL);
    }

    static void server_ctx_fini(struct server_ctx *ctx)
    {
    $fini
        pthread_mutex_destroy(&ctx->stats_lock);
    }

    static void tables_init(void)
    {
    $ginit
    }

    static void tables_fini(void)
    {
    $gfini
    }

    static void count_request(struct server_ctx *ctx, int ok)
    {
        pthread_mutex_lock(&ctx->stats_lock);
        ctx->requests++;
        if (!ok)
            ctx->errors++;
        pthread_mutex_unlock(&ctx->stats_lock);
    }
    """, init="\n".join(init_lines), fini="\n".join(fini_lines),
        ginit="\n".join(("    %s = %s;" % (t.T, t.new_expr()) if lib is None else "    " + t.init_stmt())
                        for t in tables if not t.in_ctx)
        + "".join("\n    " + t.lock_init() for t in tables if lib is not None and not t.in_ctx and
                  t.lock_kind != "none" and t.lock_init()),
        gfini="\n".join(("    g_hash_table_destroy(%s);" % t.T if lib is None else "    %s_clear();" % t.name)
                        for t in tables if not t.in_ctx)
        + "".join("\n    " + t.lock_fini() for t in tables if lib is not None and not t.in_ctx and
                  t.lock_kind != "none" and t.lock_fini()))
    if lib is not None:
        setup = "\n".join(lib_clear_fn(t) for t in tables) + "\n" + setup

    omp_tables = r.sample(tables[:-1], 2) if use_omp else []
    sections = [setup] + [(table_section if lib is None else lib_section)(r, t, racy_p, t in omp_tables)
                          for t in tables]

    # Request handlers: text protocol -> table helpers.
    handlers = []
    locked = [t for t in tables if t.discipline == "locked"]
    for t in r.sample(locked, min(len(locked), r.randint(2, 4))):
        s = core_s
        key_setup = ("" if t.key_kind == "str" else
                     "    int ikey = parse_int_%s(key, 0, KEYSPACE, -1);\n\n    if (ikey < 0)\n        return -1;\n" % s)
        kk = "key" if t.key_kind == "str" else "ikey"
        a = t.A
        handlers.append(T("""
        /* Handle one "VERB key${sep}value" line for the $name table. */
        int handle_${name}_line(struct server_ctx *ctx, char *line, long now)
        {
            char *p = str_trim_$s(line), *rest, *key, *val;
            int method = parse_method_$s(p);
            int rc = -1;

            (void)ctx;
            rest = strchr(p, ' ');
            if (rest == NULL)
                return method == METHOD_PING_$s ? 0 : -1;
            *rest++ = '\\0';
            if (split_kv_$s(rest, &key, &val) != 0 && method == METHOD_PUT_$s)
                return -1;
            {
        $key_setup
                switch (method) {
                case METHOD_GET_$s: {
                    $rec tmp;
                    rc = ${name}_get($a$kk, &tmp) ? tmp.id : 0;
                    break;
                }
                case METHOD_PUT_$s:
                    ${name}_put($a$kk, parse_int_$s(val, 0, 1000000, 0), atof(val), now);
                    rc = 1;
                    break;
                case METHOD_DEL_$s:
                    rc = ${name}_drop($a$kk) ? 1 : 0;
                    break;
                case METHOD_TOUCH_$s:
                    rc = (int)${name}_touch($a$kk, now);
                    break;
                case METHOD_STAT_$s:
                    rc = (int)${name}_count(${AV});
                    break;
                case METHOD_EXPIRE_$s:
                    rc = (int)${name}_expire(${a}now, parse_int_$s(val, 1, 86400, 60));
                    break;
                case METHOD_PING_$s:
                    rc = 0;
                    break;
                default:
                    rc = -1;
                    break;
                }
            }
            count_request(ctx, rc >= 0);
            return rc;
        }
        """, s=s, name=t.name, rec=t.rec, a=a, kk=kk, AV=t.AV, sep=kv_sep,
            key_setup=indent(key_setup.rstrip("\n"), 4) if key_setup else ""))
        t.handler = "handle_%s_line" % t.name
    handler_tables = [t for t in tables if getattr(t, "handler", None)]

    # Workers.
    workers = []
    n_kinds = r.randint(2, 4)
    for w in range(n_kinds):
        wname = "%s_worker_%d" % (r.choice(["request", "janitor", "stats", "sync", "io", "cache"]), w)
        picks = r.sample(tables, min(len(tables), r.randint(2, 4)))
        cases = []
        for t in picks:
            for op in r.sample(t.ops, min(len(t.ops), r.randint(2, 5))):
                cases.append(op)
        if handler_tables and r.random() < 0.8:
            ht = r.choice(handler_tables)
            sep = kv_sep
            cases.append('snprintf(line, sizeof line, "%%s %%s%s%%d", verbs[i %% %d], key, i);\n'
                         'acc += %s(ctx, line, now);' % (sep, len(VERBS), ht.handler))
        r.shuffle(cases)
        body = []
        for ci, c in enumerate(cases):
            body.append("        case %d:\n%s\n            break;" % (ci, indent(c, 12)))
        local_seen = r.random() < 0.5
        if lib is None:
            seen_decl = ("    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);\n"
                         if local_seen else "")
            seen_use = ("        if (!g_hash_table_add(seen, g_strdup(key)))\n            acc++;" if local_seen else "")
            seen_fini = ("    acc += (long)g_hash_table_size(seen);\n    g_hash_table_destroy(seen);"
                         if local_seen else "")
        elif local_seen:
            decl_, use_, fini_ = (textwrap.dedent(x).strip("\n") for x in LIB_SEEN[lib])
            seen_decl, seen_use, seen_fini = indent(decl_, 4) + "\n", indent(use_, 8), indent(fini_, 4)
        else:
            seen_decl = seen_use = seen_fini = ""
        workers.append(T("""
        static void *$cc$wname($params)
        {
            struct worker_arg *arg = opaque;
            struct server_ctx *ctx = arg->ctx;
            static const char *const verbs[] = { $verbs };
            unsigned seed = arg->seed;
            char key[64];
            char line[MAX_LINE];
            long acc = 0, now = 0;
            double total = 0.0;
            int i, busy = 0;
        $seen_decl
            (void)ctx;$thd
            (void)verbs;
            (void)line;
            for (i = 0; i < arg->iters && !ctx->shutting_down; i++) {
                int k = (int)(next_rand(&seed) % KEYSPACE);

                snprintf(key, sizeof key, "%s-%d", verbs[k % $nverbs], k);
                now += 1 + (long)(next_rand(&seed) % 7);
        $seen_use
                switch (next_rand(&seed) % $ncases) {
        $cases
                default:
                    break;
                }
            }
        $seen_fini
            arg->result = acc + busy + (long)total + (now & 1);
            return NULL;
        }
        """, wname=wname, verbs=", ".join('"%s"' % v for v in VERBS), nverbs=len(VERBS),
            ncases=len(cases) + 1, cases="\n".join(body),
            seen_decl=seen_decl, seen_use=seen_use, seen_fini=seen_fini,
            cc="APR_THREAD_FUNC " if lib == "apr" else "",
            params="apr_thread_t *thd, void *opaque" if lib == "apr" else "void *opaque",
            thd="\n    (void)thd;" if lib == "apr" else ""))
        workers[-1] = (wname, workers[-1])

    # main().
    pre = []
    for t in tables:
        if t.discipline == "init_only":
            pre.append("    %s_load_defaults(%s);" % (t.name, "&g_ctx" if t.in_ctx else ""))
        else:
            kexpr = ("buf" if t.key_kind == "str" else "i")
            arg = "&g_ctx, " if t.in_ctx else ""
            pre.append(T("""
            for (i = 0; i < $n; i++) {
                snprintf(buf, sizeof buf, "$name-%d", i);
                ${name}_put($arg$kexpr, i, (double)i * 1.5, 0);
            }
            """, n=r.choice([16, 64, 256]), name=t.name, arg=arg, kexpr=kexpr).rstrip("\n"))
            pre[-1] = indent(pre[-1], 4)
            if t in omp_tables:
                pre.append("    %s_parallel_fill(%s%d);" % (t.name, arg, r.choice([128, 512])))
    spawn, join = [], []
    for wi, (wname, _) in enumerate(workers):
        spawn.append(T("""
        for (i = 0; i < n_workers; i++) {
            args[$wi][i].id = i;
            args[$wi][i].iters = iters;
            args[$wi][i].seed = (unsigned)(i * 7919 + $wi);
            args[$wi][i].ctx = &g_ctx;
            args[$wi][i].result = 0;
            if (pthread_create(&threads[$wi][i], NULL, $wname, &args[$wi][i]) != 0) {
                perror("pthread_create");
                return EXIT_FAILURE;
            }
        }
        """, wi=wi, wname=wname).rstrip("\n"))
        join.append(T("""
        for (i = 0; i < n_workers; i++) {
            pthread_join(threads[$wi][i], NULL);
            checksum += args[$wi][i].result;
        }
        """, wi=wi).rstrip("\n"))
        if lib == "apr":
            # APR's own threads: created in g_pool, joined with their exit status.
            spawn[-1] = spawn[-1].replace(
                "if (pthread_create(&threads[%d][i], NULL, %s, &args[%d][i]) != 0) {\n"
                "        perror(\"pthread_create\");" % (wi, wname, wi),
                "if (apr_thread_create(&threads[%d][i], NULL, %s, &args[%d][i], g_pool) != APR_SUCCESS) {\n"
                "        fprintf(stderr, \"apr_thread_create failed\\n\");" % (wi, wname, wi))
            join[-1] = join[-1].replace("pthread_join(threads[%d][i], NULL);" % wi,
                                        "apr_thread_join(&rv, threads[%d][i]);" % wi)
    dumps = []
    for t in tables:
        arg = "&g_ctx, " if t.in_ctx else ""
        if t.discipline == "init_only":
            dumps.append("    if (verbose)\n        %s_print_all(%sstdout);" % (t.name, arg))
        else:
            dumps.append("    if (verbose)\n        %s_dump(%sstdout);" % (t.name, arg))
            dumps.append('    printf("%s: %%u entries\\n", %s_count(%s));'
                         % (t.name, t.name, "&g_ctx" if t.in_ctx else ""))
    main = T("""
    int main(int argc, char **argv)
    {
        $threads[$nk][MAX_WORKERS];
        struct worker_arg args[$nk][MAX_WORKERS];
        int n_workers = DEFAULT_WORKERS, iters = DEFAULT_ITERS, verbose = 0, i;
        long checksum = 0;$rv
        char buf[64];

        if (argc > 1)
            n_workers = parse_int_$s(argv[1], 1, MAX_WORKERS, DEFAULT_WORKERS);
        if (argc > 2)
            iters = parse_int_$s(argv[2], 1, 10000000, DEFAULT_ITERS);
        verbose = argc > 3 && strcmp(argv[3], "-v") == 0;
    $omp
        tables_init();
        server_ctx_init(&g_ctx);
        (void)buf;

        /* Build the tables before any worker exists. */
    $pre

    $spawn

    $join

    $dumps
        printf("$module: %d workers x %d iterations, checksum %ld\\n", n_workers, iters, checksum);
        server_ctx_fini(&g_ctx);
        tables_fini();$epilogue
        return EXIT_SUCCESS;
    }
    """, nk=len(workers), s=core_s, module=module, pre="\n".join(pre),
        spawn=indent("\n".join(spawn), 4), join=indent("\n".join(join), 4), dumps="\n".join(dumps),
        omp=('    printf("openmp threads: %d\\n", omp_get_max_threads());' if use_omp else "")
        + ("\n    apr_initialize();\n    apr_pool_create(&g_pool, NULL);" if lib == "apr" else ""),
        threads="apr_thread_t *threads" if lib == "apr" else "pthread_t threads",
        rv="\n    apr_status_t rv;" if lib == "apr" else "",
        epilogue="\n    apr_pool_destroy(g_pool);\n    apr_terminate();" if lib == "apr" else "")

    # Fill with ordinary code up to the target length, interleaved with the sections.
    def nlines(parts):
        return sum(p.count("\n") + 1 for p in parts)

    fixed = head + core + sections + handlers + [w for _, w in workers] + [main]
    fillers = []
    while nlines(fixed) + nlines(fillers) < target:
        fillers.append(r.choice(FILLERS if lib is None else LIB_FILLERS)(sfx(), r))
    # Interleave fillers between core/table sections, keeping section order.
    middle = core + sections
    slots = sorted(r.randrange(len(middle) + 1) for _ in fillers)
    merged, fi = [], 0
    for pos in range(len(middle) + 1):
        while fi < len(fillers) and slots[fi] == pos:
            merged.append(fillers[fi])
            fi += 1
        if pos < len(middle):
            merged.append(middle[pos])
    parts = head + merged + handlers + [w for _, w in workers] + [main]
    text = "\n".join(p.rstrip("\n") + "\n" for p in parts)
    text = re.sub(r"\n{3,}", "\n\n", text)
    if lib is not None:
        for rx, plain in LIB_RENAMES:
            text = rx.sub(plain, text)
        left = GLIB_LEFT_RE.search(text)
        if left:
            raise AssertionError("%s file %d still uses GLib: %r" % (lib, index, left.group(0)))
    return module, text


def glib_cflags():
    try:
        return shlex.split(subprocess.check_output(["pkg-config", "--cflags", "glib-2.0"], text=True))
    except (OSError, subprocess.CalledProcessError):
        return ["-I/usr/include/glib-2.0", "-I/usr/lib/x86_64-linux-gnu/glib-2.0/include"]


def generate(outdir, count=30, seed=DEFAULT_SEED, min_lines=2000, max_lines=4000, lib_every=DEFAULT_LIB_EVERY):
    """Write COUNT files into OUTDIR; returns their paths.  File i uses lib_of(i, LIB_EVERY)'s maps."""
    os.makedirs(outdir, exist_ok=True)
    paths = []
    for i in range(count):
        lib = lib_of(i, lib_every)
        module, text = gen_file(seed, i, min_lines, max_lines, lib)
        path = os.path.join(outdir, ("%02d_%s.c" % (i, module)) if lib is None else "%02d_%s_%s.c" % (i, lib, module))
        with open(path, "w") as f:
            f.write(text)
        paths.append(path)
    return paths


def verify(paths, clang="clang-22"):
    """Compile every file as run.py does (flags.py decides the flags from its includes)."""
    flags = glib_cflags() + ["-pthread"]
    bad = 0
    for p in paths:
        with open(p) as f:
            extra, missing = benchflags.extra_flags(f.read())
        if missing:
            sys.stderr.write("verify: %s: pkg-config does not know %s\n" % (p, ", ".join(missing)))
        cmd = [clang, "-fsyntax-only", "-Wall", "-Wextra"] + benchflags.dedup(flags + extra) + [p]
        res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if res.returncode != 0 or res.stdout.strip():
            bad += 1
            sys.stderr.write("verify: %s\n%s\n" % (p, res.stdout[:4000]))
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--count", type=int, default=30)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--min-lines", type=int, default=2000)
    ap.add_argument("--max-lines", type=int, default=4000)
    ap.add_argument("--lib-every", type=int, default=DEFAULT_LIB_EVERY, metavar="N",
                    help="every Nth file (index N-1, 2N-1, ...) uses uthash, khash, stb_ds or APR maps in turn "
                         "instead of GLib's (default %(default)s; 0 = GLib only, the corpus before library files)")
    ap.add_argument("--verify", action="store_true",
                    help="compile every file with clang-22 -fsyntax-only -Wall -Wextra")
    args = ap.parse_args()
    if args.lib_every < 0:
        ap.error("--lib-every must be >= 0")
    paths = generate(args.outdir, args.count, args.seed, args.min_lines, args.max_lines, args.lib_every)
    total = 0
    for p in paths:
        with open(p) as f:
            total += sum(1 for _ in f)
    print("gen_corpus: wrote %d files, %d lines, to %s" % (len(paths), total, args.outdir))
    if args.verify:
        bad = verify(paths)
        if bad:
            print("gen_corpus: %d file(s) failed to compile cleanly" % bad)
            return 1
        print("gen_corpus: all files compile cleanly (clang-22 -fsyntax-only -Wall -Wextra)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
