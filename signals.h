/* signals.h - signal names for `kill` and forwarding signals from `run`/`exec` to the container. */
#ifndef RUNT_SIGNALS_H
#define RUNT_SIGNALS_H

#include "err.h"

/* "9", "KILL", "SIGKILL", "kill", "SIGRTMIN+3" -> signal number; otherwise an error
 * `unknown signal "X"`. 0 is refused (runc refuses it too). */
int sig_parse(const char *s, int *signo, struct rt_err *err);
const char *sig_name(int signo); /* "SIGKILL"; NULL when unknown */

#endif
