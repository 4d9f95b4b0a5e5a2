/* alloc.c - malloc, calloc, realloc and free on mmap(2), one mapping per block. runt makes a
 * handful of allocations per run (config.json, jsmn tokens, the spec arena, seccomp rules),
 * so musl's mallocng (~9 KB of the binary, issue 8) buys nothing; libc's callers use these. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Keeps the block 16-byte aligned, as malloc must for any type. */
struct hdr {
	size_t size; /* of the whole mapping */
	size_t pad;
};

void *malloc(size_t n)
{
	struct hdr *h;

	if (n > SIZE_MAX / 2) {
		errno = ENOMEM;
		return NULL;
	}
	h = mmap(NULL, n + sizeof(*h), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (h == MAP_FAILED) {
		errno = ENOMEM;
		return NULL;
	}
	h->size = n + sizeof(*h);
	return h + 1;
}

/* Fresh anonymous pages are already zero. */
void *calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / 2 / size) {
		errno = ENOMEM;
		return NULL;
	}
	return malloc(n * size);
}

void free(void *p)
{
	struct hdr *h = (struct hdr *)p - 1;

	if (p)
		munmap(h, h->size);
}

void *realloc(void *p, size_t n)
{
	void *q;
	size_t old;

	if (!p)
		return malloc(n);
	old = ((struct hdr *)p - 1)->size - sizeof(struct hdr);
	if (n <= old)
		return p;
	if (!(q = malloc(n)))
		return NULL;
	memcpy(q, p, old);
	free(p);
	return q;
}
