/* floor.c - the kernel's share of `run /bin/true`: one clone3 making the same namespaces as the
 * bench bundle (pid, net, ipc, uts, mount, cgroup), execve of the bundle's /bin/true, wait.
 * No rootfs, mounts, cgroup or state: what no runtime can go below. Static, like runt, so
 * start-up is not dynamic linking (util-linux unshare's ~0.8 ms here). usage: floor PROG */
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct clone_args_v0 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

int main(int argc, char **argv)
{
	struct clone_args_v0 a = {
		.flags = CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS |
			 CLONE_NEWCGROUP,
		.exit_signal = SIGCHLD,
	};
	long pid;
	int status;

	if (argc < 2)
		return 2;
	pid = syscall(SYS_clone3, &a, sizeof(a));
	if (pid == 0) {
		execv(argv[1], argv + 1);
		_exit(127);
	}
	if (pid < 0 || waitpid((pid_t)pid, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
