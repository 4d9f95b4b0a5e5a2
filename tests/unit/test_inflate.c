/* test_inflate.c - inflate.c against gzip -1/-9 and python's zlib (fixed, dynamic, stored,
 * several blocks, a ~200 KB config) and hand-made bit streams; truncated, bit-flipped,
 * random and crafted-corrupt members must fail with -EINVAL, never write past the output. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inflate.h"
#include "tap.h"

#define BIG   (256 << 10)
#define GUARD 64

static bool python;
static char text[BIG], dir[] = "/tmp/runt-inflate-XXXXXX", path[64];
static unsigned char gz[BIG + 4096];
static char out[BIG + GUARD];

static uint32_t crc32_of(const void *p, size_t n)
{
	uint32_t c = ~0u;

	for (size_t i = 0; i < n; i++) {
		c ^= ((const unsigned char *)p)[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? c >> 1 ^ 0xedb88320 : c >> 1;
	}
	return ~c;
}

/* Inflates into out with `size` bytes allowed; false if anything past them was written. */
static int inflate_guarded(const void *in, size_t n, size_t size, bool *guard_ok)
{
	int r;

	memset(out + size, 0x5a, GUARD);
	r = gz_inflate(in, n, out, size);
	*guard_ok = true;
	for (int i = 0; i < GUARD; i++)
		*guard_ok &= out[size + i] == 0x5a;
	return r;
}

/* A kernel-config-like text of size bytes (lines of options, comments, repeats). */
static size_t make_text(size_t size)
{
	size_t n = 0;
	uint32_t x = 12345;

	while (n + 80 < size) {
		x = x * 1103515245 + 12345;
		n += (size_t)snprintf(text + n, size - n,
				      x >> 16 & 1 ? "CONFIG_OPTION_%u_%X=%c\n"
						  : "# CONFIG_SOMETHING_%u_%X is not set\n",
				      x >> 20 & 1023, x >> 8 & 255, "ymn"[x % 3]);
	}
	return n;
}

static size_t write_file(const char *name, const void *p, size_t n)
{
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
	return n;
}

/* Runs cmd in dir: true when it succeeded. */
static bool run(const char *cmd)
{
	char line[1024];

	snprintf(line, sizeof(line), "cd %s && %s", dir, cmd);
	return system(line) == 0;
}

/* Loads dir/name into gz: its size, 0 on failure. */
static size_t load(const char *name)
{
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(gz, 1, sizeof(gz), f);
	fclose(f);
	return n;
}

/* cmd writes member.gz: its size in gz, 0 on failure. */
static size_t run_load(const char *cmd)
{
	return run(cmd) ? load("member.gz") : 0;
}

/* python's zlib: one interpreter for every variant (it starts slowly) */
static const char *const python_gen =
    "python3 -c 'import zlib; d=open(\"text\",\"rb\").read()\n"
    "def z(name, level=9, strategy=0, chunk=0):\n"
    " c=zlib.compressobj(level,zlib.DEFLATED,31,9,strategy)\n"
    " p=[d[i:i+chunk] for i in range(0,len(d),chunk)] if chunk else [d]\n"
    " f=zlib.Z_FULL_FLUSH\n"
    " open(name,\"wb\").write(b\"\".join(c.compress(x)+(c.flush(f) if chunk else b\"\") for x in "
    "p)+c.flush())\n"
    "z(\"fixed.gz\",6,zlib.Z_FIXED); z(\"stored.gz\",0); z(\"flush.gz\",chunk=5000)\n"
    "z(\"huffman.gz\",9,zlib.Z_HUFFMAN_ONLY); z(\"rle.gz\",9,zlib.Z_RLE)'";

/* The member in gz inflates to text[0..len) exactly. */
static void same(size_t n, size_t len, const char *what)
{
	bool guard;
	int r = inflate_guarded(gz, n, BIG, &guard);

	ok(r == (int)len && !memcmp(out, text, len) && guard, "%s: %zu bytes -> %zu inflated", what,
	   n, len);
	if (r != (int)len)
		diag("got %d", r);
}

static void from_tools(void)
{
	static const struct {
		const char *file, *what;
	} gen[] = {
		{ "gzip1.gz", "gzip -1 (fixed and dynamic blocks, no name)" },
		{ "gzip9.gz", "gzip -9 -c text (FNAME set)" },
		{ "fixed.gz", "python zlib Z_FIXED: fixed Huffman blocks only" },
		{ "stored.gz", "python zlib level 0: stored blocks (several of 64 KB)" },
		{ "flush.gz", "python zlib level 9, a full flush every 5000 bytes: many dynamic "
			      "blocks and empty stored ones" },
		{ "huffman.gz", "python zlib Z_HUFFMAN_ONLY: dynamic blocks of literals" },
		{ "rle.gz", "python zlib Z_RLE: distance-1 copies" },
	};
	size_t len = make_text(200 << 10), n;

	write_file("text", text, len);
	python = run(python_gen);
	ok(run("gzip -1 <text >gzip1.gz && gzip -9 -c text >gzip9.gz"), "gzip -1 and -9 run");
	for (unsigned i = 0; i < sizeof(gen) / sizeof(gen[0]); i++) {
		if (i > 1 && !python) {
			tap_skip(gen[i].what, "no python3 with zlib");
			continue;
		}
		n = load(gen[i].file);
		if (ok(n > 0, "%s: made", gen[i].what))
			same(n, len, gen[i].what);
	}

	/* small ones: empty, one byte, a short line (gzip makes a fixed block for those) */
	for (size_t l = 0; l < 3; l++) {
		size_t sizes[] = { 0, 1, 37 };

		write_file("text", text, sizes[l]);
		n = run_load("gzip -9 <text >member.gz");
		same(n, sizes[l], sizes[l] ? "gzip -9 of a short text" : "gzip of nothing");
	}
}

/* Every prefix of a member fails with -EINVAL; every flipped bit fails or changes nothing
 * (the flags' reserved bits fail, mtime, xfl and os do not matter). */
static void corrupt(const char *cmd, size_t len, const char *what)
{
	size_t n, bad_prefix = 0, bad_flip = 0, refused = 0, step, bstep, hdr, data_kept = 0;
	bool guard, guards = true;
	static unsigned char copy[sizeof(gz)];

	write_file("text", text, make_text(len));
	len = strlen(text);
	n = run_load(cmd);
	if (!ok(n > 0, "%s: made (%zu bytes)", what, n))
		return;
	step = n > 4000 ? n / 199 : 1; /* a large one: about 200 truncations and 200 flips */
	bstep = step > 1 ? step * 8 - 1 : 1;
	for (size_t k = 0; k < n; k += step) {
		unsigned char *t =
		    malloc(k + 1); /* exact size: a tool like ASan sees an overread */

		memcpy(t, gz, k);
		bad_prefix += inflate_guarded(t, k, BIG, &guard) != -EINVAL;
		guards &= guard;
		free(t);
	}
	ok(!bad_prefix, "%s: each of %zu truncations fails with EINVAL", what,
	   (n + step - 1) / step);
	memcpy(copy, gz, n);
	hdr = 10 + (gz[3] & 8 ? strlen((char *)gz + 10) + 1 : 0);
	for (size_t bit = 0; bit < n * 8; bit += bstep) {
		int r;

		copy[bit / 8] ^= (unsigned char)(1 << bit % 8);
		r = inflate_guarded(copy, n, BIG, &guard);
		copy[bit / 8] ^= (unsigned char)(1 << bit % 8);
		guards &= guard;
		if (r < 0)
			refused += r == -EINVAL;
		else
			bad_flip += r != (int)len || memcmp(out, text, len);
		/* mtime, xfl, os, the name and the length do not matter, nor the last block's
		 * padding bits; the deflate data and the CRC do */
		data_kept += r >= 0 && bit / 8 >= hdr && bit / 8 < n - 4;
	}
	ok(!bad_flip, "%s: no flipped bit inflates to something else (%zu of %zu refused)", what,
	   refused, (n * 8 + bstep - 1) / bstep);
	ok(data_kept <= 7, "%s: a flip in the deflate data or CRC is refused (but padding: %zu)",
	   what, data_kept);
	ok(guards, "%s: nothing written past the output buffer", what);
	/* the output buffer one byte too small, then exactly right */
	memcpy(gz, copy, n);
	is_int(inflate_guarded(gz, n, len - 1, &guard), -ENOSPC, "%s: one byte too small: ENOSPC",
	       what);
	ok(guard, "%s: ... and nothing past it written", what);
	is_int(inflate_guarded(gz, n, len, &guard), (int)len, "%s: exactly its size fits", what);
}

/* ---- hand-made members ------------------------------------------------------------ */

static struct {
	unsigned char b[4096];
	size_t n;      /* bytes finished */
	unsigned bits; /* bits in b[n] */
} w;

static void put(unsigned v, unsigned n) /* least significant bit first */
{
	for (unsigned i = 0; i < n; i++) {
		if (!w.bits)
			w.b[w.n] = 0;
		w.b[w.n] |= (unsigned char)((v >> i & 1) << w.bits);
		if (++w.bits == 8)
			w.bits = 0, w.n++;
	}
}

static void put_code(unsigned code, unsigned len) /* Huffman codes: most significant first */
{
	while (len--)
		put(code >> len & 1, 1);
}

/* RFC 1951 3.2.6's fixed code of a literal/length symbol */
static void put_fixed(unsigned sym)
{
	if (sym < 144)
		put_code(0x30 + sym, 8);
	else if (sym < 256)
		put_code(0x190 + sym - 144, 9);
	else if (sym < 280)
		put_code(sym - 256, 7);
	else
		put_code(0xc0 + sym - 280, 8);
}

static void start(unsigned flg)
{
	static const unsigned char head[] = { 0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 0, 3 };

	memset(&w, 0, sizeof(w));
	memcpy(w.b, head, sizeof(head));
	w.b[3] = (unsigned char)flg;
	w.n = sizeof(head);
}

/* Aligns and appends the CRC-32 and length of data. */
static size_t finish(const char *data, size_t len)
{
	uint32_t c = crc32_of(data, len);

	if (w.bits)
		w.bits = 0, w.n++;
	for (int i = 0; i < 4; i++)
		w.b[w.n++] = (unsigned char)(c >> 8 * i);
	for (int i = 0; i < 4; i++)
		w.b[w.n++] = (unsigned char)(len >> 8 * i);
	return w.n;
}

static void expect(int want, const char *data, const char *what)
{
	char line[256];
	bool guard;
	int r = inflate_guarded(w.b, w.n, 4096, &guard);

	if (want >= 0) { /* gzip agrees it is valid, with that content */
		write_file("member.gz", w.b, w.n);
		write_file("want", data, (size_t)want);
		snprintf(line, sizeof(line), "gzip -dc <%s/member.gz | cmp -s - %s/want", dir, dir);
		is_int(system(line), 0, "%s: gzip -d inflates it the same", what);
		if (!ok(r == want && !memcmp(out, data, (size_t)want) && guard, "%s: \"%s\"", what,
			data))
			diag("got %d", r);
	} else
		is_int(r, want, "%s", what);
}

static void crafted(void)
{
	static const char abc[] = "abcabcabcab";

	/* fixed: a b c, then length 8 at distance 3 (an overlapping copy) */
	start(0);
	put(1, 1), put(1, 2);
	put_fixed('a'), put_fixed('b'), put_fixed('c');
	put_fixed(262), put_code(2, 5); /* length 8, distance code 2: 3 */
	put_fixed(256);
	finish(abc, 11);
	expect(11, abc, "fixed block, literals and an overlapping copy");

	/* a stored block then a fixed one, every header field (FEXTRA, FNAME, FCOMMENT, FHCRC) */
	start(2 | 4 | 8 | 16);
	memcpy(w.b + w.n,
	       "\3\0xyz"
	       "name\0"
	       "comment\0",
	       18);
	w.n += 18;
	w.b[w.n] = (unsigned char)crc32_of(w.b, w.n); /* FHCRC: the header's CRC-32, low half */
	w.b[w.n + 1] = (unsigned char)(crc32_of(w.b, w.n) >> 8);
	w.n += 2;
	put(0, 1), put(0, 2);
	w.bits = 0, w.n++;
	memcpy(w.b + w.n,
	       "\4\0\xfb\xff"
	       "abca",
	       8);
	w.n += 8;
	put(1, 1), put(1, 2);
	put_fixed(260), put_code(2, 5); /* length 6, distance 3 */
	put_fixed('b'), put_fixed(256);
	finish(abc, 11);
	expect(11, abc, "FEXTRA, FNAME, FCOMMENT, FHCRC skipped; stored then fixed block");

	/* the longest length (258, symbol 285) and the farthest distance code in reach */
	{
		static char z[300];

		memset(z, 'z', 259);
		start(0);
		put(1, 1), put(1, 2);
		put_fixed('z'), put_fixed(285), put_code(0, 5); /* 258 at distance 1 */
		put_fixed(256);
		finish(z, 259);
		expect(259, z, "length symbol 285 is 258 with no extra bits");
	}

	start(0);
	put(1, 1), put(3, 2);
	finish("", 0);
	expect(-EINVAL, "", "block type 3 is refused");

	start(0);
	put(1, 1), put(0, 2);
	w.bits = 0, w.n++;
	memcpy(w.b + w.n,
	       "\4\0\xfb\xfe"
	       "abca",
	       8);
	w.n += 8;
	finish("abca", 4);
	expect(-EINVAL, "", "a stored block whose NLEN is not LEN's complement is refused");

	start(0);
	put(1, 1), put(1, 2);
	put_fixed('a'), put_fixed(257),
	    put_code(1, 5); /* length 3 at distance 2: before the start */
	put_fixed(256);
	finish("aaaa", 4);
	expect(-EINVAL, "", "a distance reaching before the output's start is refused");

	for (unsigned sym = 286; sym < 288; sym++) {
		start(0);
		put(1, 1), put(1, 2);
		put_fixed('a'), put_fixed(sym), put_code(0, 5), put_fixed(256);
		finish("a", 1);
		expect(-EINVAL, "", sym == 286 ? "length symbol 286 is refused" : "... and 287");
	}
	for (unsigned d = 30; d < 32; d++) {
		start(0);
		put(1, 1), put(1, 2);
		put_fixed('a'), put_fixed(257), put_code(d, 5), put_fixed(256);
		finish("aaaa", 4);
		expect(-EINVAL, "", d == 30 ? "distance symbol 30 is refused" : "... and 31");
	}

	/* dynamic: a code length code giving symbols 16, 17, 18 and 1 two bits each */
	{
		/* order: 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1 */
		static const unsigned cl[18] = { 2, 2, 2, 0, 0, 0, 0, 0, 0,
						 0, 0, 0, 0, 0, 0, 0, 0, 2 };
		/* canonical: 1 -> 00, 16 -> 01, 17 -> 10, 18 -> 11 */
		static const struct {
			unsigned first, extra, hlit;
			const char *what;
		} bad[] = {
			{ 1, 0, 0, "a repeat (16) with no length before it is refused" },
			{ 3, 127, 0, "zeros (18) running past the last length are refused" },
		};

		for (unsigned i = 0; i < 2; i++) {
			start(0);
			put(1, 1), put(2, 2);
			put(bad[i].hlit, 5), put(0, 5),
			    put(14, 4); /* 257 + 1 lengths, 18 cl codes */
			for (unsigned k = 0; k < 18; k++)
				put(cl[k], 3);
			put_code(bad[i].first, 2);
			put(bad[i].extra, bad[i].first == 1 ? 2 : 7);
			put_code(3, 2), put(127, 7); /* 138 zeros: 139 > 258 - ... either way */
			put_code(3, 2), put(127, 7);
			finish("", 0);
			expect(-EINVAL, "", bad[i].what);
		}
		/* A complete dynamic block. Code length code: 2, 3 and 18 two bits (00, 01, 10),
		 * 16 and 17 three (110, 111). Literal/length code: 256 two bits (00), a-e and 257
		 * three (010 ... 110, 111); distances 0-3 two bits. */
		static const unsigned cl2[16] = { 3, 3, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2 };

		start(0);
		put(1, 1), put(2, 2);
		put(1, 5), put(3, 5), put(12, 4); /* 258 lengths, 4 distances, 16 cl codes */
		for (unsigned k = 0; k < 16; k++)
			put(cl2[k], 3);
		put_code(2, 2), put(97 - 11, 7); /* 97 zeros */
		put_code(1, 2);			 /* 'a': 3 */
		put_code(6, 3), put(1, 2);	 /* 16: 4 more 3s, 'b' to 'e' */
		put_code(2, 2), put(127, 7);	 /* 138 zeros */
		put_code(7, 3), put(7, 3);	 /* 17: 10 zeros */
		put_code(7, 3), put(3, 3);	 /* 17: 6 zeros: 101 + 1 + 138 + 10 + 6 = 256 */
		put_code(0, 2);			 /* 256: 2 */
		put_code(1, 2);			 /* 257: 3 */
		put_code(0, 2), put_code(6, 3), put(0, 2); /* distances: 2, then 16: three more */
		put_code(2, 3), put_code(3, 3), put_code(4, 3); /* a b c */
		put_code(7, 3), put_code(2, 2);			/* length 3 at distance 3 */
		put_code(6, 3), put_code(0, 2);			/* e, end */
		finish("abcabce", 7);
		expect(7, "abcabce", "dynamic block: code lengths run-length coded (16, 17, 18)");
	}

	start(0);
	put(1, 1), put(1, 2);
	put_fixed('a'), put_fixed(256);
	finish("a", 1);
	w.b[w.n - 8] ^= 1;
	expect(-EINVAL, "", "a wrong CRC-32 is refused");
	w.b[w.n - 8] ^= 1;
	expect(1, "a", "... and the right one accepted");
	w.b[0] = 0x1e;
	expect(-EINVAL, "", "a wrong magic is refused");
	w.b[0] = 0x1f, w.b[2] = 9;
	expect(-EINVAL, "", "a method other than deflate is refused");
	w.b[2] = 8, w.b[3] = 0x20;
	expect(-EINVAL, "", "reserved flag bits are refused");
	w.b[3] = 8; /* FNAME with no terminating zero in the whole member */
	memset(w.b + 10, 'x', w.n - 10);
	expect(-EINVAL, "", "an FNAME that never ends is refused");
	is_int(gz_inflate("", 0, out, 16), -EINVAL, "empty input is refused");
}

/* Random bytes after a valid header, and random mutations of a real member. */
static void random_input(void)
{
	static unsigned char r[2048];
	uint32_t x = 99;
	bool guard, guards = true;
	unsigned accepted = 0;

	for (int i = 0; i < 20000; i++) {
		size_t n = 10 + (size_t)(i % 2000);

		for (size_t k = 10; k < n; k++)
			x = x * 1664525 + 1013904223, r[k] = (unsigned char)(x >> 24);
		memcpy(r, "\x1f\x8b\x08\0\0\0\0\0\0\3", 10);
		r[3] = (unsigned char)(x >> 8 & 0x1f);
		accepted += inflate_guarded(r, n, 4096, &guard) >= 0;
		guards &= guard;
	}
	ok(guards && !accepted, "20000 random members: none accepted, nothing written past 4 KB");
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	from_tools();
	corrupt("gzip -9 <text >member.gz", 600, "gzip -9, 600 bytes (a dynamic block)");
	corrupt("gzip -1 -c text >member.gz", 300, "gzip -1 -c, 300 bytes (FNAME)");
	corrupt("gzip -9 <text >member.gz", 100000, "gzip -9, 100 KB (sampled)");
	if (python)
		corrupt(
		    "python3 -c 'import sys,zlib; c=zlib.compressobj(0,zlib.DEFLATED,31); "
		    "sys.stdout.buffer.write(c.compress(open(\"text\",\"rb\").read())+c.flush())' "
		    ">member.gz",
		    400, "python zlib level 0 (a stored block)");
	crafted();
	random_input();
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	if (system(path) != 0)
		return 1;
	return tap_done();
}
