/* inflate.c - gzip decompression (RFC 1951 deflate in an RFC 1952 member) into a fixed
 * buffer, for `runt check` and /proc/config.gz. The input is untrusted: every read and write
 * is bounds-checked, and a corrupt or truncated member is refused, never half-trusted. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "inflate.h"

/* The input and the position in it, in bits, taken least significant first. Past the end
 * bits read as zeros while pos goes on, so every loop still ends (by its own bound or the
 * output's) and the result is refused. One reader at a time (runt is single-threaded): a
 * static one keeps the calls short. */
static struct {
	const uint8_t *in;
	size_t end, pos;
} b;

/* A canonical Huffman code (RFC 1951 3.2.2): how many codes have each length, and the
 * symbols in code order (by length, then by value). */
struct huff {
	uint16_t cnt[16], sym[288];
};

static unsigned get(unsigned n)
{
	unsigned v = 0;

	for (unsigned i = 0; i < n; i++, b.pos++)
		if (b.pos < b.end)
			v |= (b.in[b.pos / 8] >> b.pos % 8 & 1u) << i;
	return v;
}

/* Symbols by length, then by value: sym[] holds as many as there are nonzero lengths,
 * all decode() can index. An over-subscribed code decodes garbage the CRC then refuses. */
static void build(struct huff *h, const uint8_t *len, unsigned n)
{
	unsigned k = 0;

	memset(h->cnt, 0, sizeof(h->cnt));
	for (unsigned l = 1; l < 16; l++)
		for (unsigned i = 0; i < n; i++)
			if (len[i] == l)
				h->sym[k++] = (uint16_t)i, h->cnt[l]++;
}

/* Reads a code bit by bit; v is the code minus the first code of its length, so the
 * symbol is at the count of all shorter codes plus v. -1: no code (incomplete set). */
static int decode(const struct huff *h)
{
	unsigned v = 0, idx = 0;

	for (unsigned l = 1; l < 16; l++) {
		v |= get(1);
		if (v < h->cnt[l])
			return h->sym[idx + v];
		idx += h->cnt[l];
		v = (v - h->cnt[l]) << 1;
	}
	return -1;
}

/* Length (per 4, from 3) and distance (per 2, from 1) codes: runs of `per` codes share
 * their extra bits e, none for the first two runs and one more for each run after; a run's
 * first base is per << e past the start. */
static unsigned base(unsigned code, unsigned per, unsigned start)
{
	unsigned e = code < 2 * per ? 0 : code / per - 1;

	return start + (e ? (per + code % per) << e : code) + get(e);
}

int gz_inflate(const void *in, size_t n, char *out, size_t size)
{
	static const uint8_t order[19] = { 16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
					   11, 4,  12, 3, 13, 2, 14, 1, 15 };
	struct huff lit, dist;
	uint8_t len[320];
	unsigned flg, last, i, k, hlit, nlen, crc = ~0u;
	size_t o = 0, l, d;
	int s, err = -EINVAL;

	b.in = in, b.end = n * 8, b.pos = 0;
	if (get(24) != 0x088b1f || ((flg = get(8)) & 0xe0)) /* magic, deflate, flags */
		return -EINVAL;
	b.pos += 48; /* mtime, extra flags, os */
	if (flg & 4) /* FEXTRA */
		b.pos += 8 * get(16);
	for (k = flg & 24; k; k &= k - 1) /* FNAME, FCOMMENT: zero-terminated */
		while (get(8))
			;
	b.pos += (flg & 2) * 8; /* FHCRC */
	do { /* past the end: a stored block of length 0 whose complement is not 0xffff */
		last = get(1);
		switch (get(2)) {
		case 0: /* stored: LEN, its complement, LEN bytes */
			b.pos = (b.pos + 7) & ~(size_t)7;
			l = get(16);
			if (get(16) != (~l & 0xffff))
				goto fail;
			if (l > size - o)
				goto full;
			while (l--)
				out[o++] = (char)get(8);
			continue;
		case 1: /* fixed codes: 8 bits, 9 from 144, 7 from 256, 8 from 280; distances 5 */
			for (i = 0; i < 320; i++)
				len[i] = (uint8_t)(8 + (i >= 144) - 2 * (i >= 256) + (i >= 280) -
						   3 * (i >= 288));
			hlit = 288, nlen = 320;
			break;
		case 2: /* dynamic: the code lengths' code, then the lengths run-length coded */
			hlit = get(5) + 257;
			nlen = hlit + get(5) + 1;
			for (i = 0, k = get(4) + 4; i < 19; i++)
				len[order[i]] = (uint8_t)(i < k ? get(3) : 0);
			build(&lit, len, 19);
			for (i = 0; i < nlen;) {
				unsigned v = 0, rep = 1;

				if ((s = decode(&lit)) < 0 || (s == 16 && !i))
					goto fail;
				if (s < 16)
					v = (unsigned)s;
				else if (s == 16)
					v = len[i - 1], rep = 3 + get(2);
				else
					rep = s == 17 ? 3 + get(3) : 11 + get(7);
				if (rep > nlen - i)
					goto fail;
				while (rep--)
					len[i++] = (uint8_t)v;
			}
			break;
		default:
			goto fail;
		}
		build(&lit, len, hlit);
		build(&dist, len + hlit, nlen - hlit);
		while ((s = decode(&lit)) != 256) { /* a literal is a copy of length 1 */
			if (s < 0 || s > 285)
				goto fail;
			l = 1, d = 0;
			if (s > 256) {
				l = s == 285 ? 258 : base((unsigned)s - 257, 4, 3);
				if ((s = decode(&dist)) < 0 || s > 29 ||
				    (d = base((unsigned)s, 2, 1)) > o)
					goto fail;
			}
			if (l > size - o)
				goto full;
			for (; l; l--, o++)
				out[o] = d ? out[o - d] : (char)s;
		}
	} while (!last);
	b.pos = (b.pos + 7) & ~(size_t)7;
	for (l = 0; l < o; l++)
		for (crc ^= (uint8_t)out[l], k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0xedb88320 & -(crc & 1));
	k = get(32); /* the CRC-32, then the length modulo 2^32: present, the CRC says enough */
	b.pos += 32;
	return k == ~crc && b.pos <= b.end ? (int)o : -EINVAL;
full:
	err = -ENOSPC;
fail:
	return b.pos > b.end ? -EINVAL : err;
}
