/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * udp-connect.h - one UDP connect() to 127.0.0.1, for the guest helpers
 * whose records the tests look for by port
 */
#ifndef UDP_CONNECT_H
#define UDP_CONNECT_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

/* connect() a UDP socket to 127.0.0.1:@port and close it; 0 or -1. */
static inline int udp_connect(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ret;

	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		return -1;
	ret = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return ret;
}

#endif /* UDP_CONNECT_H */
