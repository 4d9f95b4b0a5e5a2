/* fmt.c - the printf subset runt uses, formatted into bounded buffers with no heap and no
 * stdio: keeps musl's vfprintf, float formatter and FILE machinery out of the binary. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"

struct sink {
	char *buf;
	size_t cap; /* bytes of buf usable for text */
	size_t pos; /* bytes in buf */
	size_t len; /* untruncated length so far */
	int fd;	    /* >= 0: buf is flushed there when full (dprintf) */
	int werr;   /* -errno of a failed flush */
};

struct spec {
	int left, zero, width, prec;
};

static void flush(struct sink *s)
{
	int r = rt_write_all(s->fd, s->buf, s->pos);

	if (r < 0)
		s->werr = r;
	s->pos = 0;
}

static void put(struct sink *s, char c)
{
	if (s->pos == s->cap && s->fd >= 0)
		flush(s);
	if (s->pos < s->cap)
		s->buf[s->pos++] = c;
	s->len++;
}

static void pad(struct sink *s, char c, int n)
{
	while (n-- > 0)
		put(s, c);
}

/* A string with width and precision ("%-12s", "%.*s"). */
static void put_str(struct sink *s, const char *str, const struct spec *sp)
{
	size_t n = 0;

	if (!str)
		str = "(null)";
	while ((sp->prec < 0 || n < (size_t)sp->prec) && str[n])
		n++;
	if (!sp->left)
		pad(s, ' ', sp->width - (int)n);
	for (size_t i = 0; i < n; i++)
		put(s, str[i]);
	if (sp->left)
		pad(s, ' ', sp->width - (int)n);
}

/* An integer in base 8, 10 or 16, with sign, width, '0' and precision (minimum digits). */
static void put_num(struct sink *s, unsigned long long v, int neg, unsigned base,
		    const struct spec *sp)
{
	char tmp[24];
	int n = 0, digits, len;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	digits = sp->prec > n ? sp->prec : n;
	len = digits + neg;
	if (!sp->left && !(sp->zero && sp->prec < 0))
		pad(s, ' ', sp->width - len);
	if (neg)
		put(s, '-');
	if (!sp->left && sp->zero && sp->prec < 0)
		pad(s, '0', sp->width - len);
	pad(s, '0', digits - n);
	while (n)
		put(s, tmp[--n]);
	if (sp->left)
		pad(s, ' ', sp->width - len);
}

/* Flags, width and precision after '%'; returns the position of the length modifier. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	sp->left = sp->zero = sp->width = 0;
	sp->prec = -1;
	for (;; f++) {
		if (*f == '-')
			sp->left = 1;
		else if (*f == '0')
			sp->zero = 1;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = sp->width * 10 + (*f - '0');
	if (*f == '.') {
		sp->prec = 0;
		if (*++f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		for (; *f >= '0' && *f <= '9'; f++)
			sp->prec = sp->prec * 10 + (*f - '0');
	}
	return f;
}

/* One integer conversion: the length modifier decides how wide the va_arg is. */
static const char *put_int(struct sink *s, const char *f, const struct spec *sp, va_list *ap)
{
	int lng = 0; /* 0 int, 1 long or size_t, 2 long long: differ on 32-bit boards */
	unsigned long long u;
	long long v;

	for (; *f == 'l' || *f == 'z'; f++)
		lng++;
	if (*f == 'd' || *f == 'i') {
		v = lng > 1 ? va_arg(*ap, long long) : lng ? va_arg(*ap, long) : va_arg(*ap, int);
		put_num(s, v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v, v < 0, 10,
			sp);
		return f;
	}
	u = lng > 1 ? va_arg(*ap, unsigned long long)
	    : lng   ? va_arg(*ap, unsigned long)
		    : va_arg(*ap, unsigned);
	put_num(s, u, 0, *f == 'x' ? 16 : *f == 'o' ? 8 : 10, sp);
	return f;
}

static void format(struct sink *s, const char *fmt, va_list ap0)
{
	struct spec sp;
	va_list ap;

	va_copy(ap, ap0);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(s, *f);
			continue;
		}
		f = parse_spec(f + 1, &sp, &ap);
		if (*f == 's')
			put_str(s, va_arg(ap, const char *), &sp);
		else if (*f == 'c')
			pad(s, (char)va_arg(ap, int), 1);
		else if (*f == '%')
			put(s, '%');
		else
			f = put_int(s, f, &sp, &ap);
		if (!*f)
			break;
	}
	va_end(ap);
}

int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { buf, size ? size - 1 : 0, 0, 0, -1, 0 };

	format(&s, fmt, ap);
	if (size)
		buf[s.pos] = '\0';
	return (int)s.len;
}

int rt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = rt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int rt_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Written in chunks of one small stack buffer: `list` prints a JSON array of any size. */
static int vdprintf_(int fd, const char *fmt, va_list ap)
{
	char buf[1024];
	struct sink s = { buf, sizeof(buf), 0, 0, fd, 0 };

	format(&s, fmt, ap);
	flush(&s);
	return s.werr ? -1 : (int)s.len;
}

int rt_dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf_(fd, fmt, ap);
	va_end(ap);
	return n;
}

int rt_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf_(1, fmt, ap);
	va_end(ap);
	return n;
}

int rt_out(const char *s)
{
	return rt_write_all(1, s, strlen(s)) < 0 ? -1 : 0;
}
