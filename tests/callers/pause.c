// pause.c - the pod sandbox's process for the CRI suite (tests/callers/40-cri.sh): holds the
// pod's namespaces, reaps the orphans a shared pid namespace hands it, ends on TERM/INT.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_stop(int sig)
{
	_exit(sig == SIGTERM ? 0 : 2);
}

static void on_child(int sig)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

int main(void)
{
	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	signal(SIGCHLD, on_child);
	for (;;)
		pause();
}
