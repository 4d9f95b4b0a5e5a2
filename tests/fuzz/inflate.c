/* inflate.c - fuzzes gz_inflate (`runt check` reading /proc/config.gz) against zlib: any input
 * is refused or inflated inside the buffer (ASan), and whatever zlib inflates, gz_inflate
 * inflates to the same bytes. (zlib refuses more: HLIT over 286, incomplete codes, a wrong
 * length or header CRC; those gz_inflate may accept when the CRC-32 matches.) */
#include <errno.h>
#include <zlib.h>

#include "fuzz.h"
#include "inflate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[1 << 16];
	static unsigned char ref[(1 << 16) + 1];
	unsigned char *in = malloc(size ? size : 1); /* exactly size: ASan sees an overread */
	z_stream z = { 0 };
	int r, zr;

	memcpy(in, data, size);
	r = gz_inflate(in, size, out, sizeof(out));
	if (r > (int)sizeof(out) || (r < 0 && r != -EINVAL && r != -ENOSPC))
		abort();
	if (inflateInit2(&z, 16 + 15) != Z_OK)
		abort();
	z.next_in = in;
	z.avail_in = (unsigned)size;
	z.next_out = ref;
	z.avail_out = sizeof(ref);
	zr = inflate(&z, Z_FINISH);
	if (zr == Z_STREAM_END && z.total_out <= sizeof(out) &&
	    (r != (int)z.total_out || memcmp(out, ref, z.total_out)))
		abort();
	inflateEnd(&z);
	free(in);
	return 0;
}
