/* seccomp-compile.c - bench: compiles a seccomp profile (an OCI linux.seccomp object in a
 * file) many times with runt's compiler; prints the BPF instruction count and the time of
 * one compile. Usage: seccomp-compile PROFILE.json [ROUNDS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "seccomp.h"

static struct sc_filter f;
static char text[1 << 20], buf[1 << 20];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the machine is shared */
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int rounds = argc > 2 ? atoi(argv[2]) : 1000;
	FILE *fp = argc > 1 ? fopen(argv[1], "r") : NULL;
	struct rt_err err = { 0 };
	size_t len;
	double t0;

	if (!fp)
		return fprintf(stderr, "usage: seccomp-compile PROFILE.json [ROUNDS]\n"), 2;
	len = fread(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	t0 = now();
	for (int i = 0; i < rounds; i++) {
		struct json j;

		memcpy(buf, text, len);
		if (json_parse(&j, argv[1], buf, len, &err) < 0 ||
		    sc_compile(&j, 0, ".linux.seccomp", &f, &err) < 0)
			return fprintf(stderr, "seccomp-compile: %s\n", err.msg), 1;
		json_free(&j);
	}
	printf("seccomp_insns=%u\nseccomp_compile_us=%.1f\n", f.len, (now() - t0) / rounds * 1e6);
	return 0;
}
