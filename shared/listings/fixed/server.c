#include <linux/in.h>
#include <linux/inet.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <net/sock.h>

#define PORT	0x8888
#define BUF_LEN	1024

static struct socket *sock;
static struct task_struct *accept_task;
static char *recvbuf;

/* The one place the listener is freed: init's error path and exit share it. */
static void drop_listener(void)
{
	sock_release(sock);
	sock = NULL;
}

/* Runs in its own thread so that insmod returns as soon as init is done. */
static int accept_loop(void *unused)
{
	struct socket *newsock;
	struct msghdr msg;
	struct kvec vec;
	int ret;

	while (!kthread_should_stop()) {
		ret = kernel_accept(sock, &newsock, 0);
		if (ret < 0) {
			pr_info("server: accept returned %d, loop ends\n", ret);
			break;
		}
		pr_info("server: accept ok, Connection Established\n");
		/* A silent peer must not keep rmmod waiting for ever. */
		newsock->sk->sk_rcvtimeo = 5 * HZ;
		memset(&msg, 0, sizeof(msg));
		vec.iov_base = recvbuf;
		vec.iov_len = BUF_LEN;
		/* A byte stream: one call may return fewer bytes than were sent. */
		ret = kernel_recvmsg(newsock, &msg, &vec, 1, BUF_LEN, 0);
		if (ret < 0)
			pr_err("server: recvmsg error %d\n", ret);
		else
			pr_info("server: receive message (%d bytes): %.*s\n", ret, ret, recvbuf);
		sock_release(newsock);
	}
	/* Returning before kthread_stop() would free the task under its feet. */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

static int __init server_init(void)
{
	struct sockaddr_in s_addr = {
		.sin_family = AF_INET,
		.sin_port = htons(PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int ret;

	pr_info("server init:\n");
	/* One spare byte, so the text is NUL-terminated whatever arrives. */
	recvbuf = kzalloc(BUF_LEN + 1, GFP_KERNEL);
	if (!recvbuf)
		return -ENOMEM;
	ret = sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP, &sock);
	if (ret < 0) {
		pr_err("server:socket_create error %d\n", ret);
		goto err_buf;
	}
	pr_info("server:socket_create ok!\n");
	/* Lets a reloaded module rebind while old connections sit in TIME_WAIT. */
	sock_set_reuseaddr(sock->sk);
	ret = kernel_bind(sock, (struct sockaddr *)&s_addr, sizeof(s_addr));
	if (ret < 0) {
		pr_err("server: bind error %d\n", ret);
		goto err_sock;
	}
	pr_info("server:bind ok!\n");
	ret = kernel_listen(sock, 10);
	if (ret < 0) {
		pr_err("server: listen error %d\n", ret);
		goto err_sock;
	}
	pr_info("server:listen ok!\n");
	accept_task = kthread_run(accept_loop, NULL, "ksock_server");
	if (IS_ERR(accept_task)) {
		ret = PTR_ERR(accept_task);
		goto err_sock;
	}
	return 0;
err_sock:
	drop_listener();
err_buf:
	kfree(recvbuf);
	return ret;
}

static void __exit server_exit(void)
{
	/* Takes the listener out of LISTEN, so the blocked accept returns. */
	kernel_sock_shutdown(sock, SHUT_RDWR);
	kthread_stop(accept_task);
	drop_listener();
	kfree(recvbuf);
	pr_info("good bye\n");
}

module_init(server_init);
module_exit(server_exit);
MODULE_LICENSE("GPL");
