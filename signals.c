/* signals.c - signal names for `kill` and signal forwarding: "9", "KILL", "SIGKILL", "kill",
 * "SIGRTMIN+3", "RTMAX-1"; the numbers come from the libc headers of the target arch. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mini.h"
#include "signals.h"

/* The kernel's signals go up to 64. SIGRTMIN is 34 as glibc (and runc, docker) number it:
 * the container's programs are mostly glibc ones, and musl's own SIGRTMIN is 35. */
#define SIG_MAX	  64
#define SIG_RTMIN 34

/* Names inline: 8 bytes an entry instead of a pointer, an int and the string. */
static const struct {
	char name[7];
	uint8_t signo;
} sigs[] = {
	{ "HUP", SIGHUP },	 { "INT", SIGINT },   { "QUIT", SIGQUIT },
	{ "ILL", SIGILL },	 { "TRAP", SIGTRAP }, { "ABRT", SIGABRT },
	{ "BUS", SIGBUS },	 { "FPE", SIGFPE },   { "KILL", SIGKILL },
	{ "USR1", SIGUSR1 },	 { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE },	 { "ALRM", SIGALRM }, { "TERM", SIGTERM },
#ifdef SIGSTKFLT
	{ "STKFLT", SIGSTKFLT },
#endif
	{ "CHLD", SIGCHLD },	 { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP },	 { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
	{ "URG", SIGURG },	 { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH },
	{ "IO", SIGIO },	 { "POLL", SIGPOLL }, { "PWR", SIGPWR },
	{ "SYS", SIGSYS },
};

#define NSIGS (sizeof(sigs) / sizeof(sigs[0]))

/* kill -l naming: RTMIN+n for the lower half, RTMAX-n for the upper one. */
static const char *const rt_names[SIG_MAX - SIG_RTMIN + 1] = {
	"SIGRTMIN",    "SIGRTMIN+1",  "SIGRTMIN+2",  "SIGRTMIN+3",  "SIGRTMIN+4",  "SIGRTMIN+5",
	"SIGRTMIN+6",  "SIGRTMIN+7",  "SIGRTMIN+8",  "SIGRTMIN+9",  "SIGRTMIN+10", "SIGRTMIN+11",
	"SIGRTMIN+12", "SIGRTMIN+13", "SIGRTMIN+14", "SIGRTMIN+15", "SIGRTMAX-14", "SIGRTMAX-13",
	"SIGRTMAX-12", "SIGRTMAX-11", "SIGRTMAX-10", "SIGRTMAX-9",  "SIGRTMAX-8",  "SIGRTMAX-7",
	"SIGRTMAX-6",  "SIGRTMAX-5",  "SIGRTMAX-4",  "SIGRTMAX-3",  "SIGRTMAX-2",  "SIGRTMAX-1",
	"SIGRTMAX",
};

static const char *const sig_names[] = {
	[SIGHUP] = "SIGHUP",	   [SIGINT] = "SIGINT",	  [SIGQUIT] = "SIGQUIT",
	[SIGILL] = "SIGILL",	   [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
	[SIGBUS] = "SIGBUS",	   [SIGFPE] = "SIGFPE",	  [SIGKILL] = "SIGKILL",
	[SIGUSR1] = "SIGUSR1",	   [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE",	   [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
#ifdef SIGSTKFLT
	[SIGSTKFLT] = "SIGSTKFLT",
#endif
	[SIGCHLD] = "SIGCHLD",	   [SIGCONT] = "SIGCONT", [SIGSTOP] = "SIGSTOP",
	[SIGTSTP] = "SIGTSTP",	   [SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU",
	[SIGURG] = "SIGURG",	   [SIGXCPU] = "SIGXCPU", [SIGXFSZ] = "SIGXFSZ",
	[SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH",
	[SIGIO] = "SIGIO",	   [SIGPWR] = "SIGPWR",	  [SIGSYS] = "SIGSYS",
};

const char *sig_name(int signo)
{
	if (signo >= SIG_RTMIN && signo <= SIG_MAX)
		return rt_names[signo - SIG_RTMIN];
	if (signo > 0 && signo < (int)(sizeof(sig_names) / sizeof(sig_names[0])))
		return sig_names[signo];
	return NULL;
}

/* The length of the upper-case word w when s starts with it in any case, else 0 (not
 * strncasecmp: musl's pair with strcasecmp costs ~0.3 KB for these few uses). */
static size_t starts(const char *s, const char *w)
{
	size_t n = 0;

	for (; w[n]; n++)
		if ((s[n] >= 'a' && s[n] <= 'z' ? s[n] - 'a' + 'A' : s[n]) != w[n])
			return 0;
	return n;
}

/* "" -> 0, "+3" / "-3" (with the expected sign) -> 3; -1 otherwise. */
static int rt_offset(const char *s, char sign)
{
	if (!*s)
		return 0;
	if (*s != sign || s[1] < '0' || s[1] > '9' ||
	    strspn(s + 1, "0123456789") != strlen(s + 1) || strlen(s + 1) > 2)
		return -1;
	return rt_atoi(s + 1);
}

static int parse_rt(const char *name)
{
	int n;

	if (starts(name, "RTMIN")) {
		n = rt_offset(name + 5, '+');
		return n < 0 || SIG_RTMIN + n > SIG_MAX ? -1 : SIG_RTMIN + n;
	}
	if (starts(name, "RTMAX")) {
		n = rt_offset(name + 5, '-');
		return n < 0 || SIG_MAX - n < SIG_RTMIN ? -1 : SIG_MAX - n;
	}
	return -1;
}

static int parse_number(const char *s, int *signo, struct rt_err *err)
{
	int n = strlen(s) > 3 ? SIG_MAX + 1 : rt_atoi(s);

	if (n < 1 || n > SIG_MAX)
		return rt_fail(err, EINVAL, "invalid signal \"%s\": must be between 1 and %d", s,
			       SIG_MAX);
	*signo = n;
	return 0;
}

int sig_parse(const char *s, int *signo, struct rt_err *err)
{
	const char *name = s;
	int n;

	if (*s && strspn(s, "0123456789") == strlen(s))
		return parse_number(s, signo, err);
	name += starts(name, "SIG");
	for (size_t i = 0; i < NSIGS; i++) {
		size_t len = starts(name, sigs[i].name);

		if (len && !name[len]) {
			*signo = sigs[i].signo;
			return 0;
		}
	}
	n = parse_rt(name);
	if (n < 0)
		return rt_fail(err, EINVAL, "unknown signal \"%s\"", s);
	*signo = n;
	return 0;
}
