/* fdpass.c - one SCM_RIGHTS sender for every fd runt hands over a unix socket. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "fdpass.h"
#include "mini.h"

int fdpass_send(int sock, int fd, const void *data, size_t len)
{
	return fdpass_sendto(sock, NULL, 0, fd, data, len);
}

int fdpass_sendto(int sock, const void *to, socklen_t tolen, int fd, const void *data, size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { (void *)data, len };
	struct msghdr mh = { .msg_name = (void *)to,
			     .msg_namelen = tolen,
			     .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	ssize_t n;

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	n = rt_sendmsg(sock, &mh, MSG_NOSIGNAL);
	if (n >= 0 && (size_t)n != len) {
		errno = EMSGSIZE;
		return -1;
	}
	return n < 0 ? -1 : 0;
}
