/* json.h - a small strict walker over jsmn tokens (reading config.json, process.json,
 * state.json) and a bounded JSON writer; every error names the JSON path. */
#ifndef RUNT_JSON_H
#define RUNT_JSON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#define JSMN_HEADER
#define JSMN_PARENT_LINKS /* keeps jsmn linear: json.c defines it too, the layouts agree */
#include <jsmn.h>

#include "err.h"

/* A parsed document. buf is owned by the caller and is modified: strings are
 * unescaped in place and NUL-terminated on first access (json_str). */
struct json {
	const char *what; /* file name used in messages, e.g. "config.json" */
	char *buf;
	size_t len;
	jsmntok_t *tok;
	int ntok;
};

/* A JSON path being walked: ".linux.namespaces[2].type". */
struct jpath {
	char s[256];
	size_t len;
};

enum json_kind { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

/* Runtime-spec documents nest under 10 levels; the bound keeps parsing linear. */
#define JSON_MAX_DEPTH 64

/* Parse buf: strict RFC 8259 (UTF-8 strings, no trailing comma, at most JSON_MAX_DEPTH
 * levels), checked once here for every document; tokens are allocated once (exact count).
 * The top level must be an object. */
int json_parse(struct json *j, const char *what, char *buf, size_t len, struct rt_err *err);
void json_free(struct json *j);

int json_next(const struct json *j, int i); /* token after the subtree rooted at i */
enum json_kind json_kind(const struct json *j, int i);
const char *json_kind_name(enum json_kind k);
bool json_key_is(const struct json *j, int i, const char *key); /* raw key compare */
int json_find(const struct json *j, int obj, const char *key);	/* value index or -1 */

/* "<what>: <path>: <message>" */
int json_fail(struct rt_err *err, const struct json *j, const struct jpath *p, const char *fmt, ...)
    RT_PRINTF(4, 5);
int json_vfail(struct rt_err *err, const struct json *j, const struct jpath *p, const char *fmt,
	       va_list ap);

/* Typed getters: wrong type -> "expected string, got number" with the path. */
int json_get_str(struct json *j, int i, const struct jpath *p, const char **out,
		 struct rt_err *err);
int json_get_bool(struct json *j, int i, const struct jpath *p, bool *out, struct rt_err *err);
int json_get_i64(struct json *j, int i, const struct jpath *p, int64_t *out, struct rt_err *err);
int json_get_u64(struct json *j, int i, const struct jpath *p, uint64_t *out, struct rt_err *err);
int json_get_u32(struct json *j, int i, const struct jpath *p, uint32_t *out, struct rt_err *err);
int json_get_int(struct json *j, int i, const struct jpath *p, int64_t min, int64_t max, int *out,
		 struct rt_err *err);
int json_expect(const struct json *j, int i, const struct jpath *p, enum json_kind k,
		struct rt_err *err);
const char *json_str(struct json *j, int i); /* unescape in place; NULL if not a string */

/* Path building: save the length, append, restore with jpath_pop. */
size_t jpath_key(struct jpath *p, const char *key);
size_t jpath_idx(struct jpath *p, int idx);
size_t jpath_member(struct jpath *p, const char *key); /* ["key"]: map keys contain dots */
void jpath_pop(struct jpath *p, size_t saved);

/* Iterate members of object/array token `obj`: for each, `k` is the key (objects) or
 * -1 (arrays) and `v` the value index. */
#define JSON_FOR_EACH(j, obj, n, k, v)                                                             \
	for ((n) = 0, (k) = (j)->tok[obj].type == JSMN_OBJECT ? (obj) + 1 : -1,                    \
	    (v) = (j)->tok[obj].type == JSMN_OBJECT ? (obj) + 2 : (obj) + 1;                       \
	     (n) < (j)->tok[obj].size; (n)++, (k) = (k) >= 0 ? json_next(j, v) : -1,               \
	    (v) = (k) >= 0 ? (k) + 1 : json_next(j, v))

/* Bounded writer into a caller buffer; overflow sets w->overflow and is reported by the caller. */
struct jw {
	char *buf;
	size_t len, cap;
	bool overflow;
};
void jw_init(struct jw *w, char *buf, size_t cap);
void jw_raw(struct jw *w, const char *s);
void jw_printf(struct jw *w, const char *fmt, ...) RT_PRINTF(2, 3);
void jw_str(struct jw *w, const char *s); /* quoted and escaped */

#endif
