/* log.c - writes log lines to --log (text or json) and, without --log, warnings and
 * debug output to stderr. A json line is {"level","msg","time"}: containerd reads the msg of
 * the last error line from <bundle>/log.json and needs an RFC3339 time. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fmt.h"
#include "json.h"
#include "log.h"
#include "mini.h"

static const char *const level_names[] = { "error", "warning", "info", "debug" };

/* Parsed command line, set once by runtime.c before any command runs. */
static struct {
	int fd;
	int json;
	enum log_level level;
} lg = { -1, 0, LOG_WARN };

static int level_by_name(const char *name, enum log_level *out)
{
	for (unsigned i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (!strcmp(name, level_names[i]) || (i == LOG_WARN && !strcmp(name, "warn"))) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

int log_open(const char *path, const char *format, const char *level, struct rt_err *err)
{
	if (format && strcmp(format, "text") && strcmp(format, "json"))
		return rt_fail(err, EINVAL, "--log-format: unknown format \"%s\" (text or json)",
			       format);
	lg.json = format && !strcmp(format, "json");
	if (level && level_by_name(level, &lg.level) < 0)
		return rt_fail(err, EINVAL, "--log-level: unknown level \"%s\"", level);
	if (path && *path) {
		lg.fd = rt_open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		if (lg.fd < 0)
			return rt_sysfail(err, "open log %s", path);
	}
	return 0;
}

int log_fd(void)
{
	return lg.fd;
}

void log_rfc3339(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;

	rt_clock_gettime(CLOCK_REALTIME, &ts);
	rt_gmtime_r(&ts.tv_sec, &tm);
	/* Not strftime: it drags musl's timezone code (~5 KB) into the binary. */
	rt_snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000);
}

static void write_line(int fd, enum log_level lvl, const char *msg)
{
	char line[RT_ERR_MAX + 256], now[40];
	struct jw w;

	log_rfc3339(now, sizeof(now));
	jw_init(&w, line, sizeof(line));
	if (lg.json) {
		jw_raw(&w, "{\"level\":");
		jw_str(&w, level_names[lvl]);
		jw_raw(&w, ",\"msg\":");
		jw_str(&w, msg);
		jw_printf(&w, ",\"time\":\"%s\"}\n", now);
	} else {
		jw_printf(&w, "time=\"%s\" level=%s msg=", now, level_names[lvl]);
		jw_str(&w, msg);
		jw_raw(&w, "\n");
	}
	if (!w.overflow && write(fd, line, w.len) < 0)
		return;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	char msg[RT_ERR_MAX];
	va_list ap;
	int saved = errno;

	if (lvl > lg.level)
		return;
	va_start(ap, fmt);
	rt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (lg.fd >= 0)
		write_line(lg.fd, lvl, msg);
	else if (lvl != LOG_ERROR) /* runtime.c prints errors itself */
		rt_dprintf(2, "runt: %s: %s\n", level_names[lvl], msg);
	errno = saved;
}
