/* log.h - runt's log sink (--log, --log-format text|json, --log-level): json lines the way
 * containerd and conmon parse them. Only runtime.c decides what is fatal. */
#ifndef RUNT_LOG_H
#define RUNT_LOG_H

#include "err.h"

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

int log_open(const char *path, const char *format, const char *level, struct rt_err *err);
void log_msg(enum log_level lvl, const char *fmt, ...) RT_PRINTF(2, 3);
int log_fd(void); /* the log file's fd or -1 (hooks and the child inherit it) */
void log_rfc3339(char *buf, size_t size); /* current UTC time, microseconds */

#endif
