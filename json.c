/* json.c - strict JSON reader (a linear grammar check, then jsmn tokens) with JSON-path
 * errors, and a bounded writer. Strings are unescaped in place: one token array per document. */
#define JSMN_STATIC
#define JSMN_STRICT
#define JSMN_PARENT_LINKS /* as json.h: without them jsmn's ',' and ']' search backwards */
#include <jsmn.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "json.h"
#include "mini.h"

static const char *const kind_names[] = {
	[JSON_NULL] = "null",	  [JSON_BOOL] = "boolean", [JSON_NUMBER] = "number",
	[JSON_STRING] = "string", [JSON_ARRAY] = "array",  [JSON_OBJECT] = "object",
};

const char *json_kind_name(enum json_kind k)
{
	return kind_names[k];
}

/* JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool valid_number(const char *s, const char *end)
{
	const char *d;

	s += *s == '-';
	if (s >= end || *s < '0' || *s > '9' ||
	    (*s == '0' && s + 1 < end && s[1] >= '0' && s[1] <= '9'))
		return false;
	while (s < end && *s >= '0' && *s <= '9')
		s++;
	if (s < end && *s == '.') {
		for (d = ++s; s < end && *s >= '0' && *s <= '9'; s++)
			;
		if (s == d)
			return false;
	}
	if (s < end && (*s == 'e' || *s == 'E')) {
		s++;
		s += s < end && (*s == '+' || *s == '-');
		for (d = s; s < end && *s >= '0' && *s <= '9'; s++)
			;
		if (s == d)
			return false;
	}
	return s == end;
}

/* jsmn's strict mode checks only a primitive's first character ("tru", "01" pass). */
static bool valid_primitive(const char *s, size_t len)
{
	static const char *const words[] = { "true", "false", "null" };

	for (size_t i = 0; i < 3; i++)
		if (len == strlen(words[i]) && !memcmp(s, words[i], len))
			return true;
	return valid_number(s, s + len);
}

/* Length of the UTF-8 sequence at s, 0 when it is not the shortest form of a scalar value
 * (overlong, surrogate, above U+10FFFF, cut short) or is a control character (RFC 8259). */
static int utf8_len(const unsigned char *s, const unsigned char *end)
{
	static const unsigned min[] = { 0, 0x20, 0x80, 0x800, 0x10000 };
	unsigned c = *s, cp;
	int n = c < 0x80 ? 1 : c < 0xc0 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf8 ? 4 : 0;

	if (!n || end - s < n)
		return 0;
	cp = c & 0xff >> (n + (n > 1));
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	return cp < min[n] || cp > 0x10ffff || cp >> 11 == 0x1b ? 0 : n;
}

/* What may come next while scanning. */
enum { VAL = 1, KEY = 2, END = 4, SEP = 8, COL = 16 };

/* One linear pass of the RFC 8259 grammar before jsmn builds tokens: jsmn alone accepts
 * {"k"}, {"a","b"}, [1,] and [1 2] (the walker then reads past the last token), and its
 * closing-bracket walk costs the nesting depth, so the depth is bounded here first. */
static int scan(const struct json *j, struct rt_err *err)
{
	const char *s = j->buf, *why = "unexpected character";
	uint64_t obj = 0; /* bit d-1: level d is an object */
	unsigned st = VAL;
	int depth = 0, n;
	size_t i, k;

	for (i = 0; i < j->len; i++) {
		char c = s[i];

		if (c && strchr(" \t\r\n", c))
			continue;
		if (!depth && st == VAL && c != '{')
			return rt_fail(err, EINVAL, "%s: expected a JSON object at the top level",
				       j->what);
		if (c == '{' || c == '[') {
			if (++depth > JSON_MAX_DEPTH)
				why = "nested too deep";
			if (!(st & VAL) || depth > JSON_MAX_DEPTH)
				goto bad;
			obj = (obj & ~(1ull << (depth - 1))) | (uint64_t)(c == '{') << (depth - 1);
			st = (c == '{' ? KEY : VAL) | END;
			continue;
		}
		if (c == '}' || c == ']') {
			if (!(st & END) || (obj >> (depth - 1) & 1) != (c == '}'))
				goto bad;
			st = --depth ? SEP | END : 0;
			continue;
		}
		if (c == ',' || c == ':') {
			if (!(st & (c == ',' ? SEP : COL)))
				goto bad;
			st = c == ':' || !(obj >> (depth - 1) & 1) ? VAL : KEY;
			continue;
		}
		if (c == '"') {
			for (k = i + 1; k < j->len && s[k] != '"'; k += n)
				if (!(n = s[k] == '\\'
					      ? 2
					      : utf8_len((const unsigned char *)s + k,
							 (const unsigned char *)s + j->len))) {
					i = k;
					goto bad;
				}
			if (k >= j->len)
				break;
			if (st & KEY) {
				i = k;
				st = COL;
				continue;
			}
		} else {
			for (k = i; k + 1 < j->len && !strchr(" \t\r\n,:[]{}\"", s[k + 1]); k++)
				;
		}
		if (!(st & VAL))
			goto bad;
		if (c != '"' && !valid_primitive(s + i, k + 1 - i))
			return rt_fail(err, EINVAL, "%s: invalid JSON: bad literal \"%.*s\"",
				       j->what, k + 1 - i > 20 ? 20 : (int)(k + 1 - i), s + i);
		i = k;
		st = depth ? SEP | END : 0;
	}
	if (!st)
		return 0;
	return rt_fail(err, EINVAL, "%s: invalid JSON: unexpected end of input", j->what);
bad:
	return rt_fail(err, EINVAL, "%s: invalid JSON: %s at byte %zu", j->what, why, i);
}

/* scan() checked the grammar: jsmn fails now only on a bad escape. */
int json_parse(struct json *j, const char *what, char *buf, size_t len, struct rt_err *err)
{
	jsmn_parser p;
	int n;

	j->what = what;
	j->buf = buf;
	j->len = len;
	j->tok = NULL;
	if ((n = scan(j, err)) < 0)
		return n;
	jsmn_init(&p);
	n = jsmn_parse(&p, buf, len, NULL, 0);
	if (n > 0 && !(j->tok = calloc(n, sizeof(*j->tok))))
		return rt_errnofail(err, ENOMEM, "%s", what);
	jsmn_init(&p);
	if (n <= 0 || (j->ntok = jsmn_parse(&p, buf, len, j->tok, n)) < 0)
		return rt_fail(err, EINVAL, "%s: invalid JSON", what);
	return 0;
}

void json_free(struct json *j)
{
	free(j->tok);
	j->tok = NULL;
}

int json_next(const struct json *j, int i)
{
	int end = j->tok[i].end;

	for (i++; i < j->ntok && j->tok[i].start < end; i++)
		;
	return i;
}

enum json_kind json_kind(const struct json *j, int i)
{
	char c = j->buf[j->tok[i].start];

	switch (j->tok[i].type) {
	case JSMN_OBJECT:
		return JSON_OBJECT;
	case JSMN_ARRAY:
		return JSON_ARRAY;
	case JSMN_STRING:
		return JSON_STRING;
	default:
		if (c == 'n')
			return JSON_NULL;
		return c == 't' || c == 'f' ? JSON_BOOL : JSON_NUMBER;
	}
}

bool json_key_is(const struct json *j, int i, const char *key)
{
	size_t len = j->tok[i].end - j->tok[i].start;

	return j->tok[i].type == JSMN_STRING && strlen(key) == len &&
	       !memcmp(j->buf + j->tok[i].start, key, len);
}

int json_find(const struct json *j, int obj, const char *key)
{
	int n, k, v;

	if (j->tok[obj].type != JSMN_OBJECT)
		return -1;
	JSON_FOR_EACH(j, obj, n, k, v)
	if (json_key_is(j, k, key))
		return v;
	return -1;
}

int json_vfail(struct rt_err *err, const struct json *j, const struct jpath *p, const char *fmt,
	       va_list ap)
{
	char msg[512];

	rt_vsnprintf(msg, sizeof(msg), fmt, ap);
	return rt_fail(err, EINVAL, "%s: %s: %s", j->what, p->len ? p->s : ".", msg);
}

int json_fail(struct rt_err *err, const struct json *j, const struct jpath *p, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = json_vfail(err, j, p, fmt, ap);
	va_end(ap);
	return r;
}

int json_expect(const struct json *j, int i, const struct jpath *p, enum json_kind k,
		struct rt_err *err)
{
	enum json_kind got = json_kind(j, i);

	if (got == k)
		return 0;
	return json_fail(err, j, p, "expected %s, got %s", kind_names[k], kind_names[got]);
}

static int hex4(const char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static char *put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		*o++ = cp;
	} else if (cp < 0x800) {
		*o++ = 0xc0 | cp >> 6;
		*o++ = 0x80 | (cp & 0x3f);
	} else if (cp < 0x10000) {
		*o++ = 0xe0 | cp >> 12;
		*o++ = 0x80 | (cp >> 6 & 0x3f);
		*o++ = 0x80 | (cp & 0x3f);
	} else {
		*o++ = 0xf0 | cp >> 18;
		*o++ = 0x80 | (cp >> 12 & 0x3f);
		*o++ = 0x80 | (cp >> 6 & 0x3f);
		*o++ = 0x80 | (cp & 0x3f);
	}
	return o;
}

/* \uXXXX, with a following low surrogate when it is a high one (a lone surrogate is no
 * character: -1); returns chars consumed. */
static int unicode_escape(const char *s, const char *end, unsigned *cp)
{
	int hi, lo;

	if (end - s < 5 || (hi = hex4(s + 1)) < 0)
		return -1;
	*cp = hi;
	if (hi < 0xd800 || hi > 0xdfff)
		return 5;
	if (hi > 0xdbff || end - s < 11 || s[5] != '\\' || s[6] != 'u' ||
	    (lo = hex4(s + 7)) < 0xdc00 || lo > 0xdfff)
		return -1;
	*cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	return 11;
}

static const char escapes[] = "\"\"\\\\//b\bf\fn\nr\rt\t";

/* Unescape [s, end) in place; -1 on a bad escape or an embedded NUL. */
static int unescape(char *s, char *end)
{
	char *o = s;

	while (s < end) {
		const char *e;
		unsigned cp;
		int n;

		if (*s != '\\') {
			*o++ = *s++;
			continue;
		}
		if (s + 1 < end && s[1] == 'u') {
			if ((n = unicode_escape(s + 1, end, &cp)) < 0 || cp == 0)
				return -1;
			o = put_utf8(o, cp);
			s += 1 + n;
			continue;
		}
		for (e = escapes; *e && (s + 1 >= end || *e != s[1]); e += 2)
			;
		if (!*e)
			return -1;
		*o++ = e[1];
		s += 2;
	}
	*o = '\0';
	return 0;
}

/* The closing quote of a string token becomes its NUL, which also marks it done. */
const char *json_str(struct json *j, int i)
{
	jsmntok_t *t = &j->tok[i];
	char *s = j->buf + t->start;

	if (t->type != JSMN_STRING)
		return NULL;
	if (j->buf[t->end] == '\0')
		return s;
	if (unescape(s, j->buf + t->end) < 0)
		return NULL;
	j->buf[t->end] = '\0';
	return s;
}

int json_get_str(struct json *j, int i, const struct jpath *p, const char **out, struct rt_err *err)
{
	int r = json_expect(j, i, p, JSON_STRING, err);

	if (r < 0)
		return r;
	*out = json_str(j, i);
	if (!*out)
		return json_fail(err, j, p, "invalid string escape or NUL character");
	return 0;
}

int json_get_bool(struct json *j, int i, const struct jpath *p, bool *out, struct rt_err *err)
{
	int r = json_expect(j, i, p, JSON_BOOL, err);

	if (r < 0)
		return r;
	*out = j->buf[j->tok[i].start] == 't';
	return 0;
}

/* Copy a number token out (it is not NUL-terminated) and check it is an integer. */
static int number_text(const struct json *j, int i, const struct jpath *p, char *txt,
		       struct rt_err *err)
{
	int len = j->tok[i].end - j->tok[i].start;
	int r = json_expect(j, i, p, JSON_NUMBER, err);

	if (r < 0)
		return r;
	if (len <= 0 || len > 24)
		return json_fail(err, j, p, "number out of range");
	memcpy(txt, j->buf + j->tok[i].start, len);
	txt[len] = '\0';
	if (strpbrk(txt, ".eE"))
		return json_fail(err, j, p, "expected an integer, got %s", txt);
	return 0;
}

int json_get_i64(struct json *j, int i, const struct jpath *p, int64_t *out, struct rt_err *err)
{
	char txt[32], *end;
	int r = number_text(j, i, p, txt, err);

	if (r < 0)
		return r;
	errno = 0;
	*out = rt_strtoll(txt, &end, 10);
	if (errno || *end)
		return json_fail(err, j, p, "invalid integer %s", txt);
	return 0;
}

int json_get_u64(struct json *j, int i, const struct jpath *p, uint64_t *out, struct rt_err *err)
{
	char txt[32], *end;
	int r = number_text(j, i, p, txt, err);

	if (r < 0)
		return r;
	if (txt[0] == '-')
		return json_fail(err, j, p, "must not be negative, got %s", txt);
	errno = 0;
	*out = rt_strtoull(txt, &end, 10);
	if (errno || *end)
		return json_fail(err, j, p, "invalid integer %s", txt);
	return 0;
}

int json_get_int(struct json *j, int i, const struct jpath *p, int64_t min, int64_t max, int *out,
		 struct rt_err *err)
{
	int64_t v;
	int r = json_get_i64(j, i, p, &v, err);

	if (r < 0)
		return r;
	if (v < min || v > max)
		return json_fail(err, j, p,
				 "%" PRId64 " is out of range [%" PRId64 ", %" PRId64 "]", v, min,
				 max);
	*out = (int)v;
	return 0;
}

int json_get_u32(struct json *j, int i, const struct jpath *p, uint32_t *out, struct rt_err *err)
{
	uint64_t v;
	int r = json_get_u64(j, i, p, &v, err);

	if (r < 0)
		return r;
	if (v > UINT32_MAX)
		return json_fail(err, j, p, "%" PRIu64 " does not fit in 32 bits", v);
	*out = (uint32_t)v;
	return 0;
}

/* Appends one path element; snprintf truncates: keep len on the last byte written. */
static size_t RT_PRINTF(2, 3) jpath_push(struct jpath *p, const char *fmt, ...)
{
	size_t saved = p->len, room = sizeof(p->s) - p->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = rt_vsnprintf(p->s + p->len, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		p->len += (size_t)n < room ? (size_t)n : room - 1;
	return saved;
}

size_t jpath_key(struct jpath *p, const char *key)
{
	return jpath_push(p, ".%s", key);
}

size_t jpath_idx(struct jpath *p, int idx)
{
	return jpath_push(p, "[%d]", idx);
}

size_t jpath_member(struct jpath *p, const char *key)
{
	return jpath_push(p, "[\"%s\"]", key);
}

void jpath_pop(struct jpath *p, size_t saved)
{
	p->len = saved;
	p->s[saved] = '\0';
}

void jw_init(struct jw *w, char *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->overflow = false;
	if (cap)
		buf[0] = '\0';
}

static void jw_putn(struct jw *w, const char *s, size_t n)
{
	if (w->len + n >= w->cap) {
		w->overflow = true;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

void jw_raw(struct jw *w, const char *s)
{
	jw_putn(w, s, strlen(s));
}

void jw_printf(struct jw *w, const char *fmt, ...)
{
	size_t room = w->cap - w->len;
	va_list ap;
	int n;

	if (w->overflow)
		return;
	va_start(ap, fmt);
	n = rt_vsnprintf(w->buf + w->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		w->overflow = true;
		w->buf[w->len] = '\0';
		return;
	}
	w->len += n;
}

void jw_str(struct jw *w, const char *s)
{
	char esc[8];

	jw_putn(w, "\"", 1);
	for (; *s; s++) {
		unsigned char c = *s;
		const char *e = strchr("\"\\\b\f\n\r\t", c);

		if (c && e) {
			esc[0] = '\\';
			esc[1] = "\"\\bfnrt"[e - "\"\\\b\f\n\r\t"];
			jw_putn(w, esc, 2);
		} else if (c < 0x20) {
			rt_snprintf(esc, sizeof(esc), "\\u%04x", c);
			jw_putn(w, esc, 6);
		} else {
			jw_putn(w, (const char *)&c, 1);
		}
	}
	jw_putn(w, "\"", 1);
}
