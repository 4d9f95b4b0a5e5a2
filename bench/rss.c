/* rss.c - `rss FILE CMD [ARG...]`: runs CMD and writes its peak RSS in KB to FILE (ru_maxrss of
 * CMD and the children it waited for); exits with CMD's status. Unlike /usr/bin/time, whose forked copy of itself sets a floor of
 * ~0.45 MB, this static launcher uses vfork: the child's pre-exec image is the launcher's. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid;
	FILE *f;

	if (argc < 3) {
		fputs("usage: rss FILE CMD [ARG...]\n", stderr);
		return 2;
	}
	pid = vfork();
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0 || !(f = fopen(argv[1], "w"))) {
		perror("rss");
		return 1;
	}
	fprintf(f, "%ld\n", ru.ru_maxrss);
	fclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
