/* test_json.c - the strict jsmn walker: unescaping, integers, typed errors with paths,
 * iteration, refusal of trailing data, and the bounded writer. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "tap.h"

static struct json J;
static char *B;

/* ' stands for " in the test documents. */
static int load(const char *text, struct rt_err *err)
{
	json_free(&J);
	free(B);
	B = strdup(text);
	for (char *p = B; *p; p++)
		if (*p == '\'')
			*p = '"';
	return json_parse(&J, "t.json", B, strlen(B), err);
}

static void parse_err(const char *text, const char *want, const char *desc)
{
	struct rt_err err = { 0 };

	is_str(load(text, &err) < 0 ? err.msg : "(accepted)", want, "parse refused: %s", desc);
}

static void test_parse(void)
{
	struct rt_err err = { 0 };

	is_int(load(" {'a': 1} \n", &err), 0, "object with surrounding whitespace");
	is_int(J.ntok, 3, "three tokens");
	parse_err("", "t.json: invalid JSON: unexpected end of input", "empty input");
	parse_err("[1,2]", "t.json: expected a JSON object at the top level", "top-level array");
	parse_err("'s'", "t.json: expected a JSON object at the top level", "top-level string");
	parse_err("{'a':1", "t.json: invalid JSON: unexpected end of input", "unterminated");
	parse_err("{'a':1} x", "t.json: invalid JSON: unexpected character at byte 8",
		  "trailing garbage");
	parse_err("{'a':1}{}", "t.json: invalid JSON: unexpected character at byte 7",
		  "two documents");
	parse_err("{a:1}", "t.json: invalid JSON: unexpected character at byte 1", "unquoted key");
	parse_err("{1:2}", "t.json: invalid JSON: unexpected character at byte 1",
		  "number as a key");
	parse_err("{'a':xyz}", "t.json: invalid JSON: bad literal \"xyz\"", "bare word");
	parse_err("{'a':tru}", "t.json: invalid JSON: bad literal \"tru\"", "truncated true");
	parse_err("{'a':falsey}", "t.json: invalid JSON: bad literal \"falsey\"", "falsey");
	parse_err("{'a':nul}", "t.json: invalid JSON: bad literal \"nul\"", "truncated null");
	parse_err("{'a':01}", "t.json: invalid JSON: bad literal \"01\"", "leading zero");
	parse_err("{'a':-}", "t.json: invalid JSON: bad literal \"-\"", "lone minus");
	parse_err("{'a':1x}", "t.json: invalid JSON: bad literal \"1x\"", "number with junk");
	parse_err("{'a':[1.]}", "t.json: invalid JSON: bad literal \"1.\"", "dot without digits");
	is_int(load("{'a':[0,-1,1.5,2e3,-0.5E-2,true,false,null]}", &err), 0,
	       "every valid literal form accepted");
	parse_err("{'a':'\\x'}", "t.json: invalid JSON", "unknown escape");
	parse_err("{'a':'\\u12'}", "t.json: invalid JSON", "short \\u escape");
}

/* Issue 17 item 4: jsmn accepted these and the walker read past the last token. */
static void test_structure(void)
{
	static const char repro[] = "{\"ociVersion\":\"1.0.0\",\"root\":{\"\"}}";
	struct rt_err err = { 0 };
	char buf[sizeof(repro)];
	struct json j;

	memcpy(buf, repro, sizeof(buf));
	is_int(json_parse(&j, "config.json", buf, sizeof(buf) - 1, &err), -EINVAL,
	       "issue reproducer refused");
	is_str(err.msg, "config.json: invalid JSON: unexpected character at byte 32",
	       "... at the closing brace after the lone key");
	json_free(&j);
	parse_err("{'k'}", "t.json: invalid JSON: unexpected character at byte 4", "key alone");
	parse_err("{'a','b'}", "t.json: invalid JSON: unexpected character at byte 4",
		  "two keys, no values");
	parse_err("{'a':1,}", "t.json: invalid JSON: unexpected character at byte 7",
		  "trailing comma in an object");
	parse_err("{'a':[1,]}", "t.json: invalid JSON: unexpected character at byte 8",
		  "trailing comma in an array");
	parse_err("{'a':[1 2]}", "t.json: invalid JSON: unexpected character at byte 8",
		  "array values without a comma");
	parse_err("{'a':[1] 'b':2}", "t.json: invalid JSON: unexpected character at byte 9",
		  "members without a comma");
	parse_err("{,'a':1}", "t.json: invalid JSON: unexpected character at byte 1",
		  "leading comma");
	parse_err("{'a':[,1]}", "t.json: invalid JSON: unexpected character at byte 6",
		  "leading comma in an array");
	parse_err("{'a'::1}", "t.json: invalid JSON: unexpected character at byte 5", "two colons");
	parse_err("{'a':1:2}", "t.json: invalid JSON: unexpected character at byte 6",
		  "colon after a value");
	parse_err("{'a':['b':1]}", "t.json: invalid JSON: unexpected character at byte 9",
		  "colon in an array");
	parse_err("{'a':[1}}", "t.json: invalid JSON: unexpected character at byte 7",
		  "mismatched brackets");
	parse_err("{'a':1}}", "t.json: invalid JSON: unexpected character at byte 7",
		  "one bracket too many");
	parse_err("{'a':{'b':1}", "t.json: invalid JSON: unexpected end of input",
		  "one bracket short");
	parse_err("{'a':'b", "t.json: invalid JSON: unexpected end of input",
		  "unterminated string");
	is_int(load("{'a':[[],{},[{}],{'b':[1,'c',null]}],'d':{}}", &err), 0,
	       "nested empty and mixed containers accepted");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Time to parse head, n x open, n x close, tail; -1 if refused (err filled). */
static double parse_time(const char *head, const char *open, const char *close, const char *tail,
			 int n, struct rt_err *err)
{
	const char *part[] = { head, open, close, tail };
	char *doc = malloc(strlen(head) + n * (strlen(open) + strlen(close)) + strlen(tail) + 1);
	size_t len = 0;
	double t;
	int r;

	for (int i = 0; i < 4; i++)
		for (int k = 0; k < (i == 1 || i == 2 ? n : 1); k++) {
			memcpy(doc + len, part[i], strlen(part[i]));
			len += strlen(part[i]);
		}
	json_free(&J);
	t = now();
	r = json_parse(&J, "t.json", doc, len, err);
	t = now() - t;
	free(doc);
	return r < 0 ? -1 : t;
}

/* Issue 17 item 5: 400k nested arrays took minutes (jsmn's closing bracket walked back
 * over every closed token); wide documents were quadratic too (',' searched backwards). */
static void test_linear(void)
{
	struct rt_err err = { 0 };
	double t = now();
	bool refused = parse_time("{\"a\":", "[", "]", "}", 400000, &err) < 0;

	t = now() - t;
	ok(refused && t < 1, "400k nested arrays refused in %.3f s", t);
	is_str(err.msg, "t.json: invalid JSON: nested too deep at byte 68", "depth error");
	ok(parse_time("{\"a\":", "[", "]", "}", JSON_MAX_DEPTH - 1, &err) >= 0,
	   "%d levels accepted", JSON_MAX_DEPTH);
	t = parse_time("{\"a\":[", "[[1],{\"b\":[]}],", "", "0]}", 200000, &err);
	ok(t >= 0 && t < 2, "2 MB wide array parsed in %.3f s", t);
	t = parse_time("{", "\"k\":\"v\",", "", "\"k\":1}", 400000, &err);
	ok(t >= 0 && t < 2, "400k object members parsed in %.3f s", t);
}

static const char *str_of(const char *text, struct rt_err *err)
{
	const char *s = NULL;
	struct jpath p = { ".s", 2 };

	if (load(text, err) < 0)
		return "(parse error)";
	if (json_get_str(&J, json_find(&J, 0, "s"), &p, &s, err) < 0)
		return err->msg;
	return s;
}

static void test_unescape(void)
{
	struct rt_err err = { 0 };
	const char *s;

	is_str(str_of("{'s':'plain'}", &err), "plain", "plain string");
	is_str(str_of("{'s':'a\\nb\\tc'}", &err), "a\nb\tc", "\\n and \\t");
	is_str(str_of("{'s':'\\'q\\' \\\\ \\/'}", &err), "\"q\" \\ /", "quote, backslash, slash");
	is_str(str_of("{'s':'\\b\\f\\r'}", &err), "\b\f\r", "\\b \\f \\r");
	is_str(str_of("{'s':'caf\\u00e9'}", &err), "caf\xc3\xa9", "\\u00e9 -> UTF-8");
	is_str(str_of("{'s':'\\u20AC'}", &err), "\xe2\x82\xac", "\\u20AC (3 bytes, upper hex)");
	is_str(str_of("{'s':'\\ud83d\\ude00'}", &err), "\xf0\x9f\x98\x80", "surrogate pair");
	is_str(str_of("{'s':'a\\u0000b'}", &err),
	       "t.json: .s: invalid string escape or NUL character", "\\u0000 refused");
	is_str(str_of("{'s':'\\ud83dx'}", &err),
	       "t.json: .s: invalid string escape or NUL character", "lone high surrogate refused");
	is_str(str_of("{'s':'\\ud83d\\u0041'}", &err),
	       "t.json: .s: invalid string escape or NUL character",
	       "high surrogate + non-low refused");
	is_str(str_of("{'s':'\\udc00'}", &err),
	       "t.json: .s: invalid string escape or NUL character", "lone low surrogate refused");
	is_str(str_of("{'s':'\\udc00\\ud83d'}", &err),
	       "t.json: .s: invalid string escape or NUL character", "reversed pair refused");
	is_str(str_of("{'s':'\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf'}", &err),
	       "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf",
	       "raw UTF-8 of 2, 3 and 4 bytes, U+10FFFF");
	/* Issue 17 item 6: raw bytes that are no UTF-8, and raw control characters. */
	parse_err("{'s':'a\xff'}", "t.json: invalid JSON: unexpected character at byte 7", "0xff");
	parse_err("{'s':'\x80'}", "t.json: invalid JSON: unexpected character at byte 6",
		  "lone continuation byte");
	parse_err("{'s':'\xc0\xaf'}", "t.json: invalid JSON: unexpected character at byte 6",
		  "overlong '/'");
	parse_err("{'s':'\xe0\x80\xaf'}", "t.json: invalid JSON: unexpected character at byte 6",
		  "overlong 3 bytes");
	parse_err("{'s':'\xed\xa0\x80'}", "t.json: invalid JSON: unexpected character at byte 6",
		  "UTF-8 of a surrogate");
	parse_err("{'s':'\xf4\x90\x80\x80'}",
		  "t.json: invalid JSON: unexpected character at byte 6", "above U+10FFFF");
	parse_err("{'s':'\xf8\x88\x80\x80\x80'}",
		  "t.json: invalid JSON: unexpected character at byte 6", "5-byte form");
	parse_err("{'s':'\xe2\x82'}", "t.json: invalid JSON: unexpected character at byte 6",
		  "cut short before the quote");
	parse_err("{'s':'\xe2\x82", "t.json: invalid JSON: unexpected character at byte 6",
		  "cut short at the end");
	parse_err("{'s':'a\tb'}", "t.json: invalid JSON: unexpected character at byte 7",
		  "raw tab");
	parse_err("{'\x01':1}", "t.json: invalid JSON: unexpected character at byte 2",
		  "raw control character in a key");
	is_str(str_of("{'s':5}", &err), "t.json: .s: expected string, got number",
	       "number is no string");
	load("{'s':'x\\ty'}", &err);
	s = json_str(&J, 2);
	ok(s && s == json_str(&J, 2) && !strcmp(s, "x\ty"), "json_str twice: same unescaped text");
	ok(json_str(&J, 1) && json_str(&J, 0) == NULL,
	   "json_str of a key works, of an object is NULL");
}

static void test_numbers(void)
{
	struct rt_err err = { 0 };
	struct jpath p = { ".n", 2 };
	int64_t i;
	uint64_t u;
	uint32_t u32;
	int n;

	load("{'a':-5,'b':18446744073709551615,'c':1.5,'d':1e3,'e':4294967296,'f':'7',"
	     "'g':9223372036854775808,'h':0,'i':-9223372036854775808}",
	     &err);
	is_int(json_get_i64(&J, json_find(&J, 0, "a"), &p, &i, &err), 0, "i64 of -5");
	is_int(i, -5, "i64 value -5");
	is_str(json_get_u64(&J, json_find(&J, 0, "a"), &p, &u, &err) < 0 ? err.msg : "",
	       "t.json: .n: must not be negative, got -5", "u64 refuses negatives");
	ok(json_get_u64(&J, json_find(&J, 0, "b"), &p, &u, &err) == 0 && u == UINT64_MAX,
	   "u64 max");
	is_str(json_get_i64(&J, json_find(&J, 0, "c"), &p, &i, &err) < 0 ? err.msg : "",
	       "t.json: .n: expected an integer, got 1.5", "float refused");
	is_str(json_get_u64(&J, json_find(&J, 0, "d"), &p, &u, &err) < 0 ? err.msg : "",
	       "t.json: .n: expected an integer, got 1e3", "exponent refused");
	is_str(json_get_u32(&J, json_find(&J, 0, "e"), &p, &u32, &err) < 0 ? err.msg : "",
	       "t.json: .n: 4294967296 does not fit in 32 bits", "u32 overflow");
	is_str(json_get_i64(&J, json_find(&J, 0, "f"), &p, &i, &err) < 0 ? err.msg : "",
	       "t.json: .n: expected number, got string", "string is no number");
	is_str(json_get_i64(&J, json_find(&J, 0, "g"), &p, &i, &err) < 0 ? err.msg : "",
	       "t.json: .n: invalid integer 9223372036854775808", "i64 overflow");
	ok(json_get_i64(&J, json_find(&J, 0, "i"), &p, &i, &err) == 0 && i == INT64_MIN, "i64 min");
	ok(json_get_int(&J, json_find(&J, 0, "h"), &p, 0, 0, &n, &err) == 0 && n == 0,
	   "int in [0, 0]");
	is_str(json_get_int(&J, json_find(&J, 0, "a"), &p, -4, 4, &n, &err) < 0 ? err.msg : "",
	       "t.json: .n: -5 is out of range [-4, 4]", "int range");
}

static void test_kinds(void)
{
	struct rt_err err = { 0 };
	struct jpath p = { ".x", 2 };
	bool b = false;

	load("{'n':null,'t':true,'f':false,'i':1,'s':'','a':[],'o':{}}", &err);
	ok(json_kind(&J, json_find(&J, 0, "n")) == JSON_NULL, "kind null");
	ok(json_kind(&J, json_find(&J, 0, "t")) == JSON_BOOL, "kind true");
	ok(json_kind(&J, json_find(&J, 0, "f")) == JSON_BOOL, "kind false");
	ok(json_kind(&J, json_find(&J, 0, "i")) == JSON_NUMBER, "kind number");
	ok(json_kind(&J, json_find(&J, 0, "s")) == JSON_STRING, "kind string");
	ok(json_kind(&J, json_find(&J, 0, "a")) == JSON_ARRAY, "kind array");
	ok(json_kind(&J, json_find(&J, 0, "o")) == JSON_OBJECT, "kind object");
	is_str(json_kind_name(JSON_BOOL), "boolean", "kind name boolean");
	ok(json_get_bool(&J, json_find(&J, 0, "t"), &p, &b, &err) == 0 && b, "bool true");
	ok(json_get_bool(&J, json_find(&J, 0, "f"), &p, &b, &err) == 0 && !b, "bool false");
	is_str(json_get_bool(&J, json_find(&J, 0, "n"), &p, &b, &err) < 0 ? err.msg : "",
	       "t.json: .x: expected boolean, got null", "null is no boolean");
	is_str(json_expect(&J, json_find(&J, 0, "a"), &p, JSON_OBJECT, &err) < 0 ? err.msg : "",
	       "t.json: .x: expected object, got array", "json_expect mismatch");
	is_int(json_find(&J, 0, "missing"), -1, "json_find of a missing key");
	is_int(json_find(&J, json_find(&J, 0, "a"), "x"), -1, "json_find in an array");
}

static void test_iteration(void)
{
	struct rt_err err = { 0 };
	char keys[64] = "";
	long sum = 0;
	int n, k, v, arr, cnt = 0;

	load("{'a':{'deep':[1,[2,{'x':3}]]},'b':[10,20,30],'c':'z'}", &err);
	JSON_FOR_EACH(&J, 0, n, k, v)
	{
		strncat(keys, json_str(&J, k), 8);
		cnt++;
	}
	is_str(keys, "abc", "object members in order, nested values skipped");
	is_int(cnt, 3, "three members");
	arr = json_find(&J, 0, "b");
	JSON_FOR_EACH(&J, arr, n, k, v)
	{
		int64_t x;
		struct jpath p = { "", 0 };

		ok(k == -1, "array element %d has no key", n);
		json_get_i64(&J, v, &p, &x, &err);
		sum += x;
	}
	is_int(sum, 60, "array values summed");
	is_int(json_next(&J, json_find(&J, 0, "a")), json_find(&J, 0, "b") - 1,
	       "json_next skips a nested subtree");
	load("{}", &err);
	cnt = 0;
	JSON_FOR_EACH(&J, 0, n, k, v)
	cnt++;
	is_int(cnt, 0, "empty object: no iteration");
}

static void test_paths(void)
{
	struct jpath p = { "", 0 };
	struct rt_err err = { 0 };
	size_t a, b;

	a = jpath_key(&p, "linux");
	jpath_key(&p, "namespaces");
	b = jpath_idx(&p, 2);
	jpath_key(&p, "type");
	is_str(p.s, ".linux.namespaces[2].type", "path built");
	jpath_pop(&p, b);
	is_str(p.s, ".linux.namespaces", "pop to the array");
	jpath_pop(&p, a);
	is_str(p.s, "", "pop to the root");
	load("{}", &err);
	json_fail(&err, &J, &p, "bad %d", 7);
	is_str(err.msg, "t.json: .: bad 7", "json_fail at the root");
	is_int(err.code, EINVAL, "json_fail sets EINVAL");
	for (int i = 0; i < 100; i++)
		jpath_key(&p, "long-key");
	ok(p.len < sizeof(p.s) && strlen(p.s) == p.len, "path truncates instead of overflowing");
}

static void test_writer(void)
{
	char buf[64], small[8];
	struct jw w;

	jw_init(&w, buf, sizeof(buf));
	jw_str(&w, "a\"b\\c\n\t\x01/");
	is_str(buf, "\"a\\\"b\\\\c\\n\\t\\u0001/\"", "writer escapes quote, backslash, controls");
	ok(!w.overflow, "no overflow");
	jw_init(&w, buf, sizeof(buf));
	jw_raw(&w, "{");
	jw_str(&w, "k");
	jw_printf(&w, ":%d}", 42);
	is_str(buf, "{\"k\":42}", "raw + str + printf");
	jw_str(&w, "caf\xc3\xa9");
	ok(strstr(buf, "caf\xc3\xa9") != NULL, "UTF-8 passes through");
	jw_init(&w, small, sizeof(small));
	jw_str(&w, "0123456789");
	ok(w.overflow, "overflow flagged");
	ok(strlen(small) < sizeof(small), "buffer stays terminated on overflow");
}

int main(void)
{
	test_parse();
	test_structure();
	test_linear();
	test_unescape();
	test_numbers();
	test_kinds();
	test_iteration();
	test_paths();
	test_writer();
	json_free(&J);
	free(B);
	return tap_done();
}
